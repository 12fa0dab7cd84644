"""Site search (stemcellref.search): the Pagefind bundle, and search as readers use it.

Extension tests build tests/roots/test-search; browser tests use the real site (``site``,
``site_server``, ``browser``) and the evaluation in scripts/search_eval.py with the reader
queries in tests/search/queries.yaml.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite
from sphinx.errors import ConfigError, ExtensionError

from scripts.search_eval import (
    READY,
    TOP3_REQUIRED,
    evaluate,
    load_queries,
    page_path,
    report,
    search_url,
    summarize,
)
from stemcellref.search.pagefind import read_fragments

# -- The build (test root) -------------------------------------------------------------


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def bundle_data(outdir: Path) -> dict:
    return json.loads((outdir / "pagefind" / "synonyms.json").read_text(encoding="utf-8"))


def test_build_replaces_sphinx_search_with_pagefind(build_root) -> None:
    app = build_root("search")
    out = Path(app.outdir)
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert (out / "pagefind" / "pagefind-entry.json").is_file()
    assert list((out / "pagefind" / "index").glob("*.pf_index"))
    assert not (out / "searchindex.js").exists()
    assert not list((out / "pagefind").glob("pagefind-*ui*"))  # unused default UIs
    page = soup(out / "search.html")
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert not any("searchtools" in s or "searchindex" in s for s in scripts)
    assert any("site-search/box.js" in s for s in scripts)
    assert page.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert page.select_one("#search-results") is not None


def test_every_page_is_indexed_but_not_search_or_index_pages(build_root) -> None:
    app = build_root("search")
    titles = set(bundle_data(Path(app.outdir))["titles"].values())
    assert titles == {app.env.titles[doc].astext() for doc in app.env.found_docs}
    assert "Search" not in titles and "Index" not in titles


def test_excluded_pages_are_not_searchable(build_root) -> None:
    app = build_root("search", confoverrides={"site_search_exclude_pages": ["basics/*"]})
    titles = set(bundle_data(Path(app.outdir))["titles"].values())
    assert "What are stem cells" not in titles and "Stem cell basics" not in titles
    assert "Leukaemia" in titles


def test_pages_carry_their_section_for_filters_and_results(build_root) -> None:
    app = build_root("search")
    out = Path(app.outdir)

    def section(page: str) -> str:
        marker = soup(out / page).select_one('article [data-pagefind-filter="section"]')
        assert marker is not None, page
        assert marker.has_attr("data-pagefind-ignore") and marker.has_attr("hidden")
        assert marker["data-pagefind-meta"] == "section"
        return marker.get_text()

    assert section("index.html") == "Home"
    assert section("glossary.html") == "Reference"
    # A folder's section is its index page's title, unless conf.py's site_search_sections names it.
    assert section("basics/cells.html") == "Stem cell basics"
    assert section("conditions/leukaemia.html") == "Conditions"
    assert section("treatments/hsct.html") == "Treatments"
    search = soup(out / "search.html")
    options = [o.get_text() for o in search.select("#site-search-section option")]
    assert options == [
        "All sections",
        "Conditions",
        "Home",
        "Reference",
        "Stem cell basics",
        "Treatments",
    ]
    labels = {label["for"]: label.get_text() for label in search.select("fieldset label")}
    assert labels["site-search-evidence"] == "Status"
    assert labels["site-search-certainty"] == "Certainty"
    evidence = [o.get_text() for o in search.select("#site-search-evidence option")]
    assert evidence == [
        "Any status", "Standard care", "Clinical option", "Licensed", "Conditional licence",
        "In clinical trials", "Unproven", "Established",
    ]  # fmt: skip
    certainty = [o.get_text() for o in search.select("#site-search-certainty option")]
    assert certainty == ["Any certainty", "High", "Moderate", "Low", "Very low"]


def test_evidence_badges_are_values_of_the_status_and_certainty_filters(build_root) -> None:
    """The search family tags the {evidence} badges; Pagefind indexes them as filter values."""
    app = build_root("search")
    out = Path(app.outdir)
    badges = soup(out / "conditions/ms.html").select("article span.evidence, article .certainty")
    assert [(b.get_text(), b.get("data-pagefind-filter")) for b in badges] == [
        ("In clinical trials", "evidence:In clinical trials"),
        ("Unproven", "evidence:Unproven"),
        ("Evidence: very low certainty", "certainty:Very low"),
    ]
    found = fragments(out)
    assert found["/conditions/ms.html"]["filters"]["evidence"] == ["In clinical trials", "Unproven"]
    assert found["/conditions/ms.html"]["filters"]["certainty"] == ["Very low"]
    assert found["/conditions/leukaemia.html"]["filters"]["evidence"] == ["Standard care"]
    assert found["/conditions/leukaemia.html"]["filters"]["certainty"] == ["High"]


def test_glossary_aliases_become_synonym_groups(build_root) -> None:
    app = build_root("search")
    data = bundle_data(Path(app.outdir))
    assert data["groups"] == [
        ["haematopoietic stem cell transplantation", "hematopoietic stem cell transplantation",
         "HSCT", "bone marrow transplant"],
        ["multiple sclerosis", "MS"],
        ["leukaemia", "leukemia"],
    ]  # fmt: skip
    assert ["leukaem", "leukem"] in data["spellings"]


def test_search_page_without_javascript_points_to_glossary_and_index(build_root) -> None:
    app = build_root("search")
    page = soup(Path(app.outdir) / "search.html")
    noscript = page.select_one("#site-search noscript")
    assert noscript is not None
    assert "needs JavaScript" in noscript.get_text()
    links = {
        a["href"] for a in BeautifulSoup(noscript.decode_contents(), "html.parser").find_all("a")
    }
    assert links == {"glossary.html", "genindex.html"}
    assert page.select_one("#site-search-form").has_attr("hidden")  # shown by the script


def test_rebuild_leaves_no_stale_bundle_files(build_root) -> None:
    app = build_root("search")
    stale = Path(app.outdir) / "pagefind" / "index" / "en_stale.pf_index"
    stale.write_bytes(b"old")
    app.build()
    assert not stale.exists()
    assert (Path(app.outdir) / "pagefind" / "pagefind.js").is_file()


@pytest.mark.sphinx(
    "html", testroot="search", confoverrides={"site_search_root_selector": "#no-such-element"}
)
def test_indexing_nothing_fails_the_build_with_a_clear_error(app) -> None:
    with pytest.raises(ExtensionError, match=r"Pagefind could not index the site.*0 pages indexed"):
        app.build()


def index_chunks(outdir: Path) -> list[Path]:
    return sorted((outdir / "pagefind" / "index").glob("*.pf_index"))


@pytest.mark.sphinx("html", testroot="search")
def test_index_chunk_size_reaches_pagefind(make_app, app_params) -> None:
    """A small chunk size splits the index into more, smaller files (what a first search loads)."""
    args, kwargs = app_params

    def build(size: int) -> list[Path]:
        app = make_app(*args, **{**kwargs, "confoverrides": {"site_search_index_chunk_size": size}})
        app.build(force_all=True)
        return index_chunks(Path(app.outdir))

    assert len(build(20_000)) == 1  # Pagefind's default: this small site fits in one chunk
    small = build(40)
    assert len(small) >= 4
    assert max(p.stat().st_size for p in small) < sum(p.stat().st_size for p in small) / 2


@pytest.mark.sphinx("html", testroot="search")
@pytest.mark.parametrize("size", [0, -5, 2.5, True])
def test_index_chunk_size_must_be_a_positive_number(make_app, app_params, size) -> None:
    args, kwargs = app_params
    with pytest.raises(ConfigError, match=r"site_search_index_chunk_size must be a positive whole"):
        make_app(*args, **{**kwargs, "confoverrides": {"site_search_index_chunk_size": size}})


def fragments(outdir: Path) -> dict[str, dict]:
    """Pagefind's per-page data (what results and excerpts are made from), by page URL."""
    return {data["url"]: data for _, data in read_fragments(outdir / "pagefind")}


