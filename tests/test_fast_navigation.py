"""Fast navigation renders exactly the sidebar stock furo renders, in linear time.

Every comparison is against furo's own code path (``fast_navigation_enabled = False``), built
from the same sources: the expected output is never written by hand.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import BuiltSite

NAV = re.compile(r'<div class="sidebar-tree">.*?</div>', re.S)
STOCK = {"fast_navigation_enabled": False}  # furo's own code path


def copy_root(rootdir: Path, tmp_path: Path, name: str = "test-navigation") -> Path:
    src = tmp_path / "src"
    shutil.copytree(rootdir / name, src)
    return src


def build(make_app, src: Path, out: Path, builder: str = "html", **kw) -> dict[str, str]:
    """Build *src* into *out*; return {relative path: html} for every page written."""
    app = make_app(builder, srcdir=src, builddir=out, **kw)
    try:
        app.build()
        assert app.warning.getvalue() == "", app.warning.getvalue()
        outdir = Path(app.outdir)
        return {str(p.relative_to(outdir)): p.read_text("utf-8") for p in outdir.rglob("*.html")}
    finally:
        # Unregister this app's node visitors so the next app in the same test starts clean.
        app.cleanup()


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_page_is_identical_to_stock_furo(make_app, rootdir, tmp_path, builder) -> None:
    src = copy_root(rootdir, tmp_path)
    fast = build(make_app, src, tmp_path / "fast", builder)
    stock = build(make_app, src, tmp_path / "stock", builder,
                  confoverrides=STOCK)  # fmt: skip
    assert fast.keys() == stock.keys()
    assert len(fast) >= 10
    notfound = "404/index.html" if builder == "dirhtml" else "404.html"
    assert 'href="/docs/guides/' in NAV.search(fast[notfound]).group()
    for page in fast:
        assert fast[page] == stock[page], f"{page} differs from stock furo"
    # The fixture exercises what matters: nesting, the current branch, a page listed twice.
    leaf = NAV.search(fast[f"guides/deep/leaf{'/index' if builder == 'dirhtml' else ''}.html"])
    assert leaf is not None and leaf.group().count('class="toctree-l3 current current-page"') == 1


def test_parallel_write_matches_serial(make_app, rootdir, tmp_path) -> None:
    src = copy_root(rootdir, tmp_path)
    parallel = build(make_app, src, tmp_path / "par", parallel=2)
    serial = build(make_app, src, tmp_path / "serial", confoverrides=STOCK)
    assert parallel == serial


def test_title_change_updates_every_sidebar_incrementally(make_app, rootdir, tmp_path) -> None:
    src = copy_root(rootdir, tmp_path)
    build(make_app, src, tmp_path / "inc")
    page = src / "topics" / "beta.md"
    page.write_text(page.read_text().replace("# Beta", "# Beta renamed"))
    incremental = build(make_app, src, tmp_path / "inc", freshenv=False)
    clean = build(make_app, src, tmp_path / "clean", confoverrides=STOCK)
    assert incremental == clean
    assert "Beta renamed" in NAV.search(incremental["solo.html"]).group()


def test_body_edit_does_not_rewrite_other_pages(make_app, rootdir, tmp_path) -> None:
    src = copy_root(rootdir, tmp_path)
    build(make_app, src, tmp_path / "inc")
    out = tmp_path / "inc" / "html"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    page = src / "guides" / "first.md"
    page.write_text(page.read_text() + "\nMore text.\n")
    build(make_app, src, tmp_path / "inc", freshenv=False)
    changed = sorted(str(p.relative_to(out)) for p in out.rglob("*.html")
                     if p.stat().st_mtime_ns != before[p])  # fmt: skip
    assert "guides/first.html" in changed
    assert "solo.html" not in changed


def test_real_site_navigation_matches_stock_furo(site: BuiltSite, site_stock: BuiltSite) -> None:
    stock_out = site_stock.outdir
    pages = sorted(p.relative_to(site.outdir) for p in site.outdir.rglob("*.html"))
    assert len(pages) > 5
    for rel in pages:
        ours = NAV.search((site.outdir / rel).read_text("utf-8"))
        theirs = NAV.search((stock_out / rel).read_text("utf-8"))
        assert (ours is None) == (theirs is None), rel
        if ours is not None:
            assert ours.group() == theirs.group(), f"{rel}: navigation differs from stock furo"
