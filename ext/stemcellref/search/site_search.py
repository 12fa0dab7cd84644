"""Full-text site search with Pagefind, replacing Sphinx's built-in search.

Sphinx's own search has no relevance ranking, no phrases and no synonyms, and it downloads every
result page to show snippets. This extension keeps the ``search.html`` URL but:

* turns off Sphinx's ``searchindex.js`` and renders ``search.html`` from its own template;
* marks every page's section (Basics, Treatments, ...) and title for Pagefind's filters and meta;
* collects the glossary's aliases (an entry's consecutive term lines) into ``synonyms.json``,
  together with British/American spelling pairs, so the browser can expand a query;
* runs the Pagefind binary once per ``html`` or ``dirhtml`` build (other builders, such as
  ``singlehtml`` and ``epub``, get no search and start no Pagefind), on the pages built from
  source documents (not the search, index or 404 pages), indexing only furo's main article.
  It starts once the documents are written and is waited for at ``build-finished``, in the main
  process. A failure, or a Pagefind still running after ``site_search_pagefind_timeout``
  seconds (then stopped), fails the build with Pagefind's own output.

What Pagefind and the HTML agree on (indexed markup, filters, meta, the bundle) is in
:mod:`.pagefind`. Config: :class:`SiteSearchConfig` (``site_search_*``).

The browser side (``static/site-search/``) is a small hand-written UI on
Pagefind's low-level ``pagefind.js`` API: results as you type on the search page and from the
sidebar box, ``/`` and Ctrl/Cmd-K shortcuts, filters by section and evidence status.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from stemcellref.search import pagefind
from stemcellref.shared.assets import register_assets
from stemcellref.shared.config import (
    ConfigRecord,
    non_empty_strings,
    positive_int,
    setting,
    string_mapping,
    strings,
)
from stemcellref.shared.order import LAST_COLLECT_PAGES
from stemcellref.shared.store import DocStoreCollector, doc_dict

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SiteSearchConfig(ConfigRecord):
    """``site_search_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "site_search_"

    # furo's <article role="main" id="furo-main-content">: the page's text without navigation.
    root_selector: str = setting(
        "#furo-main-content", types=str, rebuild="html",
        check=lambda v: None if v.strip() else "must not be empty",
        doc="CSS selector of the part of each page Pagefind indexes",
    )  # fmt: skip
    exclude_selectors: list[str] | tuple[str, ...] = setting(
        list(pagefind.EXCLUDE_SELECTORS), types=(list, tuple), rebuild="html",
        check=non_empty_strings, doc="CSS selectors of what Pagefind leaves out of the index",
    )  # fmt: skip
    # Size of Pagefind's index chunks in word positions (Pagefind's default is 20,000). A first
    # search downloads every chunk holding a query word or alias: small chunks keep that near
    # 5 KB each (the whole site's index is ~100 KB). Much smaller chunks cost ranking: Pagefind
    # matches word prefixes only inside the chunks a query loads. See the performance page.
    index_chunk_size: int = setting(
        2500, types=int, rebuild="html",
        check=positive_int, expect="a positive whole number of word positions",
        doc="size of Pagefind's index chunks, in word positions",
    )  # fmt: skip
    exclude_pages: list[str] | tuple[str, ...] = setting(
        [], types=(list, tuple), rebuild="html", check=strings,
        doc="documents left out of search (fnmatch patterns of docnames)",
    )  # fmt: skip
    sections: dict[str, str] = setting(
        {}, types=dict, rebuild="env", check=string_mapping,
        doc="section labels by top-level folder or page, overriding the folder index's title",
    )  # fmt: skip
    # Indexing this site takes a second or two; a Pagefind that has not finished long after that
    # is stuck, and the build must say so rather than hang.
    pagefind_timeout: int | float = setting(
        300, types=(int, float), rebuild="",
        check=lambda v: None if v > 0 else "must be more than 0",
        expect="a number of seconds, more than 0",
        doc="seconds Pagefind may take to index the site before the build fails",
    )  # fmt: skip


#: Label of the section of pages outside any folder, other than the home page.
REFERENCE_SECTION = "Reference"
HOME_SECTION = "Home"