def test_real_site_index_leaves_out_reference_lists(site: BuiltSite) -> None:
    pages = fragments(site.outdir)
    references = pages["/references.html"]["content"]
    assert "full list of sources" in references  # the page's own text is searchable
    assert "doi" not in references.lower() and "PMID" not in references  # its entries are not
    ms = pages["/conditions/multiple-sclerosis.html"]["content"]
    assert "autologous haematopoietic stem cell transplant" in ms
    assert "doi" not in ms.lower()
    # Words on every page (the medical notice, the review footer) would match every query.
    for data in pages.values():
        assert "It cannot advise you about your own care" not in data["content"], data["url"]
        assert "Page last reviewed" not in data["content"], data["url"]
    # Small index chunks: a first search loads a few KB per query word, not a quarter of the index.
    chunks = index_chunks(site.outdir)
    assert len(chunks) >= 10
    assert max(p.stat().st_size for p in chunks) < 12 * 1024


# -- In the browser (real site) -----------------------------------------------------------


@pytest.fixture
def page(browser, site_server):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors


def results(page, site_server: str, query: str, **params: str) -> list[str]:
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    page.goto(search_url(site_server, query) + extra)
    page.wait_for_function(READY, arg=["#search-results", query], timeout=15_000)
    hrefs = page.eval_on_selector_all(
        "#search-results li.site-search-result > .site-search-result__head > a",
        "els => els.map(a => a.href)",
    )
    return [page_path(h, site_server) for h in hrefs]


