"""Use each page's front-matter ``description`` for ``<meta name="description">`` and OpenGraph.

Without this, sphinxext-opengraph derives both from the first paragraph of the page. The
handler runs before opengraph's (:data:`~stemcellref.shared.order.BEFORE_OPENGRAPH`) and only
adjusts the page's own rendering context, so it is safe in parallel writers.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from stemcellref.shared.order import BEFORE_OPENGRAPH

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def add_description(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    meta = context.get("meta") or {}
    description = str(meta.get("description", "")).strip()
    if not description:
        return
    # A copy: context["meta"] is the environment's own metadata dict for this page.
    context["meta"] = {**meta, "og:description": description}
    context["metatags"] += f'\n<meta name="description" content="{escape(description)}" />'


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinxext.opengraph")
    app.connect("html-page-context", add_description, priority=BEFORE_OPENGRAPH)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
