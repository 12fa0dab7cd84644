"""The ``further-info`` callout and the ``further-info-index`` list (callouts family).

Roots: tests/roots/test-further-info (seven pages: the issue's ISSCR example, nested sections,
a named callout, escaping, a body-only callout, the reST form and the index page) and
tests/roots/test-further-info-bad (one problem per callout). Expected values come from those
sources (titles, URLs, the line of each bad option) and from the built pages as a reader or a
browser sees them; doctree and HTML snapshots live in tests/__snapshots__/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from scripts.harness import SOURCE_DATE_EPOCH
from stemcellref.callouts.further_info import check_url, further_info, further_info_index

ROOTS = Path(__file__).parent / "roots"
BAD_ROOT = ROOTS / "test-further-info-bad"
BUILD_DAY = datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), UTC).date()
PAGES = ["index", "isscr", "nested", "escaping", "body-only", "rest", "more"]
# What escaping.md says, character for character (the root turns smart quotes off).
ESC_TITLE = "<script>alert(\"title\")</script> & 'quotes' — Ünïcödé"
ESC_PUBLISHER = 'AT&T <Labs> "Research" — Zürich'
ESC_URL = "https://example.org/a?b=1&c='2'&d=\"3\"&e=<4>&f=ü"


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def raw_asides(path: Path) -> list[str]:
    """The callouts exactly as written to the HTML file (not re-serialised)."""
    html = path.read_text(encoding="utf-8")
    return [m for m in re.findall(r"<aside\b[^>]*>.*?</aside>", html, re.S) if "further-info" in m]


def raw_index(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<div class="further-info-index[^"]*">.*?</div>', html, re.S)
    assert match, f"no index in {path}"
    return match.group(0)


def callout_trees(app, docname: str) -> str:
    """The callouts and index placeholders of a page as doctree text, nothing else.

    Only this extension's nodes: the page around them (toctrees, the document's translation
    attributes) belongs to Sphinx and would churn on any upgrade. Source paths are dropped.
    """
    doctree = app.env.get_doctree(docname)
    ours = [*doctree.findall(further_info), *doctree.findall(further_info_index)]
    text = "".join(node.pformat() for node in ours)
    return re.sub(r' source="[^"]*"', "", text)


# -- HTML -------------------------------------------------------------------------------


def test_html_and_doctree_snapshots(build_root, snapshot) -> None:
    app = build_root("further-info")
    assert app.warning.getvalue() == ""
    for page in PAGES:
        assert callout_trees(app, page) == snapshot(name=f"doctree-{page}")
        assert raw_asides(app.outdir / f"{page}.html") == snapshot(name=f"html-{page}")
    assert raw_index(app.outdir / "more.html") == snapshot(name="html-further-info-index")


def test_callout_is_a_named_landmark_with_a_cited_source(build_root) -> None:
    app = build_root("further-info")
    page = soup(app.outdir / "isscr.html")
    (aside,) = page.select("article aside.further-info")
    heading = page.find(id=aside["aria-labelledby"])
    assert heading is not None and heading.find_parent("aside") is aside
    assert heading["role"] == "heading" and heading.name == "p"
    assert heading.get_text() == "Questions to ask before any stem cell treatment"
    # The page's h1 section holds the callout, so its heading is one level below.
    assert heading["aria-level"] == "2"
    svg = heading.find("svg")
    assert svg is not None and svg["aria-hidden"] == "true"
    assert not aside.find(["i", "img"]), "the icon must be inline SVG, not a font or a file"

    source = aside.select_one("p.further-info-source")
    assert source.get_text() == (
        "International Society for Stem Cell Research (ISSCR) · Questions to ask before any "
        "stem cell treatment · accessed 1 November 2026"
    )
    link = source.find("a")
    assert link["href"] == (
        "https://www.closerlookatstemcells.org/stem-cells-medicine/stem-cell-treatments-what-to-ask/"
    )
    assert source.find("time")["datetime"] == "2026-11-01"
    # Every external link in the callout, body included, carries rel=noopener noreferrer.
    external = aside.select("a.external")
    assert len(external) == 2
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in external)
    # The body keeps its Markdown: strong text and a list.
    assert aside.find("strong").get_text() == "evidence"
    assert len(aside.select("ul > li")) == 2


def test_heading_level_follows_the_section_and_stays_out_of_the_toc(build_root) -> None:
    app = build_root("further-info")
    page = soup(app.outdir / "nested.html")
    levels = {
        aside["id"]: aside.select_one(".further-info-title")["aria-level"]
        for aside in page.select("article aside.further-info")
    }
    # Two callouts under an h3, one under an h2.
    assert levels == {
        "further-info-further-information": "4",
        "further-info-further-information-2": "4",
        "trials-registry": "3",
    }
    for toc in (page.select_one(".toc-tree").get_text(), app.env.tocs["nested"].astext()):
        assert "Blood stem cell transplants" in toc
        assert "Further information" not in toc
        assert "Clinical trials registry" not in toc
    # No real <hN> element in a callout: the only headings are the page's sections.
    assert not page.select("aside.further-info h1, aside.further-info h2, aside.further-info h3")


def test_callout_without_title_or_url(build_root) -> None:
    app = build_root("further-info")
    nested = soup(app.outdir / "nested.html")
    aside = nested.find("aside", id="further-info-further-information")
    assert aside.select_one(".further-info-title").get_text() == "Further information"
    link = aside.select_one(".further-info-source a")
    # Without a title the link text is the URL itself.
    assert link.get_text() == link["href"] == "https://www.nhs.uk/conditions/stem-cell-transplant/"
    body_only = soup(app.outdir / "body-only.html").select_one("aside.further-info")
    assert body_only.select_one(".further-info-source") is None
    assert "specialist team is the best source" in body_only.get_text()


def test_css_uses_furo_variables_and_prints_urls(build_root) -> None:
    app = build_root("further-info")
    page = soup(app.outdir / "isscr.html")
    hrefs = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(h.startswith("_static/further-info.css") for h in hrefs), hrefs
    css = (app.outdir / "_static" / "further-info.css").read_text()
    for variable in ("--color-brand-content", "--color-foreground-secondary",
                     "--color-background-secondary", "--color-background-border"):  # fmt: skip
        assert f"var({variable})" in css
    assert "url(" not in css, "no external assets"
    print_css = css[css.index("@media print") :]
    assert "attr(href)" in print_css and "::after" in print_css


def test_callout_text_is_in_the_search_index(build_root) -> None:
    from sphinx.search.en import SearchEnglish

    app = build_root("further-info")
    raw = (app.outdir / "searchindex.js").read_text()
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    docnames = index["docnames"]
    stem = SearchEnglish({}).stem
    for word, page in [("overseeing", "isscr"), ("specialist", "body-only"),
                       ("reStructuredText", "rest")]:  # fmt: skip
        pages = set()
        for kind in ("terms", "titleterms"):  # a callout title counts as a title word
            found = index[kind].get(stem(word.lower()), [])
            pages |= {docnames[i] for i in ([found] if isinstance(found, int) else found)}
        assert page in pages, (word, pages)
    # Nothing marks the callout as "not for search" for Pagefind either.
    page = soup(app.outdir / "isscr.html")
    aside = page.select_one("aside.further-info")
    assert not aside.find_parents(attrs={"data-pagefind-ignore": True})
    assert not aside.has_attr("data-pagefind-ignore")


# -- The index ---------------------------------------------------------------------------


def index_groups(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Publisher heading -> [(link text, href)] as the index page shows them."""
    page = soup(path)
    container = page.select_one("div.further-info-index")
    groups: dict[str, list[tuple[str, str]]] = {}
    for heading in container.find_all(re.compile(r"^h[1-6]$")):
        items = heading.find_next_sibling("ul")
        groups[heading.get_text()] = [(a.get_text(), a["href"]) for a in items.select("li a")]
    return groups


