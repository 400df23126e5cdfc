"""Print a pip constraints file that pins every runtime dependency to its floor.

The floor of a requirement is the version of its ``>=`` clause: the lowest
release the project claims to work with. CI installs the project with
``pip install -e '.[test]' -c <this output>`` so that one run tests exactly
those floors; the constraints come from ``pyproject.toml`` every time, so the
declared ranges and the tested floors cannot drift apart.

Usage: ``python .ci/floors.py [path/to/pyproject.toml] > constraints.txt``.
A runtime dependency without a ``>=`` floor is an error: its lowest version
would be whatever pip found first, which nobody tested.
"""

from __future__ import annotations

import sys
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest brings tomli there
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


class FloorError(ValueError):
    """A runtime dependency whose lowest version cannot be read off its specifier."""


def runtime_requirements(pyproject: Path = PYPROJECT) -> list[Requirement]:
    """``[project].dependencies`` of a pyproject.toml, parsed."""
    with pyproject.open("rb") as file:
        project = tomllib.load(file).get("project")
    if project is None:
        raise FloorError("no [project] table")
    return [Requirement(line) for line in project.get("dependencies", [])]


def floor(requirement: Requirement) -> Version:
    """The lowest version ``requirement`` allows, from its ``>=`` clause."""
    lower_bounds = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
    if not lower_bounds:
        raise FloorError(f"{requirement}: no '>=' floor; declare the lowest version that works")
    lowest = max(lower_bounds)
    # A floor that another clause excludes (">=2.0,!=2.0") is no version pip could install.
    if not requirement.specifier.contains(lowest, prereleases=True):
        raise FloorError(f"{requirement}: its own specifier excludes the floor {lowest}")
    return lowest


def constraint_line(requirement: Requirement) -> str:
    """``name==floor``, keeping an environment marker; constraints files take no extras."""
    line = f"{requirement.name}=={floor(requirement)}"
    if requirement.marker is not None:
        line += f"; {requirement.marker}"
    return line


def constraints(requirements: list[Requirement]) -> list[str]:
    return [constraint_line(requirement) for requirement in requirements]


def main(argv: list[str]) -> int:
    pyproject = Path(argv[1]) if len(argv) > 1 else PYPROJECT
    try:
        lines = constraints(runtime_requirements(pyproject))
    except (FloorError, InvalidRequirement, OSError, tomllib.TOMLDecodeError) as error:
        print(f"floors.py: {pyproject}: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