#: British and American spellings of the same word stem (the site writes British English).
#: A query word starting with one stem is also searched with the other.
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("haemat", "hemat"),
    ("haemo", "hemo"),
    ("leukaem", "leukem"),
    ("anaem", "anem"),
    ("thalassaem", "thalassem"),
    ("ischaem", "ischem"),
    ("oedem", "edem"),
    ("oesophag", "esophag"),
    ("paediatr", "pediatr"),
    ("orthopaed", "orthoped"),
    ("gynaecolog", "gynecolog"),
    ("anaesthe", "anesthe"),
    ("diarrhoea", "diarrhea"),
    ("foetus", "fetus"),
    ("foetal", "fetal"),
    ("tumour", "tumor"),
    ("randomis", "randomiz"),
    ("organis", "organiz"),
    ("immunis", "immuniz"),
    ("characteris", "characteriz"),
    ("specialis", "specializ"),
    ("behaviour", "behavior"),
    ("centre", "center"),
    ("ageing", "aging"),
    ("signalling", "signaling"),
    ("modelling", "modeling"),
    ("labelled", "labeled"),
    ("labelling", "labeling"),
    ("fibre", "fiber"),
    ("judgement", "judgment"),
)

# Characters with a meaning in Pagefind's (wax) glob syntax; escaped in page paths.
_GLOB_SPECIAL = re.compile(r"([\\?*$:<>()\[\]{},!#])")


# -- Glossary aliases ---------------------------------------------------------------


def _aliases(env: BuildEnvironment) -> dict[str, list[list[str]]]:
    """docname -> alias groups of the glossary entries on that page."""
    return doc_dict(env, "site_search_aliases")


class GlossaryAliasCollector(DocStoreCollector):
    """Record each glossary entry's terms: the first is the entry, the others its aliases."""

    stores: ClassVar[dict[str, type]] = {"site_search_aliases": dict}

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        groups = []
        for glossary in doctree.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                terms = [" ".join(t.astext().split()) for t in item.findall(nodes.term)]
                terms = [t for t in terms if t]
                if len(terms) > 1:
                    groups.append(terms)
        if groups:
            _aliases(app.env)[app.env.docname] = groups


def synonyms(env: BuildEnvironment) -> dict[str, Any]:
    """What the browser needs to expand a query: alias groups and spelling pairs."""
    groups = [group for docname in sorted(_aliases(env)) for group in _aliases(env)[docname]]
    return {"groups": groups, "spellings": [list(pair) for pair in SPELLINGS]}


# -- Sections (Pagefind filter and meta) ----------------------------------------------


def section_of(env: BuildEnvironment, docname: str) -> str:
    """The reader-facing section of a page: its top-level folder's title, or Home/Reference."""
    sections = SiteSearchConfig.of(env.config).sections
    if docname == env.config.root_doc:
        return HOME_SECTION
    top, sep, _rest = docname.partition("/")
    if not sep:
        return sections.get(docname, REFERENCE_SECTION)
    if top in sections:
        return sections[top]
    index = f"{top}/index"
    if index in env.titles:
        return env.titles[index].astext()
    return top.replace("-", " ").capitalize()


def page_markers(env: BuildEnvironment, docname: str) -> str:
    """Pagefind's markers of the page's title and section (:func:`.pagefind.page_markers`)."""
    title = env.titles[docname].astext() if docname in env.titles else ""
    return pagefind.page_markers(section_of(env, docname), title)


def _is_html(app: Sphinx) -> bool:
    return app.builder.format == "html" and app.builder.name in {"html", "dirhtml"}


def add_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not _is_html(app):
        return
    if pagename in app.env.all_docs and "body" in context:
        context["body"] = page_markers(app.env, pagename) + context["body"]
    if pagename == "search":
        context["search_section_options"] = sorted(
            {section_of(app.env, doc) for doc in searchable_docs(app)}
        )
        context["search_evidence_options"] = pagefind.status_filter_values()
        context["search_certainty_options"] = pagefind.certainty_filter_values()


# -- Build hooks ----------------------------------------------------------------------


def disable_builtin_search(app: Sphinx) -> None:
    if _is_html(app):
        # No searchindex.js, no searchtools.js: search.html comes from collect_search_page.
        app.builder.search = False  # type: ignore[attr-defined]
        app.add_js_file("site-search/box.js", loading_method="defer")
        app.add_css_file("site-search/search.css")


def collect_search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if _is_html(app):
        yield "search", {}, "search.html"


def searchable_docs(app: Sphinx) -> list[str]:
    patterns = SiteSearchConfig.of(app.config).exclude_pages
    return sorted(d for d in app.env.found_docs if not any(fnmatch(d, p) for p in patterns))


