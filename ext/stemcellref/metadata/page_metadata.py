"""Page metadata: each content page's front matter, validated and kept in the environment.

Every content page starts with::

    ---
    description: One-sentence summary, at most 160 characters.
    last_reviewed: 2026-11-20
    next_review: 2027-11-20
    changes:
      - date: 2026-11-20
        summary: First published.
    ---

``changes`` lists substantive updates, newest first; the oldest is the publication. A page
that is not content (a search help page, say) opts out with ``content: false``.

A page signed off by a clinical reviewer also says who, as what, and when (all three required;
never invent a reviewer)::

    clinical_review:
      name: Dr A. Person
      role: Consultant haematologist
      date: 2026-12-10

A page without one says in its footer that it was checked against its sources on its
``last_reviewed`` date and awaits clinical sign-off; ``make review`` lists such pages.

This front matter is the single source of truth for the page footer ("Page last reviewed"),
the overdue-review notice, the "What's new" list (:mod:`.whats_new`), the feeds
(:mod:`.feeds`) and the sitemap's ``lastmod`` (:mod:`.sitemap_lastmod`). Those modules read
the records through :func:`page_records` and :func:`site_changes`.

The footer and the notice are this family's templates (``partials/page-meta.html``,
``partials/review-notice.html``), rendered here and placed around the page body, so any theme
template that shows ``{{ body }}`` shows them; the site may override either template.

The records are built by an :class:`~sphinx.environment.collectors.EnvironmentCollector`
(clear/merge), so parallel and incremental builds see exactly what a clean build sees. The
source's front matter is re-read with PyYAML's node API (MyST only keeps JSON strings in
``env.metadata``) so every problem is reported at its own line. Problems are recorded with
:mod:`stemcellref.shared.problems` and reported on *every* build, not only when the page is
re-read, so a strict build keeps failing until the page is fixed.

The build date is ``SOURCE_DATE_EPOCH`` when set, else today (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from stemcellref.metadata import WARNINGS
from stemcellref.shared import problems
from stemcellref.shared.assets import register_assets
from stemcellref.shared.config import ConfigRecord, setting
from stemcellref.shared.dates import ISO_DATE, build_date, format_date
from stemcellref.shared.order import AFTER_BODY_MARKERS
from stemcellref.shared.store import DocStoreCollector, doc_dict

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata


@dataclass(frozen=True, slots=True)
class PageMetadataConfig(ConfigRecord):
    """``page_metadata_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "page_metadata_"

    review_policy: str = setting(
        "", types=str, rebuild="html",
        doc="docname (with an optional #anchor) of the page explaining how pages are reviewed, "
        "linked from each page's review line; '' for no link",
    )  # fmt: skip


DESCRIPTION_MAX = 160
REQUIRED_KEYS = ("description", "last_reviewed", "next_review", "changes")
#: the keys of ``clinical_review``, all required: who signed the page off, as what, and when
CLINICAL_REVIEW_KEYS = ("name", "role", "date")


@dataclass(frozen=True, slots=True)
class Change:
    """One substantive update of a page; ``line`` is where it starts in the source."""

    date: date
    summary: str
    line: int


@dataclass(frozen=True, slots=True)
class Problem:
    """A front-matter error found when the page was read."""

    line: int
    subtype: str
    message: str


@dataclass(frozen=True, slots=True)
class ClinicalReview:
    """The clinical sign-off of a page (``clinical_review`` in the front matter)."""

    name: str
    role: str
    date: date
    line: int


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The normalised front matter of one content page (picklable: stored in the env).

    Fields that failed validation are empty (``""``/``None``/``()``); ``problems`` says why.
    """

    description: str
    last_reviewed: date | None
    next_review: date | None
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...] = ()
    clinical_review: ClinicalReview | None = None

    @property
    def complete(self) -> bool:
        return bool(self.last_reviewed and self.next_review and self.changes)

    @property
    def lastmod(self) -> date | None:
        """The newest of ``last_reviewed`` and the latest change."""
        dates = [d for d in (self.last_reviewed, *(c.date for c in self.changes[:1])) if d]
        return max(dates, default=None)

    def change_anchors(self) -> list[str]:
        """Stable HTML ids for the changes, numbered from the oldest per date.

        Adding a newer change never renames an older one, so ids (and feed GUIDs built
        from them) stay the same for the life of the page.
        """
        seen: dict[date, int] = {}
        anchors: list[str] = []
        for change in reversed(self.changes):
            seen[change.date] = n = seen.get(change.date, 0) + 1
            suffix = f"-{n}" if n > 1 else ""
            anchors.append(f"page-change-{change.date.isoformat()}{suffix}")
        return anchors[::-1]


# -- Reading and validating front matter (also used by scripts/review.py) ----------------


def split_front_matter(text: str) -> tuple[str, int] | None:
    """Return the YAML between the opening and closing ``---`` lines and its first line."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "\n".join(lines[1:end]), 2
    return None


