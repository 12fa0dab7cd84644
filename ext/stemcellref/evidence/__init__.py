"""Evidence labels and the licensed-products register.

* :mod:`.role`: the ``{evidence}`` role, one badge for the status and one for the certainty;
  :mod:`.labels`: the label model it checks (statuses, regions, GRADE certainties).
* :mod:`.register`: the ``licensed-products`` and ``licensed-products-changes`` directives,
  which render the register ``docs/_data/licensed-products.yaml``; :mod:`.register_data`: the
  register's vocabulary, data model and validation (shared with ``make review``).

Static files: ``evidence.css`` (badge colours in light and dark mode) and ``register.css``.
The search family tags the badges for Pagefind's filters (:mod:`stemcellref.search.pagefind`);
this family writes no Pagefind attribute itself.
"""

from __future__ import annotations

from stemcellref.shared.problems import WarningType

WARNINGS = WarningType(
    "evidence",
    {
        "label": "an {evidence} label that does not parse (status, region or certainty)",
        "register": "the licensed-products register is not valid YAML of the expected shape: "
        "an unknown or missing field, an unknown regulator, kind, type, condition or certainty",
        "register-date": "a register date that is malformed, after the build date, or out of order",
        "register-source": "a register decision without a usable source (an https URL of the "
        "regulator's own record, or a citation key in the bibliography)",
        "register-checked": "a register decision without a checked (or tried) date",
        "register-filter": "a licensed-products directive whose options name something the "
        "register lacks, or match no decision",
        "register-page": "the register's own page does not show every decision",
    },
)
