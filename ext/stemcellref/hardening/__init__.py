"""Hardening: Content-Security-Policy, the link policy, scrolling tables and the published tree.

Extensions: :mod:`.security` (CSP meta tag and ``_headers``; ships ``base.html`` and
``theme-init.js`` so no inline script is needed), :mod:`.link_policy` (refuses ``javascript:``
and other schemes), :mod:`.table_scroll` (tables in focusable, named scrolling regions) and
:mod:`.published_tree` (the output directory holds only what is published).
"""

from __future__ import annotations

from stemcellref.shared.problems import WarningType

WARNINGS = WarningType(
    "hardening",
    {
        "link_scheme": "a link whose scheme is not allowed (javascript:, data: ...)",
        "doctrees_in_output": "Sphinx's doctree cache would be published with the site",
    },
)
