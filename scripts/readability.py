"""Readability of each page's "Key messages" box (``make readability``).

Reads the built HTML (``_build/html``), extracts the text of ``.key-messages`` on every page and
prints the Flesch-Kincaid US grade level and Flesch reading ease, worst first. The site aims for
grade 9 or lower. Exit status 1 with ``--max-grade N`` if any page is above N.

Syllables are counted with Pyphen's bundled en_US hyphenation patterns (a hyphenation point
splits two syllables), so the script works offline with nothing to download.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pyphen
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# A word: letters or digits, joined by inner apostrophes or hyphens ("don't", "stem-cell", "2026").
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


class Scores(NamedTuple):
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid US school grade."""
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def ease(self) -> float:
        """Flesch reading ease: 100 is very easy, below 30 very hard."""
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    """Syllables of *word*: each part of a compound ("stem-cell") counts on its own, and an
    apostrophe adds none ("don't")."""
    parts = re.sub(r"['’]", "", word.lower()).split("-")
    return sum(len(_dictionary().positions(part)) + 1 for part in parts if part)


def score(text: str) -> Scores:
    """Counts for the readability formulas; a text without end punctuation is one sentence."""
    words = WORD.findall(text)
    sentences = max(1, len([s for s in SENTENCE_END.split(text) if WORD.search(s)]))
    return Scores(len(words), sentences, sum(syllables(w) for w in words))


def key_messages(html_dir: Path) -> dict[str, str]:
    out = {}
    for page in sorted(html_dir.rglob("*.html")):
        box = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one(".key-messages")
        if box is None:
            continue
        title = box.select_one(".admonition-title")
        if title is not None:
            title.decompose()
        # One sentence per bullet, so sentences are counted the way a reader sees them.
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
    scores = {page: score(text) for page, text in texts.items() if WORD.search(text)}
    rows = sorted(((s.grade, s.ease, page) for page, s in scores.items()), reverse=True)
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
