"""Write ``robots.txt`` at the site root, pointing crawlers at the sitemap.

The sitemap URL derives from ``html_baseurl`` (set from ``SITE_URL`` in ``conf.py``), so a
deployment under another host or path needs no edit here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stemcellref.shared.urls import base_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    """Write robots.txt once, in the main process, after a successful HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    base = base_url(app.config)
    lines = ["User-agent: *", "Allow: /", ""]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    (Path(app.outdir) / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("build-finished", write_robots)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
