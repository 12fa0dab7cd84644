"""Wrap every HTML table in a focusable, named region that scrolls sideways on its own.

Wide tables (evidence tables, the licensed-products tables) must not make the page scroll
sideways on a phone, so they scroll inside their own box. A scrolling box has to be reachable
from the keyboard (axe ``scrollable-region-focusable``, WCAG 2.1.1) and, being focusable, needs a
name: the wrapper is ``<div class="table-scroll" role="region" tabindex="0" aria-label="...">``
named after the table's caption or, failing that, the section it sits in. Header cells carry
``scope`` (column headers in the table head, row headers in stub columns or marked ``scope="row"``
by a directive), so screen readers announce each cell with its headers.

Only the HTML writer changes; doctrees and other builders see the plain table. furo wraps each
table in a ``div.table-wrapper`` carrying a copy of the table's ids; a captioned table has an id
(Sphinx numbers it), so :class:`UniqueTableIds` leaves the id on the table alone.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from stemcellref.shared.assets import register_assets
from stemcellref.shared.order import AFTER_FURO_TABLE_WRAPPER

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def table_name(node: nodes.table) -> str:
    """The table's caption, else "Table: <section title>", else "Table"."""
    for child in node.children:
        if isinstance(child, nodes.title):
            return child.astext()
    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    if section is not None and section.children and isinstance(section[0], nodes.title):
        return f"Table: {section[0].astext()}"
    return "Table"


class ScrollingTableTranslator(HTML5Translator):
    """The stock HTML5 translator, with each table inside a scrolling region."""

    def visit_table(self, node: nodes.table) -> None:
        label = escape(table_name(node), quote=True)
        self.body.append(
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">\n'
        )
        super().visit_table(node)

    def depart_table(self, node: nodes.table) -> None:
        super().depart_table(node)
        self.body.append("</div>\n")

    def visit_entry(self, node: nodes.entry) -> None:
        """Header cells say what they head: ``scope="col"`` in the table head, ``scope="row"``
        in a stub column or where a directive marked the entry ``scope="row"`` (a row header
        that spans several rows, which docutils' stub columns cannot express)."""
        super().visit_entry(node)
        start = self.body[-1]
        if start.startswith("<td") and node.get("scope") == "row":
            start = "<th" + start[3:]
            self.context[-1] = "</th>\n"
        if start.startswith("<th"):
            scope = "col" if isinstance(node.parent.parent, nodes.thead) else "row"
            start = f'<th scope="{scope}"' + start[3:]
        self.body[-1] = start


class UniqueTableIds(SphinxPostTransform):
    """Take the table's ids off the wrapper furo puts around it (one element per id)."""

    default_priority = AFTER_FURO_TABLE_WRAPPER
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for wrapper in self.document.findall(nodes.container):
            if "table-wrapper" not in wrapper["classes"]:
                continue
            inner = {i for child in wrapper.findall(nodes.table) for i in child["ids"]}
            wrapper["ids"] = [i for i in wrapper["ids"] if i not in inner]


def setup(app: Sphinx) -> ExtensionMetadata:
    register_assets(app, __file__, css=["table-scroll.css"])
    app.add_post_transform(UniqueTableIds)
    for builder in ("html", "dirhtml", "singlehtml"):
        app.set_translator(builder, ScrollingTableTranslator, override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
