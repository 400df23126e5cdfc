"""The adversarial corpus (``tests/markup_attacks.py``) timed against the
50 ms goal: each body at ``FORUM_MAX_LENGTH`` characters, and its longest
start that is still rendered as Markdown. Used by ``python -m benchmarks``
and run alone as ``python -m benchmarks.adversarial``."""

from __future__ import annotations

from tests.markup_attacks import ADVERSARIAL, MAX_LENGTH


def bodies(length: int = MAX_LENGTH) -> dict[str, str]:
    """Every adversarial body at ``length`` characters (about, for nested ones)."""
    return {name: build(length) for name, build in ADVERSARIAL.items()}


def within_budget(body: str) -> str:
    """The longest start of ``body`` that is still rendered as Markdown (past
    the markup budget a body is shown as plain text, which costs nearly
    nothing): the most costly text an attacker can send of that kind."""
    from forum_plugin import markup

    if markup.markdown_within_budget(body) is not None:
        return body
    low, high = 0, len(body)  # body[:low] renders, body[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if markup.markdown_within_budget(body[:middle]) is not None:
            low = middle
        else:
            high = middle
    return body[:low]


def attack_bodies(length: int = MAX_LENGTH) -> dict[str, str]:
    """Each body at ``length``, and, when that is past the markup budget,
    also its longest start within it ("name, within the budget")."""
    found = {}
    for name, body in bodies(length).items():
        found[name] = body
        longest = within_budget(body)
        if longest != body:
            found[f"{name}, within the budget ({len(longest):,} chars)"] = longest
    return found


# The goal: no comment up to FORUM_MAX_LENGTH costs this much Markdown and
# sanitizer work or more, with either sanitizer.
BUDGET_SECONDS = 0.050


def timings(length: int = MAX_LENGTH, repeat: int = 3) -> dict[str, dict[str, float]]:
    """``{body name: {"Markdown": s, "bleach": s, "nh3": s}}``.

    For each body: Markdown alone, and the markup work of posting it with
    each sanitizer (Markdown, the sanitizer, counting links for the policy),
    measured in turn, one after the other, ``repeat`` times after a warm-up
    run, so the machine's noise hits all three alike. Medians, in seconds.
    """
    from forum_plugin import markup

    from .measure import side_by_side

    sanitizers = sorted(markup.SANITIZERS)
    results = {}
    for name, body in attack_bodies(length).items():
        runs = [lambda body=body: markup.markdown_within_budget(body)]
        runs += [lambda body=body, s=s: markup.count_links(markup.render(body, s)) for s in sanitizers]
        results[name] = dict(zip(["Markdown", *sanitizers], side_by_side(*runs, repeat=repeat), strict=True))
    return results


def worst(results: dict[str, dict[str, float]], sanitizer: str) -> tuple[float, str]:
    """(seconds, body name) of the most costly body with ``sanitizer``."""
    return max((figures[sanitizer], name) for name, figures in results.items())


def main() -> None:
    """``python -m benchmarks.adversarial``: every body's markup time with
    each sanitizer, Markdown's part of it, and the worst case against the goal."""
    from forum_plugin import markup

    sanitizers = sorted(markup.SANITIZERS)
    results = timings()
    width = max(len(name) for name in results)
    goal = f"< {BUDGET_SECONDS * 1000:.0f} ms"
    print(
        f"markup work per {MAX_LENGTH:,}-character body (FORUM_MAX_LENGTH), ms, median of 3, "
        f"measured side by side (! = not {goal})"
    )
    print(f"{'body':<{width}} | {'Markdown':>8} | " + " | ".join(f"{s:>8}" for s in sanitizers))
    for name in sorted(results, key=lambda name: -max(results[name][s] for s in sanitizers)):
        cells = " | ".join(
            f"{results[name][s] * 1000:>7.1f}{' ' if results[name][s] < BUDGET_SECONDS else '!'}" for s in sanitizers
        )
        print(f"{name:<{width}} | {results[name]['Markdown'] * 1000:>8.1f} | {cells}")
    for s in sanitizers:
        seconds, name = worst(results, s)
        over = sum(figures[s] >= BUDGET_SECONDS for figures in results.values())
        met = "met" if seconds < BUDGET_SECONDS else "NOT met"
        print(
            f"{s}: worst {seconds * 1000:.1f} ms ({name}); goal {goal} per comment {met}; "
            f"{over} of {len(results)} bodies at or over it"
        )


if __name__ == "__main__":
    main()
