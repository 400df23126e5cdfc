"""``python -m forum_plugin.demo``: run the demo blog on this machine."""

from __future__ import annotations

import click

from . import create_app
from .seed import DEMO_ACCOUNTS


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
def main(host: str, port: int) -> None:
    """Run the Safe Passage Field Notes demo blog with forum_plugin mounted."""
    app = create_app()
    click.echo(f"Demo blog: http://{host}:{port}/   (data in {app.instance_path})")
    click.echo("Demo accounts (log in at /login):")
    for username, password, _name, moderator in DEMO_ACCOUNTS:
        role = "moderator" if moderator else "reader"
        click.echo(f"  {role:9}  username {username!r}  password {password!r}")
    click.echo(f"Moderation queue: http://{host}:{port}{app.config['FORUM_URL_PREFIX']}/moderation/")
    app.run(host=host, port=port)


if __name__ == "__main__":
    main()