def test_reader_queries_find_their_pages(browser, site_server: str) -> None:
    outcomes = evaluate(browser, site_server, load_queries(), typed=False)
    summary = summarize(outcomes)
    assert summary.top3 >= TOP3_REQUIRED, report(outcomes, summary)


def test_results_are_ranked_links_with_highlighted_excerpt_and_section(page, site_server) -> None:
    found = results(page, site_server, "cord blood")
    assert len(found) >= 3
    # Rank order: the same order as the search code's own ranking.
    ranked = page.evaluate(
        """async () => {
          const url = (attr) => new URL(attr, document.baseURI).href;
          const core = await import(url(document.getElementById("site-search").dataset.core));
          const bundle = document.getElementById("search-results").dataset.bundle;
          const engine = await core.loadEngine(url(bundle));
          const found = await core.search(engine, "cord blood");
          return Promise.all(found.slice(0, 5).map(async ({ r }) => (await r.data()).url));
        }"""
    )
    assert found[:5] == [page_path(site_server.rstrip("/") + u, site_server) for u in ranked]
    for item in page.query_selector_all("#search-results li.site-search-result"):
        link = item.query_selector(".site-search-result__link")
        assert link.get_attribute("href") and link.inner_text().strip()
        assert item.query_selector(".site-search-result__excerpt mark") is not None
        section = item.query_selector(".site-search-result__section").inner_text()
        assert section in {"Home", "Basics", "Treatments", "Conditions", "Safety",
                           "Research and ethics", "About", "Reference", "Contributing"}  # fmt: skip
    status = page.inner_text("#search-status")
    assert re.match(r"\d+ results? for “cord blood”", status), status


def test_query_is_kept_in_the_url_as_the_reader_types(page, site_server) -> None:
    page.goto(f"{site_server}search.html")
    page.locator("#site-search-input").press_sequentially("stem cell tourism", delay=20)
    page.wait_for_function(READY, arg=["#search-results", "stem cell tourism"], timeout=15_000)
    typed = page.eval_on_selector_all(".site-search-result__link", "els => els.map(a => a.href)")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["stem cell tourism"]
    page.reload()  # a shared or bookmarked link shows the same results
    page.wait_for_function(READY, arg=["#search-results", "stem cell tourism"], timeout=15_000)
    assert page.input_value("#site-search-input") == "stem cell tourism"
    assert (
        page.eval_on_selector_all(".site-search-result__link", "els => els.map(a => a.href)")
        == typed
    )


def text_of(site: BuiltSite, page: str) -> str:
    article = soup(site.outdir / page).select_one("article")
    return " ".join(article.get_text(" ").split()).lower()


