"""Shared fixtures.

* ``build_root``: build a test root (``tests/roots/test-*``) once per test module and share the
  result among that module's tests; ``sphinx.testing.fixtures`` (``app``, ``make_app``) remain
  for tests that change the sources or build twice.
* ``site``: the real site in ``docs/``, built once per session with the strict command of
  ``make html`` (:mod:`scripts.harness`), with ``SITE_URL`` pointing at a local port that
  ``site_server`` then serves, so absolute URLs work in the browser. ``site_stock``: the one
  other build of the real site, with furo's own navigation, for the tests that compare two
  clean builds.
* ``browser``: Debian's Chromium driven by Playwright. Outside CI a missing Chromium skips the
  test with a reason; under ``CI=true`` it fails, so browser tests can never silently vanish.

Markers follow the fixtures: a test that uses ``site`` (or ``site_server``, ``site_stock``) is
marked ``site``, one that uses ``browser`` is marked ``browser``, so ``make test-fast``
(``-m "not site and not browser"``) can leave them out without anyone remembering a decorator.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

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
ROOTS = Path(__file__).parent / "roots"
#: fixture -> marker its users get
FIXTURE_MARKERS = {"site": "site", "site_stock": "site", "browser": "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the expensive fixtures it uses (directly or through other fixtures)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker in sorted({m for f, m in FIXTURE_MARKERS.items() if f in used}):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="module")
def build_root(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., SphinxTestApp]:
    """``build_root("further-info", "html", confoverrides={...})``: built once per module.

    The same arguments give the same (already built) application, so a module's tests share
    one build per root, builder and configuration. The build runs at the fixed build date, and
    the application is cleaned up straight away (its output, warnings and environment stay
    readable), so it never leaks roles or nodes into other tests.
    """
    built: dict[str, SphinxTestApp] = {}

    def build(testroot: str, builder: str = "html", **kwargs: object) -> SphinxTestApp:
        key = repr((testroot, builder, sorted(kwargs.items())))
        if key not in built:
            srcdir = tmp_path_factory.mktemp(f"{testroot}-{builder}") / testroot
            shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
                app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, **kwargs)
                try:
                    app.build()
                finally:
                    app.cleanup()
            built[key] = app
        return built[key]

    return build


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
def site_stock(site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A second clean build of the real site (same URL and date), with furo's own navigation.

    Fast navigation writes exactly what furo writes, so this build must match ``site`` byte for
    byte except ``.buildinfo`` (its configuration hash): one build checks both that and that
    two clean builds are reproducible.
    """
    outdir = tmp_path_factory.mktemp("site-stock") / "html"
    log = build_site(outdir, site.site_url, "-D", "fast_navigation_enabled=0")
    return BuiltSite(outdir, outdir.parent / "doctrees-html", site.site_url, site.port, log)


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
