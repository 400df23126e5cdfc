"""Attacks on the cost of turning a comment into HTML.

A comment is rendered once, when it is posted or edited, in the request that
posts it; a body that makes Markdown, linkifying or sanitizing take seconds
ties up a worker for every post. The attacks, each a body of up to
``FORUM_MAX_LENGTH`` (10,000) characters from ``tests/markup_attacks.py``:

- runs of one character that starts a Markdown or HTML construct without
  finishing it: ``(``, ``[``, ``*``, ``_``, backticks, ``<``, ``&``, ``\\``;
- runs that look like the start of an address: ``://``, ``www.``, ``@``,
  ``a-a-a-``, ``xn--``, ``a.co(``, a URL followed by 10,000 ``(`` (bleach's
  linkifier took 1.4 to 6 seconds on these, markdown-it's inline linkify
  rule nearly one);
- many links, bare domains and e-mail-like words; nested emphasis, links and
  quotes; tables of pipes; entity runs; combining marks, emoji with joiners.

The timing goal (50 ms a comment) is printed by ``python -m benchmarks``;
on a shared machine a test can only check the shape of the cost: rendering
four times the text must take about four times as long, never sixteen.
Each body is also checked to come out inside the allowlist.
"""

from __future__ import annotations

import time
from typing import Callable

import pytest

from forum_plugin.markup import SANITIZERS, count_links, markdown_to_html, markdown_within_budget, render

from ..markup_attacks import ADVERSARIAL, MAX_LENGTH
from ..xss import check_safe

# Hundreds of timed renders of 10,000-character bodies: CPU-bound and best
# measured on a machine that is not running the rest of the suite beside it.
pytestmark = pytest.mark.slow

SHORT = MAX_LENGTH // 4
# Linear work gives 4x; quadratic work 16x. Under 20 ms at full length the
# ratio is mostly timer and scheduler noise, and the body costs too little
# to matter: the quadratic paths this guards against took 0.3 to 6 s.
LINEAR_LIMIT = 8.0
TOO_FAST_TO_MATTER = 0.020


def _sanitizing(name: str) -> Callable[[str], Callable[[], object]]:
    """What ``render`` does after Markdown, for the HTML Markdown made."""

    def prepare(body: str) -> Callable[[], object]:
        html = markdown_to_html(body)
        return lambda: count_links(SANITIZERS[name](html))

    return prepare


# render() is Markdown, then a sanitizer; each stage is measured on its own,
# so a failure names the stage and Markdown is not timed twice. The Markdown
# stage is what render() runs: markdown-it only for a body within the markup
# budget (past it, render() shows plain text; markdown-it-py 3.0, the floor,
# grows about 9x on 10,000 underscores that no comment ever hands it).
STAGES: dict[str, Callable[[str], Callable[[], object]]] = {
    "markdown": lambda body: lambda: markdown_within_budget(body),
    **{sanitizer: _sanitizing(sanitizer) for sanitizer in SANITIZERS},
}


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def growth(name: str, stage: str, runs: int) -> tuple[float, float]:
    """(seconds at full length, full / quarter length), each the best of
    ``runs``, the two lengths measured in turn."""
    short = STAGES[stage](ADVERSARIAL[name](SHORT))
    full = STAGES[stage](ADVERSARIAL[name](MAX_LENGTH))
    short()
    timings = [(_seconds(short), _seconds(full)) for _ in range(runs)]
    short_seconds = min(pair[0] for pair in timings)
    full_seconds = min(pair[1] for pair in timings)
    return full_seconds, full_seconds / short_seconds


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_a_crafted_body_cannot_make_markup_work_grow_quadratically(name, stage):
    # Measured again, more carefully, only when the first measure looks bad:
    # noise from other processes cannot fail a linear body, and a quadratic
    # one stays near 16x however often it is measured.
    for runs in (1, 3, 5):
        seconds, ratio = growth(name, stage, runs)
        if seconds < TOO_FAST_TO_MATTER or ratio < LINEAR_LIMIT:
            return
    pytest.fail(
        f"{name!r}, {stage}: {seconds * 1000:.0f} ms at {MAX_LENGTH:,} characters, {ratio:.1f}x the time of {SHORT:,}"
    )


@pytest.mark.parametrize("sanitizer", sorted(SANITIZERS))
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_a_crafted_body_still_comes_out_inside_the_allowlist(name, sanitizer):
    html = render(ADVERSARIAL[name](400), sanitizer)
    assert check_safe(html) == []