class _Reader:
    """Validate one page's front matter, collecting located problems."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.problems: list[Problem] = []

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def fail(self, line: int, subtype: str, message: str) -> None:
        self.problems.append(Problem(line, subtype, message))

    def text(self, node: yaml.Node, key: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.fail(self.line(node), "value", f"{key} must be text")
            return ""
        value = " ".join(str(node.value).split())
        if not value:
            self.fail(self.line(node), "value", f"{key} must not be empty")
        return value

    def date(self, node: yaml.Node, key: str) -> date | None:
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        if isinstance(raw, str) and ISO_DATE.fullmatch(raw.strip()):
            try:
                return date.fromisoformat(raw.strip())
            except ValueError:
                pass
        shown = repr(raw) if isinstance(raw, str) else "a list or mapping"
        self.fail(self.line(node), "date", f"{key} is {shown}, not an ISO date (YYYY-MM-DD)")
        return None

    def mapping(self, node: yaml.MappingNode) -> dict[str, tuple[int, yaml.Node]]:
        found: dict[str, tuple[int, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in found:
                self.fail(self.line(key_node), "key", f"duplicate front-matter key {key!r}")
            found[key] = (self.line(key_node), value_node)
        return found

    def changes(self, node: yaml.Node, key_line: int) -> tuple[Change, ...]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail(
                key_line,
                "changes",
                "changes must list at least one entry (the oldest is the publication)",
            )
            return ()
        changes: list[Change] = []
        for item in node.value:
            where = self.line(item)
            if not isinstance(item, yaml.MappingNode):
                self.fail(where, "changes", "each change needs a date and a summary")
                continue
            fields = self.mapping(item)
            missing = [k for k in ("date", "summary") if k not in fields]
            if missing:
                self.fail(where, "changes", f"change lacks {' and '.join(missing)}")
                continue
            when = self.date(fields["date"][1], "change date")
            summary = self.text(fields["summary"][1], "change summary")
            if when is None or not summary:
                continue
            if changes and when > changes[-1].date:
                self.fail(
                    where,
                    "order",
                    f"changes must be newest first: {when.isoformat()} is listed "
                    f"after {changes[-1].date.isoformat()}",
                )
            changes.append(Change(when, summary, where))
        return tuple(changes)

    def clinical_review(self, node: yaml.Node, key_line: int) -> ClinicalReview | None:
        """``clinical_review: {name, role, date}``: a real person's sign-off, never invented."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(key_line, "review",
                      "clinical_review must give the reviewer's name, role and date")  # fmt: skip
            return None
        fields = self.mapping(node)
        for key in fields:
            if key not in CLINICAL_REVIEW_KEYS:
                message = f"unknown clinical_review key {key!r}; use name, role and date"
                self.fail(fields[key][0], "review", message)
        missing = [k for k in CLINICAL_REVIEW_KEYS if k not in fields]
        if missing:
            self.fail(key_line, "review", f"clinical_review lacks {' and '.join(missing)}")
            return None
        name = self.text(fields["name"][1], "clinical_review name")
        role = self.text(fields["role"][1], "clinical_review role")
        when = self.date(fields["date"][1], "clinical_review date")
        if not (name and role and when):
            return None
        return ClinicalReview(name, role, when, key_line)


