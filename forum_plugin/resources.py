"""Where the folders a wheel carries inside the package are found."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def resource_folder(name: str) -> Path:
    """``templates`` or ``migrations``: inside the package once installed from
    a wheel, at the top level of the source tree (and of an editable install)."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name