def callouts_on_pages(outdir: Path, pages: list[str]) -> dict[str, tuple[str, str]]:
    """``page.html#id`` -> (title, publisher or "") for every callout on the given pages."""
    found = {}
    for page in pages:
        for aside in soup(outdir / f"{page}.html").select("aside.further-info"):
            publisher = aside.select_one(".further-info-publisher")
            found[f"{page}.html#{aside['id']}"] = (
                aside.select_one(".further-info-title").get_text(),
                publisher.get_text() if publisher else "",
            )
    return found


def test_index_lists_every_callout_grouped_by_publisher(build_root) -> None:
    app = build_root("further-info")
    groups = index_groups(app.outdir / "more.html")
    callouts = callouts_on_pages(app.outdir, PAGES)
    listed = {href: (text, group) for group, items in groups.items() for text, href in items}
    # Every callout once, linked to its own anchor, under its publisher ("Other sources" if none).
    assert set(listed) == set(callouts)
    for href, (title, publisher) in callouts.items():
        assert listed[href] == (title, publisher or "Other sources")
    # Publishers in alphabetical order, "Other sources" last.
    names = list(groups)
    assert names[-1] == "Other sources"
    assert names[:-1] == sorted(names[:-1], key=str.casefold)
    assert groups["NHS"] == [
        ("Clinical trials registry", "nested.html#trials-registry"),
        ("Further information", "nested.html#further-info-further-information"),
    ]
    page = soup(app.outdir / "more.html")
    # Publisher headings are real headings one level below the page title, outside the TOC.
    assert {h.name for h in page.select("div.further-info-index .rubric")} == {"h2"}
    assert "NHS" not in app.env.tocs["more"].astext()
    assert not page.select(".toc-tree"), "furo shows no TOC: the page has no sections"


