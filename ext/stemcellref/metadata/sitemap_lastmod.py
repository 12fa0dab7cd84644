"""Give every page in sphinx-sitemap's ``sitemap.xml`` a ``lastmod`` from its front matter.

sphinx-sitemap 2.9 only knows ``lastmod`` from git. This runs after it at ``build-finished``
(:data:`~stemcellref.shared.order.AFTER_SITEMAP`) and rewrites the file: ``lastmod``
(``YYYY-MM-DD``) is the newest of a page's ``last_reviewed`` and its latest change
(:mod:`.page_metadata`).

It also makes the file independent of how the build ran. sphinx-sitemap lists the pages it
wrote in the order its writer processes finished, and on an incremental build only the pages
that were rewritten; here the URL list is completed from the environment (every source
document not matched by ``sitemap_excludes``) and sorted, so parallel, incremental and clean
builds give the same bytes.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from stemcellref.metadata.page_metadata import page_lastmod
from stemcellref.shared.order import AFTER_SITEMAP

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_BUILDERS = frozenset({"html", "dirhtml"})


def _q(tag: str) -> str:
    return f"{{{SITEMAP_NS}}}{tag}"


def _loc(app: Sphinx, base: str, link: str) -> str:
    """The URL sphinx-sitemap writes for ``link`` (same scheme, language and version)."""
    config = app.config
    lang = f"{config.language}/" if config.language else ""
    version = f"{config.version}/" if config.version else ""
    return base + config.sitemap_url_scheme.format(lang=lang, version=version, link=link)


def add_lastmod(app: Sphinx, exception: Exception | None) -> None:
    """Complete, date and sort the sitemap written by sphinx-sitemap."""
    if exception is not None or app.builder.name not in SITEMAP_BUILDERS:
        return
    path = Path(app.outdir) / app.config.sitemap_filename
    base = app.config.site_url or app.config.html_baseurl
    if not path.is_file() or not base:
        return  # sphinx-sitemap already said why
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", "http://www.w3.org/1999/xhtml")
    root = ET.parse(path).getroot()
    urls = {el.findtext(_q("loc")): el for el in root.findall(_q("url"))}

    for docname in sorted(app.env.found_docs):
        link = app.builder.get_target_uri(docname)
        if fnmatch_any(link, app.config.sitemap_excludes):
            continue
        loc = _loc(app, base, link)
        url = urls.get(loc)
        if url is None:  # not rewritten on this (incremental) build
            url = urls[loc] = ET.Element(_q("url"))
            ET.SubElement(url, _q("loc")).text = loc
        lastmod_date = page_lastmod(app.env, docname)
        if lastmod_date is not None:
            lastmod = url.find(_q("lastmod"))
            if lastmod is None:
                lastmod = ET.Element(_q("lastmod"))
                url.insert(1, lastmod)  # the schema wants loc, lastmod, changefreq, priority
            lastmod.text = lastmod_date.isoformat()

    root[:] = [urls[loc] for loc in sorted(urls)]
    ET.indent(root, space="  ")
    ET.ElementTree(root).write(path, xml_declaration=True, encoding="utf-8", method="xml")


def fnmatch_any(link: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(link, pattern) for pattern in patterns)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_sitemap")
    app.setup_extension("stemcellref.metadata.page_metadata")
    app.connect("build-finished", add_lastmod, priority=AFTER_SITEMAP)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