def read_page_meta(text: str) -> PageMeta | None:
    """Parse and validate a page's front matter; ``None`` if it opts out (``content: false``)."""
    found = split_front_matter(text)
    if found is None:
        listed = ", ".join(REQUIRED_KEYS)
        problem = Problem(
            1,
            "missing",
            f"no front matter: a content page needs {listed} "
            "(or `content: false` for a page that is not content)",
        )
        return PageMeta("", None, None, (), (problem,))
    source, offset = found
    reader = _Reader(offset)
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark else offset - 1
        why = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = Problem(line, "yaml", f"front matter is not valid YAML: {why}")
        return PageMeta("", None, None, (), (problem,))
    if root is None:
        root = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        problem = Problem(offset, "yaml", "front matter must be a mapping of keys to values")
        return PageMeta("", None, None, (), (problem,))
    fields = reader.mapping(root)

    if "content" in fields:
        node = fields["content"][1]
        if node.tag != "tag:yaml.org,2002:bool":
            reader.fail(fields["content"][0], "value", "content must be true or false")
        elif not yaml.SafeLoader.bool_values[node.value.lower()]:  # false, no, off
            return None

    for key in REQUIRED_KEYS:
        if key not in fields:
            reader.fail(offset - 1, "missing", f"front matter lacks the {key!r} key")

    description = ""
    if "description" in fields:
        description = reader.text(fields["description"][1], "description")
        if len(description) > DESCRIPTION_MAX:
            reader.fail(
                fields["description"][0],
                "description",
                f"description is {len(description)} characters long; "
                f"the limit is {DESCRIPTION_MAX}",
            )
    last, nxt = (
        reader.date(fields[key][1], key) if key in fields else None
        for key in ("last_reviewed", "next_review")
    )
    if last and nxt and nxt <= last:
        reader.fail(
            fields["next_review"][0],
            "date",
            f"next_review ({nxt.isoformat()}) must be after last_reviewed ({last.isoformat()})",
        )
    changes: tuple[Change, ...] = ()
    if "changes" in fields:
        key_line, node = fields["changes"]
        changes = reader.changes(node, key_line)
    review = None
    if "clinical_review" in fields:
        key_line, node = fields["clinical_review"]
        review = reader.clinical_review(node, key_line)
    return PageMeta(description, last, nxt, changes, tuple(reader.problems), review)


def build_date_problems(meta: PageMeta, today: date) -> list[Problem]:
    """Problems that depend on the build date, so are checked on every build."""
    found = [
        Problem(
            c.line,
            "future",
            f"change dated {c.date.isoformat()} is after the build date {today.isoformat()}",
        )
        for c in meta.changes
        if c.date > today
    ]
    review = meta.clinical_review
    if review is not None and review.date > today:
        found.append(
            Problem(
                review.line,
                "future",
                f"clinical_review date {review.date.isoformat()} is after the build date "
                f"{today.isoformat()}",
            )
        )
    return found


# -- The environment -------------------------------------------------------------------


def page_records(env: BuildEnvironment) -> dict[str, PageMeta]:
    """Docname -> record for every content page read so far."""
    return doc_dict(env, "page_metadata")


def attached_changes(env: BuildEnvironment) -> dict[str, list[tuple[Change, str]]]:
    """Docname -> ``(change, anchor)`` a page shows besides its front matter's own changes.

    Filled while the page is read (the licensed-products register's change log, say) with
    :func:`attach_change`; cleared and merged with the page's other records.
    """
    return doc_dict(env, "page_metadata_attached_changes")


def attach_change(env: BuildEnvironment, day: date, summary: str, anchor: str) -> None:
    """Announce a change shown at ``#anchor`` of the page being read (What's new, feeds)."""
    docname = env.current_document.docname
    attached_changes(env).setdefault(docname, []).append((Change(day, summary, 0), anchor))


NO_META = PageMeta("", None, None, ())


def page_lastmod(env: BuildEnvironment, docname: str) -> date | None:
    """The newest of the page's review date, its own changes and the changes it shows."""
    meta = page_records(env).get(docname)
    dates = [change.date for change, _ in attached_changes(env).get(docname, [])]
    if meta is not None and meta.lastmod is not None:
        dates.append(meta.lastmod)
    return max(dates, default=None)


def site_changes(env: BuildEnvironment) -> list[tuple[str, PageMeta, Change, str]]:
    """Every change on the site as ``(docname, page, change, anchor)``, newest first.

    Ties on the date keep a stable order: by docname, then as listed on the page (its own
    changes before those it shows from elsewhere).
    """
    rows = []
    records = page_records(env)
    for docname, meta in records.items():
        for position, (change, anchor) in enumerate(
            zip(meta.changes, meta.change_anchors(), strict=True)
        ):
            rows.append((-change.date.toordinal(), docname, position, meta, change, anchor))
    for docname, attached in attached_changes(env).items():
        meta = records.get(docname, NO_META)
        for position, (change, anchor) in enumerate(attached, start=len(meta.changes)):
            rows.append((-change.date.toordinal(), docname, position, meta, change, anchor))
    rows.sort(key=lambda row: row[:3])
    return [(docname, meta, change, anchor) for _, docname, _, meta, change, anchor in rows]


