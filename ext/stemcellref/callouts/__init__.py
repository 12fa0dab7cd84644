"""Callouts: the ``further-info`` callout and the site-wide ``further-info-index``.

Extension: :mod:`.further_info`. Static files: ``further-info.css``.
"""

from __future__ import annotations

from stemcellref.shared.problems import WarningType

WARNINGS = WarningType(
    "callouts",
    {
        "url": "a :url: that is not an absolute http(s) URL",
        "accessed": "an :accessed: date that is malformed or after the build date",
        "publisher": "an empty :publisher:",
        "option": "an unknown option",
        "empty": "a callout with neither a URL nor a body",
    },
)
