"""List pages whose review is due soon (``make review``).

Reads the front matter of every page in ``docs/`` with the same parser the build uses
(``stemcellref.metadata.page_metadata``) and prints the pages whose ``next_review`` falls within
the next 60 days (``--days``), soonest first, overdue pages included. "Today" is the build date:
``SOURCE_DATE_EPOCH`` when set, else today. Pages with ``content: false`` have no review date.

Usage: ``python scripts/review.py [--days N] [--docs DIR]``
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))

from stemcellref.metadata.page_metadata import read_page_meta  # noqa: E402
from stemcellref.shared.dates import build_date, format_date  # noqa: E402


def due_pages(docs: Path, today: date, days: int) -> list[tuple[date, Path]]:
    """``(next_review, path)`` for pages due by ``today + days``, soonest first."""
    horizon = today + timedelta(days=days)
    due = []
    for path in sorted(docs.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in path.relative_to(docs).parts):
            continue  # templates, static files
        meta = read_page_meta(path.read_text(encoding="utf-8-sig"))
        if meta is not None and meta.next_review is not None and meta.next_review <= horizon:
            due.append((meta.next_review, path))
    return sorted(due)


def describe(next_review: date, today: date) -> str:
    days = (next_review - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60, help="look this many days ahead")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the pages' folder")
    args = parser.parse_args(argv)
    today = build_date()
    due = due_pages(args.docs, today, args.days)
    if not due:
        print(f"No page is due for review within {args.days} days of {format_date(today)}.")
        return 0
    print(f"Pages due for review within {args.days} days of {format_date(today)}, soonest first:")
    base = args.docs.parent
    for next_review, path in due:
        shown = path.relative_to(base) if path.is_relative_to(base) else path
        print(f"  {next_review.isoformat()}  {describe(next_review, today):<20} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
