"""stemcellref.hardening.published_tree: the HTML output holds only what is published.

Sphinx writes ``.buildinfo`` (and, without ``-d``, its doctree cache) into the output folder,
which a deploy publishes as it is. The extension keeps ``.buildinfo`` beside the doctrees
between builds, and incremental builds still notice a changed setting.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, BuiltSite
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences


def hidden_paths(outdir: Path) -> list[str]:
    """Files and folders whose name starts with a dot, anywhere under *outdir*."""
    return sorted(str(p.relative_to(outdir)) for p in outdir.rglob(".*"))


@pytest.mark.sphinx("html", testroot="published-tree", freshenv=True)
def test_output_holds_no_dot_files_or_empty_sources_folder(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    assert (out / "index.html").is_file() and (out / "other.html").is_file()
    assert hidden_paths(out) == []
    assert not (out / "_sources").exists()  # html_copy_source = False: nothing to put there
    assert (Path(app.doctreedir) / "html.buildinfo").is_file()


@pytest.mark.sphinx("html", testroot="published-tree", freshenv=True)
def test_a_changed_setting_still_rewrites_every_page(make_app, app_params) -> None:
    # Sphinx compares the hash in .buildinfo with the configuration to find pages an 'html'
    # setting (here html_title) made stale; the file must come back for the next build.
    args, kwargs = app_params
    first = make_app(*args, **kwargs)
    first.build()
    other = Path(first.outdir) / "other.html"
    assert "First title" in other.read_text("utf-8")
    again = {**kwargs, "freshenv": False, "confoverrides": {"html_title": "Second title"}}
    second = make_app(*args, **again)
    second.build()
    assert "Second title" in other.read_text("utf-8")
    assert hidden_paths(Path(second.outdir)) == []
    # ... and with nothing changed, nothing is rewritten.
    before = other.stat().st_mtime_ns
    third = make_app(*args, **again)
    third.build()
    assert other.stat().st_mtime_ns == before
    assert "0 source files that are out of date" in strip_escape_sequences(third.status.getvalue())


def test_doctrees_inside_the_output_are_reported(rootdir: Path, tmp_path: Path) -> None:
    # sphinx-build without -d puts the cache in <output>/.doctrees.
    src, out = rootdir / "test-published-tree", tmp_path / "html"
    env = {**os.environ, "PYTHONPATH": str(REPO / "ext")}
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", str(src), str(out)],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert re.search(
        r"WARNING: the doctree cache \(.*\.doctrees\) is inside the output directory, so it "
        r"would be published with the site: give sphinx-build -d a folder outside it .*"
        r"\[hardening\.doctrees_in_output\]",
        strip_escape_sequences(proc.stderr),
    ), proc.stderr


def test_make_html_keeps_the_cache_out_of_the_output() -> None:
    for target in ("html", "dirhtml"):
        proc = subprocess.run(["make", "--no-print-directory", "-n", target], cwd=REPO,
                              capture_output=True, text=True)  # fmt: skip
        build = next(line for line in proc.stdout.splitlines() if "sphinx-build" in line)
        doctrees = re.search(r"\s-d\s+(\S+)", build)
        outdir = build.split()[-1]
        assert doctrees and not Path(doctrees[1]).is_relative_to(outdir), build


def test_the_built_site_holds_only_what_is_published(site: BuiltSite) -> None:
    # What deploy.yml uploads: no Sphinx cache (.doctrees, .buildinfo), nothing hidden.
    assert hidden_paths(site.outdir) == []
    assert not (site.outdir / "_sources").exists()
