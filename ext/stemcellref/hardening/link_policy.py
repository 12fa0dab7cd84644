"""Refuse links whose scheme is not http, https or mailto (or a relative link).

A health site must never publish a ``javascript:`` (or ``data:``, ``file:``, ``vbscript:`` ...)
link, whether it comes from a Markdown link, an autolink or raw HTML in a page. Every such link
is a located error (``docs/page.md:LINE: ERROR: ... [hardening.link_scheme]``), recorded with
:mod:`stemcellref.shared.problems` so that it fails every strict build until it is fixed.

Three places are checked when a page is read (``doctree-read``):

* ``reference`` nodes: their ``refuri``;
* raw HTML nodes: every URL-carrying attribute, parsed with :mod:`html.parser` (which also
  decodes character references, so ``&#106;avascript:`` is caught);
* text that still looks like a Markdown link or autolink: markdown-it refuses to turn
  ``[x](javascript:...)`` into a link and leaves it as literal text, which would publish the
  author's broken intent silently.

Config (:class:`LinkPolicyConfig`): ``link_policy_schemes`` (default
``("http", "https", "mailto")``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from stemcellref.hardening import WARNINGS
from stemcellref.shared import problems
from stemcellref.shared.config import ConfigRecord, non_empty_strings, setting
from stemcellref.shared.problems import node_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


@dataclass(frozen=True, slots=True)
class LinkPolicyConfig(ConfigRecord):
    """``link_policy_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "link_policy_"

    schemes: tuple[str, ...] | list[str] = setting(
        ("http", "https", "mailto"), types=(tuple, list), rebuild="env", check=non_empty_strings,
        doc="URL schemes pages may link to (relative links are always allowed)",
    )  # fmt: skip


# Attributes whose value a browser follows or fetches as a URL.
URL_ATTRS = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "cite", "background",
     "longdesc", "ping", "xlink:href", "srcset", "imagesrcset"}
)  # fmt: skip
# The WHATWG URL parser drops ASCII tab and newlines anywhere and C0 controls/space at the ends,
# so "java\tscript:" is a javascript: URL to a browser: normalise the same way before checking.
_STRIPPED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Markdown link or autolink syntax left as text because markdown-it refused the destination.
_TEXT_LINK = re.compile(r"\]\(\s*<?([^\s<>]+)|<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>")


def url_scheme(url: str) -> str | None:
    """The lower-case scheme a browser would see in ``url``, or None for a relative URL."""
    cleaned = _STRIPPED.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                           "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                           "\x1b\x1c\x1d\x1e\x1f ")  # fmt: skip
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


class _AttrCollector(HTMLParser):
    """Collect ``(line offset, tag, attribute, value)`` for URL attributes in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        for name, value in attrs:
            if name in URL_ATTRS and value:
                if name.endswith("srcset"):  # "url 2x, url 640w": the URL is each first word
                    urls = [part.split()[0] for part in value.split(",") if part.strip()]
                else:
                    urls = [value]
                self.found += [(line, tag, name, url) for url in urls]

    handle_startendtag = handle_starttag


def _text_lines(block: nodes.Element) -> dict[int, int]:
    """Map id() of each Text node in ``block`` to its line (MyST soft breaks are Text "\\n")."""
    start = node_line(block)
    if start is None:
        return {}
    lines, line = {}, start
    for text in block.findall(nodes.Text):
        lines[id(text)] = line
        line += text.count("\n")
    return lines


def check_links(app: Sphinx, doctree: nodes.document) -> None:
    """Record a located error for every link with a disallowed scheme in a page just read."""
    allowed = {s.lower() for s in LinkPolicyConfig.of(app.config).schemes}
    shown = ", ".join(sorted(allowed))

    def refuse(url: str, where: str, line: int | None, node: nodes.Node | None = None) -> None:
        message = (
            f"link with disallowed scheme {f'{url_scheme(url)}:'!r} in {where}: {url!r} "
            f"(allowed: {shown}, or a relative link)"
        )
        problems.record(app.env, WARNINGS, "link_scheme", message, line=line, node=node)

    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri")
        if uri and (scheme := url_scheme(uri)) and scheme not in allowed:
            refuse(uri, "a link", None, ref)

    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        parser = _AttrCollector()
        parser.feed(raw.astext())
        parser.close()
        base = node_line(raw)
        for offset, tag, attr, url in parser.found:
            if (scheme := url_scheme(url)) and scheme not in allowed:
                line = base + offset if base else None
                refuse(url, f"raw HTML <{tag} {attr}>", line)

    line_cache: dict[int, dict[int, int]] = {}
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        if isinstance(parent, (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.comment)):
            continue
        for match in _TEXT_LINK.finditer(text):
            url = match.group(1) or match.group(2)
            if url.count(")") > url.count("("):  # the ")" that closes the Markdown link
                url = url[: url.rindex(")")]
            if not (scheme := url_scheme(url)) or scheme in allowed:
                continue
            block = parent
            while isinstance(block, nodes.Inline) and block.parent is not None:
                block = block.parent
            lines = line_cache.setdefault(id(block), _text_lines(block))
            line = lines.get(id(text))
            if line is not None:
                line += text[: match.start()].count("\n")
            refuse(url, "Markdown link syntax left as text (not rendered as a link)", line)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.shared.problems")
    LinkPolicyConfig.declare(app)
    app.connect("doctree-read", check_links)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