def test_quoted_phrase_matches_only_pages_with_the_phrase(page, site, site_server) -> None:
    def count() -> int:
        return int(re.match(r"(\d+) results?", page.inner_text("#search-status")).group(1))

    results(page, site_server, "blood stem cell transplant")
    loose = count()
    exact = results(page, site_server, '"blood stem cell transplant"')
    assert exact
    for found in exact:
        assert "blood stem cell transplant" in text_of(site, found), found
    assert count() < loose


def test_filter_by_section(page, site_server) -> None:
    found = results(page, site_server, "stem cells", section="Safety")
    assert found
    assert all(p.startswith("safety/") for p in found), found
    sections = page.eval_on_selector_all(
        ".site-search-result__section", "els => els.map(e => e.textContent)"
    )
    assert set(sections) == {"Safety"}
    # Changing the filter in the form updates results and the URL.
    page.select_option("#site-search-section", "Conditions")
    page.wait_for_function(
        """() => {
          const labels = [...document.querySelectorAll(".site-search-result__section")];
          return labels.length && labels.every((e) => e.textContent === "Conditions");
        }"""
    )
    assert parse_qs(urlsplit(page.url).query)["section"] == ["Conditions"]


def test_filter_by_evidence_status(page, site, site_server) -> None:
    everything = results(page, site_server, "stem cells")
    unproven = results(page, site_server, "stem cells", evidence="Unproven")
    assert unproven and len(unproven) <= len(everything)
    for found in unproven:
        badges = soup(site.outdir / found).select("article [data-pagefind-filter^='evidence:']")
        assert "evidence:Unproven" in {b["data-pagefind-filter"] for b in badges}, found


def test_filter_by_certainty_with_status(page, site, site_server) -> None:
    """The two axes filter together: licensed products with low-certainty evidence."""
    both = results(page, site_server, "licence", evidence="Licensed", certainty="Low")
    assert both
    for found in both:
        tags = {
            b["data-pagefind-filter"]
            for b in soup(site.outdir / found).select("article [data-pagefind-filter]")
        }
        assert {"evidence:Licensed", "certainty:Low"} <= tags, found
    status = page.text_content("#search-status")
    assert "with status Licensed with low certainty of evidence" in status
    assert parse_qs(urlsplit(page.url).query)["certainty"] == ["Low"]
    assert page.input_value("#site-search-certainty") == "Low"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bone marrow transplant", "treatments/blood-stem-cell-transplant.html"),
        ("leukemia", "conditions/blood-cancers-and-disorders.html"),
        ("hematopoietic stem cell transplantation", "treatments/blood-stem-cell-transplant.html"),
    ],
)
def test_synonyms_and_spellings(page, site, site_server, query: str, expected: str) -> None:
    found = results(page, site_server, query)
    assert expected in found[:3], found


def test_without_javascript_the_page_says_so_and_links_glossary_and_index(
    browser, site_server
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(search_url(site_server, "stem cells"))
        message = page.locator("#site-search .site-search-noscript")
        assert message.is_visible()
        assert "needs JavaScript" in message.inner_text()
        links = message.locator("a")
        hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
        assert hrefs == {"glossary.html", "genindex.html"}
        assert not page.locator("#site-search-form").is_visible()
    finally:
        context.close()


def test_keyboard_shortcuts_focus_search(page, site_server) -> None:
    page.goto(f"{site_server}basics/index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "sidebar-search-input"
    assert page.input_value("#sidebar-search-input") == ""  # the "/" is not typed
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Control+k")
    assert page.evaluate("document.activeElement.id") == "sidebar-search-input"
    page.goto(f"{site_server}search.html")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-input"


def test_sidebar_results_as_you_type_keyboard_and_escape(page, site_server) -> None:
    page.goto(f"{site_server}index.html")
    box = page.locator("#sidebar-search-input")
    box.click()
    box.press_sequentially("cord blood", delay=30)
    page.wait_for_function(READY, arg=["#sidebar-search-panel", "cord blood"], timeout=15_000)
    panel = page.locator("#sidebar-search-panel")
    assert panel.is_visible()
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator("#sidebar-search-listbox [role=option]")
    assert options.count() >= 1
    assert "result" in page.inner_text("#sidebar-search-status")
    box.press("ArrowDown")
    first = options.nth(0)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert not panel.is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "sidebar-search-input"
    # Enter on a chosen result opens it.
    box.press("ArrowDown")
    box.press("ArrowDown")
    target = page.locator("#sidebar-search-listbox [aria-selected=true] a").get_attribute("href")
    box.press("Enter")
    page.wait_for_url(f"**{target}")


# -- Pagefind as a process: which builders start it, and when it fails or hangs ------------


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], subprocess.Popen]]:
    """Every Pagefind process a build starts: ``(command, process)``."""
    runs: list[tuple[list[str], subprocess.Popen]] = []
    real = subprocess.Popen

    def popen(cmd: list[str], *args: Any, **kwargs: Any) -> subprocess.Popen:
        proc = real(cmd, *args, **kwargs)
        if cmd[1:3] == ["-m", "pagefind"]:
            runs.append((cmd, proc))
        return proc

    monkeypatch.setattr(subprocess, "Popen", popen)
    return runs


