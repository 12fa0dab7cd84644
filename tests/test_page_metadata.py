"""Front matter -> page footer, overdue notice, What's new, RSS/Atom feeds and sitemap lastmod.

Built from tests/roots/test-page-metadata (ten pages: escaping, an overdue page, two changes
on one day, a page in a folder, an opted-out page) and tests/roots/test-page-metadata-bad
(one front-matter error per page). Expected values come from the roots' own front matter,
read here with PyYAML, and from the built pages' headings, never from the extension.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from sphinx.errors import ConfigError

from scripts import review
from scripts.harness import SOURCE_DATE_EPOCH
from stemcellref.metadata.page_metadata import read_page_meta

ROOTS = Path(__file__).parent / "roots"
ROOT = ROOTS / "test-page-metadata"
BASE = "https://example.org/site/"
BUILD_DAY = datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), UTC).date()
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SCHEMA = Path(__file__).parent / "schemas" / "sitemap-0.9.xsd"


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


# -- What the sources say (independent of the extension) --------------------------------


@dataclass(frozen=True)
class SourceChange:
    docname: str
    date: date
    summary: str
    description: str


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def source_pages(srcdir: Path = ROOT) -> dict[str, dict]:
    """docname -> front matter, for content pages (not `content: false`)."""
    pages = {}
    for path in sorted(srcdir.rglob("*.md")):
        if "_build" in path.parts:
            continue
        fm = front_matter(path)
        if fm.get("content", True):
            pages[path.relative_to(srcdir).with_suffix("").as_posix()] = fm
    return pages


def source_changes(srcdir: Path = ROOT) -> list[SourceChange]:
    """Every change, newest first; same-day changes keep the page's order."""
    rows = [
        SourceChange(doc, c["date"], c["summary"], fm["description"])
        for doc, fm in source_pages(srcdir).items()
        for c in fm["changes"]
    ]
    return sorted(rows, key=lambda c: c.date, reverse=True)  # stable: keeps page order


def shown(detail: dict) -> str:
    """The text a feed reader displays for a feedparser text construct."""
    if detail["type"] in {"text/html", "application/xhtml+xml"}:
        return BeautifulSoup(detail["value"], "html.parser").get_text()
    return detail["value"]


def heading(outdir: Path, page: str) -> str:
    h1 = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser").h1
    assert h1 is not None, page
    return h1.get_text().rstrip("¶").strip()


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")


def built_page(outdir: Path, url: str) -> Path:
    """The file a feed or sitemap URL serves."""
    assert url.startswith(BASE), url
    rel = url[len(BASE) :].split("#")[0]
    path = outdir / rel
    return path / "index.html" if rel.endswith("/") or not rel else path


