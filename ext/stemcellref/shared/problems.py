"""Page problems: recorded while a page is read, reported on every build until fixed.

Sphinx re-reads only the pages that changed, so a message logged while a page is read is not
logged again on an unchanged rebuild, and a strict build that failed once would then pass. An
extension therefore *records* each located problem in a per-document store on the environment
(cleared when the page is re-read, merged back from ``-j`` workers) instead of logging it; this
extension reports every stored problem through Sphinx's logger at ``env-updated``, once per
build, in the main process::

    docs/page.md:12: ERROR: further-info: :url: 'javascript:x' is not ... [callouts.url]

Each family declares one :class:`WarningType` with its subtypes, so every message can be
silenced (``suppress_warnings = ["callouts.url"]``) or re-reported the same way.

Problems that depend on something other than the page (the build date, say) are not stored:
an extension returns them from a handler of the ``stemcellref-problems`` event, which runs on
every build just before the report.

Usage in an extension::

    from stemcellref.shared.problems import record

    def setup(app):
        app.setup_extension("stemcellref.shared.problems")

    # while reading a document (a directive, a role, doctree-read, an env collector):
    record(self.env, WARNINGS, "url", "further-info: :url: ... is not ...", line=self.lineno)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from docutils.utils import get_source_line
from sphinx.util import logging
from sphinx.util.logging import get_node_location

from stemcellref.shared.order import REPORT_PROBLEMS
from stemcellref.shared.store import DocStoreCollector, doc_dict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)

STORE = "stemcellref_problems"
#: Emitted at ``env-updated`` with ``(env)``; handlers return ``(docname, Problem)`` pairs.
LATE_PROBLEMS_EVENT = "stemcellref-problems"
Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class WarningType:
    """A family's warning type (``[name.subtype]`` in messages) and what each subtype means."""

    name: str
    subtypes: Mapping[str, str]

    def subtype(self, subtype: str) -> str:
        if subtype not in self.subtypes:
            msg = f"undeclared warning subtype {self.name}.{subtype}"
            raise ValueError(msg)
        return subtype

    def log(
        self,
        level: Level,
        message: str,
        subtype: str,
        *,
        location: object = None,
    ) -> None:
        """Log now, with this type (for build-wide messages that belong to no page)."""
        log = logger.error if level == "error" else logger.warning
        log(message, location=location, type=self.name, subtype=self.subtype(subtype))


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem of a page (picklable: stored on the environment).

    ``location`` (``path:line``) is set when the problem was found in a node whose source is
    known, which may be a file the page includes; otherwise the page and ``line`` locate it.
    """

    line: int | None
    type: str
    subtype: str
    message: str
    level: Level = "error"
    location: str | None = None


def problems(env: BuildEnvironment) -> dict[str, list[Problem]]:
    """docname -> problems recorded when that document was last read."""
    return doc_dict(env, STORE)


def record(
    env: BuildEnvironment,
    kind: WarningType,
    subtype: str,
    message: str,
    *,
    line: int | None = None,
    node: nodes.Node | None = None,
    docname: str | None = None,
    level: Level = "error",
) -> None:
    """Record a problem of ``docname`` (default: the document being read).

    Locate it by ``line`` in the page, or by ``node`` (its own source file and line).
    """
    location = None
    if node is not None:
        location = get_node_location(node)
        line = get_source_line(node)[1]
    problem = Problem(line, kind.name, kind.subtype(subtype), message, level, location)
    problems(env).setdefault(docname or env.current_document.docname, []).append(problem)


def node_line(node: nodes.Node | None) -> int | None:
    """The source line of ``node`` or of its nearest ancestor that has one."""
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return None


class ProblemCollector(DocStoreCollector):
    """Clears a document's problems when it is re-read; merges them back from workers."""

    stores: ClassVar[dict[str, type]] = {STORE: dict}

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Problems are recorded by the extensions themselves while the page is read."""


def report(app: Sphinx, env: BuildEnvironment) -> None:
    """Log every recorded and late problem, by page and line (main process, every build)."""
    found: dict[str, list[Problem]] = {doc: list(ps) for doc, ps in problems(env).items()}
    for results in app.events.emit(LATE_PROBLEMS_EVENT, env):
        for docname, problem in results or ():
            found.setdefault(docname, []).append(problem)
    for docname in sorted(found):
        if docname not in env.found_docs:
            continue  # removed since it was read
        for problem in sorted(found[docname], key=lambda p: p.line or 0):
            log = logger.error if problem.level == "error" else logger.warning
            log(
                problem.message,
                location=problem.location or (docname, problem.line),
                type=problem.type,
                subtype=problem.subtype,
            )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_event(LATE_PROBLEMS_EVENT)
    app.add_env_collector(ProblemCollector)
    app.connect("env-updated", report, priority=REPORT_PROBLEMS)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
