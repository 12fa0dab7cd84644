"""The ``whats-new`` directive: the latest substantive updates across the site.

Usage (MyST)::

    ```{whats-new}
    :limit: 20
    ```

It renders the same data as the feeds (:func:`.page_metadata.site_changes`): one item per
change, newest first, with the date, a link to the page and the change's summary. The
directive leaves a placeholder that is filled in at ``doctree-resolved``, once every page's
metadata is known; a page using it is re-read whenever any page is added, changed or removed,
so incremental builds show what a clean build shows. Changes that pages show from elsewhere
(the licensed-products register's change log) can change with no page changing: the lists are
then rewritten when the environment is updated, whenever the changes shown differ from the
previous build's.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from stemcellref.metadata.page_metadata import site_changes
from stemcellref.shared.dates import format_date
from stemcellref.shared.store import DocStoreCollector, doc_set

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata, OptionSpec

DEFAULT_LIMIT = 10


class whats_new_list(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Placeholder replaced by the list at ``doctree-resolved``; ``limit`` attribute."""


class WhatsNewDirective(SphinxDirective):
    """``{whats-new}`` with an optional ``:limit:`` (default 10)."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        node = whats_new_list(limit=self.options.get("limit", DEFAULT_LIMIT))
        self.set_source_info(node)
        return [node]


def _docs_using(env: BuildEnvironment) -> set[str]:
    return doc_set(env, "whats_new_docs")


class WhatsNewCollector(DocStoreCollector):
    """Remembers which pages use the directive (``env.whats_new_docs``)."""

    stores: ClassVar[dict[str, type]] = {"whats_new_docs": set}

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(doctree.findall(whats_new_list)):
            _docs_using(app.env).add(app.env.docname)


def reread_when_pages_change(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Any page's front matter may have changed: refresh the lists."""
    return sorted(_docs_using(env)) if added or changed or removed else []


def rewrite_when_changes_differ(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the lists when the site's changes (or the titles shown) differ from last time."""
    shown = [
        (docname, change.date.isoformat(), change.summary, anchor,
         env.titles[docname].astext() if docname in env.titles else docname)
        for docname, _meta, change, anchor in site_changes(env)
    ]  # fmt: skip
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    previous = getattr(env, "whats_new_digest", None)
    env.whats_new_digest = digest  # type: ignore[attr-defined]
    return sorted(_docs_using(env)) if previous not in (None, digest) else []


def resolve_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each placeholder by the newest changes, linked relative to ``docname``."""
    env = app.env
    for placeholder in list(doctree.findall(whats_new_list)):
        items = nodes.bullet_list(classes=["whats-new"])
        for target, _meta, change, _anchor in site_changes(env)[: placeholder["limit"]]:
            title = env.titles[target].astext() if target in env.titles else target
            link = nodes.reference(
                "", title, internal=True, refuri=app.builder.get_relative_uri(docname, target)
            )
            para = nodes.paragraph()
            para += nodes.inline("", format_date(change.date), classes=["whats-new-date"])
            para += nodes.Text(" · ")
            para += link
            para += nodes.Text(f": {change.summary}")
            items += nodes.list_item("", para)
        if not items.children:
            placeholder.replace_self(nodes.paragraph("", "No changes yet."))
        else:
            placeholder.replace_self(items)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.metadata.page_metadata")
    app.add_node(whats_new_list)
    app.add_directive("whats-new", WhatsNewDirective)
    app.add_env_collector(WhatsNewCollector)
    app.connect("env-get-outdated", reread_when_pages_change)
    app.connect("env-updated", rewrite_when_changes_differ)
    app.connect("doctree-resolved", resolve_lists)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
