"""Sphinx configuration for Stem Cell Reference.

Build with ``sphinx-build -c . docs _build/html`` (see the Makefile). Environment variables:

``SITE_URL``
    Public base URL of the site, ending in ``/``. Every absolute URL the site emits (sitemap,
    canonical links, feeds, social cards) derives from it. Default: :data:`DEFAULT_SITE_URL`.
``SITE_REPO_URL``
    Repository whose ``docs/`` folder the "Edit this page" / "View source" buttons point at.
``SITE_REPO_BRANCH``
    Branch for those buttons (default ``main``).
``SOURCE_DATE_EPOCH``
    Fixes the build date (reproducible builds, review-date checks, copyright year).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "ext"))  # the stemcellref package: the project's own extensions

from stemcellref.search.pagefind import EXCLUDE_SELECTORS  # noqa: E402
from stemcellref.shared.dates import build_date  # noqa: E402
from stemcellref.shared.urls import with_slash  # noqa: E402

DEFAULT_SITE_URL = "https://stem-cell-reference.github.io/"
DEFAULT_REPO_URL = "https://github.com/stem-cell-reference/stem-cell-reference/"

SITE_URL = with_slash(os.environ.get("SITE_URL") or DEFAULT_SITE_URL)
REPO_URL = with_slash(os.environ.get("SITE_REPO_URL") or DEFAULT_REPO_URL)
REPO_BRANCH = os.environ.get("SITE_REPO_BRANCH") or "main"

# -- Project information -------------------------------------------------------
project = "Stem Cell Reference"
author = "Stem Cell Reference contributors"
# The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today.
copyright = f"{build_date().year}, {author}"
language = "en"
root_doc = "index"

# -- General configuration -----------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx.ext.intersphinx",
    "sphinxcontrib.bibtex",
    "stemcellref.performance.bibtex_cache",  # makes citations cheap (see its docstring)
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
    # The project's own extensions (ext/stemcellref/), by family; see
    # docs/contributing/architecture.md.
    "stemcellref.evidence.role",
    "stemcellref.evidence.register",
    "stemcellref.metadata.robots",
    "stemcellref.metadata.meta_description",
    "stemcellref.hardening.link_policy",
    "stemcellref.hardening.security",
    "stemcellref.performance.fast_navigation",
    "stemcellref.metadata.page_metadata",
    "stemcellref.metadata.whats_new",
    "stemcellref.metadata.feeds",
    "stemcellref.metadata.sitemap_lastmod",
    "stemcellref.search.site_search",
    "stemcellref.callouts.further_info",
    "stemcellref.authoring.contributor_hints",
    "stemcellref.hardening.table_scroll",
    "stemcellref.hardening.published_tree",
]
templates_path = ["docs/_templates"]  # paths here are relative to this file
exclude_patterns = ["_build", "_templates", "Thumbs.db", ".DS_Store"]
nitpicky = True
# intersphinx is loaded only for its role names; no inventories are fetched (no network in builds).
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

# -- MyST ------------------------------------------------------------------------
myst_enable_extensions = [
    "colon_fence",
    "deflist",
    "fieldlist",
    "attrs_inline",
    "attrs_block",
    "smartquotes",
    "substitution",
]
myst_heading_anchors = 3
myst_footnote_transition = False

# -- Citations (sphinxcontrib-bibtex) -----------------------------------------
bibtex_bibfiles = ["docs/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_foot_reference_style = "foot"

# -- HTML output -----------------------------------------------------------------
html_theme = "furo"
# Set explicitly: furo otherwise fills these in after Sphinx has compared the configuration
# with the last build's, which made every incremental build a full rebuild.
# The a11y styles keep every token at WCAG AA contrast or better (axe: tests/test_quality.py);
# furo's defaults ("sphinx", "native") do not.
pygments_style = "a11y-high-contrast-light"
pygments_dark_style = "a11y-dark"
html_title = project
html_baseurl = SITE_URL
html_static_path = ["docs/_static"]
html_css_files = ["site.css", "a11y.css"]  # a11y.css: tests/test_quality.py
html_logo = "docs/_static/logo.svg"
html_favicon = "docs/_static/logo.svg"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "source_repository": REPO_URL,
    "source_branch": REPO_BRANCH,
    "source_directory": "docs/",
    "top_of_page_buttons": ["view", "edit"],
    "navigation_with_keys": False,
    "light_css_variables": {
        "color-brand-primary": "#0b6b5c",
        "color-brand-content": "#0b6b5c",
        "color-brand-visited": "#5b4a8b",
    },
    "dark_css_variables": {
        "color-brand-primary": "#5fd3bd",
        "color-brand-content": "#5fd3bd",
        "color-brand-visited": "#b9a6ef",
    },
}

# -- Navigation (stemcellref.performance.fast_navigation) -------------------------------
# furo's sidebar rendered from one template per build: linear instead of quadratic build time.
fast_navigation_enabled = True

# -- Page metadata, what's new and feeds (stemcellref.metadata) --------------------------
# Front matter drives the page footer, docs/whats-new.md, rss.xml/atom.xml and sitemap lastmod.
feeds_max_items = 50
feeds_title = f"{project}: what's new"
feeds_description = f"Substantive updates to the pages of {project}, newest first."
# furo's default sidebar plus the visible "Subscribe" links to the feeds.
html_sidebars = {
    "**": [
        "sidebar/scroll-start.html",
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/navigation.html",
        "sidebar/subscribe.html",
        "sidebar/scroll-end.html",
    ]
}

# -- Sitemap (sphinx-sitemap) ------------------------------------------------
sitemap_url_scheme = "{link}"
# Both URL styles: page.html (html builder) and page/ (dirhtml).
sitemap_excludes = [
    "search.html",
    "genindex.html",
    "404.html",
    "py-modindex.html",
    "search/",
    "genindex/",
    "404/",
    "py-modindex/",
]
sitemap_show_lastmod = False

# -- OpenGraph (sphinxext-opengraph) ------------------------------------------
# Link previews show PNG or JPEG, not SVG: one 1200 x 630 card for every page, drawn from the
# logo and name by scripts/social_card.py (which also writes its alt text below).
ogp_site_url = SITE_URL
ogp_site_name = project
ogp_image = SITE_URL + "_static/social-card.png"
ogp_image_alt = (
    "The Stem Cell Reference logo beside the words "
    "“Stem Cell Reference: Open, evidence-based information on stem cell therapy”"
)
ogp_custom_meta_tags = (
    '<meta property="og:image:type" content="image/png" />',
    '<meta property="og:image:width" content="1200" />',
    '<meta property="og:image:height" content="630" />',
    '<meta name="twitter:card" content="summary_large_image" />',
)
ogp_enable_meta_description = True
# No generated per-page cards (they need matplotlib). Without matplotlib the extension prints
# "matplotlib is not installed, social cards will not be generated" when it is imported, on
# every build: import it here with that line silenced, and Sphinx reuses the loaded module.
ogp_social_cards = {"enable": False}
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: F401
ogp_type = "article"

# -- 404 page (sphinx-notfound-page) ------------------------------------------
# Absolute links so the page works from any URL depth; the prefix is SITE_URL's path.
notfound_urls_prefix = urlsplit(SITE_URL).path
# Search engines must not index the 404 page, and it is nobody's canonical address: the robots
# meta tag comes first in the head, and no rel="canonical" (furo writes it only with a pageurl).
notfound_context = {
    "metatags": '<meta name="robots" content="noindex">',
    "pageurl": None,
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>"
        "<p>Sorry, we could not find that page. It may have moved or been renamed.</p>"
        f'<p>Try the <a href="{notfound_urls_prefix}index.html">home page</a> or '
        f'<a href="{notfound_urls_prefix}search.html">search the site</a>.</p>'
    ),
}

# -- Link policy (stemcellref.hardening.link_policy) ------------------------------------
# Any other scheme in a page (javascript:, data:, file: ...) is a located build error.
link_policy_schemes = ("http", "https", "mailto")

# -- Security headers (stemcellref.hardening.security) ----------------------------------
# A <meta> Content-Security-Policy on every page and the same policy in _headers for hosts that
# read one. Nothing from another origin. Scripts: files only (furo's inline theme script lives in
# _static/theme-init.js); 'wasm-unsafe-eval' lets Pagefind's search run its WebAssembly.
# Styles need 'unsafe-inline': furo writes its colour variables in a <style> element and its SVG
# icons use style attributes; a style cannot run script, and img-src keeps CSS from loading
# anything from elsewhere. data: images are furo's CSS icons.
security_csp = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],  # header only: browsers ignore it in a <meta> tag
}
security_headers = {
    # Readers' health pages are nobody else's business: cited sites get no Referer.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# -- Site search (stemcellref.search) ----------------------------------------------------
# Pagefind indexes furo's main article (site_search_root_selector, the default); glossary aliases
# and British/American spellings expand queries. Section labels for search results and filters,
# by top-level folder (pages outside a folder are "Reference", the home page "Home").
site_search_sections = {
    "basics": "Basics",
    "treatments": "Treatments",
    "conditions": "Conditions",
    "safety": "Safety",
    "research": "Research and ethics",
    "about": "About",
}
# The contributor guide's pages (markup examples) would crowd readers' results.
site_search_exclude_pages = ["contributing/*"]
# What the index leaves out, the one list of it: the search family's defaults plus the medical
# notice of docs/_templates/page.html (the same words on every page).
site_search_exclude_selectors = [*EXCLUDE_SELECTORS, ".medical-notice"]

# -- Licensed-products register (stemcellref.evidence.register) -------------------------
# docs/_data/licensed-products.yaml, rendered by the licensed-products directive; the register
# page shows every decision and holds each product's anchor. A row whose checked (or tried)
# date is older than this many months is flagged on the page and listed by `make review`.
licensed_products_path = "_data/licensed-products.yaml"
licensed_products_page = "treatments/licensed-products"
licensed_products_review_months = 6
# Each page's footer says whether a clinician signed it off, and links here for how we review.
page_metadata_review_policy = "about/editorial-policy#who-checks-our-content"

# -- Further-information callouts (stemcellref.callouts.further_info) ---------------------
# The reading list (docs/further-reading.md) is for readers: the contributor guide's live
# examples stay out of it.
further_info_index_exclude = ["contributing/*"]

# -- Link checking (make linkcheck) ---------------------------------------------
linkcheck_timeout = 15
linkcheck_retries = 2
linkcheck_anchors = False
