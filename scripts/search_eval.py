"""Evaluate the site search in a real browser (``make search-eval``).

Runs every query in ``tests/search/queries.yaml`` through ``search.html?q=...`` in Debian's
Chromium against the built site and prints, per query, the rank of the first expected page, the
bytes the first search transferred (Pagefind's files and the site's search code, as sent by a
server that compresses text like any static host) and the time to the first result. Then it
types every query into the search box on one page and records the time from the last keystroke
to the results. Summary: top-1, top-3, mean reciprocal rank, median and worst times and sizes.
Exit status 1 if top-3 falls below 90%.

Targets (a benchmark, not a test): the first query transfers at most 150 KB; results show within
100 ms of the last keystroke (median).

    python scripts/search_eval.py              # build into _build/search-eval, then evaluate
    python scripts/search_eval.py --site DIR   # evaluate an existing build
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from scripts.harness import build_site, launch_chromium, serve

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "tests" / "search" / "queries.yaml"
TOP3_REQUIRED = 0.9
FIRST_QUERY_KB_TARGET = 150
TYPED_MS_TARGET = 100
#: Requests that count as the cost of searching (not the page itself).
SEARCH_ASSETS = ("/pagefind/", "/_static/site-search/")
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Query:
    query: str
    expect: tuple[str, ...]
    reader: str = ""


@dataclass
class Outcome:
    query: Query
    found: list[str]
    rank: int | None  # 1-based rank of the first expected page; None if not found
    first_ms: float  # navigation start -> first results shown (search.html?q=)
    transferred: int  # bytes of search assets over the wire for that first query
    typed_ms: float | None = None  # last keystroke -> results shown


@dataclass
class Summary:
    count: int
    top1: float
    top3: float
    mrr: float
    first_ms_median: float
    typed_ms_median: float | None
    kb_max: float
    kb_median: float
    failures: list[Outcome] = field(default_factory=list)


def load_queries(path: Path = QUERIES) -> list[Query]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for i, entry in enumerate(entries, 1):
        expect = entry.get("expect") or []
        if not entry.get("query") or not expect:
            raise ValueError(f"{path}: entry {i} needs a query and at least one expected page")
        queries.append(Query(str(entry["query"]), tuple(expect), entry.get("reader", "")))
    return queries


def rank_of(found: Sequence[str], expect: Sequence[str]) -> int | None:
    for i, page in enumerate(found, 1):
        if page in expect:
            return i
    return None


def page_path(href: str, base_url: str) -> str:
    """A result link as a site path: ``conditions/multiple-sclerosis.html`` (no anchor)."""
    path = urlsplit(href).path
    base = urlsplit(base_url).path
    return path[len(base) :] if path.startswith(base) else path.lstrip("/")


def search_url(base_url: str, query: str) -> str:
    return f"{base_url}search.html?q={quote(query, safe='')}"


# Both UIs set data-search-query / data-state on their results element when results are shown.
READY = """([sel, q]) => {
  const el = document.querySelector(sel);
  return el && el.dataset.state === "done" && el.dataset.searchQuery === q;
}"""


def results_on_page(page: Any, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#search-results .site-search-result__link", "els => els.map(a => a.href)"
    )
    return [page_path(h, base_url) for h in hrefs]


def first_query(browser: Any, base_url: str, query: Query) -> Outcome:
    """Open search.html?q= in a fresh browser context (cold cache) and read the results."""
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        page.goto(search_url(base_url, query.query))
        page.wait_for_function(
            READY, arg=["#search-results", query.query.strip()], timeout=TIMEOUT_MS
        )
        first_ms = float(page.get_attribute("#search-results", "data-search-ms") or "nan")
        found = results_on_page(page, base_url)
        transferred = sum(
            size
            for rid, size in sizes.items()
            if any(a in urls.get(rid, "") for a in SEARCH_ASSETS)
        )
        return Outcome(query, found, rank_of(found, query.expect), first_ms, transferred)
    finally:
        context.close()


def typed_latencies(browser: Any, base_url: str, queries: Sequence[Query]) -> list[float]:
    """Type each query into the search page's box; ms from the last keystroke to results."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base_url}search.html")
        box = page.locator("#site-search-input")
        times = []
        for query in queries:
            box.fill("")
            page.wait_for_function(READY, arg=["#search-results", ""], timeout=TIMEOUT_MS)
            box.press_sequentially(query.query, delay=15)
            page.wait_for_function(
                READY, arg=["#search-results", query.query.strip()], timeout=TIMEOUT_MS
            )
            times.append(float(page.get_attribute("#search-results", "data-search-ms") or "nan"))
        return times
    finally:
        context.close()


