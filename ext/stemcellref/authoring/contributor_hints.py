"""Say how to fix the build warnings contributors cause most often.

Sphinx, MyST-Parser and sphinxcontrib-bibtex say *what* is wrong; this extension appends *how
to fix it* to the same warning, keeping its ``file:line`` location and ``[type.subtype]``::

    docs/conditions/lupus.md: WARNING: document isn't included in any toctree
      -> add 'lupus' to the toctree in docs/conditions/index.md [toc.not_included]

(one line in the real output). Hints exist for a page missing from every toctree
(``toc.not_included``), a toctree entry naming no page (``toc.not_readable``), a broken link
or cross-reference (``myst.xref_missing``, ``ref.doc``, ``ref.ref``), a term missing from the
glossary (``ref.term``) and a citation key missing from the bibliography
(``bibtex.key_not_found``). Paths in hints are relative to the working
directory when they lie under it (``make`` runs from the repository root), else absolute.

How: a :class:`logging.Filter` placed first on Sphinx's warning handler, so it runs before
Sphinx formats the location and adds the type suffix. Warnings raised in ``-j`` worker
processes are buffered there and handled again in the main process, so every warning passes
this filter exactly once, in the main process, where the environment is complete. The filter
stores nothing, so the extension is safe for parallel reading and writing.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.logging import NAMESPACE, WarningStreamHandler

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

#: Marks a record that already carries a hint, so no record is ever hinted twice.
_HINTED = "contributor_hint"
ARROW = " -> "


def display_path(path: str | os.PathLike[str]) -> str:
    """*path* relative to the working directory if it lies under it, else absolute."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(absolute)


def _docname(app: Sphinx, location: object) -> str | None:
    """The docname a warning's location refers to (a docname, or a (docname, line) pair)."""
    if isinstance(location, tuple) and location:
        location = location[0]
    if isinstance(location, str) and location in app.env.found_docs:
        return location
    return None


def _section_index(app: Sphinx, docname: str) -> str:
    """The nearest index page above *docname*, preferring one that has a toctree."""
    candidates: list[str] = []
    folder = posixpath.dirname(docname)
    while folder:
        candidates.append(f"{folder}/index")
        folder = posixpath.dirname(folder)
    candidates.append(app.config.root_doc)
    found = [c for c in candidates if c != docname and c in app.env.found_docs]
    with_toctree = [c for c in found if app.env.toctree_includes.get(c)]
    return (with_toctree or found or [app.config.root_doc])[0]


def toctree_hint(app: Sphinx, record: logging.LogRecord) -> str | None:
    docname = _docname(app, getattr(record, "location", None))
    if docname is None:
        return None
    index = _section_index(app, docname)
    entry = posixpath.relpath(docname, posixpath.dirname(index) or ".")
    return f"add {entry!r} to the toctree in {display_path(app.env.doc2path(index))}"


def toctree_entry_hint(app: Sphinx, record: logging.LogRecord) -> str:
    return "check the entry: a page's file name without .md, relative to this file"


def link_hint(app: Sphinx, record: logging.LogRecord) -> str:
    message = str(record.msg)
    if "local id not found" in message:
        return "check the #anchor: it must match a heading or label on that page"
    if "/" in message or ".md" in message:
        return "check the path; links are relative to this file"
    # MyST reports [text](#anchor) and [text](page) alike: name both possibilities.
    return "check the path or #anchor; links are relative to this file"


def label_hint(app: Sphinx, record: logging.LogRecord) -> str:
    return "check the label; set one with (label-name)= on the line above a heading"


def glossary_hint(app: Sphinx, record: logging.LogRecord) -> str:
    # The glossary is the page that defines the most terms (the site has exactly one).
    objects = app.env.domains.standard_domain.data.get("objects", {})
    pages = Counter(docname for (kind, _), (docname, _) in objects.items() if kind == "term")
    glossary = pages.most_common(1)[0][0] if pages else None
    where = display_path(app.env.doc2path(glossary)) if glossary else "the glossary"
    return f"add the term to {where} or use an existing alias"


def bibtex_hint(app: Sphinx, record: logging.LogRecord) -> str:
    # bibtex_bibfiles are relative to the configuration directory (sphinxcontrib-bibtex).
    files = getattr(app.config, "bibtex_bibfiles", None) or []
    where = " or ".join(display_path(Path(app.confdir, f)) for f in files) or "the .bib file"
    return f"add an entry with this key to {where}, or fix the key"


#: (warning type, subtype) -> function returning the hint (or None for no hint).
HINTS: dict[tuple[str, str], Callable[[Sphinx, logging.LogRecord], str | None]] = {
    ("toc", "not_included"): toctree_hint,
    ("toc", "not_readable"): toctree_entry_hint,
    ("myst", "xref_missing"): link_hint,
    ("ref", "doc"): link_hint,
    ("ref", "ref"): label_hint,
    ("ref", "term"): glossary_hint,
    ("bibtex", "key_not_found"): bibtex_hint,
}


class HintFilter(logging.Filter):
    """Append a fix-it hint to matching warnings; never drops a record."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self._app = app

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _HINTED, False):
            return True
        key = (getattr(record, "type", "") or "", getattr(record, "subtype", "") or "")
        hint_for = HINTS.get(key)
        if hint_for is None:
            return True
        setattr(record, _HINTED, True)
        try:
            hint = hint_for(self._app, record)
        except Exception:  # a hint must never cost the contributor the warning itself
            return True
        if hint:
            message = str(record.msg) % record.args if record.args else str(record.msg)
            record.msg, record.args = message + ARROW + hint, ()
        return True


def install(app: Sphinx, config: Config) -> None:
    """Put the filter first on the warning handlers ``sphinx.util.logging.setup`` created.

    Forked ``-j`` workers inherit it; they only buffer records for the main process anyway.
    """
    for handler in logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler) and not any(
            isinstance(f, HintFilter) for f in handler.filters
        ):
            handler.filters.insert(0, HintFilter(app))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
