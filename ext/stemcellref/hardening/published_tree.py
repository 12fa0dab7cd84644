"""The HTML output directory holds only what is published.

Sphinx keeps two things of its own in the output directory: the doctree cache (``.doctrees/``,
when ``sphinx-build`` is not given ``-d``) and ``.buildinfo`` (hashes of the configuration and
tags). Both would be published with the site; a deploy copies the folder as it is.

* ``.buildinfo`` is moved into the doctree directory after each HTML build and put back before
  the next one, so incremental builds still notice a changed ``html_*`` setting or template
  (Sphinx compares the hashes and the file's time) and the output holds none of it.
* A doctree directory inside the output directory is reported (``[hardening.doctrees_in_output]``):
  pass ``-d`` elsewhere, as ``make html`` does.
* The empty ``_sources/`` folder Sphinx creates even with ``html_copy_source = False`` goes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.builders.html import StandaloneHTMLBuilder

from stemcellref.hardening import WARNINGS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

BUILDINFO = ".buildinfo"


def _stash(app: Sphinx) -> Path:
    """Where ``.buildinfo`` waits between builds: beside the doctrees, one per builder."""
    return Path(app.doctreedir) / f"{app.builder.name}{BUILDINFO}"


def _is_html(app: Sphinx) -> bool:
    return isinstance(app.builder, StandaloneHTMLBuilder)


def restore_buildinfo(app: Sphinx) -> None:
    """Put last build's ``.buildinfo`` back, for Sphinx to compare (``builder-inited``)."""
    if not _is_html(app):
        return
    outdir, doctreedir = Path(app.outdir).resolve(), Path(app.doctreedir).resolve()
    if doctreedir.is_relative_to(outdir):
        WARNINGS.log(
            "warning",
            f"the doctree cache ({app.doctreedir}) is inside the output directory, so it would "
            "be published with the site: give sphinx-build -d a folder outside it "
            "(make html uses _build/doctrees/html)",
            "doctrees_in_output",
        )
    stash, target = _stash(app), outdir / BUILDINFO
    if stash.is_file() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(stash, target)  # with its time: Sphinx compares templates against it


def stash_buildinfo(app: Sphinx, exception: Exception | None) -> None:
    """Move ``.buildinfo`` (and Sphinx's ``.bak`` of a stale one) out of the output."""
    if not _is_html(app):
        return
    outdir = Path(app.outdir)
    buildinfo = outdir / BUILDINFO
    if buildinfo.is_file():
        _stash(app).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(buildinfo, _stash(app))
    (outdir / f"{BUILDINFO}.bak").unlink(missing_ok=True)
    sources = outdir / "_sources"
    if not app.config.html_copy_source and sources.is_dir() and not any(sources.iterdir()):
        sources.rmdir()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("builder-inited", restore_buildinfo)
    app.connect("build-finished", stash_buildinfo)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
