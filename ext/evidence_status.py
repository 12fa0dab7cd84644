"""The ``evidence`` role: one consistent evidence-status label for a therapy or a page.

Usage (MyST)::

    | Therapy | Status |
    |---|---|
    | Blood stem cell transplant for leukaemia | {evidence}`established` |
    | MSC injections for knee arthritis | {evidence}`unproven` |

Accepted values are the keys of :data:`STATUSES`. HTML gets a coloured badge that carries a
Pagefind filter (``data-pagefind-filter="evidence"``), so readers can filter search results by
evidence status; other builders get the plain label in brackets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _
from sphinx.util.docutils import SphinxRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

#: value written by authors -> label shown to readers
STATUSES: dict[str, str] = {
    "established": "Established",
    "trials": "In clinical trials",
    "unproven": "Unproven",
}


class evidence_badge(nodes.inline):  # noqa: N801 (docutils node naming)
    """A status label; ``status`` attribute holds the key of :data:`STATUSES`."""


class EvidenceRole(SphinxRole):
    """``{evidence}`established|trials|unproven```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        status = self.text.strip().lower()
        if status not in STATUSES:
            allowed = ", ".join(STATUSES)
            msg = self.inliner.reporter.error(
                f"unknown evidence status {self.text!r}; use one of: {allowed}",
                line=self.lineno,
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        label = _(STATUSES[status])
        node = evidence_badge(self.rawtext, label, status=status)
        node["classes"] += ["evidence", f"evidence-{status}"]
        self.set_source_info(node)
        return [node], []


def visit_html(self: HTML5Translator, node: evidence_badge) -> None:
    self.body.append(self.starttag(node, "span", "", **{"data-pagefind-filter": "evidence"}))


def depart_html(self: HTML5Translator, node: evidence_badge) -> None:
    self.body.append("</span>")


def visit_text(self: nodes.NodeVisitor, node: evidence_badge) -> None:
    self.add_text("[")  # type: ignore[attr-defined]


def depart_text(self: nodes.NodeVisitor, node: evidence_badge) -> None:
    self.add_text("]")  # type: ignore[attr-defined]


def _skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    """Other writers render the label text as-is."""


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(
        evidence_badge,
        html=(visit_html, depart_html),
        text=(visit_text, depart_text),
        latex=(_skip, _skip),
        man=(_skip, _skip),
        texinfo=(_skip, _skip),
    )
    app.add_role("evidence", EvidenceRole())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
