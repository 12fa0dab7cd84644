"""The real site, built strictly: sitemap, robots, 404, meta tags, edit links, privacy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, BuiltSite
from lxml import etree

from scripts import social_card

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOT_CONTENT = {"search.html", "genindex.html", "404.html"}
REPO_URL = "https://github.com/stem-cell-reference/stem-cell-reference/"


def content_pages(site: BuiltSite) -> list[str]:
    """Built pages that come from a source page in docs/ (not generated ones)."""
    docs = REPO / "docs"
    return sorted(
        str(p.relative_to(docs).with_suffix(".html"))
        for p in docs.rglob("*.md")
        if not any(part.startswith("_") for part in p.relative_to(docs).parts)
    )


def soup(site: BuiltSite, page: str) -> BeautifulSoup:
    return BeautifulSoup(site.html(page), "html.parser")


def test_strict_build_has_no_warnings(site: BuiltSite) -> None:
    assert "WARNING" not in site.log
    assert "build succeeded" in site.log


def test_sitemap_is_valid_against_official_schema(site: BuiltSite) -> None:
    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas/sitemap-0.9.xsd")))
    doc = etree.parse(str(site.outdir / "sitemap.xml"))
    assert schema.validate(doc), schema.error_log


def test_sitemap_lists_every_content_page_once_with_absolute_urls(site: BuiltSite) -> None:
    doc = etree.parse(str(site.outdir / "sitemap.xml"))
    locs = [e.text for e in doc.findall(".//sm:url/sm:loc", SITEMAP_NS)]
    assert len(locs) == len(set(locs)), "duplicate URLs in sitemap"
    pages = []
    for loc in locs:
        assert loc.startswith(site.site_url), loc
        rel = loc[len(site.site_url) :]
        assert not rel.startswith("en/"), loc
        assert rel not in NOT_CONTENT, loc
        assert (site.outdir / rel).is_file(), f"{loc} has no built file"
        pages.append(rel)
    assert sorted(pages) == content_pages(site)


def test_robots_points_at_sitemap(site: BuiltSite) -> None:
    robots = (site.outdir / "robots.txt").read_text()
    assert f"Sitemap: {site.site_url}sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots


def test_404_page_uses_absolute_links(site: BuiltSite) -> None:
    page = soup(site, "404.html")
    assert "Page not found" in page.get_text()
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert stylesheets
    assert all(href.startswith("/") for href in stylesheets), stylesheets
    home = page.find("a", string="home page")
    assert home is not None and home["href"] == "/index.html"


def test_404_page_is_not_indexed_and_is_nobodys_canonical_address(site: BuiltSite) -> None:
    page = soup(site, "404.html")
    robots = page.find_all("meta", attrs={"name": "robots"})
    assert [m["content"] for m in robots] == ["noindex"]
    assert page.find("link", rel="canonical") is None
    # Content pages stay indexable.
    assert soup(site, "index.html").find("meta", attrs={"name": "robots"}) is None


def test_link_previews_show_a_1200_by_630_png_card(site: BuiltSite) -> None:
    html = soup(site, "index.html")
    og = {m["property"]: m["content"] for m in html.find_all("meta", property=True)}
    assert og["og:image"] == site.site_url + "_static/social-card.png"
    card = (site.outdir / "_static" / "social-card.png").read_bytes()
    assert social_card.png_size(card) == (1200, 630)
    assert (og["og:image:width"], og["og:image:height"], og["og:image:type"]) == (
        "1200", "630", "image/png",
    )  # fmt: skip
    assert len(card) < 100_000, "keep the card small: it is fetched for every shared link"
    assert og["og:image:alt"] == social_card.ALT  # what the card says, for people who can't see it
    twitter = html.find("meta", attrs={"name": "twitter:card"})
    assert twitter is not None and twitter["content"] == "summary_large_image"
    # Every content page shares it.
    for page in content_pages(site):
        tags = {
            m["property"]: m["content"] for m in soup(site, page).find_all("meta", property=True)
        }
        assert tags.get("og:image") == og["og:image"], page


def test_build_prints_nothing_about_missing_optional_libraries(site: BuiltSite) -> None:
    # sphinxext-opengraph announced "matplotlib is not installed" on every build.
    assert "not installed" not in site.log


@pytest.mark.parametrize("page", ["index.html"])
def test_meta_tags_and_canonical(site: BuiltSite, page: str) -> None:
    html = soup(site, page)
    desc = html.find("meta", attrs={"name": "description"})
    assert desc is not None and 20 < len(desc["content"]) <= 160
    og = {m["property"]: m["content"] for m in html.find_all("meta", property=True)}
    assert og["og:url"] == site.site_url + page
    assert og["og:title"]
    assert og["og:site_name"] == "Stem Cell Reference"
    canonical = html.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == site.site_url + page


def test_edit_and_view_buttons_link_to_the_source_file(site: BuiltSite) -> None:
    html = soup(site, "index.html")
    hrefs = {a["href"] for a in html.select(".content-icon-container a")}
    assert f"{REPO_URL}edit/main/docs/index.md" in hrefs
    assert f"{REPO_URL}blob/main/docs/index.md?plain=true" in hrefs


def test_every_page_carries_the_medical_notice(site: BuiltSite) -> None:
    for page in content_pages(site):
        notice = soup(site, page).select_one("article aside.medical-notice")
        assert notice is not None, f"{page} lacks the not-medical-advice notice"
        assert "Not medical advice" in notice.get_text()
    for page in [*content_pages(site), "genindex.html", "search.html", "404.html"]:
        footer = soup(site, page).select_one("footer .footer-notice")
        assert footer is not None, f"{page} lacks the footer notice"
        assert "not medical advice" in footer.get_text()


# Resource-loading attributes: anything here is fetched by the browser without a click.
LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
           "audio": "src", "embed": "src", "object": "data"}  # fmt: skip
LINK_LOADS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
              "apple-touch-icon", "preconnect", "dns-prefetch"}  # fmt: skip
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")
JS_URL = re.compile(r"""["'`](https?://[^"'`\s]+)""")
# Namespace identifiers, never fetched.
NOT_FETCHED = ("http://www.w3.org/",)


def is_local(url: str, site: BuiltSite) -> bool:
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    if parts.scheme == "data":
        return True
    return url.startswith(site.site_url)


def test_no_page_loads_anything_from_another_host(site: BuiltSite) -> None:
    offenders = []
    for path in sorted(site.outdir.rglob("*")):
        rel = path.relative_to(site.outdir)
        if path.suffix == ".html":
            html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for tag, attr in LOADING.items():
                for el in html.find_all(tag, attrs={attr: True}):
                    if not is_local(el[attr], site):
                        offenders.append(f"{rel}: <{tag} {attr}={el[attr]}>")
            for el in html.find_all("link", href=True):
                if LINK_LOADS & set(el.get("rel", [])) and not is_local(el["href"], site):
                    offenders.append(f"{rel}: <link rel={el['rel']} href={el['href']}>")
            for el in html.find_all("style"):
                offenders += [f"{rel}: <style> {u}" for u in CSS_URL.findall(el.get_text())
                              if not is_local(u, site)]  # fmt: skip
        elif path.suffix == ".css":
            offenders += [f"{rel}: {u}" for u in CSS_URL.findall(path.read_text("utf-8"))
                          if not is_local(u, site)]  # fmt: skip
        elif path.suffix in {".js", ".mjs"} and rel.parts[0] != "pagefind":
            # Our own scripts only: the vendored Pagefind bundle contains example URLs in its
            # code. What a browser actually requests is proven by the crawl in test_quality.py.
            offenders += [f"{rel}: {u}" for u in JS_URL.findall(path.read_text("utf-8", "replace"))
                          if not u.startswith(NOT_FETCHED) and not is_local(u, site)]  # fmt: skip
    assert not offenders, "third-party loads:\n" + "\n".join(offenders)
