"""The ``evidence`` role: what a use of a therapy is, and how certain its evidence is.

Two separate things, never merged into one word (see docs/about/evidence-levels.md):

* the **status**: what the use is in practice or in law (standard care, a full or conditional
  licence, clinical trials only, or unproven), optionally with the region of a licence;
* the **certainty** of the evidence for benefit, in GRADE's words (high, moderate, low, very low).

Usage (MyST)::

    | Use | Status |
    |---|---|
    | Transplant for leukaemia | {evidence}`standard; high` |
    | Expanded cord blood | {evidence}`licensed (US); low` |
    | Clinic injections for knee arthritis | {evidence}`unproven; moderate` |
    | iPSC-derived cells for Parkinson's | {evidence}`trials` |

HTML gets one badge per part; the status badge carries a Pagefind filter
(``data-pagefind-filter="evidence"``) so readers can filter search results. Other builders get
the plain labels in brackets.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _
from sphinx.util.docutils import SphinxRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

#: status key written by authors -> label shown to readers
STATUSES: dict[str, str] = {
    "standard": "Standard care",
    "licensed": "Licensed",
    "conditional": "Conditional licence",
    "trials": "In clinical trials",
    "unproven": "Unproven",
    # Retired: a full licence alone made a product "established". Kept only until every page
    # has moved to the two-axis labels; the register work removes it.
    "established": "Established",
}
#: statuses that may name the region of a licence: ``licensed (US)``
REGIONAL = frozenset({"licensed", "conditional"})
#: certainty key -> label (GRADE's four levels)
CERTAINTIES: dict[str, str] = {
    "high": "high",
    "moderate": "moderate",
    "low": "low",
    "very low": "very low",
}
_SYNTAX = re.compile(
    r"^\s*(?P<status>[A-Za-z-]+)\s*(?:\((?P<region>[^()]*)\))?\s*(?:;\s*(?P<certainty>[^;]*?))?\s*$"
)


class evidence_badge(nodes.inline):  # noqa: N801 (docutils node naming)
    """One label: ``kind`` is ``status`` or ``certainty``; ``value`` the key it shows."""


def parse(text: str) -> tuple[str, str, str]:
    """Split ``status (region); certainty`` into its keys; raise ``ValueError`` with a reason."""
    match = _SYNTAX.match(text)
    if not match:
        raise ValueError("write 'status', 'status; certainty' or 'status (region); certainty'")
    status = match["status"].lower()
    region = " ".join((match["region"] or "").split())
    certainty = " ".join((match["certainty"] or "").lower().replace("-", " ").split())
    if status not in STATUSES:
        raise ValueError(f"unknown evidence status {status!r}; use one of: {', '.join(STATUSES)}")
    if match["region"] is not None and (status not in REGIONAL or not region):
        raise ValueError(f"a region in brackets goes only with {' or '.join(sorted(REGIONAL))}")
    if match["certainty"] is not None and certainty not in CERTAINTIES:
        allowed = ", ".join(CERTAINTIES)
        raise ValueError(f"unknown certainty {match['certainty'].strip()!r}; use one of: {allowed}")
    return status, region, certainty


class EvidenceRole(SphinxRole):
    """``{evidence}`status (region); certainty```: status required, the rest optional."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            status, region, certainty = parse(self.text)
        except ValueError as err:
            msg = self.inliner.reporter.error(
                f"bad evidence label {self.text!r}: {err}", line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        label = _(STATUSES[status]) + (f" ({region})" if region else "")
        badge = evidence_badge(self.rawtext, label, kind="status", value=status)
        badge["classes"] += ["evidence", f"evidence-{status}"]
        self.set_source_info(badge)
        result: list[nodes.Node] = [badge]
        if certainty:
            text = _("Evidence: %s certainty") % _(CERTAINTIES[certainty])
            cert = evidence_badge(self.rawtext, text, kind="certainty", value=certainty)
            cert["classes"] += ["certainty", f"certainty-{certainty.replace(' ', '-')}"]
            self.set_source_info(cert)
            result += [nodes.Text(" "), cert]
        return result, []


def visit_html(self: HTML5Translator, node: evidence_badge) -> None:
    attrs = {}
    if node.get("kind", "status") == "status":
        # The filter value is the status alone: "Licensed", not "Licensed (US)".
        attrs["data-pagefind-filter"] = f"evidence:{STATUSES[node['value']]}"
    self.body.append(self.starttag(node, "span", "", **attrs))


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
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
