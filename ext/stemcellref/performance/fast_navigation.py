"""Linear-time site navigation for furo.

furo renders the whole site tree into every page's sidebar. For each page it asks Sphinx to
resolve the global toctree again (``_resolve_toctree`` copies and walks every entry) and then
re-parses the result with BeautifulSoup, so a build costs O(pages²): about 85% of a 500-page
build (see ``docs/contributing/performance.md``).

The tree is the same on every page except for three things:

* link targets, which are relative to the page being written;
* the ``current`` classes (and the expanded checkbox) on the current page and its ancestors;
* furo's ``current-page`` class on the deepest current entry.

So this extension renders furo's navigation **once per build**, for the root document (which is
never its own toctree entry, so nothing is marked current), turns it into a template with a slot
for each of those attributes, and fills the slots for each page: a list copy and a ``str.join``
instead of a tree resolution and an HTML parse. The output is byte-for-byte what stock furo
renders; ``tests/test_fast_navigation.py`` compares every page of the real site and of a test
root, for ``html`` and ``dirhtml``.

The template is built in the main process at ``write-started``, before Sphinx forks its parallel
writers, so each worker inherits it. Because other pages' sidebars show every page title, a
change to the navigation (a title, a toctree) must rewrite every page, which Sphinx's
incremental build does not do on its own: ``env-updated`` compares a signature of the tree with
the previous build's and, if it changed, marks every document for writing (not re-reading).

Set ``fast_navigation_enabled = False`` in ``conf.py`` (:class:`FastNavigationConfig`) to fall
back to furo's own code.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from bs4 import BeautifulSoup
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from stemcellref.shared.config import ConfigRecord, setting

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FastNavigationConfig(ConfigRecord):
    """``fast_navigation_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "fast_navigation_"

    enabled: bool = setting(
        True, types=bool, rebuild="html",
        doc="Render furo's sidebar navigation from one shared template per build.",
    )  # fmt: skip


# Slot markers: private-use characters never produced by Sphinx or furo.
_OPEN, _CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# The keyword arguments furo passes to Sphinx's ``toctree()`` template function.
_FURO_TOCTREE_ARGS = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}


@dataclass
class _Entry:
    """One ``<li>`` of the navigation tree."""

    target: str | None  # docname the entry links to (None for external links)
    anchor: str  # "#fragment" part of the link, or ""
    base_classes: str  # Sphinx's classes, e.g. "toctree-l2"
    has_children: bool
    ancestors: list[int]  # indices of enclosing entries, outermost first
    lists: list[int]  # indices of enclosing <ul> elements, outermost first
    own_list: int | None  # index of this entry's child <ul>
    slots: dict[str, int] = field(default_factory=dict)  # "li", "a", "href", "checked" -> slot


@dataclass
class _Template:
    """furo's navigation HTML for the root page, split at every page-dependent attribute."""

    parts: list[str]  # literal text; the value of slot order[k] goes after parts[k]
    order: list[int]
    neutral: list[str]  # slot values for a page that is in no toctree
    entries: list[_Entry]
    ul_slots: list[int]  # slot of each <ul>'s class attribute
    by_target: dict[str, list[int]]  # docname -> entries linking to it (without anchor)
    target_uris: dict[str, str]  # docname -> URI relative to the output root

    def render(self, values: list[str]) -> str:
        out = [self.parts[0]]
        for slot, text in zip(self.order, self.parts[1:], strict=True):
            out.append(values[slot])
            out.append(text)
        return "".join(out)


class _Builder:
    """Accumulates template slots while walking the parsed navigation."""

    def __init__(self) -> None:
        self.neutral: list[str] = []

    def slot(self, neutral: str) -> str:
        self.neutral.append(neutral)
        return f"{_OPEN}{len(self.neutral) - 1}{_CLOSE}"


def _stock_navigation(builder: StandaloneHTMLBuilder, docname: str) -> str:
    """What furo renders for *docname* (its own code path, used once per build)."""
    from furo.navigation import get_navigation_tree

    # ``maxdepth`` as furo passes it through the template function.
    toctree = global_toctree_for_doc(
        builder.env, docname, builder, tags=builder.tags, **_FURO_TOCTREE_ARGS
    )
    return get_navigation_tree(builder.render_partial(toctree)["fragment"])


