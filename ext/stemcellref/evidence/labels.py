"""The evidence label model: a status and, optionally, a certainty, never merged into one word.

* the **status**: what the use is in practice or in law (standard care, a clinical option at
  specialist centres, a full or conditional
  licence, clinical trials only, or unproven), optionally with the region of a licence;
* the **certainty** of the evidence for benefit, in GRADE's words (high, moderate, low, very
  low). See docs/about/evidence-levels.md.

Authors write ``status (region); certainty``; :func:`parse` checks it. The search family offers
the status labels as the values of its evidence filter.
"""

from __future__ import annotations

import re

#: status key written by authors -> label shown to readers
STATUSES: dict[str, str] = {
    "standard": "Standard care",
    # EBMT's "clinical option": offered outside trials to selected people at experienced centres,
    # on weaker evidence than standard care. Not the same as "only in trials".
    "option": "Clinical option",
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