def stand_in_for_pagefind(monkeypatch: pytest.MonkeyPatch, script: str) -> list[subprocess.Popen]:
    """Run *script* (Python) where the build would run Pagefind; returns those processes."""
    real = subprocess.Popen
    started: list[subprocess.Popen] = []

    def popen(cmd: list[str], *args: Any, **kwargs: Any) -> subprocess.Popen:
        if cmd[1:3] != ["-m", "pagefind"]:
            return real(cmd, *args, **kwargs)
        started.append(real([sys.executable, "-c", script], *args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    return started


@pytest.mark.sphinx("html", testroot="search")
@pytest.mark.parametrize(("builder", "output"), [("singlehtml", "index.html"), ("epub", "*.epub")])
def test_other_html_builders_build_without_pagefind(
    make_app, app_params, pagefind_runs, builder: str, output: str
) -> None:
    args, kwargs = app_params
    app = make_app(builder, *args[1:], **kwargs)
    app.build()
    assert pagefind_runs == [], f"{builder} started Pagefind"
    out = Path(app.outdir)
    assert list(out.glob(output)), f"{builder} wrote no {output}"
    assert not (out / "pagefind").exists()
    assert "pagefind" not in app.warning.getvalue().lower()


@pytest.mark.sphinx("html", testroot="search", freshenv=True)
def test_html_build_runs_pagefind_once_and_waits_for_it(app, pagefind_runs) -> None:
    app.build()
    assert len(pagefind_runs) == 1
    assert pagefind_runs[0][1].returncode == 0  # finished and reaped before the build returned


@pytest.mark.sphinx("html", testroot="search", confoverrides={"site_search_pagefind_timeout": 1})
def test_a_hung_pagefind_fails_the_build_and_is_stopped(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:
    hung = "import time; print('Indexing pages', flush=True); time.sleep(600)"
    runs = stand_in_for_pagefind(monkeypatch, hung)
    started = time.monotonic()
    with pytest.raises(ExtensionError) as caught:
        app.build()
    assert time.monotonic() - started < 60
    message = str(caught.value)
    assert "Pagefind did not finish indexing the site within 1 s and was stopped" in message
    assert "site_search_pagefind_timeout = 1" in message and "Indexing pages" in message
    assert len(runs) == 1 and runs[0].poll() is not None, "the hung process must be stopped"


@pytest.mark.sphinx("html", testroot="search")
def test_a_failing_pagefind_fails_the_build_with_its_output(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in_for_pagefind(monkeypatch, "import sys; print('Error: no pages found'); sys.exit(3)")
    with pytest.raises(ExtensionError, match=r"exit status 3.*\n.*Error: no pages found"):
        app.build()


@pytest.mark.sphinx("html", testroot="search")
@pytest.mark.parametrize("timeout", [0, -1.5, True])
def test_pagefind_timeout_must_be_a_positive_number(make_app, app_params, timeout) -> None:
    args, kwargs = app_params
    with pytest.raises(ConfigError, match=r"site_search_pagefind_timeout must be a number of sec"):
        make_app(*args, **{**kwargs, "confoverrides": {"site_search_pagefind_timeout": timeout}})