def _build_template(builder: StandaloneHTMLBuilder, stock_html: str) -> _Template:
    """Split *stock_html* (furo's navigation for the root document) into a template."""
    env = builder.env
    root = builder.config.root_doc
    target_uris = {doc: builder.get_target_uri(doc) for doc in env.all_docs}
    uri_to_doc = {relative_uri(target_uris[root], uri): doc for doc, uri in target_uris.items()}
    soup = BeautifulSoup(stock_html, "html.parser")

    acc = _Builder()
    entries: list[_Entry] = []
    ul_slots: list[int] = []
    ul_index: dict[int, int] = {}  # id(tag) -> ul number

    for ul in soup.find_all("ul"):
        ul_index[id(ul)] = len(ul_slots)
        # furo/Sphinx give the <ul> no class unless it is on the current branch.
        if ul.get("class"):
            msg = f"unexpected class on navigation list: {ul.get('class')}"
            raise RuntimeError(msg)
        ul_slots.append(len(acc.neutral))
        ul["class"] = acc.slot("")

    li_index: dict[int, int] = {}
    for li in soup.find_all("li"):
        li_index[id(li)] = len(entries)
        ancestors = [li_index[id(p)] for p in reversed(list(li.find_parents("li")))]
        lists = [ul_index[id(p)] for p in reversed(list(li.find_parents("ul")))]
        child = li.find("ul")
        classes = list(li.get("class", []))
        has_children = "has-children" in classes
        base = [c for c in classes if c != "has-children"]
        link = li.find("a", recursive=False)
        target, anchor = None, ""
        entry = _Entry(
            target=None,
            anchor="",
            base_classes=" ".join(base),
            has_children=has_children,
            ancestors=ancestors,
            lists=lists,
            own_list=ul_index[id(child)] if child is not None else None,
        )
        entry.slots["li"] = len(acc.neutral)
        li["class"] = acc.slot(" ".join(classes))
        if link is not None and "internal" in link.get("class", []):
            href = link.get("href", "")
            path, _, frag = href.partition("#")
            anchor = f"#{frag}" if frag else ""
            target = uri_to_doc.get(path) if path else root
            if target is None:
                msg = f"navigation link {href!r} does not match any document"
                raise RuntimeError(msg)
            entry.target, entry.anchor = target, anchor
            entry.slots["a"] = len(acc.neutral)
            link["class"] = acc.slot(" ".join(link["class"]))
            entry.slots["href"] = len(acc.neutral)
            link["href"] = acc.slot(href)
        checkbox = li.find("input", class_="toctree-checkbox", recursive=False)
        if checkbox is not None:
            # ``checked`` sorts between ``aria-label`` and ``class``: close the label's quote.
            entry.slots["checked"] = len(acc.neutral)
            checkbox["aria-label"] = checkbox["aria-label"] + acc.slot("")
        entries.append(entry)

    by_target: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        if entry.target is not None and not entry.anchor:
            by_target.setdefault(entry.target, []).append(i)

    # Serialise once; split at the slot markers.
    pieces = _SLOT.split(str(soup))
    parts, order = pieces[0::2], [int(n) for n in pieces[1::2]]
    if sorted(order) != list(range(len(acc.neutral))):
        msg = "navigation slots were lost when serialising the tree"
        raise RuntimeError(msg)
    return _Template(parts, order, acc.neutral, entries, ul_slots, by_target, target_uris)


class _Navigation:
    """Per-process cache of the template and of link targets per output directory."""

    def __init__(self, template: _Template, target_uri: Callable[[str], str]) -> None:
        self.template = template
        self.target_uri = target_uri
        self._hrefs: dict[str, list[tuple[int, str]]] = {}

    def _links_from(self, base_uri: str) -> list[tuple[int, str]]:
        """(slot, href) for every internal link, as seen from a page at *base_uri*."""
        key = posixpath.dirname(base_uri)
        if key not in self._hrefs:
            t = self.template
            # A probe file name in the same directory: only the directory matters, except for
            # links to the page itself, which ``render`` fixes up.
            probe = posixpath.join(key, "\ue002")
            self._hrefs[key] = [
                (e.slots["href"], relative_uri(probe, t.target_uris[e.target]) + e.anchor)
                for e in t.entries
                if e.target is not None
            ]
        return self._hrefs[key]

    def render(self, docname: str, rewrite: Callable[[str], str] | None = None) -> str:
        """The navigation as furo renders it on *docname*'s page.

        *rewrite*, if given, maps each link as a page's own toctree hook would (the 404 page).
        """
        t = self.template
        values = list(t.neutral)
        own_uri = t.target_uris.get(docname) or self.target_uri(docname)
        for slot, href in self._links_from(own_uri):
            values[slot] = rewrite(href) if rewrite else href
        # Links to the page itself: Sphinx writes "" (or just the anchor), shown as "#".
        for e in t.entries:
            if e.target == docname:
                values[e.slots["href"]] = e.anchor or "#"

        current: set[int] = set()
        current_lists: set[int] = set()
        for i in t.by_target.get(docname, ()):
            current.update(t.entries[i].ancestors)
            current.add(i)
            current_lists.update(t.entries[i].lists)
            values[t.entries[i].slots["a"]] = "current " + t.neutral[t.entries[i].slots["a"]]
        for n in current_lists:
            values[t.ul_slots[n]] = "current"
        for i in sorted(current):
            e = t.entries[i]
            classes = [e.base_classes, "current"]
            if e.has_children:
                classes.append("has-children")
                values[e.slots["checked"]] = '" checked="'
            values[e.slots["li"]] = " ".join(classes)
        if current:
            last = t.entries[max(current)]
            values[last.slots["li"]] += " current-page"
        html = t.render(values)
        # An empty class slot must not leave ``class=""`` behind on a <ul>.
        return html.replace('<ul class="">', "<ul>")


