"""Hardening: Content-Security-Policy, the link policy and scrolling tables.

Extensions: :mod:`.security` (CSP meta tag and ``_headers``; ships ``base.html`` and
``theme-init.js`` so no inline script is needed), :mod:`.link_policy` (refuses ``javascript:``
and other schemes) and :mod:`.table_scroll` (tables in focusable, named scrolling regions).
"""

from __future__ import annotations

from stemcellref.shared.problems import WarningType

WARNINGS = WarningType(
    "hardening",
    {"link_scheme": "a link whose scheme is not allowed (javascript:, data: ...)"},
)
