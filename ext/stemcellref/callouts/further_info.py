"""The ``further-info`` callout and the site-wide ``further-info-index`` list.

Usage (MyST)::

    :::{further-info} Questions to ask before any stem cell treatment
    :url: https://www.closerlookatstemcells.org/stem-cells-medicine/stem-cell-treatments-what-to-ask/
    :publisher: International Society for Stem Cell Research (ISSCR)
    :accessed: 2026-11-01

    Optional body: why this source is worth reading.
    :::

    :::{further-info-index}
    :::

The title is optional (default "Further information"); ``:url:``, ``:publisher:`` and
``:accessed:`` are optional too, but a callout needs a URL or a body. ``:name:`` fixes the
anchor id (otherwise a slug of the title, with a counter for repeats on one page).

HTML builders get an ``<aside>`` landmark named by its heading, with an inline SVG icon and a
source line ("Publisher · linked title · accessed 1 November 2026"); other builders (text,
LaTeX, man, texinfo, epub) get an ordinary admonition with the URL written out.

Every callout is recorded in the environment by :class:`FurtherInfoCollector` (purged and
merged, so ``-j`` and incremental builds stay right). ``further-info-index`` emits a placeholder
that is filled at ``doctree-resolved`` from those records, and pages holding it are re-read
whenever any page is added, changed or removed, so the list follows every edit.
``further_info_index_exclude`` (docname patterns, default none) keeps pages such as the
contributor guide's live examples out of the list.

Bad input (a non-http(s) URL, a malformed or future ``:accessed:`` date, an empty publisher,
an unknown option, a callout with neither URL nor body) is a located error,
``docs/page.md:LINE: ERROR: further-info: ... [callouts.url]``, recorded with
:mod:`stemcellref.shared.problems` so every build reports it until it is fixed. The build
date is ``SOURCE_DATE_EPOCH`` when set, else today (UTC).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from stemcellref.callouts import WARNINGS
from stemcellref.shared import problems
from stemcellref.shared.assets import register_assets
from stemcellref.shared.config import ConfigRecord, setting, strings
from stemcellref.shared.dates import ISO_DATE, build_date, format_date
from stemcellref.shared.options import any_option, option_line
from stemcellref.shared.store import DocStoreCollector, doc_dict, doc_set

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator


#: Message catalog domain of this extension's strings: marked for translation, though no
#: catalog ships yet (one would be registered with ``app.add_message_catalog``).
CATALOG = "further_info"
_ = get_translation(CATALOG)


@dataclass(frozen=True, slots=True)
class FurtherInfoConfig(ConfigRecord):
    """``further_info_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "further_info_"

    index_exclude: list[str] | tuple[str, ...] = setting(
        [], types=(list, tuple), rebuild="html", check=strings,
        doc="docname patterns (fnmatch) whose callouts the index leaves out",
    )  # fmt: skip


SEPARATOR = " · "
REL = "noopener noreferrer"
ID_PREFIX = "further-info"
#: builder formats whose index entries link to the callouts (others list the titles only)
LINKED_FORMATS = frozenset({"html", "latex", "texinfo"})
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?")
# Characters kept as they are in an href: RFC 3986 reserved and unreserved characters plus "%"
# (existing escapes). Anything else ("<", '"', non-ASCII ...) is percent-encoded.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"
# Decorative, so hidden from assistive technology; drawn with currentColor for dark mode.
ICON_SVG = (
    '<svg class="further-info-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" '
    'height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
    'stroke-linejoin="round"><path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 '
    '20.5z"/><path d="M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5"/><path d="M9 8h7M9 12h5"/></svg>'
)


# -- Nodes -------------------------------------------------------------------------


class further_info(nodes.admonition):  # noqa: N801 (docutils node naming)
    """A callout. A generic admonition underneath, so every writer has a fallback.

    Attributes: ``url`` (normalised, or absent), ``publisher``, ``accessed`` (ISO date),
    ``title``, ``explicit_title`` (False when the default title was used).
    """


class further_info_title(nodes.title):  # noqa: N801
    """The callout's heading: a ``role="heading"`` paragraph in HTML, kept out of the TOC."""


