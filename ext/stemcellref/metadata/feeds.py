"""RSS 2.0 (``rss.xml``) and Atom 1.0 (``atom.xml``) feeds of substantive page updates.

One item per ``changes`` entry in the pages' front matter (:mod:`.page_metadata`), newest
first, capped at ``feeds_max_items``. Both feeds are written with feedgen at
``build-finished`` in the main process, from the environment only, so parallel and
incremental builds write the same bytes as a clean build. The feed's own date is the newest
change's date, never the wall clock: two builds of the same sources give identical files.

Links are absolute, from ``html_baseurl`` (``SITE_URL``) plus the builder's target URI, so
``dirhtml`` gets ``page/``. Without a base URL no feed is written (one warning).

Every HTML page gets ``<link rel="alternate">`` autodiscovery tags for both feeds and a
``feed_links`` template variable for the visible "Subscribe" links
(``sidebar/subscribe.html``, ``partials/page-meta.html``). In a page, ``{feed}`rss``` and
``{feed}`atom``` (or ``{feed}`Subscribe via RSS <rss>```) link to a feed; the link is made
relative to the page when it is written, so it works under any ``SITE_URL`` and builder.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from feedgen.feed import FeedGenerator
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title
from sphinx.util.osutil import relative_uri

from stemcellref.metadata import WARNINGS
from stemcellref.metadata.page_metadata import site_changes
from stemcellref.shared import problems
from stemcellref.shared.config import ConfigRecord, positive_int, setting
from stemcellref.shared.urls import base_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)

FEED_BUILDERS = frozenset({"html", "dirhtml"})
RSS_FILE = "rss.xml"
ATOM_FILE = "atom.xml"
#: role target -> (file, default link text)
FEEDS = {"rss": (RSS_FILE, "RSS"), "atom": (ATOM_FILE, "Atom")}


@dataclass(frozen=True, slots=True)
class FeedsConfig(ConfigRecord):
    """``feeds_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "feeds_"

    max_items: int = setting(
        50,
        types=int,
        rebuild="",
        check=positive_int,
        expect="a positive whole number",
        doc="Most items in each feed, newest first.",
    )
    title: str = setting(
        lambda config: f"{config.project}: what's new", types=str, rebuild="",
        doc="The feeds' title (also the autodiscovery links' title).",
    )  # fmt: skip
    description: str = setting(
        lambda config: f"Substantive updates to pages on {config.project}", types=str,
        rebuild="", doc="The feeds' description.",
    )  # fmt: skip


class feed_link(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A link to a feed, resolved when the page is written; ``feed`` attribute: rss|atom."""


class FeedRole(SphinxRole):
    """``{feed}`rss``` / ``{feed}`atom```, with an optional ``Text <rss>`` title."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        has_title, title, target = split_explicit_title(self.text)
        target = target.strip().lower()
        if target not in FEEDS:
            problems.record(self.env, WARNINGS, "feed",
                            f"unknown feed {target!r}; use one of: {', '.join(FEEDS)}",
                            line=self.lineno)  # fmt: skip
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        text = title if has_title else FEEDS[target][1]
        node = feed_link(self.rawtext, text, feed=target)
        self.set_source_info(node)
        return [node], []


def resolve_feed_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Links relative to the page in HTML builders; plain text elsewhere."""
    for node in list(doctree.findall(feed_link)):
        if app.builder.name in FEED_BUILDERS:
            uri = relative_uri(app.builder.get_target_uri(docname), FEEDS[node["feed"]][0])
            new: nodes.Node = nodes.reference("", node.astext(), refuri=uri, classes=["feed-link"])
        else:
            new = nodes.inline("", node.astext())
        node.replace_self(new)


def _enabled(app: Sphinx) -> bool:
    return app.builder.name in FEED_BUILDERS and bool(base_url(app.config))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def add_feed_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Autodiscovery tags in ``<head>`` and ``feed_links`` for templates (stateless)."""
    if not _enabled(app):
        return
    base = base_url(app.config)
    links = {"rss": base + RSS_FILE, "atom": base + ATOM_FILE}
    context["feed_links"] = links
    title = html.escape(FeedsConfig.of(app.config).title, quote=True)
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" type="application/rss+xml" title="{title} (RSS)"'
        f' href="{html.escape(links["rss"])}" />'
        f'\n<link rel="alternate" type="application/atom+xml" title="{title} (Atom)"'
        f' href="{html.escape(links["atom"])}" />'
    )


def _feed(app: Sphinx, self_url: str, *, atom: bool) -> FeedGenerator:
    """One feed, RSS or Atom flavoured; entries are added in the order given (newest first)."""
    env = app.env
    base = base_url(app.config)
    config = FeedsConfig.of(app.config)
    items = site_changes(env)[: config.max_items]
    fg = FeedGenerator()
    fg.id(base)
    fg.title(config.title)
    fg.description(config.description)
    fg.link(href=self_url, rel="self")
    fg.link(href=base, rel="alternate")  # last: feedgen uses the last link as RSS <link>
    fg.language(app.config.language or "en")
    newest = max((change.date for _, _, change, _ in items), default=date(1970, 1, 1))
    fg.updated(_midnight(newest))  # also RSS lastBuildDate: the newest change, not the clock
    for docname, meta, change, anchor in items:
        url = base + app.builder.get_target_uri(docname)
        title = env.titles[docname].astext() if docname in env.titles else docname
        entry = fg.add_entry(order="append")
        entry.id(f"{url}#{anchor}")
        entry.guid(f"{url}#{anchor}", permalink=True)  # the page-history entry of this change
        entry.title(f"{title}: {change.summary}")
        entry.link(href=url, rel="alternate")
        entry.published(_midnight(change.date))
        entry.updated(_midnight(change.date))
        text = change.summary
        if meta.description:
            text += f" About this page: {meta.description}"
        if atom:
            entry.summary(text, type="text")
        else:
            # RSS descriptions are read as HTML, so the text is HTML-escaped once here and
            # XML-escaped once more by feedgen.
            entry.description(html.escape(text, quote=False))
    return fg


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """Write both feeds once, in the main process, after a successful HTML build."""
    if exception is not None or app.builder.name not in FEED_BUILDERS:
        return
    base = base_url(app.config)
    if not base:
        WARNINGS.log(
            "warning",
            "feeds: html_baseurl (SITE_URL) is not set; rss.xml and atom.xml were not written",
            "config",
        )
        return
    outdir = Path(app.outdir)
    rss = _feed(app, base + RSS_FILE, atom=False).rss_str(pretty=True)
    atom = _feed(app, base + ATOM_FILE, atom=True).atom_str(pretty=True)
    (outdir / RSS_FILE).write_bytes(rss)
    (outdir / ATOM_FILE).write_bytes(atom)
    logger.info("feeds: wrote %s and %s", RSS_FILE, ATOM_FILE)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.metadata.page_metadata")
    FeedsConfig.declare(app)
    app.add_node(feed_link)
    app.add_role("feed", FeedRole())
    app.connect("doctree-resolved", resolve_feed_links)
    app.connect("html-page-context", add_feed_links)
    app.connect("build-finished", write_feeds)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
