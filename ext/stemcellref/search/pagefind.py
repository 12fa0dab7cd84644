"""The Pagefind contract: everything the site's HTML and Pagefind agree on, in one place.

* What is indexed: the element matching ``site_search_root_selector`` (furo's main article)
  of the pages built from source documents, minus ``site_search_exclude_selectors``
  (:data:`EXCLUDE_SELECTORS` by default; ``conf.py`` adds the site template's own notice).
  That one list is the only way to leave markup out: no template carries a Pagefind attribute.
  Everything outside the article (sidebars, footer) is never indexed.
* Filters and meta: every page's section and title (:func:`page_markers`) and the evidence
  badges of the ``{evidence}`` role and the licensed-products register, status and certainty
  (:class:`TagEvidenceBadges`); the search page's
  form (``templates/search.html``, ``static/site-search/core.js``) offers one ``<select>`` per
  filter, named like it.
* The bundle: where Pagefind writes it, which of its files the UI never loads, and how to read
  a fragment (:func:`read_fragments`, used by the synonyms file and by the tests).
"""

from __future__ import annotations

import gzip
import json
from html import escape
from typing import TYPE_CHECKING, Any

from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

from stemcellref.shared.html import set_attribute

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

IGNORE = "data-pagefind-ignore"
FILTER = "data-pagefind-filter"
META = "data-pagefind-meta"

#: Left out of the index: permalink signs; toctrees (link lists that would make every index
#: page match); footnote lists (each page's references: authors and journals, a quarter of the
#: index's size) and bibliography entries (the References page, which otherwise outranked the
#: pages that answer a question because it names every study's title); the page-metadata
#: footer and overdue notice (review dates and page history, the same words on every page).
EXCLUDE_SELECTORS = (
    ".headerlink",
    ".toctree-wrapper",
    ".footnote-list",
    ".citation",
    ".page-meta",
    ".review-overdue",
)

#: Pagefind writes its bundle here, relative to the output directory.
BUNDLE = "pagefind"
#: Files Pagefind writes that the hand-written UI never loads (its default UIs); removing them
#: keeps the output lean. The worker stays for other users of ``pagefind.js``: ours runs with
#: ``noWorker``, which saves a 40 KB download on a site this small.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
FRAGMENT_SIGNATURE = b"pagefind_dcd"
#: Pagefind's (unstable, environment-only) setting for the size of its index chunks, counted in
#: word positions. A query downloads every chunk that holds one of its words (and of its aliases).
CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


def page_markers(section: str, title: str) -> str:
    """Hidden, unindexed markers giving Pagefind the page's title and section."""
    return (
        f'<span hidden {IGNORE} {FILTER}="section" {META}="section">{escape(section)}</span>'
        f'<span hidden {IGNORE} {META}="title">{escape(title)}</span>\n'
    )


#: Pagefind filter names of the two parts of an evidence label (one ``<select>`` each)
STATUS_FILTER = "evidence"
CERTAINTY_FILTER = "certainty"


def status_filter_values() -> list[str]:
    """The values of the status filter, in the order the label model lists them."""
    from stemcellref.evidence.labels import STATUSES

    return list(STATUSES.values())


def certainty_filter_value(key: str) -> str:
    """``very low`` -> ``Very low``: the certainty filter's value for a certainty key."""
    from stemcellref.evidence.labels import CERTAINTIES

    return CERTAINTIES[key][:1].upper() + CERTAINTIES[key][1:]


def certainty_filter_values() -> list[str]:
    from stemcellref.evidence.labels import CERTAINTIES

    return [certainty_filter_value(key) for key in CERTAINTIES]


class TagEvidenceBadges(SphinxPostTransform):
    """Make each evidence badge a value of Pagefind's filters (HTML only).

    A status badge is a value of the ``evidence`` filter (shown as "Status"), the status alone
    ("Licensed", not "Licensed (US)"); a certainty badge is a value of the ``certainty`` filter
    ("Low"). The licensed-products register's rows use the same badges, so a page showing a
    licensed product with low certainty is found with those filters too.
    """

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        from stemcellref.evidence.labels import STATUSES
        from stemcellref.evidence.role import evidence_badge

        for badge in self.document.findall(evidence_badge):
            if badge.get("kind", "status") == "status":
                value = f"{STATUS_FILTER}:{STATUSES[badge['value']]}"
            else:
                value = f"{CERTAINTY_FILTER}:{certainty_filter_value(badge['value'])}"
            set_attribute(badge, FILTER, value)


def read_fragments(bundle: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(result id, data) for each page in a Pagefind bundle: its URL, indexed text and meta.

    A fragment is gzip-compressed ``pagefind_dcd`` followed by its JSON.
    """
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise ExtensionError(f"unexpected Pagefind fragment format in {path}")
        yield path.name.removesuffix(".pf_fragment"), json.loads(raw[len(FRAGMENT_SIGNATURE) :])


def result_titles(bundle: Path) -> dict[str, str]:
    """Pagefind result id -> page title, read from the fragments Pagefind wrote.

    The browser ranks pages whose title holds the query's words higher ("what are stem cells"
    is answered by the page of that title, though every page has both words), before loading
    any fragment.
    """
    return {rid: data["meta"].get("title", "") for rid, data in read_fragments(bundle)}
