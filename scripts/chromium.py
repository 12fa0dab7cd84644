"""Debian's Chromium, launched the same way by the tests, ``make search-eval`` and ``make audit``.

The flags keep a headless run on this closed network quiet and reproducible: no sandbox (we run
as root in CI), no GPU, and none of the background connections (updates, sync, field trials)
that would otherwise be refused, many at a time.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
