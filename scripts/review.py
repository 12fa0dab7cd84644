"""What is due for review (``make review``): pages, register rows and clinical sign-off.

* Pages whose ``next_review`` falls within the next 60 days (``--days``), soonest first,
  overdue pages included, read with the parser the build uses
  (``stemcellref.metadata.page_metadata``). Pages with ``content: false`` have no review date.
* Rows of the licensed-products register (``docs/_data/licensed-products.yaml``) due for a
  re-check in the same window: a row is due ``licensed_products_review_months`` (conf.py,
  default 6) after the date it was last checked (or tried); overdue rows are flagged on the
  site too.
* Content pages awaiting clinical sign-off: no ``clinical_review`` in their front matter.

"Today" is the build date: ``SOURCE_DATE_EPOCH`` when set, else today.

Usage: ``python scripts/review.py [--days N] [--docs DIR] [--months N]``
"""

from __future__ import annotations

import argparse
import runpy
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))

from stemcellref.evidence.register import RegisterConfig  # noqa: E402
from stemcellref.evidence.register_data import due_for_check, parse  # noqa: E402
from stemcellref.metadata.page_metadata import PageMeta, read_page_meta  # noqa: E402
from stemcellref.shared.dates import build_date, format_date  # noqa: E402


@dataclass(frozen=True)
class Row:
    """A register row due for a re-check."""

    due: date
    product: str
    regulator: str
    decided: str
    line: int


def content_pages(docs: Path) -> list[tuple[Path, PageMeta]]:
    """Every content page under ``docs`` with its front matter (templates and data skipped)."""
    pages = []
    for path in sorted(docs.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in path.relative_to(docs).parts):
            continue
        meta = read_page_meta(path.read_text(encoding="utf-8-sig"))
        if meta is not None:
            pages.append((path, meta))
    return pages


def due_pages(docs: Path, today: date, days: int) -> list[tuple[date, Path]]:
    """``(next_review, path)`` for pages due by ``today + days``, soonest first."""
    horizon = today + timedelta(days=days)
    return sorted(
        (meta.next_review, path)
        for path, meta in content_pages(docs)
        if meta.next_review is not None and meta.next_review <= horizon
    )


def awaiting_sign_off(docs: Path) -> list[Path]:
    """Content pages without a ``clinical_review``."""
    return [path for path, meta in content_pages(docs) if meta.clinical_review is None]


def due_rows(register: Path, today: date, days: int, months: int) -> list[Row]:
    """Register rows due for a re-check by ``today + days``, soonest first."""
    if not register.is_file():
        return []
    data, _problems = parse(register.read_text(encoding="utf-8-sig"))
    horizon = today + timedelta(days=days)
    rows = [
        Row(due, product.id, decision.regulator, decision.date, decision.line)
        for product in data.products
        for decision in product.decisions
        if (due := due_for_check(decision, months)) is not None and due <= horizon
    ]
    return sorted(rows, key=lambda r: (r.due, r.line))


def configured_months() -> int:
    """``licensed_products_review_months`` from conf.py, else the extension's default."""
    default = RegisterConfig.settings()["licensed_products_review_months"].default
    value = runpy.run_path(str(ROOT / "conf.py")).get("licensed_products_review_months", default)
    return value if isinstance(value, int) and value > 0 else default


def describe(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60, help="look this many days ahead")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the pages' folder")
    parser.add_argument(
        "--months",
        type=int,
        default=None,
        help="months between checks of a register row (default: conf.py)",
    )
    args = parser.parse_args(argv)
    today = build_date()
    months = args.months or configured_months()
    base = args.docs.parent

    def shown(path: Path) -> Path:
        return path.relative_to(base) if path.is_relative_to(base) else path

    due = due_pages(args.docs, today, args.days)
    if due:
        print(
            f"Pages due for review within {args.days} days of {format_date(today)}, soonest first:"
        )
        for next_review, path in due:
            print(f"  {next_review.isoformat()}  {describe(next_review, today):<20} {shown(path)}")
    else:
        print(f"No page is due for review within {args.days} days of {format_date(today)}.")

    register = args.docs / RegisterConfig.settings()["licensed_products_path"].default
    rows = due_rows(register, today, args.days, months)
    print()
    if rows:
        print(
            f"Register rows due for a re-check within {args.days} days (every {months} "
            "months), soonest first:"
        )
        for row in rows:
            where = f"{shown(register)}:{row.line}"
            print(
                f"  {row.due.isoformat()}  {describe(row.due, today):<20} "
                f"{row.product} ({row.regulator}, {row.decided})  {where}"
            )
    else:
        print(
            f"No register row is due for a re-check within {args.days} days "
            f"(every {months} months)."
        )

    waiting = awaiting_sign_off(args.docs)
    print()
    if waiting:
        print(f"Pages awaiting clinical sign-off (no clinical_review): {len(waiting)}")
        for path in waiting:
            print(f"  {shown(path)}")
    else:
        print("Every content page has a clinical sign-off.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