def test_index_links_work_with_pretty_urls(build_root) -> None:
    app = build_root("further-info", "dirhtml")
    assert app.warning.getvalue() == ""
    index = app.outdir / "more" / "index.html"
    links = [a["href"] for a in soup(index).select("div.further-info-index li a")]
    asides = sum(len(soup(p).select("aside.further-info")) for p in app.outdir.rglob("*.html"))
    assert asides and len(links) == asides
    for href in links:
        path, _, anchor = href.partition("#")
        target = (index.parent / path / "index.html").resolve()
        assert target.is_file(), href
        aside = soup(target).find("aside", id=anchor)
        assert aside is not None and "further-info" in aside["class"], href


def test_index_can_leave_pages_out(build_root) -> None:
    app = build_root("further-info", confoverrides={"further_info_index_exclude": ["nest*"]})
    listed = {
        href for items in index_groups(app.outdir / "more.html").values() for _, href in items
    }
    everything = set(callouts_on_pages(app.outdir, PAGES))
    left_out = set(callouts_on_pages(app.outdir, ["nested"]))
    assert left_out and listed == everything - left_out


@pytest.mark.sphinx("html", testroot="further-info", parallel=2, srcdir="further-info-parallel",
                    freshenv=True)  # fmt: skip
def test_parallel_build_matches_serial(app, make_app, tmp_path) -> None:
    if os.name != "posix":
        pytest.skip("parallel builds fork: POSIX only")
    app.build()
    assert app.warning.getvalue() == ""
    assert app.parallel == 2 and app.is_parallel_allowed("read")
    assert len(app.env.found_docs) > 5, "needs more than 5 pages to read in several chunks"

    app.cleanup()
    serial_src = tmp_path / "serial"
    shutil.copytree(app.srcdir, serial_src, ignore=shutil.ignore_patterns("_build"))
    serial = make_app("html", srcdir=serial_src, freshenv=True)
    serial.build()
    assert serial.warning.getvalue() == ""
    for page in PAGES:
        parallel_html = (app.outdir / f"{page}.html").read_text()
        assert parallel_html == (serial.outdir / f"{page}.html").read_text(), page


ADDED = """\
---
orphan: true
---

# Added later

:::{{further-info}} {title}
:url: https://example.org/added
:publisher: {publisher}
:::
"""


def rebuild(make_app, srcdir: Path) -> None:
    """A new process-like build of the same tree: pickled environment, not a fresh one."""
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    app.cleanup()  # unregister its nodes before the next app registers them again