class further_info_date(nodes.inline):  # noqa: N801
    """The "accessed" date; ``<time datetime>`` in HTML. Attribute ``date``: ISO date."""


class further_info_index(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for the site-wide list, replaced at ``doctree-resolved``."""


# -- Validation -------------------------------------------------------------------


def check_url(value: str) -> tuple[str | None, str | None]:
    """Return ``(normalised URL, None)`` or ``(None, reason)``.

    Only absolute http(s) URLs with a plausible host pass. Characters a browser would
    percent-encode anyway are encoded here, so the href is valid HTML and XML everywhere.
    """
    if not value:
        return None, "it is empty"
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value):
        return None, "it contains spaces or control characters"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a malformed port
    except ValueError as exc:
        return None, f"it is malformed ({exc})"
    if parts.scheme.lower() not in {"http", "https"}:
        scheme = parts.scheme.lower()
        return None, f"the scheme {scheme!r} is not allowed" if scheme else "it is relative"
    if not value.lower().startswith(f"{parts.scheme.lower()}://"):
        return None, "it has no host"
    if parts.username is not None or parts.password is not None:
        return None, "it must not contain a user name or password"
    host = parts.hostname or ""
    if host.startswith("[") or ":" in host:
        try:
            ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            return None, f"its host {host!r} is malformed"
        ascii_host = f"[{host.strip('[]')}]"
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii") if host else ""
        except UnicodeError:
            return None, f"its host {host!r} is malformed"
        if not ascii_host or not _HOST.fullmatch(ascii_host):
            return None, f"its host {host!r} is malformed" if host else "it has no host"
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    url = urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )
    return url, None


def check_accessed(value: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """Return ``(date, None)`` or ``(None, reason)``; dates after ``today`` are refused."""
    if not ISO_DATE.fullmatch(value):
        return None, f"must be an ISO date (YYYY-MM-DD), not {value!r}"
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        return None, f"{value!r} is not a valid date ({exc})"
    if day > today:
        return None, f"{value} is in the future (the build date is {today.isoformat()})"
    return day, None


# -- Directives -------------------------------------------------------------------


KNOWN_OPTIONS = ("url", "publisher", "accessed", "name", "class")


class FurtherInfo(SphinxDirective):
    """``further-info``: a cited "further information" callout."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str | None], str]]] = any_option(*KNOWN_OPTIONS)

    def option_line(self, name: str) -> int:
        return option_line(self, name)

    def run(self) -> list[nodes.Node]:
        def error(subtype: str, message: str, line: int) -> None:
            problems.record(self.env, WARNINGS, subtype, f"further-info: {message}", line=line)

        for name in self.options:
            if name not in KNOWN_OPTIONS:
                allowed = ", ".join(f":{known}:" for known in KNOWN_OPTIONS)
                error("option", f"unknown option :{name}:; use {allowed}", self.option_line(name))

        url = None
        if "url" in self.options:
            url, reason = check_url(self.options["url"].strip())
            if reason:
                message = (
                    f":url: {self.options['url']!r} is not an absolute http(s) URL: {reason}; "
                    "copy the full address, starting with https://"
                )
                error("url", message, self.option_line("url"))
        publisher = None
        if "publisher" in self.options:
            publisher = " ".join(self.options["publisher"].split())
            if not publisher:
                error("publisher",
                      ":publisher: is empty; name who publishes the source or leave it out",
                      self.option_line("publisher"))  # fmt: skip
                publisher = None
        accessed = None
        if "accessed" in self.options:
            accessed, reason = check_accessed(self.options["accessed"].strip(), build_date())
            if reason:
                error("accessed", f":accessed: {reason}", self.option_line("accessed"))

        body = self.parse_content_to_nodes() if self.content else []
        if not body and "url" not in self.options:
            error("empty", "a callout needs a :url: or a body (or both)", self.lineno)
            return []

        explicit = bool(self.arguments and self.arguments[0].strip())
        title = " ".join(self.arguments[0].split()) if explicit else str(_("Further information"))
        node = further_info(
            self.block_text,
            classes=[
                ID_PREFIX,
                *filter(None, map(nodes.make_id, self.options.get("class", "").split())),
            ],
            title=title,
            explicit_title=explicit,
        )
        self.set_source_info(node)
        if url:
            node["url"] = url
        if publisher:
            node["publisher"] = publisher
        if accessed:
            node["accessed"] = accessed.isoformat()

        self.assign_ids(node, title)
        heading = further_info_title(title, title, ids=[f"{node['ids'][0]}-title"])
        self.state.document.set_id(heading)
        node += heading
        node += body
        for ref in node.findall(nodes.reference):
            if ref.get("refuri", "").startswith(("http://", "https://")):
                ref["rel"] = REL
        source = self.source_line(title if explicit else None, url, publisher, accessed)
        if source is not None:
            node += source
        return [node]

    def assign_ids(self, node: further_info, title: str) -> None:
        """Stable anchor: from ``:name:``, else ``further-info-<title slug>[-N]``."""
        document = self.state.document
        if self.options.get("name"):
            self.add_name(node)  # also registers the target and its id
            return
        base = nodes.make_id(f"{ID_PREFIX}-{title}") or ID_PREFIX
        anchor, counter = base, 1
        while anchor in document.ids or f"{anchor}-title" in document.ids:
            counter += 1
            anchor = f"{base}-{counter}"
        node["ids"].append(anchor)
        document.set_id(node)

    @staticmethod
    def source_line(
        title: str | None, url: str | None, publisher: str | None, accessed: dt.date | None
    ) -> nodes.paragraph | None:
        """``Publisher · <a href=url>title or URL</a> · accessed 1 November 2026``."""
        parts: list[nodes.Node] = []
        if publisher:
            parts.append(nodes.inline(publisher, publisher, classes=["further-info-publisher"]))
        if url:
            text = title or url
            link = nodes.reference(text, text, refuri=url, rel=REL, classes=["further-info-link"])
            if text == url:
                link["classes"].append("further-info-bare-url")
            parts.append(link)
        if accessed:
            label = str(_("accessed %s")) % format_date(accessed)
            parts.append(
                further_info_date(label, label, date=accessed.isoformat(),
                                  classes=["further-info-accessed"])
            )  # fmt: skip
        if not parts:
            return None
        para = nodes.paragraph(classes=["further-info-source"])
        for index, part in enumerate(parts):
            if index:
                para += nodes.Text(SEPARATOR)
            para += part
        return para


class FurtherInfoIndex(SphinxDirective):
    """``further-info-index``: every callout on the site, grouped by publisher."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str | None], str]]] = {}

    def run(self) -> list[nodes.Node]:
        node = further_info_index()
        self.set_source_info(node)
        return [node]


# -- Environment data -------------------------------------------------------------


class Callout(NamedTuple):
    """What the index needs about one callout (picklable, no nodes)."""

    docname: str
    anchor: str
    title: str
    url: str | None
    publisher: str | None
    accessed: str | None
    line: int | None


def callouts(env: BuildEnvironment) -> dict[str, list[Callout]]:
    """``docname -> callouts`` in page order, stored on the environment."""
    return doc_dict(env, "further_info_callouts")


def index_pages(env: BuildEnvironment) -> set[str]:
    """Docnames holding a ``further-info-index``."""
    return doc_set(env, "further_info_index_pages")


def _shown_text(node: further_info, kind: type[nodes.Element], default: str | None) -> str | None:
    """The text as readers see it (after smart quotes), so the index matches the page."""
    if default is None:
        return None
    for child in node.findall(kind):
        if kind is further_info_title or "further-info-publisher" in child["classes"]:
            return child.astext()
    return default


class FurtherInfoCollector(DocStoreCollector):
    """Record every callout and every index page, per document."""

    stores: ClassVar[dict[str, type]] = {
        "further_info_callouts": dict,
        "further_info_index_pages": set,
    }

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.current_document.docname
        found = [
            Callout(docname, node["ids"][0], _shown_text(node, further_info_title, node["title"]),
                    node.get("url"), _shown_text(node, nodes.inline, node.get("publisher")),
                    node.get("accessed"), node.line)
            for node in doctree.findall(further_info)
        ]  # fmt: skip
        if found:
            callouts(env)[docname] = found
        if any(doctree.findall(further_info_index)):
            index_pages(env).add(docname)


def outdated_index_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> Iterable[str]:
    """Re-read (and so re-write) index pages whenever any page comes, changes or goes."""
    if added or changed or removed:
        return sorted(index_pages(env) - removed)
    return []


# -- Resolving the index and the non-HTML fallback --------------------------------


def rich_html(builder: Builder) -> bool:
    """Builders that get the ``<aside>`` rendering (epub readers get a plain admonition)."""
    return builder.format == "html" and not builder.name.startswith("epub")


def _sort_key(text: str) -> str:
    """Case- and accent-insensitive sort key that does not depend on the locale."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _section_depth(node: nodes.Node) -> int:
    depth, parent = 0, node.parent
    while parent is not None:
        depth += isinstance(parent, nodes.section)
        parent = parent.parent
    return depth


def build_index(app: Sphinx, fromdocname: str, level: int) -> list[nodes.Node]:
    """Rubric per publisher (a real heading, outside the TOC), then a list of links."""
    env = app.env
    excluded = FurtherInfoConfig.of(app.config).index_exclude
    groups: dict[str | None, list[Callout]] = {}
    for docname in sorted(callouts(env)):
        if any(fnmatch.fnmatchcase(docname, pattern) for pattern in excluded):
            continue
        for callout in callouts(env)[docname]:
            groups.setdefault(callout.publisher, []).append(callout)
    if not groups:
        text = str(_("No further-information callouts yet."))
        return [nodes.paragraph(text, text, classes=["further-info-index-empty"])]

    def page_title(docname: str) -> str:
        title = env.titles.get(docname)
        return title.astext() if title is not None else docname

    result: list[nodes.Node] = []
    order = sorted(groups, key=lambda p: (p is None, _sort_key(p or ""), p or ""))
    for publisher in order:
        label = publisher or str(_("Other sources"))
        result.append(
            nodes.rubric(label, label, classes=["further-info-index-publisher"],
                         **{"heading-level": level})
        )  # fmt: skip
        items = nodes.bullet_list(classes=["further-info-index-list"])
        entries = sorted(
            groups[publisher],
            key=lambda c: (
                _sort_key(c.title),
                _sort_key(page_title(c.docname)),
                c.docname,
                c.anchor,
            ),
        )
        for callout in entries:
            para = nodes.paragraph()
            ref = nodes.reference("", callout.title, internal=True)
            try:
                if app.builder.format not in LINKED_FORMATS:
                    raise NoUri  # man pages would print the bare "#anchor"
                uri = app.builder.get_relative_uri(fromdocname, callout.docname)
                # singlehtml's page URIs carry a fragment already: replace it.
                ref["refuri"] = f"{uri.partition('#')[0]}#{callout.anchor}"
            except NoUri:
                ref = nodes.inline(callout.title, callout.title)
            para += ref
            where = str(_("in %s")) % page_title(callout.docname)
            para += nodes.Text(" (")
            para += nodes.inline(where, where, classes=["further-info-index-page"])
            para += nodes.Text(")")
            items += nodes.list_item("", para)
        result.append(items)
    return result


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill index placeholders; write URLs out for builders without clickable links."""
    for placeholder in list(doctree.findall(further_info_index)):
        level = max(2, min(6, _section_depth(placeholder) + 1))
        content = build_index(app, docname, level)
        container = nodes.container(classes=["further-info-index"])
        container.extend(content)
        container.source, container.line = placeholder.source, placeholder.line
        placeholder.replace_self(container)
    if rich_html(app.builder):
        return
    for callout in list(doctree.findall(further_info)):
        if app.builder.format == "text":
            _plain_text_callout(callout)
        else:
            _write_url_out(callout)


def _source_link(callout: further_info) -> nodes.reference | None:
    for link in callout.findall(nodes.reference):
        if "further-info-link" in link["classes"]:
            return link
    return None


def _write_url_out(callout: further_info) -> None:
    """``Title (https://...)``: a link whose text is its URL shows that URL in every writer,
    and the epub/LaTeX/man "show URLs" options skip it instead of repeating it."""
    link = _source_link(callout)
    if link is None or "further-info-bare-url" in link["classes"]:
        return
    url = link["refuri"]
    bare = nodes.reference(
        url, url, refuri=url, classes=["further-info-link", "further-info-bare-url"]
    )
    text = link.astext()
    link.replace_self([nodes.inline(text, text), nodes.Text(" ("), bare, nodes.Text(")")])


def _plain_text_callout(callout: further_info) -> None:
    """Plain text: the URL on a line of its own (never wrapped at a hyphen), the body indented
    under a "Title:" line. (The text writer runs paragraphs that sit directly in an admonition
    together, so the body goes into a block quote.)"""
    link = _source_link(callout)
    if link is not None:
        url = link["refuri"]
        para = link.parent
        if "further-info-bare-url" in link["classes"]:
            index = para.index(link)
            drop = index - 1 if index else index + 1  # the separator next to the URL
            for node in sorted({link, *para[drop : drop + 1]}, key=para.index, reverse=True):
                para.remove(node)
        else:
            text = link.astext()
            link.replace_self(nodes.inline(text, text))
        block = nodes.literal_block(url, url, classes=["further-info-url"])
        if len(para):
            para.parent.insert(para.parent.index(para) + 1, block)
        else:
            para.replace_self(block)
    callout[1:] = [nodes.block_quote("", *callout.children[1:])]


# -- Writers ----------------------------------------------------------------------


def visit_further_info_html(self: HTML5Translator, node: further_info) -> None:
    if not rich_html(self.builder):
        self.visit_admonition(node)
        return
    self.body.append(
        self.starttag(node, "aside", "", **{"aria-labelledby": f"{node['ids'][0]}-title"})
    )


def depart_further_info_html(self: HTML5Translator, node: further_info) -> None:
    if not rich_html(self.builder):
        self.depart_admonition(node)
        return
    self.body.append("</aside>\n")


def visit_title_html(self: HTML5Translator, node: further_info_title) -> None:
    if not rich_html(self.builder):
        self.visit_title(node)
        return
    # One level below the enclosing section's heading; never a TOC entry.
    level = max(2, min(6, self.section_level + 1))
    attrs = {"role": "heading", "aria-level": str(level), "CLASS": "further-info-title"}
    self.body.append(self.starttag(node, "p", "", **attrs) + ICON_SVG)


def depart_title_html(self: HTML5Translator, node: further_info_title) -> None:
    if not rich_html(self.builder):
        self.depart_title(node)
        return
    self.body.append("</p>\n")


def visit_date_html(self: HTML5Translator, node: further_info_date) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["date"]))


def depart_date_html(self: HTML5Translator, node: further_info_date) -> None:
    self.body.append("</time>")


def _as(method: str) -> Callable[[nodes.NodeVisitor, nodes.Node], None]:
    """A visitor that delegates to the translator's own ``method`` (admonition, title ...)."""

    def visit(self: nodes.NodeVisitor, node: nodes.Node) -> None:
        getattr(self, method)(node)

    visit.__name__ = method
    return visit


def _fallback(kind: str) -> tuple[Callable[..., None], Callable[..., None]]:
    return _as(f"visit_{kind}"), _as(f"depart_{kind}")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.shared.problems")
    register_assets(app, __file__, css=["further-info.css"])
    others = ("latex", "text", "man", "texinfo")
    app.add_node(
        further_info,
        html=(visit_further_info_html, depart_further_info_html),
        **{name: _fallback("admonition") for name in others},
    )
    app.add_node(
        further_info_title,
        html=(visit_title_html, depart_title_html),
        **{name: _fallback("title") for name in others},
    )
    app.add_node(
        further_info_date,
        html=(visit_date_html, depart_date_html),
        **{name: _fallback("inline") for name in others},
    )
    FurtherInfoConfig.declare(app)
    app.add_node(further_info_index)
    app.add_directive("further-info", FurtherInfo)
    app.add_directive("further-info-index", FurtherInfoIndex)
    app.add_env_collector(FurtherInfoCollector)
    app.connect("env-get-outdated", outdated_index_pages)
    app.connect("doctree-resolved", resolve)
    return {
        "version": "1.0",
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