class PageMetadataCollector(DocStoreCollector):
    """Keeps ``env.page_metadata`` (docname -> :class:`PageMeta`) in step with the sources.

    The front matter's problems go to the shared problem store, not into the record.
    """

    stores: ClassVar[dict[str, type]] = {
        "page_metadata": dict,
        "page_metadata_attached_changes": dict,
    }

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        path = Path(env.doc2path(env.docname))
        if path.suffix != ".md":  # front matter is a MyST feature
            return
        meta = read_page_meta(path.read_text(encoding="utf-8-sig"))
        if meta is None:
            return
        for problem in meta.problems:
            problems.record(env, WARNINGS, problem.subtype, problem.message, line=problem.line)
        page_records(env)[env.docname] = replace(meta, problems=())


def future_changes(app: Sphinx, env: BuildEnvironment) -> Iterable[tuple[str, problems.Problem]]:
    """Changes dated after the build date: checked on every build, as the date moves."""
    today = build_date()
    for docname, meta in page_records(env).items():
        for problem in build_date_problems(meta, today):
            yield (
                docname,
                problems.Problem(
                    problem.line, WARNINGS.name, WARNINGS.subtype(problem.subtype), problem.message
                ),
            )


def _is_overdue(meta: PageMeta, today: date) -> bool:
    return bool(meta.next_review and today > meta.next_review)


def outdated_by_build_date(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Rewrite pages whose overdue notice appears or goes since the previous build date."""
    today = build_date()
    previous: date | None = getattr(env, "page_metadata_build_date", None)
    env.page_metadata_build_date = today  # type: ignore[attr-defined]
    if previous is None or previous == today:
        return []
    return [
        docname
        for docname, meta in page_records(env).items()
        if _is_overdue(meta, previous) != _is_overdue(meta, today)
    ]


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Place the review notice and the footer around the page body (reads env only).

    Runs after the listeners that prefix the body or set ``feed_links``
    (:data:`~stemcellref.shared.order.AFTER_BODY_MARKERS`). Every page with a body gets the
    same shape, ``notice + "\n" + body + "\n" + footer``, the two partials rendering empty
    when the page has no ``page_meta``.
    """
    if "body" not in context or not hasattr(app.builder, "templates"):
        return
    meta = page_records(app.env).get(pagename)
    if meta is not None and meta.complete:
        context["page_meta"] = page_meta_context(meta)
        context["page_meta"]["review_policy_url"] = _review_policy_url(app, pagename)
    render = app.builder.templates.render
    context["body"] = "\n".join(
        (
            render("partials/review-notice.html", context),
            context["body"],
            render("partials/page-meta.html", context),
        )
    )


def _review_policy_url(app: Sphinx, pagename: str) -> str:
    """Link from the sign-off line to the page that explains reviews ("" for none)."""
    target = PageMetadataConfig.of(app.config).review_policy
    docname, _, anchor = target.partition("#")
    if not docname or docname not in app.env.found_docs:
        return ""
    uri = app.builder.get_relative_uri(pagename, docname)
    return uri.partition("#")[0] + (f"#{anchor}" if anchor else "")


def page_meta_context(meta: PageMeta) -> dict[str, Any]:
    """What ``partials/page-meta.html`` and ``partials/review-notice.html`` show."""
    assert meta.last_reviewed and meta.next_review  # for the type checker: meta.complete
    today = build_date()
    return {
        "last_reviewed": format_date(meta.last_reviewed),
        "last_reviewed_iso": meta.last_reviewed.isoformat(),
        "next_review": format_date(meta.next_review),
        "next_review_iso": meta.next_review.isoformat(),
        "overdue": _is_overdue(meta, today),
        "clinical_review": _review_context(meta.clinical_review),
        "changes": [
            {
                "id": anchor,
                "date": format_date(c.date),
                "date_iso": c.date.isoformat(),
                "summary": c.summary,
            }
            for c, anchor in zip(meta.changes, meta.change_anchors(), strict=True)
        ],
    }


def _review_context(review: ClinicalReview | None) -> dict[str, str] | None:
    if review is None:
        return None
    return {
        "name": review.name,
        "role": review.role,
        "date": format_date(review.date),
        "date_iso": review.date.isoformat(),
    }


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.shared.problems")
    PageMetadataConfig.declare(app)
    register_assets(app, __file__, css=["page_metadata.css"])
    app.add_env_collector(PageMetadataCollector)
    app.connect("env-get-outdated", outdated_by_build_date)
    app.connect(problems.LATE_PROBLEMS_EVENT, future_changes)
    app.connect("html-page-context", page_context, priority=AFTER_BODY_MARKERS)
    return {
        "version": "1.1",
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
