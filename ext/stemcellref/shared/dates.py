"""Dates as the site prints and checks them: one build date, one human format.

Shared by ``conf.py`` (the copyright year), ``page_metadata`` (review dates, feeds),
``further_info`` (``:accessed:`` checks) and the scripts, so every part of the build agrees on
"today".
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime

from sphinx.errors import ConfigError

#: The only date form pages may use (YAML and Python also accept others, e.g. 2026-1-5).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# English month names, so dates read "20 November 2026" whatever the build machine's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def build_date() -> date:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) when set, else today, in UTC.

    A set but unusable value is an error, never a silent fallback to the wall clock: whoever
    set it asked for a reproducible build.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).date()
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        msg = f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}"
        raise ConfigError(msg) from None


def format_date(value: date) -> str:
    """``1 November 2026``: no leading zero, English month name."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
