"""Create a page from the template (``make new-page``).

Writes ``docs/SECTION/SLUG.md`` from ``docs/_templates/new-page.md`` with valid front matter
dated today (``SOURCE_DATE_EPOCH`` when set), adds ``SLUG`` to the toctree in
``docs/SECTION/index.md`` and prints what to fill in. The new page builds strictly as it is;
its ``TODO:`` placeholders make ``make test`` fail until they are all replaced.

Usage: ``python scripts/new_page.py [--docs DIR] SECTION SLUG TITLE``
"""

from __future__ import annotations

import argparse
import calendar
import re
import string
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ext"))

from stemcellref.shared.dates import build_date  # noqa: E402  (the site's build date)

TEMPLATE = Path("_templates") / "new-page.md"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: Sections on fast-moving topics: reviewed after six months, the others after a year.
FAST_MOVING = frozenset({"treatments", "conditions", "safety"})
#: Sections whose pages carry an "Evidence at a glance" table.
EVIDENCE_SECTIONS = frozenset({"treatments", "conditions"})
EVIDENCE_BLOCK = re.compile(r"^% evidence-table: start\n(.*?)^% evidence-table: end\n", re.M | re.S)
TOCTREE_OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\{toctree\}")
TOCTREE_OPTION = re.compile(r"^:[\w-]+:")

CHECKLIST = """\
Created {page} and added {slug!r} to the toctree in {index}.

Now fill in the page (every "TODO:" must go; the tests fail while one is left):
  1. description: one plain sentence, at most 160 characters.
  2. Key messages: 3 to 5 short bullets in plain language, saying what is standard care or
     licensed, what is in clinical trials and what is unproven, and how sure we can be.
  3. The plain-language sections: short sentences, "you", abbreviations expanded on first use,
     British spelling, no promotional words.
{evidence}  {n}. Technical detail: numbers and trial designs; regulatory facts "as of" a month
     and year.
  {n1}. Citations: add each source to docs/references.bib (with a DOI, PMID or official URL) and
     cite it with {{footcite:p}}`key`; replace the example citation if it does not apply.
  {n2}. The further-info callout: a non-commercial source (regulator, health service, patient
     organisation), its publisher and the date you read it.
  {n3}. Link glossary terms on first use with {{term}}`term` (docs/glossary.md).

Preview it with `make livehtml`; run `make check` before you open the pull request.
"""
EVIDENCE_STEP = (
    "  4. Evidence at a glance: one row per treatment with its status and certainty,\n"
    "     e.g. {evidence}`standard; high`, {evidence}`licensed (US); low`, {evidence}`trials`\n"
    "     or {evidence}`unproven; very low`, and a citation.\n"
)


def shown(path: Path) -> str:
    """*path* relative to the working directory when it lies under it (as make prints it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


class NewPageError(Exception):
    """A problem with the arguments; the message says how to fix it."""


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def render(template: str, section: str, title: str, today: date) -> str:
    """The new page's text: the template filled in for *section*."""
    review_months = 6 if section in FAST_MOVING else 12
    if section in EVIDENCE_SECTIONS:
        template = EVIDENCE_BLOCK.sub(r"\1", template)
    else:
        template = EVIDENCE_BLOCK.sub("", template)
    return string.Template(template).substitute(
        title=title,
        today=today.isoformat(),
        next_review=add_months(today, review_months).isoformat(),
    )


def add_to_toctree(index_text: str, slug: str) -> str | None:
    """*index_text* with *slug* appended to its first toctree; None if it has no toctree."""
    lines = index_text.splitlines(keepends=True)
    opening = [(i, m) for i, line in enumerate(lines) if (m := TOCTREE_OPEN.match(line))]
    if not opening:
        return None
    start, match = opening[0]
    fence = match["fence"]
    for end in range(start + 1, len(lines)):
        closing = lines[end].strip()
        if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
            break
    else:
        return None
    entries = [entry.strip() for entry in lines[start + 1 : end]]
    if slug in entries:
        return index_text
    last = end
    while last - 1 > start and not lines[last - 1].strip():
        last -= 1  # insert after the last entry, not after trailing blank lines
    previous = lines[last - 1]
    insert = [f"{slug}\n"]
    if last - 1 == start or TOCTREE_OPTION.match(previous):
        insert.insert(0, "\n")  # options end at a blank line
    if not previous.endswith("\n"):
        lines[last - 1] = previous + "\n"
    return "".join([*lines[:last], *insert, *lines[last:]])


def sections(docs: Path) -> list[str]:
    return sorted(
        p.parent.name
        for p in docs.glob("*/index.md")
        if not p.parent.name.startswith(("_", ".")) and add_to_toctree(p.read_text("utf-8"), "x")
    )


def create_page(docs: Path, section: str, slug: str, title: str, today: date) -> tuple[Path, Path]:
    """Write the page and update the section index; returns both paths."""
    title = " ".join(title.split())
    known = ", ".join(sections(docs)) or "none"
    index = docs / section / "index.md"
    if not section or "/" in section or section.startswith(("_", ".")) or not index.is_file():
        raise NewPageError(
            f"SECTION {section!r} is not a section: use one of {known} "
            "(folders of docs/ with an index.md that has a toctree)"
        )
    index_text = index.read_text("utf-8")
    updated = add_to_toctree(index_text, slug)
    if updated is None:
        raise NewPageError(f"{shown(index)} has no toctree to add the page to: use one of {known}")
    if not SLUG.fullmatch(slug) or slug == "index":
        raise NewPageError(
            f"SLUG {slug!r} must be lowercase words joined by hyphens, e.g. 'lupus' or "
            "'crohns-disease' (it becomes the page's address)"
        )
    page = docs / section / f"{slug}.md"
    if page.exists():
        raise NewPageError(f"{shown(page)} already exists: choose another SLUG or edit that page")
    if not title:
        raise NewPageError('TITLE is empty: give the page a title, e.g. TITLE="Lupus"')
    template = (docs / TEMPLATE).read_text("utf-8")
    page.write_text(render(template, section, title, today), encoding="utf-8")
    if updated != index_text:
        index.write_text(updated, encoding="utf-8")
    return page, index


def checklist(page: Path, index: Path, slug: str, section: str) -> str:
    evidence = section in EVIDENCE_SECTIONS
    n = 5 if evidence else 4
    return CHECKLIST.format(
        page=shown(page), index=shown(index), slug=slug, evidence=EVIDENCE_STEP if evidence else "",
        n=n, n1=n + 1, n2=n + 2, n3=n + 3,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("section", metavar="SECTION", help="folder in docs/, e.g. conditions")
    parser.add_argument("slug", metavar="SLUG", help="file name without .md, e.g. lupus")
    parser.add_argument("title", metavar="TITLE", help='the page title, e.g. "Lupus"')
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the pages' folder")
    args = parser.parse_args(argv)
    try:
        page, index = create_page(args.docs, args.section, args.slug, args.title, build_date())
    except NewPageError as exc:
        print(f"new-page: error: {exc}", file=sys.stderr)
        return 2
    print(checklist(page, index, args.slug, args.section), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