def write_later(path: Path, text: str, step: int) -> None:
    """Write and push the mtime forward so the next build surely sees the change."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 10 * step
    os.utime(path, (later, later))


@pytest.mark.sphinx("html", testroot="further-info", srcdir="further-info-incremental",
                    freshenv=True)  # fmt: skip
def test_index_follows_incremental_add_edit_delete(app, make_app) -> None:
    app.build()
    srcdir = Path(app.srcdir)
    more = app.outdir / "more.html"
    before = index_groups(more)
    assert "Added Publisher" not in before
    app.cleanup()

    # Add a page with a callout: only that page is new, yet the index lists it.
    added = srcdir / "added.md"
    write_later(added, ADDED.format(title="First title", publisher="Added Publisher"), 1)
    rebuild(make_app, srcdir)
    assert index_groups(more)["Added Publisher"] == [
        ("First title", "added.html#further-info-first-title")
    ]

    # Edit it: new title and publisher replace the old ones.
    write_later(added, ADDED.format(title="Second title", publisher="Renamed Publisher"), 2)
    rebuild(make_app, srcdir)
    groups = index_groups(more)
    assert "Added Publisher" not in groups
    assert groups["Renamed Publisher"] == [("Second title", "added.html#further-info-second-title")]

    # Edit an existing callout's title on another page.
    isscr = srcdir / "isscr.md"
    text = isscr.read_text().replace("Questions to ask before", "Questions worth asking before")
    write_later(isscr, text, 3)
    rebuild(make_app, srcdir)
    isscr_entries = index_groups(more)["International Society for Stem Cell Research (ISSCR)"]
    assert [t for t, _ in isscr_entries] == [
        "Questions worth asking before any stem cell treatment"
    ]

    # Delete the added page: it leaves the index.
    added.unlink()
    rebuild(make_app, srcdir)
    groups = index_groups(more)
    assert "Renamed Publisher" not in groups
    assert set(groups) == set(before)


# -- Other builders ----------------------------------------------------------------------


def test_text_builder_writes_urls_out(build_root) -> None:
    app = build_root("further-info", "text", confoverrides={"smartquotes": False})
    assert app.warning.getvalue() == ""
    text = (app.outdir / "isscr.txt").read_text()
    lines = [line.strip() for line in text.splitlines()]
    # Title line, indented body, source line and the URL on a line of its own (never wrapped).
    assert "Questions to ask before any stem cell treatment:" in lines
    assert (
        "https://www.closerlookatstemcells.org/stem-cells-medicine/stem-cell-treatments-what-to-ask/"
        in lines
    )
    assert "   The ISSCR's checklist covers **evidence**, oversight and cost. See" in text
    assert "accessed 1 November 2026" in " ".join(lines)
    nested = [line.strip() for line in (app.outdir / "nested.txt").read_text().splitlines()]
    # No title: the URL is not repeated in the source line, only on its own line.
    assert nested.count("https://www.nhs.uk/conditions/stem-cell-transplant/") == 1
    assert "NHS · accessed 30 September 2026" in nested
    index = (app.outdir / "more.txt").read_text()
    assert "-[ NHS ]-" in index
    assert "* Clinical trials registry (in Nested sections)" in index
    escaping = (app.outdir / "escaping.txt").read_text()
    assert f"{ESC_TITLE}:" in escaping.splitlines()
    assert ESC_PUBLISHER in " ".join(escaping.split())


@pytest.mark.parametrize(
    ("builder", "outputs"),
    [("latex", ["furtherinfotest.tex"]), ("man", ["furtherinfotest.1"]),
     ("texinfo", ["furtherinfotest.texi"]), ("epub", ["isscr.xhtml", "nested.xhtml"])],
)  # fmt: skip
def test_other_builders_get_an_admonition_with_the_url(build_root, builder, outputs) -> None:
    app = build_root("further-info", builder, confoverrides={"version": "1", "copyright": "2026"})
    assert app.warning.getvalue() == ""
    result = "".join((app.outdir / name).read_text(encoding="utf-8") for name in outputs)
    plain = result.replace("\\:", "")  # man pages mark where a URL may break with "\:"
    assert "www.closerlookatstemcells.org" in plain
    assert "clinicaltrials.gov" in plain
    assert "Questions to ask before any stem cell treatment" in result
    assert "<aside" not in result


def test_epub_gets_a_plain_admonition(build_root) -> None:
    app = build_root("further-info", "epub", confoverrides={"version": "1", "copyright": "2026"})
    page = soup(app.outdir / "nested.xhtml")
    box = page.select_one("div.admonition.further-info#trials-registry")
    assert box is not None
    assert box.select_one(".admonition-title").get_text() == "Clinical trials registry"
    link = box.select_one(".further-info-source a")
    assert link.get_text() == link["href"] == "https://clinicaltrials.gov/"


# -- Escaping ----------------------------------------------------------------------------


def test_special_characters_are_escaped_everywhere(build_root) -> None:
    app = build_root("further-info", confoverrides={"smartquotes": False})
    assert app.warning.getvalue() == ""
    path = app.outdir / "escaping.html"
    page = soup(path)
    aside = page.select_one("aside.further-info")
    assert aside.select_one(".further-info-title").get_text() == ESC_TITLE
    assert aside.select_one(".further-info-publisher").get_text() == ESC_PUBLISHER
    assert not page.select("article script"), "markup in a title must stay text"
    link = aside.select_one(".further-info-source a")
    assert link.get_text() == ESC_TITLE
    # Same resource, but only characters that are valid in an href.
    assert unquote(link["href"]) == ESC_URL
    assert re.fullmatch(r"[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+", link["href"]), link["href"]
    raw = path.read_text()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; 'quotes'" in raw
    assert "AT&amp;T &lt;Labs&gt; &quot;Research&quot;" in raw
    # Ids stay plain ASCII slugs.
    assert re.fullmatch(r"[a-z0-9-]+", aside["id"]) and aside["aria-labelledby"].isascii()
    # The index shows the same text and links to the same anchor.
    groups = index_groups(app.outdir / "more.html")
    assert groups[ESC_PUBLISHER] == [(ESC_TITLE, f"escaping.html#{aside['id']}")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/", "https://example.org/"),
        ("HTTP://Example.org:8080/a/b?c=d&e=f#g", "http://example.org:8080/a/b?c=d&e=f#g"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
        ("https://example.org/already%20encoded", "https://example.org/already%20encoded"),
    ],
)
def test_accepted_urls_are_normalised(url: str, expected: str) -> None:
    assert check_url(url) == (expected, None)
    assert urlsplit(expected).scheme in {"http", "https"}


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "ftp://example.org/",
     "mailto:a@example.org", "/relative", "relative/page.html", "//example.org/x", "https://",
     "https:///path", "http:example.org", "https://exa mple.org/", "https://example.org/\tx",
     "https://user:pw@example.org/", "https://[::1/x", "https://example.org:99999/",
     "https://exa<mple>.org/", "https://-bad-.example/", ""],
)  # fmt: skip
def test_rejected_urls(url: str) -> None:
    normalised, reason = check_url(url)
    assert normalised is None and reason


# -- Bad input ---------------------------------------------------------------------------


def line_of(path: Path, text: str) -> int:
    """1-based line of the only line of ``path`` that is ``text``, or else that contains it."""
    lines = path.read_text().splitlines()
    hits = [n for n, line in enumerate(lines, 1) if line.strip() == text]
    hits = hits or [n for n, line in enumerate(lines, 1) if text in line]
    assert len(hits) == 1, (text, hits)
    return hits[0]


NOT_HTTP = "is not an absolute http(s) URL:"
BAD_CASES = [
    # (file, text on the offending line, start of the message after "ERROR: further-info: ")
    ("index.md", ":url: javascript:alert(1)",
     f":url: 'javascript:alert(1)' {NOT_HTTP} the scheme 'javascript' is not allowed"),
    ("index.md", ":url: data:text/html",
     f":url: 'data:text/html,<b>hi</b>' {NOT_HTTP} the scheme 'data' is not allowed"),
    ("index.md", ":url: ftp://",
     f":url: 'ftp://ftp.example.org/file.pdf' {NOT_HTTP} the scheme 'ftp' is not allowed"),
    ("index.md", ":url: /treatments/",
     f":url: '/treatments/unproven.html' {NOT_HTTP} it is relative"),
    ("index.md", ":url: //example.org", f":url: '//example.org/page' {NOT_HTTP} it is relative"),
    ("index.md", ":url: https://[::1", f":url: 'https://[::1/page' {NOT_HTTP} it is malformed"),
    ("index.md", ":url: https://exa<mple>",
     f":url: 'https://exa<mple>.org/page' {NOT_HTTP} its host 'exa<mple>.org' is malformed"),
    ("index.md", "some page",
     f":url: 'https://example.org/some page' {NOT_HTTP} it contains spaces"),
    ("index.md", ":accessed: 01/11/2026",
     ":accessed: must be an ISO date (YYYY-MM-DD), not '01/11/2026'"),
    ("index.md", ":accessed: 2026-02-30", ":accessed: '2026-02-30' is not a valid date"),
    ("index.md", ":colour: red",
     "unknown option :colour:; use :url:, :publisher:, :accessed:, :name:, :class:"),
    ("index.md", "No URL and no body", "a callout needs a :url: or a body (or both)"),
    ("index.md", ":publisher:", ":publisher: is empty"),
    ("index.md", "url: vbscript:",
     f":url: 'vbscript:msgbox(1)' {NOT_HTTP} the scheme 'vbscript' is not allowed"),
    ("rest.rst", ":url: javascript:alert(2)", f":url: 'javascript:alert(2)' {NOT_HTTP}"),
    ("rest.rst", ":colour: blue", "unknown option :colour:"),
]  # fmt: skip


@pytest.mark.parametrize(("filename", "marker", "message"), BAD_CASES,
                         ids=[c[1] for c in BAD_CASES])  # fmt: skip
def test_bad_input_is_a_located_error(build_root, filename: str, marker: str, message: str) -> None:
    app = build_root("further-info-bad")
    line = line_of(BAD_ROOT / filename, marker)
    expected = f"/{filename}:{line}: ERROR: further-info: {message}"
    warnings = app.warning.getvalue()
    assert expected in warnings, f"{expected!r} not in:\n{warnings}"


def test_dates_are_checked_against_the_build_date(build_root) -> None:
    app = build_root("further-info-bad")
    warnings = app.warning.getvalue()
    future = BUILD_DAY + timedelta(days=1)
    line = line_of(BAD_ROOT / "index.md", f":accessed: {future.isoformat()}")
    assert (
        f"index.md:{line}: ERROR: further-info: :accessed: {future.isoformat()} is in the future "
        f"(the build date is {BUILD_DAY.isoformat()})"
    ) in warnings
    # Accessed on the build day itself is fine.
    same_day = line_of(BAD_ROOT / "index.md", f":accessed: {BUILD_DAY.isoformat()}")
    assert f"index.md:{same_day}:" not in warnings
    # One message per bad callout and nothing else.
    assert warnings.count("ERROR:") == len(BAD_CASES) + 1
    assert "WARNING" not in warnings


def test_bad_urls_never_reach_the_page(build_root) -> None:
    app = build_root("further-info-bad")
    for page in ("index.html", "rest.html"):
        html = soup(app.outdir / page)
        hrefs = [a["href"] for a in html.select("article a[href]")]
        assert all(not h.lower().startswith(("javascript:", "data:", "vbscript:", "ftp:"))
                   for h in hrefs), hrefs  # fmt: skip
        assert not html.select("article b"), "the data: URL's markup must not be rendered"


# -- The real site, in Chromium ----------------------------------------------------------

CALLOUT_PAGE = "conditions/heart-disease.html"


def contrast(rgb_a: str, rgb_b: str) -> float:
    """WCAG contrast ratio of two computed ``rgb(...)`` colours."""

    def luminance(rgb: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_real_site_callouts_read_well_in_light_and_dark(site, site_server, browser, scheme) -> None:
    context = browser.new_context(color_scheme=scheme, service_workers="block")
    page = context.new_page()
    page.goto(site_server + CALLOUT_PAGE)
    colours = page.eval_on_selector(
        "aside.further-info",
        """aside => {
            const style = el => getComputedStyle(el);
            const bg = style(aside).backgroundColor;
            const pick = sel => style(aside.querySelector(sel)).color;
            return {bg, text: style(aside).color, title: pick('.further-info-title'),
                    source: pick('.further-info-source'), link: pick('.further-info-source a'),
                    icon: pick('.further-info-icon')};
        }""",
    )
    context.close()
    assert colours["bg"] not in {"rgba(0, 0, 0, 0)", "transparent"}
    for part in ("text", "title", "source", "link"):
        assert contrast(colours[part], colours["bg"]) >= 4.5, (scheme, part, colours)
    assert contrast(colours["icon"], colours["bg"]) >= 3, (scheme, colours)


def test_real_site_dark_mode_changes_the_callout(site, site_server, browser) -> None:
    backgrounds = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, service_workers="block")
        page = context.new_page()
        page.goto(site_server + CALLOUT_PAGE)
        backgrounds.append(
            page.eval_on_selector("aside.further-info", "a => getComputedStyle(a).backgroundColor")
        )
        context.close()
    assert backgrounds[0] != backgrounds[1]


def test_real_site_prints_the_url_after_the_link(site, site_server, browser) -> None:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_server + CALLOUT_PAGE)
    page.emulate_media(media="print")
    href, after = page.eval_on_selector(
        "aside.further-info .further-info-source a",
        "a => [a.href, getComputedStyle(a, '::after').content]",
    )
    page.emulate_media(media="screen")
    on_screen = page.eval_on_selector(
        "aside.further-info .further-info-source a", "a => getComputedStyle(a, '::after').content"
    )
    context.close()
    assert href in after
    assert on_screen in {"none", "normal"}


def test_real_site_search_finds_callout_text(site, site_server, browser) -> None:
    """A word that only a callout uses on its page finds that page in the site search."""
    article = soup(site.outdir / CALLOUT_PAGE).select_one("article")
    callout_words: set[str] = set()
    for aside in article.select("aside.further-info"):
        callout_words |= set(re.findall(r"[A-Za-z]{6,}", aside.get_text(" ")))
        aside.decompose()
    rest = article.get_text(" ").lower()
    only_in_callouts = sorted(w for w in callout_words if w.lower() not in rest)
    assert only_in_callouts, "the test page needs a word that only its callouts use"
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(site_server + CALLOUT_PAGE)
    urls = page.evaluate(
        """async word => {
            const pagefind = await import('./../pagefind/pagefind.js');
            const search = await pagefind.search(word);
            const data = await Promise.all(search.results.map(r => r.data()));
            return data.map(d => d.url);
        }""",
        only_in_callouts[0],
    )
    context.close()
    assert any(url.split("#")[0].endswith(CALLOUT_PAGE) for url in urls), (
        only_in_callouts[0],
        urls,
    )


def test_real_site_reading_list(site) -> None:
    """Every callout on a reader page is listed once on Further reading, linked to its anchor."""
    page = soup(site.outdir / "further-reading.html")
    listed = [a["href"] for a in page.select("div.further-info-index li a")]
    assert len(listed) == len(set(listed))
    expected = set()
    for path in sorted(site.outdir.rglob("*.html")):
        rel = path.relative_to(site.outdir).as_posix()
        if rel.startswith(("contributing/", "_", "pagefind/")):
            continue  # the contributor guide's examples are left out on purpose (conf.py)
        for aside in soup(path).select("article aside.further-info"):
            expected.add(f"{rel}#{aside['id']}")
    assert expected and set(listed) == expected
    for aside in soup(site.outdir / "contributing/further-info.html").select("aside.further-info"):
        assert f"contributing/further-info.html#{aside['id']}" not in listed
