"""Shared fixtures.

* ``sphinx.testing.fixtures`` (``app``, ``make_app``) with test roots in ``tests/roots/test-*``
  for extension tests.
* ``site``: the real site in ``docs/``, built once per session with the strict command of
  ``make html`` (:mod:`scripts.harness`), with ``SITE_URL`` pointing at a local port that
  ``site_server`` then serves, so absolute URLs work in the browser.
* ``browser``: Debian's Chromium driven by Playwright. Outside CI a missing Chromium skips the
  test with a reason; under ``CI=true`` it fails, so browser tests can never silently vanish.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.harness import (
    CHROMIUM,
    REPO,
    SOURCE_DATE_EPOCH,
    chromium_found,
    free_port,
    launch_chromium,
    serve,
)
from scripts.harness import build_site as run_strict_build

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]

__all__ = ["REPO", "SOURCE_DATE_EPOCH", "BuiltSite", "build_site", "free_port"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


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
    proc = run_strict_build(outdir, site_url, *extra, builder=builder)
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


@pytest.fixture(scope="session")
def site_server(site: BuiltSite) -> Iterator[str]:
    """Serve the built site on the port its SITE_URL names; yields the base URL."""
    with serve(site.outdir, site.port) as url:
        assert url == site.site_url
        yield url


def require_chromium() -> str:
    if chromium_found():
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
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()
