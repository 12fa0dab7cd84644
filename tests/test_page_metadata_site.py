"""The real site: review dates, page history, What's new, feeds and sitemap lastmod.

Uses the session's strict build of docs/ (``site``); expected values come from the pages'
own front matter, read here with PyYAML.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import feedparser
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, BuiltSite
from lxml import etree

DOCS = REPO / "docs"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
FEEDS = ("rss.xml", "atom.xml")


def content_sources() -> dict[str, dict]:
    """Built page (``about/index.html``) -> front matter, for every content page in docs/."""
    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        rel = path.relative_to(DOCS)
        if any(part.startswith("_") for part in rel.parts):
            continue
        fm = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if fm.get("content", True):
            pages[rel.with_suffix(".html").as_posix()] = fm
    return pages


def soup(site: BuiltSite, page: str) -> BeautifulSoup:
    return BeautifulSoup(site.html(page), "html.parser")


def long_date(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


def test_every_content_page_shows_review_dates_and_history(site: BuiltSite) -> None:
    for page, fm in content_sources().items():
        meta = soup(site, page).select_one("article .page-meta")
        assert meta is not None, page
        assert meta.select_one(".page-meta-review").get_text() == (
            f"Page last reviewed: {long_date(fm['last_reviewed'])}"
            f" · Next review due: {long_date(fm['next_review'])}"
        ), page
        history = [li.get_text() for li in meta.select("details.page-history li")]
        assert history == [f"{long_date(c['date'])}: {c['summary']}" for c in fm["changes"]]


def test_generated_pages_have_no_page_metadata(site: BuiltSite) -> None:
    for page in ("search.html", "genindex.html", "404.html"):
        assert soup(site, page).select_one(".page-meta") is None, page


def test_feeds_are_valid_and_every_item_links_to_a_built_page(site: BuiltSite) -> None:
    changes = sum(len(fm["changes"]) for fm in content_sources().values())
    for name in FEEDS:
        feed = feedparser.parse(site.outdir / name)
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert len(feed.entries) == min(changes, 50)
        ids = [entry.id for entry in feed.entries]
        assert len(ids) == len(set(ids)), name
        dates = [entry.published_parsed for entry in feed.entries]
        assert dates == sorted(dates, reverse=True), name
        for entry in feed.entries:
            assert entry.link.startswith(site.site_url), entry.link
            assert (site.outdir / entry.link[len(site.site_url) :]).is_file(), entry.link


def test_every_page_has_feed_autodiscovery(site: BuiltSite) -> None:
    for path in sorted(site.outdir.rglob("*.html")):
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").head
        found = {link["type"]: link["href"] for link in head.find_all("link", rel="alternate")}
        assert found.get("application/rss+xml") == site.site_url + "rss.xml", path
        assert found.get("application/atom+xml") == site.site_url + "atom.xml", path


def test_whats_new_lists_the_latest_changes(site: BuiltSite) -> None:
    page = soup(site, "whats-new.html")
    assert page.h1.get_text().startswith("What’s new")
    items = page.select("article ul.whats-new > li")
    assert items
    feed = feedparser.parse(site.outdir / "rss.xml")
    for item, entry in zip(items, feed.entries, strict=False):
        href = item.find("a")["href"]
        assert entry.link.endswith(href) or href == "#", (href, entry.link)
    hrefs = {a["href"] for a in page.select("article a.feed-link")}
    assert hrefs == {"rss.xml", "atom.xml"}


def test_sitemap_lastmod_is_the_newest_review_or_change(site: BuiltSite) -> None:
    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas/sitemap-0.9.xsd")))
    doc = etree.parse(str(site.outdir / "sitemap.xml"))
    assert schema.validate(doc), schema.error_log
    lastmod = {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext("sm:lastmod", None, SITEMAP_NS)
        for url in doc.findall("sm:url", SITEMAP_NS)
    }
    for page, fm in content_sources().items():
        newest = max(fm["last_reviewed"], fm["changes"][0]["date"])
        assert lastmod[site.site_url + page] == newest.isoformat(), page


def test_two_clean_builds_write_identical_feeds_and_sitemap(
    site: BuiltSite, site_stock: BuiltSite
) -> None:
    for name in (*FEEDS, "sitemap.xml"):
        assert (site_stock.outdir / name).read_bytes() == (site.outdir / name).read_bytes(), name


def test_reader_opens_the_page_history_and_finds_the_feeds(
    site_server: str, browser, site: BuiltSite
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_server + "index.html")
        review = page.locator("article .page-meta-review")
        assert review.is_visible()
        assert review.inner_text().startswith("Page last reviewed: ")
        entries = page.locator("article details.page-history li")
        assert not entries.first.is_visible()  # collapsed until asked for
        page.locator("article details.page-history summary").click()
        assert entries.first.is_visible()
        subscribe = page.locator(".sidebar-subscribe a.subscribe-link")
        assert subscribe.is_visible()
        href = subscribe.get_attribute("href")
        assert href == site_server + "rss.xml"
        with urllib.request.urlopen(href) as response:  # the served file is the feed
            assert not feedparser.parse(response.read()).bozo
    finally:
        page.close()
