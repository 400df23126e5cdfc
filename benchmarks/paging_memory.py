"""Run in a fresh process by the suite: page through a 10,000-comment thread
and print the peak memory after page 1, after every page, and the page count."""

from __future__ import annotations

import re
import sys

from .measure import peak_rss_mib
from .site import Seeder, create_site, drop_tables


def main(database_url: str) -> None:
    app, db = create_site(database_url)
    try:
        Seeder(app, db).thread("paging", 10_000, 1)
        client = app.test_client()
        path, pages = "/t/paging", 0
        after_first = None
        while path:
            html = client.get(path).text
            pages += 1
            if after_first is None:
                after_first = peak_rss_mib()
            found = re.search(r'rel="next" href="([^"]+)"', html)
            path = found.group(1).replace("&amp;", "&") if found else None
        print(f"{after_first:.2f} {peak_rss_mib():.2f} {pages}")
    finally:
        drop_tables(app, db)


if __name__ == "__main__":
    main(sys.argv[1])