def _glob_for(app: Sphinx, docnames: list[str]) -> str:
    files = [_GLOB_SPECIAL.sub(r"\\\1", app.builder.get_target_uri(d)) for d in docnames]
    files = [f + "index.html" if not f or f.endswith("/") else f for f in files]
    return "{" + ",".join(files) + "}"


_RUN_KEY = "_site_search_pagefind"


@dataclass(frozen=True, slots=True)
class _PagefindRun:
    process: subprocess.Popen[str]
    searchable: int  # documents it was asked to index
    deadline: float  # time.monotonic() by which it must have finished


def start_pagefind(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Start indexing as soon as every document is written (``html-collect-pages``).

    Pagefind reads only the documents' own pages, which are complete by now, so it runs while
    Sphinx writes the index and search pages and copies static files; ``run_pagefind`` waits
    for it at ``build-finished``. This runs once, in the main process.
    """
    if not _is_html(app):
        return []  # no search (disable_builtin_search), so nothing to index or wait for
    config = SiteSearchConfig.of(app.config)
    outdir = Path(app.outdir)
    bundle = outdir / pagefind.BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)  # no stale chunks from earlier builds
    docnames = searchable_docs(app)
    cmd = [
        sys.executable, "-m", "pagefind",
        "--site", str(outdir),
        "--output-subdir", pagefind.BUNDLE,
        "--glob", _glob_for(app, docnames),
        "--root-selector", config.root_selector,
        # Keep "section/index.html" URLs with the html builder; dirhtml has "section/" ones.
        *(["--keep-index-url"] if app.builder.name == "html" else []),
        *[a for sel in config.exclude_selectors for a in ("--exclude-selectors", sel)],
    ]  # fmt: skip
    env = {**os.environ, pagefind.CHUNK_SIZE_ENV: str(config.index_chunk_size)}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    deadline = time.monotonic() + config.pagefind_timeout
    setattr(app, _RUN_KEY, _PagefindRun(proc, len(docnames), deadline))
    return []


def run_pagefind(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the index, check it and write the synonyms file (main process)."""
    if not _is_html(app):
        return
    run: _PagefindRun | None = getattr(app, _RUN_KEY, None)
    if run is None:
        return
    delattr(app, _RUN_KEY)
    proc = run.process
    if exception is not None:
        proc.kill()
        proc.communicate()
        return
    timeout = SiteSearchConfig.of(app.config).pagefind_timeout
    try:
        output = proc.communicate(timeout=max(0.0, run.deadline - time.monotonic()))[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        output = proc.communicate()[0]
        raise ExtensionError(
            f"Pagefind did not finish indexing the site within {timeout:g} s and was stopped "
            f"(site_search_pagefind_timeout = {timeout!r}; raise it in conf.py if the site has "
            f"grown that large). Its output so far:\n{(output or '').strip()}"
        ) from None
    output = (output or "").strip()
    searchable = run.searchable
    bundle = Path(app.outdir) / pagefind.BUNDLE
    match = re.search(r"Indexed (\d+) pages?", output)
    indexed = int(match.group(1)) if match else 0
    if proc.returncode != 0 or indexed == 0:
        raise ExtensionError(
            "Pagefind could not index the site "
            f"(exit status {proc.returncode}, {indexed} pages indexed; "
            f"site_search_root_selector = {SiteSearchConfig.of(app.config).root_selector!r})"
            f":\n{output}"
        )
    for name in pagefind.UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    data = json.dumps(
        {**synonyms(app.env), "titles": pagefind.result_titles(bundle)},
        ensure_ascii=False,
        sort_keys=True,
        indent=None,
    )
    (bundle / "synonyms.json").write_text(data + "\n", encoding="utf-8")
    logger.info("search: Pagefind indexed %d of %d pages", indexed, searchable)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.evidence.role")  # its badges are a search filter
    SiteSearchConfig.declare(app)
    register_assets(app, __file__)  # CSS and JS only for HTML builders: disable_builtin_search
    app.add_post_transform(pagefind.TagEvidenceBadges)
    app.connect("builder-inited", disable_builtin_search)
    app.connect("html-collect-pages", collect_search_page)
    app.connect("html-collect-pages", start_pagefind, priority=LAST_COLLECT_PAGES)
    app.connect("html-page-context", add_page_context)
    app.connect("build-finished", run_pagefind)
    app.add_env_collector(GlossaryAliasCollector)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
