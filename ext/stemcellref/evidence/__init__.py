"""Evidence labels: the ``{evidence}`` role (:mod:`.role`) and its label model (:mod:`.labels`).

Static files: ``evidence.css`` (badge colours in light and dark mode). The search family tags
the badges for Pagefind's filter (:mod:`stemcellref.search.pagefind`); this family writes no
Pagefind attribute itself.
"""

from __future__ import annotations

from stemcellref.shared.problems import WarningType

WARNINGS = WarningType(
    "evidence",
    {"label": "an {evidence} label that does not parse (status, region or certainty)"},
)
