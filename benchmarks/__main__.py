"""``python -m benchmarks [--database-url URL]``: run every measure and print one table.

SQLite (a fresh file in a temporary folder) unless a database URL is given,
e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test. The forum's tables
in that database are dropped and made anew.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile

import sqlalchemy

from .suite import run


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/benchmark.sqlite3"
        rows, seconds = run(url)
    backend = sqlalchemy.engine.make_url(url).get_backend_name()
    width = max(len(row.what) for row in rows)
    print(f"forum_plugin benchmarks on {backend}; {machine()}")
    print(f"{'measure':<{width}} | {'figure':<28} | {'goal':<8} | met")
    print(f"{'-' * width}-|-{'-' * 28}-|-{'-' * 8}-|----")
    for row in rows:
        print(
            f"{row.what:<{width}} | {row.figure:<28} | {row.goal:<8} | {('yes' if row.met else 'NO') if row.goal else ''}"
        )
    missed = [row.what for row in rows if row.goal and not row.met]
    print(f"{len(rows)} figures in {seconds:.0f} s; goals missed: {len(missed)}")


if __name__ == "__main__":
    main()
