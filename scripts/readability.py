"""Readability of each page's "Key messages" box (``make readability``).

Reads the built HTML (``_build/html``), extracts the text of ``.key-messages`` on every page and
prints the Flesch-Kincaid US grade level and Flesch reading ease (textstat), worst first. The
site aims for grade 9 or lower. Exit status 1 with ``--max-grade N`` if any page is above N.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import textstat
from bs4 import BeautifulSoup
from textstat.backend.counts import _count_syllables

# textstat looks words up in NLTK's CMU dictionary, which it downloads on first use; builds here
# are offline, so count syllables with Pyphen's bundled hyphenation patterns instead (textstat's
# own fallback for words missing from the CMU dictionary).
_count_syllables.get_cmudict = lambda lang: None

ROOT = Path(__file__).resolve().parent.parent


def key_messages(html_dir: Path) -> dict[str, str]:
    out = {}
    for page in sorted(html_dir.rglob("*.html")):
        box = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one(".key-messages")
        if box is None:
            continue
        title = box.select_one(".admonition-title")
        if title is not None:
            title.decompose()
        # One sentence per bullet, so textstat counts sentences the way a reader sees them.
        items = [li.get_text(" ", strip=True).rstrip(".") + "." for li in box.select("li")]
        out[str(page.relative_to(html_dir))] = " ".join(items)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--max-grade", type=float, default=None)
    args = parser.parse_args(argv)
    texts = key_messages(args.html)
    if not texts:
        print(f"no Key messages found under {args.html}: run `make html` first", file=sys.stderr)
        return 2
    rows = sorted(
        (
            (textstat.flesch_kincaid_grade(t), textstat.flesch_reading_ease(t), p)
            for p, t in texts.items()
        ),
        reverse=True,
    )
    print(f"{'grade':>6} {'ease':>6}  page")
    for grade, ease, page in rows:
        print(f"{grade:>6.1f} {ease:>6.1f}  {page}")
    grades = [r[0] for r in rows]
    print(
        f"\n{len(rows)} pages: median grade {statistics.median(grades):.1f}, "
        f"worst {max(grades):.1f}; {sum(g <= 9 for g in grades)} at grade 9 or lower"
    )
    if args.max_grade is not None and max(grades) > args.max_grade:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
