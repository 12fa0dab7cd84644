"""The ``evidence`` role: what a use of a therapy is, and how certain its evidence is.

Usage (MyST)::

    | Use | Status |
    |---|---|
    | Transplant for leukaemia | {evidence}`standard; high` |
    | Expanded cord blood | {evidence}`licensed (US); low` |
    | Clinic injections for knee arthritis | {evidence}`unproven; moderate` |
    | iPSC-derived cells for Parkinson's | {evidence}`trials` |

The label model (statuses, regions, certainties and the syntax) is :mod:`.labels`. HTML gets
one coloured badge per part (``evidence.css``); other builders get the plain labels in
brackets. A bad label is a recorded page problem (``[evidence.label]``), reported on every
build until fixed.

The HTML writer adds any attributes another family set on a badge with
:func:`stemcellref.shared.html.set_attribute`: the search family makes each status badge a
value of its evidence filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _
from sphinx.util.docutils import SphinxRole

from stemcellref.evidence import WARNINGS
from stemcellref.evidence.labels import CERTAINTIES, STATUSES, parse
from stemcellref.shared import problems
from stemcellref.shared.assets import register_assets
from stemcellref.shared.html import attributes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator


class evidence_badge(nodes.inline):  # noqa: N801 (docutils node naming)
    """One label: ``kind`` is ``status`` or ``certainty``; ``value`` the key it shows."""


def badges(rawtext: str, status: str, region: str = "", certainty: str = "") -> list[nodes.Node]:
    """The status badge and, if given, the certainty badge, exactly as the role shows them.

    Shared with the licensed-products register (:mod:`.register`), so a row of the register
    and a label in the text say the same thing the same way.
    """
    label = _(STATUSES[status]) + (f" ({region})" if region else "")
    badge = evidence_badge(rawtext, label, kind="status", value=status)
    badge["classes"] += ["evidence", f"evidence-{status}"]
    result: list[nodes.Node] = [badge]
    if certainty:
        text = _("Evidence: %s certainty") % _(CERTAINTIES[certainty])
        cert = evidence_badge(rawtext, text, kind="certainty", value=certainty)
        cert["classes"] += ["certainty", f"certainty-{certainty.replace(' ', '-')}"]
        result += [nodes.Text(" "), cert]
    return result


class EvidenceRole(SphinxRole):
    """``{evidence}`status (region); certainty```: status required, the rest optional."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            status, region, certainty = parse(self.text)
        except ValueError as err:
            message = f"bad evidence label {self.text!r}: {err}"
            problems.record(self.env, WARNINGS, "label", message, line=self.lineno)
            return [nodes.problematic(self.rawtext, self.rawtext)], []
        result = badges(self.rawtext, status, region, certainty)
        for node in result:
            if isinstance(node, evidence_badge):
                self.set_source_info(node)
        return result, []


def visit_html(self: HTML5Translator, node: evidence_badge) -> None:
    self.body.append(self.starttag(node, "span", "", **attributes(node)))


def depart_html(self: HTML5Translator, node: evidence_badge) -> None:
    self.body.append("</span>")


def visit_text(self: nodes.NodeVisitor, node: evidence_badge) -> None:
    self.add_text("[")  # type: ignore[attr-defined]


def depart_text(self: nodes.NodeVisitor, node: evidence_badge) -> None:
    self.add_text("]")  # type: ignore[attr-defined]


def _skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    """Other writers render the label text as-is."""


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.shared.problems")
    register_assets(app, __file__, css=["evidence.css"])
    app.add_node(
        evidence_badge,
        html=(visit_html, depart_html),
        text=(visit_text, depart_text),
        latex=(_skip, _skip),
        man=(_skip, _skip),
        texinfo=(_skip, _skip),
    )
    app.add_role("evidence", EvidenceRole())
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