_NAV_KEY = "_fast_navigation"
_STOCK_KEY = "_fast_navigation_stock"


def _root_navigation(app: Sphinx) -> str:
    """furo's navigation for the root document, computed once per build."""
    html = getattr(app, _STOCK_KEY, None)
    if html is None:
        html = _stock_navigation(app.builder, app.config.root_doc)  # type: ignore[arg-type]
        setattr(app, _STOCK_KEY, html)
    return html


def _install(app: Sphinx, builder: Builder) -> None:
    """Build the template in the main process, before parallel writers fork."""
    if not _enabled(app):
        return
    template = _build_template(builder, _root_navigation(app))  # type: ignore[arg-type]
    setattr(app, _NAV_KEY, _Navigation(template, builder.get_target_uri))


def _enabled(app: Sphinx) -> bool:
    enabled = FastNavigationConfig.of(app.config).enabled
    return enabled and app.builder.format == "html" and _is_furo(app)


def _is_furo(app: Sphinx) -> bool:
    return getattr(app.builder, "theme", None) is not None and app.config.html_theme == "furo"


def _patch_furo(app: Sphinx) -> None:
    """Route furo's per-page navigation through the shared template."""
    import furo

    original: Callable[[dict[str, Any]], str] = furo._compute_navigation_tree

    def compute(context: dict[str, Any]) -> str:
        nav: _Navigation | None = getattr(app, _NAV_KEY, None)
        pagename = context.get("pagename", "")
        if nav is None or "toctree" not in context:
            return original(context)
        if pagename == getattr(app.config, "notfound_pagename", None):
            return nav.render(pagename, _notfound_links(app))
        if pagename not in nav.template.target_uris and pagename not in _GENERATED:
            # Another page that is not a document: furo's own code path.
            return original(context)
        return nav.render(pagename)

    furo._compute_navigation_tree = compute  # type: ignore[attr-defined]


def _notfound_links(app: Sphinx) -> Callable[[str], str]:
    """sphinx-notfound-page's link rewriting for the 404 page's sidebar, as in its
    ``replace_uris``: absolute paths under ``notfound_urls_prefix``, so the page works at any
    URL depth (``tests/test_fast_navigation.py`` compares the result with stock furo's)."""
    prefix = app.config.notfound_urls_prefix or "/"
    dirhtml = app.builder.name == "dirhtml"

    def rewrite(href: str) -> str:
        if dirhtml and href.startswith("../"):
            href = href.replace("../", "")
        if re.match("^https?://", href):
            return href
        return f"{prefix}{href}"

    return rewrite


# Generated pages whose sidebar is the plain site tree.
_GENERATED = frozenset({"genindex", "search", "py-modindex"})


def _rewrite_all_if_navigation_changed(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """Mark every page for writing when the shared navigation differs from the last build's.

    The signature is the navigation itself (titles, order, captions, nesting, links), so any
    change that shows in a sidebar is caught, and nothing else triggers a full rewrite.
    """
    if not _enabled(app):
        return []
    new = hashlib.sha256(_root_navigation(app).encode()).hexdigest()
    old = getattr(env, "fast_navigation_signature", None)
    env.fast_navigation_signature = new  # type: ignore[attr-defined]
    if old is not None and old != new:
        logger.info("navigation changed: rewriting every page")
        return sorted(env.found_docs)
    return []


def setup(app: Sphinx) -> ExtensionMetadata:
    FastNavigationConfig.declare(app)
    app.connect("builder-inited", _patch_furo)
    app.connect("write-started", _install)
    app.connect("env-updated", _rewrite_all_if_navigation_changed)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