def fresh_copy(tmp_path: Path, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(ROOT, srcdir, ignore=shutil.ignore_patterns("_build"))
    return srcdir


def build(make_app, srcdir: Path, **kwargs):
    """Build, then release the app so the next one in this test starts clean."""
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.build()
    app.cleanup()
    return app


def outputs(outdir: Path) -> dict[str, str]:
    """Everything this feature writes, per page and site-wide, for build-to-build comparison."""
    found = {
        name: (outdir / name).read_text(encoding="utf-8")
        for name in ("rss.xml", "atom.xml", "sitemap.xml")
    }
    for path in sorted(outdir.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        parts = page.select(".page-meta, .review-overdue, ul.whats-new")
        found[str(path.relative_to(outdir))] = "\n".join(map(str, parts))
    return found


# -- The page --------------------------------------------------------------------------


def test_clean_build_has_no_warnings(build_root) -> None:
    app = build_root("page-metadata")
    assert app.warning.getvalue() == ""


def test_footer_shows_review_dates_and_page_history(build_root) -> None:
    app = build_root("page-metadata")
    fm = front_matter(ROOT / "alpha.md")
    meta = soup(app.outdir, "alpha.html").select_one("article .page-meta")
    assert meta is not None
    assert meta.select_one(".page-meta-review").get_text() == (
        "Page last reviewed: 20 November 2026 · Next review due: 20 November 2027"
    )
    history = meta.select_one("details.page-history")
    assert history.summary.get_text() == "Page history"
    assert [li.get_text() for li in history.select("li")] == [
        f"{c['date'].day} {c['date']:%B} {c['date'].year}: {c['summary']}" for c in fm["changes"]
    ]
    assert [t["datetime"] for t in history.select("li time")] == [
        c["date"].isoformat() for c in fm["changes"]
    ]


def test_footer_says_who_signed_the_page_off_or_that_sign_off_is_awaited(build_root) -> None:
    app = build_root("page-metadata", confoverrides={"page_metadata_review_policy": "gamma#gamma"})
    assert app.warning.getvalue() == ""
    review = front_matter(ROOT / "beta.md")["clinical_review"]
    signed = soup(app.outdir, "beta.html").select_one("article .page-meta-clinical")
    assert signed.get_text(" ", strip=True).startswith(
        f"Clinical review: signed off by {review['name']}, {review['role']}, on "
        f"{review['date'].day} {review['date']:%B %Y} ."
    )
    assert signed.time["datetime"] == review["date"].isoformat()
    assert "<Example>" not in (app.outdir / "beta.html").read_text(encoding="utf-8")
    # No reviewer named: the page says so, with the date it was checked against its sources.
    awaited = soup(app.outdir, "alpha.html").select_one("article .page-meta-clinical")
    last = front_matter(ROOT / "alpha.md")["last_reviewed"]
    assert awaited.get_text(" ", strip=True).startswith(
        f"Checked against its sources on {last.day} {last:%B %Y} . Not yet signed off by a "
        "clinical reviewer."
    )
    assert awaited.time["datetime"] == last.isoformat()
    assert awaited.a.get_text() == "How we review pages"
    assert awaited.a["href"] == "gamma.html#gamma"


def test_overdue_page_shows_a_notice_and_the_build_passes(build_root) -> None:
    app = build_root("page-metadata")
    assert app.warning.getvalue() == ""
    assert front_matter(ROOT / "overdue.md")["next_review"] < BUILD_DAY
    notice = soup(app.outdir, "overdue.html").select_one("article .review-overdue")
    assert notice is not None
    assert "This page is overdue for review." in notice.get_text()
    assert "1 June 2026" in notice.get_text()
    for page in ("alpha.html", "gamma.html", "index.html"):  # reviews not yet due
        assert soup(app.outdir, page).select_one(".review-overdue") is None, page


def test_history_escapes_markup_and_keeps_non_ascii(build_root) -> None:
    app = build_root("page-metadata")
    summary = front_matter(ROOT / "escaping.md")["changes"][0]["summary"]
    assert "<b>" in summary and "&" in summary and '"' in summary and "ü" in summary
    page = soup(app.outdir, "escaping.html")
    first = page.select_one(".page-history li")
    assert first.get_text().endswith(f": {summary}")
    assert first.find("b") is None  # shown as text, not turned into markup


def test_pages_that_are_not_content_have_no_footer(build_root) -> None:
    app = build_root("page-metadata")
    for page in ("search-help.html", "search.html", "genindex.html"):
        assert soup(app.outdir, page).select_one(".page-meta") is None, page
    feed = feedparser.parse(app.outdir / "rss.xml")
    assert not [e for e in feed.entries if "search-help" in e.link]


# -- Feeds -----------------------------------------------------------------------------


def test_feeds_list_every_change_newest_first(build_root) -> None:
    app = build_root("page-metadata")
    expected = source_changes()
    for name, version in (("rss.xml", "rss20"), ("atom.xml", "atom10")):
        feed = feedparser.parse(app.outdir / name)
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.version == version
        got = [(e.link, e.published_parsed[:3], shown(e.title_detail)) for e in feed.entries]
        want = []
        for c in expected:
            page = f"{c.docname}.html"
            title = f"{heading(app.outdir, page)}: {c.summary}"
            want.append((BASE + page, c.date.timetuple()[:3], title))
        assert got == want, name
        for entry in feed.entries:
            assert built_page(app.outdir, entry.link).is_file(), entry.link
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
        # The channel date is the newest change, not the time of the build.
        newest = max(c.date for c in expected)
        assert feed.feed.updated_parsed[:3] == newest.timetuple()[:3]


def test_feed_ids_are_the_same_in_both_feeds_and_point_at_the_history_entry(build_root) -> None:
    app = build_root("page-metadata")
    rss = feedparser.parse(app.outdir / "rss.xml")
    atom = feedparser.parse(app.outdir / "atom.xml")
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    for entry in rss.entries:
        page_url, anchor = entry.id.split("#")
        assert page_url == entry.link
        page = soup(app.outdir, page_url[len(BASE) :])
        assert page.select_one(f".page-history li#{anchor}") is not None, entry.id


def test_feed_items_carry_summary_and_page_description(build_root) -> None:
    app = build_root("page-metadata")
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(app.outdir / name)
        for entry, change in zip(feed.entries, source_changes(), strict=True):
            text = shown(entry.summary_detail)
            assert change.summary in text, (name, text)
            assert change.description in text, (name, text)


def test_feeds_escape_markup_and_keep_non_ascii(build_root) -> None:
    app = build_root("page-metadata")
    change = next(c for c in source_changes() if c.docname == "escaping")
    title = heading(app.outdir, "escaping.html")
    assert "<" in title and "&" in title and "ï" in title
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(app.outdir / name)
        entry = next(
            e
            for e in feed.entries
            if e.link == BASE + "escaping.html" and change.summary in shown(e.summary_detail)
        )
        assert shown(entry.title_detail) == f"{title}: {change.summary}", name
        assert change.description in shown(entry.summary_detail), name


def test_rss_channel_has_self_link_and_site_link(build_root) -> None:
    app = build_root("page-metadata")
    feed = feedparser.parse(app.outdir / "rss.xml")
    links = {(link.rel, link.href) for link in feed.feed.links}
    assert ("self", BASE + "rss.xml") in links
    assert feed.feed.link == BASE
    atom = feedparser.parse(app.outdir / "atom.xml")
    assert ("self", BASE + "atom.xml") in {(link.rel, link.href) for link in atom.feed.links}


def test_feeds_are_capped_by_config(build_root) -> None:
    app = build_root("page-metadata", confoverrides={"feeds_max_items": 3})
    newest = [BASE + f"{c.docname}.html" for c in source_changes()[:3]]
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(app.outdir / name)
        assert [e.link for e in feed.entries] == newest


@pytest.mark.parametrize("cap", [0, -1, 2.5, True])
def test_bad_cap_stops_the_build_naming_the_setting(make_app, tmp_path: Path, cap) -> None:
    with pytest.raises(ConfigError, match=r"^feeds_max_items must be a positive whole number"):
        make_app("html", srcdir=fresh_copy(tmp_path, "bad-cap"),
                 confoverrides={"feeds_max_items": cap})  # fmt: skip


def test_no_base_url_no_feeds_one_warning(build_root) -> None:
    app = build_root("page-metadata", confoverrides={"html_baseurl": ""})
    assert app.warning.getvalue().count("rss.xml and atom.xml were not written") == 1
    assert not (app.outdir / "rss.xml").exists()
    assert soup(app.outdir, "alpha.html").find("link", rel="alternate") is None


def test_every_page_advertises_both_feeds_and_a_subscribe_link(build_root) -> None:
    app = build_root("page-metadata")
    for path in sorted(app.outdir.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        alternates = {
            link["type"]: link["href"] for link in page.head.find_all("link", rel="alternate")
        }
        assert alternates == {
            "application/rss+xml": BASE + "rss.xml",
            "application/atom+xml": BASE + "atom.xml",
        }, path
        subscribe = page.select_one(".sidebar-subscribe a.subscribe-link")
        assert subscribe is not None and "Subscribe" in subscribe.get_text(), path
        assert subscribe["href"] == BASE + "rss.xml"


def test_dirhtml_feed_links_are_directory_urls(build_root) -> None:
    app = build_root("page-metadata", "dirhtml")
    assert app.warning.getvalue() == ""
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(app.outdir / name)
        assert not feed.bozo
        links = {e.link for e in feed.entries}
        assert BASE + "sub/nested/" in links
        assert BASE in links  # the home page
        for link in links:
            assert link.endswith("/"), link
            assert built_page(app.outdir, link).is_file(), link
    page = soup(app.outdir, "whats-new/index.html")
    feed_link = page.select_one("article a.feed-link")
    assert feed_link["href"] == "../rss.xml"


def test_other_builders_write_no_feeds_and_render_text(build_root) -> None:
    app = build_root("page-metadata", "text")
    assert not (app.outdir / "rss.xml").exists()
    text = (app.outdir / "whats-new.txt").read_text(encoding="utf-8")
    newest = source_changes()[0]
    assert f"20 November 2026 · Alpha: {newest.summary}" in text
    assert "Subscribe: RSS · Atom feed" in text


# -- What's new ------------------------------------------------------------------------


def test_whats_new_lists_the_latest_changes(build_root) -> None:
    app = build_root("page-metadata")
    page = soup(app.outdir, "whats-new.html")
    items = page.select("article ul.whats-new > li")
    expected = source_changes()[:5]  # the page asks for :limit: 5
    assert len(items) == len(expected)
    for item, change in zip(items, expected, strict=True):
        link = item.find("a")
        target = f"{change.docname}.html"
        assert link["href"] in {target, "#"}  # "#": the What's new page itself
        assert link.get_text() == heading(app.outdir, target)
        day = change.date
        assert item.get_text() == (
            f"{day.day} {day:%B} {day.year} · {link.get_text()}: {change.summary}"
        )
    assert page.select_one("a.feed-link")["href"] == "rss.xml"


# -- Sitemap ---------------------------------------------------------------------------


def test_sitemap_has_lastmod_per_page_and_is_valid(build_root) -> None:
    app = build_root("page-metadata")
    doc = etree.parse(str(app.outdir / "sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(doc), schema.error_log
    lastmods = {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for url in doc.findall("sm:url", SITEMAP_NS)
    }
    for docname, fm in source_pages().items():
        newest = max(fm["last_reviewed"], fm["changes"][0]["date"])
        assert lastmods.pop(BASE + f"{docname}.html") == newest.isoformat(), docname
    assert lastmods == {BASE + "search-help.html": None}  # listed, but no dates to give


# -- Parallel, repeated and incremental builds ------------------------------------------


def test_parallel_and_repeated_clean_builds_are_identical(
    build_root, make_app, tmp_path: Path
) -> None:
    serial = outputs(build_root("page-metadata").outdir)  # the module's serial build
    results = []
    for name, parallel in (("parallel", 4), ("again", 0)):
        app = build(make_app, fresh_copy(tmp_path, name), freshenv=True, parallel=parallel)
        assert app.warning.getvalue() == "", name
        results.append(outputs(app.outdir))
    parallel, again = results
    assert "rss.xml" in serial and len(serial) > 10
    assert parallel == serial
    assert again == serial


NEW_CHANGE = """changes:
  - date: 2026-11-30
    summary: Added the 2026 follow-up results & a "what next" section.
"""


def edit_alpha(srcdir: Path) -> None:
    path = srcdir / "alpha.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("changes:\n", NEW_CHANGE, 1)
    text = text.replace("Updated trial results.", "Updated trial results for Zürich.")
    path.write_text(text, encoding="utf-8")


def test_incremental_build_matches_a_clean_build(make_app, tmp_path: Path) -> None:
    srcdir = fresh_copy(tmp_path, "incremental")
    build(make_app, srcdir, freshenv=True)
    edit_alpha(srcdir)
    app = build(make_app, srcdir, parallel=4)
    reread = [line for line in app.status.getvalue().splitlines() if "reading sources" in line]
    assert any("alpha" in line for line in reread)
    assert not any("beta" in line for line in reread), "not an incremental build"
    incremental = outputs(app.outdir)

    clean_src = fresh_copy(tmp_path, "clean")
    edit_alpha(clean_src)
    clean = build(make_app, clean_src, freshenv=True)
    assert incremental == outputs(clean.outdir)
    # ...and the edit really shows, so the comparison above can fail.
    feed = feedparser.parse(app.outdir / "rss.xml")
    assert shown(feed.entries[0].title_detail) == (
        'Alpha: Added the 2026 follow-up results & a "what next" section.'
    )
    assert "Updated trial results for Zürich." in incremental["alpha.html"]


def test_incremental_build_with_a_later_build_date_adds_the_overdue_notice(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = fresh_copy(tmp_path, "later")
    build(make_app, srcdir, freshenv=True)
    due = front_matter(srcdir / "gamma.md")["next_review"]
    assert soup(srcdir / "_build/html", "gamma.html").select_one(".review-overdue") is None
    later = datetime.combine(due + timedelta(days=1), datetime.min.time(), UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(later.timestamp())))
    app = build(make_app, srcdir)
    assert soup(app.outdir, "gamma.html").select_one(".review-overdue") is not None


# -- Validation ------------------------------------------------------------------------

EXPECTED_ERRORS = [
    "bad-dates.md:3: ERROR: last_reviewed is '20/11/2026', not an ISO date (YYYY-MM-DD)",
    "bad-dates.md:4: ERROR: next_review is '2027-11-31', not an ISO date (YYYY-MM-DD)",
    "bad-dates.md:6: ERROR: change date is '2026-1-5', not an ISO date (YYYY-MM-DD)",
    "clinical-future.md:8: ERROR: clinical_review date 2027-02-01 is after the build date",
    "clinical-review.md:8: ERROR: clinical_review lacks role",
    "clinical-review.md:11: ERROR: unknown clinical_review key 'signed'; use name, role and date",
    "empty-summary.md:7: ERROR: change summary must not be empty",
    "future.md:6: ERROR: change dated 2027-01-01 is after the build date",
    "long-description.md:2: ERROR: description is 161 characters long; the limit is 160",
    "missing-keys.md:1: ERROR: front matter lacks the 'last_reviewed' key",
    "missing-keys.md:1: ERROR: front matter lacks the 'next_review' key",
    "missing-keys.md:1: ERROR: front matter lacks the 'changes' key",
    "no-front-matter.md:1: ERROR: no front matter: a content page needs description",
    "not-after.md:4: ERROR: next_review (2026-11-01) must be after last_reviewed (2026-11-01)",
    "out-of-order.md:8: ERROR: changes must be newest first: 2026-10-01 is listed after 2026-01-01",
    "unknown-feed.md:12: ERROR: unknown feed 'podcast'; use one of: rss, atom",
]


def test_each_problem_is_a_located_error(build_root) -> None:
    app = build_root("page-metadata-bad")
    warnings = app.warning.getvalue()
    for expected in EXPECTED_ERRORS:
        assert expected in warnings
    assert "opted-out.md" not in warnings
    assert "index.md" not in warnings
    ours = [line for line in warnings.splitlines() if "[metadata." in line]
    assert len(ours) == len(EXPECTED_ERRORS)


# Reported again on an unchanged rebuild and from parallel workers: tests/test_problems.py.


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("description: [a\n", "2: front matter is not valid YAML: expected ',' or ']'"),
        ("- a list\n", "2: front matter must be a mapping"),
        ("content: maybe\n", "2: content must be true or false"),
        ("description: x\ndescription: y\n", "3: duplicate front-matter key 'description'"),
        ("changes: []\n", "2: changes must list at least one entry"),
        ("changes:\n  - date: 2026-01-01\n", "3: change lacks summary"),
        ("changes:\n  - First published.\n", "3: each change needs a date and a summary"),
        ("description: [a, b]\n", "2: description must be text"),
        ("clinical_review: Dr A. Person\n", "2: clinical_review must give the reviewer's name"),
        ("clinical_review:\n  name: A\n  role: B\n  date: 1 Dec\n", "5: clinical_review date is"),
    ],
)
def test_malformed_front_matter_is_located(front: str, expected: str) -> None:
    meta = read_page_meta(f"---\n{front}---\n\n# Page\n")
    assert meta is not None
    assert any(f"{p.line}: {p.message}".startswith(expected) for p in meta.problems), meta.problems


@pytest.mark.parametrize("value", ["false", "no", "off", "False"])
def test_content_false_opts_out(value: str) -> None:
    assert read_page_meta(f"---\ncontent: {value}\n---\n\n# Search help\n") is None


# -- make review -----------------------------------------------------------------------


@pytest.fixture
def run_review(capsys: pytest.CaptureFixture[str]):
    """``make review`` in this process (the script itself runs in tests/test_dependencies.py)."""

    def run(*args: str) -> list[str]:
        assert review.main(list(args)) == 0
        return capsys.readouterr().out.splitlines()

    return run


def pages_due(lines: list[str]) -> list[str]:
    """The page lines of the review's first section (register rows and sign-off follow)."""
    return lines[1 : lines.index("")]


def test_review_lists_pages_due_within_60_days_soonest_first(run_review) -> None:
    lines = run_review("--docs", str(ROOT))
    assert "2 December 2026" in lines[0]
    listed = [line.split()[-1] for line in pages_due(lines)]
    # overdue.md (due 1 June 2026) is overdue, gamma.md (20 December) is due within 60 days;
    # beta.md (1 February 2027) is 61 days away, so not yet.
    assert listed == ["test-page-metadata/overdue.md", "test-page-metadata/gamma.md"]
    assert "overdue by" in lines[1]
    assert "due in 18 days" in lines[2]


def test_review_window_is_configurable(run_review) -> None:
    lines = run_review("--docs", str(ROOT), "--days", "61")
    listed = [line.split()[-1] for line in pages_due(lines)]
    assert listed[-1] == "test-page-metadata/beta.md"
