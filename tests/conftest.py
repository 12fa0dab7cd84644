"""Shared fixtures.

* ``sphinx.testing.fixtures`` (``app``, ``make_app``) with test roots in ``tests/roots/test-*``
  for extension tests.
* ``site``: the real site in ``docs/``, built once per session with the same strict command as
  ``make html`` (``-n -W --keep-going -j auto``), with ``SITE_URL`` pointing at a local port that
  ``site_server`` then serves, so absolute URLs work in the browser.
* ``browser``: Debian's Chromium driven by Playwright. Outside CI a missing Chromium skips the
  test with a reason; under ``CI=true`` it fails, so browser tests can never silently vanish.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.chromium import CHROMIUM, CHROMIUM_ARGS

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]

REPO = Path(__file__).resolve().parent.parent
# A fixed build date: the built site (feeds, review notices) is the same on every run.
SOURCE_DATE_EPOCH = "1796212800"  # 2026-12-02T12:00:00Z
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class BuiltSite:
    outdir: Path
    doctreedir: Path
    site_url: str
    port: int
    log: str

    def html(self, page: str) -> str:
        return (self.outdir / page).read_text(encoding="utf-8")


def build_site(outdir: Path, site_url: str, *extra: str, builder: str = "html") -> str:
    """Run the strict build of docs/ exactly as the Makefile does; return its output."""
    env = {**os.environ, "SITE_URL": site_url, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    cmd = [
        sys.executable, "-m", "sphinx", "-b", builder, "-c", str(REPO), "-n", "-W",
        "--keep-going", "-j", "auto", "-d", str(outdir.parent / f"doctrees-{outdir.name}"),
        *extra, str(REPO / "docs"), str(outdir),
    ]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"strict build of docs/ failed:\n{log}", pytrace=False)
    return log


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    port = free_port()
    outdir = tmp_path_factory.mktemp("site") / "html"
    url = f"http://127.0.0.1:{port}/"
    log = build_site(outdir, url)
    return BuiltSite(outdir, outdir.parent / "doctrees-html", url, port, log)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_server(site: BuiltSite) -> Iterator[str]:
    """Serve the built site on the port its SITE_URL names; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", site.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site.site_url
    server.shutdown()
    server.server_close()


def require_chromium() -> str:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    if IN_CI:
        pytest.fail(f"{reason}; browser tests must run under CI=true", pytrace=False)
    pytest.skip(reason)


# Module scope, not session: Sphinx's parallel test builds (``parallel=2``) fork the pytest
# process, and a fork taken while Playwright's driver runs can leave children that hang holding
# the driver's pipes, so the session never ends. Each module starts and stops its own browser.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