def evaluate(
    browser: Any, base_url: str, queries: Sequence[Query], typed: bool = True
) -> list[Outcome]:
    outcomes = [first_query(browser, base_url, q) for q in queries]
    if typed:
        for outcome, ms in zip(outcomes, typed_latencies(browser, base_url, queries), strict=True):
            outcome.typed_ms = ms
    return outcomes


def summarize(outcomes: Sequence[Outcome]) -> Summary:
    n = len(outcomes)
    ranks = [o.rank for o in outcomes]
    typed = [o.typed_ms for o in outcomes if o.typed_ms is not None]
    kbs = [o.transferred / 1024 for o in outcomes]
    return Summary(
        count=n,
        top1=sum(r == 1 for r in ranks) / n,
        top3=sum(r is not None and r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        first_ms_median=statistics.median(o.first_ms for o in outcomes),
        typed_ms_median=statistics.median(typed) if typed else None,
        kb_max=max(kbs),
        kb_median=statistics.median(kbs),
        failures=[o for o in outcomes if o.rank is None or o.rank > 3],
    )


def report(outcomes: Sequence[Outcome], summary: Summary) -> str:
    lines = [f"{'query':44} {'rank':>4} {'KB':>6} {'first ms':>8} {'typed ms':>8}  top results"]
    for o in outcomes:
        rank = str(o.rank) if o.rank else "-"
        typed = f"{o.typed_ms:8.1f}" if o.typed_ms is not None else f"{'':8}"
        top = ", ".join(o.found[:3])
        kb = o.transferred / 1024
        lines.append(
            f"{o.query.query[:44]:44} {rank:>4} {kb:6.1f} {o.first_ms:8.1f} {typed}  {top}"
        )
    typed_median = (
        f"{summary.typed_ms_median:.1f} ms" if summary.typed_ms_median is not None else "n/a"
    )
    lines += [
        "",
        f"queries: {summary.count}   top-1: {summary.top1:.1%}   top-3: {summary.top3:.1%}   "
        f"MRR: {summary.mrr:.3f}",
        f"first query (cold, search.html?q=): median {summary.first_ms_median:.0f} ms from "
        f"navigation; transferred median {summary.kb_median:.1f} KB, max {summary.kb_max:.1f} KB "
        f"(target <= {FIRST_QUERY_KB_TARGET} KB)",
        f"as you type: median {typed_median} from the last keystroke to results "
        f"(target <= {TYPED_MS_TARGET} ms)",
    ]
    for o in summary.failures:
        lines.append(
            f"  not in top 3: {o.query.query!r} expected {list(o.query.expect)}, got {o.found[:5]}"
        )
    return "\n".join(lines)


# -- Building ------------------------------------------------------------------------


def build(outdir: Path) -> None:
    """The strict build of docs/ (scripts.harness; incremental: only what changed is rebuilt)."""
    proc = build_site(outdir, os.environ.get("SITE_URL"), quiet=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(proc.returncode)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, help="evaluate this built site instead of building")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--no-typing", action="store_true", help="skip the as-you-type timing")
    args = parser.parse_args(argv)

    site = args.site
    if site is None:
        site = REPO / "_build" / "search-eval" / "html"
        print(f"building the site into {site.relative_to(REPO)} ...", flush=True)
        build(site)
    queries = load_queries(args.queries)

    from playwright.sync_api import sync_playwright

    with serve(site, compress=True) as base_url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            outcomes = evaluate(browser, base_url, queries, typed=not args.no_typing)
        finally:
            browser.close()
    summary = summarize(outcomes)
    print(report(outcomes, summary))
    if summary.top3 < TOP3_REQUIRED:
        print(f"FAIL: top-3 {summary.top3:.1%} is below {TOP3_REQUIRED:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
