"""The licensed-products register on the page: every regulator decision, edited once.

Usage (MyST)::

    :::{licensed-products}
    :regulator: FDA, EC
    :kind: cord-blood
    :condition: eye-disease
    :product: holoclar, nepic
    :caption: Licensed products for eye disease
    :::

    :::{licensed-products-changes}
    :::

Every option is optional and takes a comma-separated list; a row is shown when it matches every
option given (and any value within one). ``licensed-products`` renders one accessible table
(caption, row and column headers) with a row per decision: the product, the regulator, the
decision's status and the certainty of the evidence as the ``{evidence}`` role shows them (a
licence no longer in force is shown as history, not as a status), the use in plain words and
in the regulator's words, warnings, the source ("Regulator's record") and the date a person
last checked the row against it. A row checked longer ago than ``licensed_products_review_months``
is flagged "due for re-check"; ``make review`` lists it too.

``licensed-products-changes`` shows the register's change log. The page holding it carries
those changes into "What's new" and the feeds (:mod:`stemcellref.metadata.page_metadata`).

The register page (``licensed_products_page``) gives each product an anchor (its id) and must
show every decision; other pages link each product name to its row there.

The data file (``licensed_products_path``, relative to the source directory) is validated on
every build: each problem is an error located in the file,
``docs/_data/licensed-products.yaml:LINE: ERROR: ... [evidence.register-date]``. A page is
re-read only when what it shows changes (the rows it selects, their sources, the register page,
a row becoming due for re-check as the build date moves), so a data edit rewrites exactly the
pages that show the edited rows, serial or parallel.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx.errors import ExtensionError, NoUri
from sphinx.util.docutils import SphinxDirective

from stemcellref.evidence import WARNINGS
from stemcellref.evidence.register_data import (
    KINDS,
    REGULATORS,
    TYPES,
    Decision,
    Problem,
    Product,
    Register,
    check,
    due_for_check,
    ended_by,
    format_decision_date,
    parse,
)
from stemcellref.evidence.role import badges
from stemcellref.metadata.page_metadata import attach_change
from stemcellref.shared import problems
from stemcellref.shared.assets import register_assets
from stemcellref.shared.config import ConfigRecord, positive_int, setting
from stemcellref.shared.dates import build_date, format_date
from stemcellref.shared.options import any_option, option_line
from stemcellref.shared.store import DocStoreCollector, doc_dict

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata, OptionSpec
    from sphinx.writers.html5 import HTML5Translator


def _relative_path(value: Any) -> str | None:
    if not value.strip():
        return "must not be empty"
    return "must be relative to the source directory" if Path(value).is_absolute() else None


@dataclass(frozen=True, slots=True)
class RegisterConfig(ConfigRecord):
    """``licensed_products_*`` in ``conf.py``."""

    prefix: ClassVar[str] = "licensed_products_"

    path: str = setting(
        "_data/licensed-products.yaml",
        types=str,
        rebuild="env",
        check=_relative_path,
        doc="the register file, relative to the source directory",
    )
    page: str = setting(
        "treatments/licensed-products",
        types=str,
        rebuild="env",
        doc="docname of the page showing the whole register (anchors, links); '' for none",
    )
    review_months: int = setting(
        6,
        types=int,
        rebuild="env",
        check=positive_int,
        expect="a positive whole number",
        doc="months after its checked date that a row is flagged as due for re-check",
    )


# -- Loading ------------------------------------------------------------------------------

_CACHE: dict[str, tuple[str, Register, list[Problem]]] = {}


def register_path(env: BuildEnvironment) -> Path:
    return Path(env.srcdir) / RegisterConfig.of(env.config).path


def load(env: BuildEnvironment) -> tuple[Register, list[Problem]] | None:
    """The register and its reading problems; ``None`` if the file does not exist.

    Read afresh whenever the file's bytes change (cached by digest, per process).
    """
    path = register_path(env)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    cached = _CACHE.get(str(path))
    if cached is None or cached[0] != digest:
        register, found = parse(raw.decode("utf-8-sig"))
        cached = _CACHE[str(path)] = (digest, register, found)
    return cached[1], cached[2]


def citation_sources(env: BuildEnvironment) -> dict[str, Any]:
    """Citation key -> pybtex entry, from sphinxcontrib-bibtex (empty without it)."""
    try:
        domain = env.get_domain("cite")
    except ExtensionError:  # sphinxcontrib-bibtex is not loaded: no key is known
        return {}
    return dict(domain.bibdata.data.entries)  # type: ignore[attr-defined]


# -- What a table shows -------------------------------------------------------------------


class Source(NamedTuple):
    """How a decision's source is shown: a link, its text, and whose record it is."""

    url: str
    title: str
    publisher: str
    regulators_own: bool


def _plain(latex: str) -> str:
    from pybtex.richtext import Text

    return " ".join(str(Text.from_latex(latex)).split())


def source_of(decision: Decision, entries: dict[str, Any]) -> Source:
    regulator = REGULATORS[decision.regulator]
    if "://" in decision.source:
        return Source(decision.source, "", regulator.name, True)
    entry = entries.get(decision.source)
    if entry is None:
        return Source("", decision.source, "", False)
    fields = entry.fields
    url = fields.get("url") or (f"https://doi.org/{fields['doi']}" if "doi" in fields else "")
    # An organisation (one author in braces) by its name; people by the first surname.
    people = entry.persons.get("author", [])
    names = [_plain(" ".join(p.last_names) or str(p)) for p in people]
    publisher = names[0] if len(names) == 1 else (f"{names[0]} and others" if names else "")

    own = publisher in regulator.publishers
    return Source(url, _plain(fields.get("title", decision.source)), publisher, own)


@dataclass(frozen=True, slots=True)
class Selection:
    """A table's options (a directive's filter), hashable for the environment."""

    regulators: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    caption: str = ""

    def unknown(self, register: Register) -> list[tuple[str, str]]:
        """``(option, message)`` for each value the register does not know."""
        known = {
            "regulator": (self.regulators, set(REGULATORS)),
            "kind": (self.kinds, set(KINDS)),
            "condition": (self.conditions, {k for k, _ in register.conditions}),
            "product": (self.products, {p.id for p in register.products}),
        }
        found = []
        for option, (values, allowed) in known.items():
            for value in values:
                if value not in allowed:
                    found.append(
                        (
                            option,
                            f":{option}: {value!r} is not in the register; use "
                            "one of: " + ", ".join(sorted(allowed)),
                        )
                    )
        return found

    def rows(self, register: Register) -> list[tuple[Product, list[int]]]:
        """Each matching product with the indexes of its matching decisions, register order."""
        chosen = []
        for product in register.products:
            if self.products and product.id not in self.products:
                continue
            if self.kinds and product.kind not in self.kinds:
                continue
            if self.conditions and not set(product.conditions) & set(self.conditions):
                continue
            indexes = [
                i
                for i, d in enumerate(product.decisions)
                if not self.regulators or d.regulator in self.regulators
            ]
            if indexes:
                chosen.append((product, indexes))
        return chosen


@dataclass(frozen=True, slots=True)
class Context:
    """Everything besides the register and the options that a table depends on."""

    today: date
    review_months: int
    #: the register page, when it exists; ``here`` is whether the table is on it
    register_page: str | None
    here: bool

    @classmethod
    def of(cls, env: BuildEnvironment, docname: str) -> Context:
        config = RegisterConfig.of(env.config)
        page = config.page if config.page in env.found_docs else None
        return cls(build_date(), config.review_months, page, docname == page)


def stale(decision: Decision, context: Context) -> date | None:
    """The day the row became due for a re-check, if that day has passed."""
    due = due_for_check(decision, context.review_months)
    return due if due is not None and context.today > due else None


def fingerprint(
    register: Register, selection: Selection, context: Context, entries: dict[str, Any]
) -> str:
    """A digest of everything a table shows: the page is re-read when it changes."""
    shown: list[Any] = [selection, context.register_page, context.here, selection.unknown(register)]
    for product, indexes in selection.rows(register):
        # The product without its decisions: only the decisions shown (and what ended them)
        # matter, so an edit to a row elsewhere leaves this page alone.
        shown.append(replace(product, decisions=()))
        shown.extend(register.condition_label(c) for c in product.conditions)
        ended = ended_by(product)
        for index in indexes:
            decision = product.decisions[index]
            shown.append(
                (decision, ended.get(index), source_of(decision, entries), stale(decision, context))
            )
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def changes_fingerprint(register: Register, context: Context) -> str:
    names = {p.id: p.name for p in register.products}
    shown = [context.register_page, context.here, register.changes]
    shown += [names.get(key) for change in register.changes for key in change.products]
    return hashlib.sha256(repr(shown).encode()).hexdigest()


# -- Nodes -------------------------------------------------------------------------------


class register_time(nodes.inline):  # noqa: N801 (docutils node naming)
    """A date; ``<time datetime>`` in HTML. Attribute ``datetime``: ISO text."""


class register_details(nodes.General, nodes.Element):  # noqa: N801
    """The regulator's wording: ``<details>`` in HTML, plain paragraphs elsewhere."""


class register_summary(nodes.paragraph):  # noqa: N801
    """The always-visible line of :class:`register_details` (``<summary>``)."""


class register_link(nodes.Inline, nodes.TextElement):  # noqa: N801
    """A product name linking to its row on the register page (resolved when written)."""


def rich_html(builder: Any) -> bool:
    """Builders that get ``<details>`` (epub readers get the words written out)."""
    return builder.format == "html" and not builder.name.startswith("epub")


# -- Building a table ---------------------------------------------------------------------

COLUMNS = ("Product", "Regulator", "Decision and evidence", "Licensed for", "Source and check")


def _para(*children: nodes.Node | str, classes: Iterable[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def _sentence(text: str) -> str:
    """``text`` ending in a full stop (not two)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _time(day_text: str, shown: str) -> register_time:
    return register_time(shown, shown, datetime=day_text)


def _entry(*children: nodes.Node, **attributes: Any) -> nodes.entry:
    entry = nodes.entry(**attributes)
    entry.extend(children)
    return entry


class TableBuilder:
    """Turns the selected rows into one docutils table."""

    def __init__(
        self,
        register: Register,
        selection: Selection,
        context: Context,
        entries: dict[str, Any],
        document: nodes.document,
    ) -> None:
        self.register, self.selection, self.context = register, selection, context
        self.entries, self.document = entries, document
        regulators = {
            product.decisions[i].regulator
            for product, indexes in selection.rows(register)
            for i in indexes
        }
        #: one regulator (named in the caption) needs no column of its own
        self.columns = [c for c in COLUMNS if c != "Regulator" or len(regulators) > 1]
        self.shown: list[tuple[str, int]] = []

    def caption(self) -> str:
        if self.selection.caption:
            return self.selection.caption
        text = "Licensed stem cell products and related cell products"
        if self.selection.conditions:
            labels = [self.register.condition_label(c) for c in self.selection.conditions]
            text += " for " + ", ".join(label[:1].lower() + label[1:] for label in labels)
        if self.selection.kinds:
            text += ": " + ", ".join(KINDS[k].lower() for k in self.selection.kinds)
        if self.selection.products:
            names = [p.name for p, _ in self.selection.rows(self.register)]
            text = "Licences of " + ", ".join(dict.fromkeys(names))
        if self.selection.regulators:
            named = [
                f"{REGULATORS[r].named} ({REGULATORS[r].country})"
                for r in self.selection.regulators
            ]
            text += ": decisions of " + " and ".join(named)
        return text

    def build(self) -> nodes.table:
        table = nodes.table(classes=["licensed-products"])
        table += nodes.title(self.caption(), self.caption())
        group = nodes.tgroup(cols=len(self.columns))
        table += group
        widths = {
            "Product": 18,
            "Regulator": 10,
            "Decision and evidence": 20,
            "Licensed for": 32,
            "Source and check": 20,
        }
        for name in self.columns:
            group += nodes.colspec(colwidth=widths[name])
        head = nodes.thead()
        head += nodes.row("", *(_entry(_para(name)) for name in self.columns))
        group += head
        body = nodes.tbody()
        for product, indexes in self.selection.rows(self.register):
            ended = ended_by(product)
            for position, index in enumerate(indexes):
                row = nodes.row(classes=self._row_classes(product, index, ended))
                if position == 0:
                    row += self.product_cell(product, len(indexes))
                decision = product.decisions[index]
                if "Regulator" in self.columns:
                    row += self.regulator_cell(decision)
                row += self.decision_cell(product, decision, ended.get(index))
                row += self.use_cell(decision)
                row += self.source_cell(decision)
                body += row
                self.shown.append((product.id, index))
        group += body
        return table

    @staticmethod
    def _row_classes(product: Product, index: int, ended: dict[int, Decision]) -> list[str]:
        classes = []
        decision = product.decisions[index]
        if index in ended or TYPES[decision.type].status is None:
            classes.append("register-history")
        if not product.stem_cell_based:
            classes.append("register-related")
        return classes

    # -- cells --

    def product_cell(self, product: Product, rows: int) -> nodes.entry:
        entry = _entry(scope="row", classes=["register-product"])
        if rows > 1:
            entry["morerows"] = rows - 1
        name = nodes.strong(product.name, product.name)
        if self.context.here:
            if product.id not in self.document.ids:
                entry["ids"].append(product.id)
                self.document.ids[product.id] = entry
        elif self.context.register_page:
            link = register_link(
                product.name, "", target=product.id, page=self.context.register_page
            )
            link += name
            name = link
        entry += _para(name, classes=["register-product-name"])
        if not product.stem_cell_based:
            marker = "Not a stem cell product"
            entry += _para(nodes.inline(marker, marker, classes=["register-related-marker"]))
        entry += _para(
            _sentence(f"{KINDS[product.kind]}. Licence holder: {product.holder}"),
            classes=["register-holder"],
        )
        entry += _para(
            _sentence(f"Active substance: {product.active_substance}"),
            classes=["register-substance"],
        )
        if product.note:
            entry += _para(product.note, classes=["register-note"])
        return entry

    @staticmethod
    def regulator_cell(decision: Decision) -> nodes.entry:
        regulator = REGULATORS[decision.regulator]
        return _entry(_para(f"{regulator.short} ({regulator.country})"))

    def decision_cell(
        self, product: Product, decision: Decision, ended: Decision | None
    ) -> nodes.entry:
        kind = TYPES[decision.type]
        region = REGULATORS[decision.regulator].region
        when = _time(decision.date, format_decision_date(decision.date))
        entry = _entry(classes=["register-decision"])
        if kind.status is None:  # the decision ends a licence: history, never a status
            label = f"{kind.label} ({region})"
            entry += _para(nodes.inline(label, label, classes=["register-ended"]))
            entry += _para(when)
            return entry
        if ended is not None:
            label = "No longer in force"
            entry += _para(nodes.inline(label, label, classes=["register-superseded"]))
            entry += _para(f"{kind.label} ({region}), ", when)
            entry += _para(
                f"{TYPES[ended.type].ending}: ",
                _time(ended.date, format_decision_date(ended.date)),
                classes=["register-ended-by"],
            )
            return entry
        raw = f"register:{product.id}:{decision.regulator}:{decision.date}"
        entry += _para(*badges(raw, kind.status, region, decision.certainty))
        entry += _para(f"{kind.label}, ", when)
        if decision.certainty and decision.certainty_reason:
            entry += _para(
                f"Evidence: {decision.certainty_reason}", classes=["register-certainty-reason"]
            )
        elif not decision.certainty:
            entry += _para(
                "Certainty of the evidence not rated here.", classes=["register-unrated"]
            )
        return entry

    @staticmethod
    def use_cell(decision: Decision) -> nodes.entry:
        entry = _entry(_para(decision.indication))
        if decision.indication_official:
            details = register_details(classes=["register-official"])
            details += register_summary("", "In the regulator's words")
            quote = f"“{decision.indication_official}”"
            details += _para(quote, classes=["register-official-text"])
            entry += details
        if decision.warnings:
            items = nodes.bullet_list(classes=["register-warnings"])
            for warning in decision.warnings:
                head, sep, rest = warning.partition(":")
                if sep and head.strip().lower() == "boxed warning":
                    para = _para(
                        nodes.strong(f"{head}:", f"{head}:"),
                        rest,
                        classes=["register-boxed-warning"],
                    )
                else:
                    para = _para(warning)
                items += nodes.list_item("", para)
            entry += items
        return entry

    def source_cell(self, decision: Decision) -> nodes.entry:
        entry = _entry(classes=["register-source"])
        source = source_of(decision, self.entries)
        text = source.title or "Regulator's record"
        if source.url:
            link: nodes.Node = nodes.reference(
                text, text, refuri=source.url, classes=["register-source-link"]
            )
        else:
            link = nodes.inline(text, text)
        if source.regulators_own:
            label = "Regulator's record: " if source.title else ""
        else:
            label = f"Source ({source.publisher}): " if source.publisher else "Source: "
        entry += _para(label, link)
        if decision.checked:
            day = decision.checked
            entry += _para(
                "Checked ", _time(day.isoformat(), format_date(day)), classes=["register-checked"]
            )
        elif decision.tried:
            day = decision.tried
            entry += _para(
                "Not confirmed on the regulator's record or by the licence holder (tried ",
                _time(day.isoformat(), format_date(day)),
                ")",
                classes=["register-unconfirmed"],
            )
        if (due := stale(decision, self.context)) is not None:
            text = (
                f"Due for re-check: last checked more than {self.context.review_months} "
                "months ago (due "
            )
            entry += _para(
                nodes.strong(text, text),
                _time(due.isoformat(), format_date(due)),
                ")",
                classes=["register-stale"],
            )
        if decision.note:
            entry += _para(f"Note: {decision.note}", classes=["register-note"])
        return entry


# -- Directives ---------------------------------------------------------------------------


class Use(NamedTuple):
    """One directive on a page: what it selects and a digest of what it showed."""

    selection: Selection | None  # None: the change log
    fingerprint: str
    shown: tuple[tuple[str, int], ...]
    line: int | None


def uses(env: BuildEnvironment) -> dict[str, list[Use]]:
    """docname -> the register tables (and change logs) on that page."""
    return doc_dict(env, "licensed_products_uses")


class _RegisterDirective(SphinxDirective):
    def fail(self, subtype: str, message: str, line: int | None = None) -> None:
        problems.record(self.env, WARNINGS, subtype, message, line=line or self.lineno)

    def loaded(self) -> tuple[Register, Context] | None:
        found = load(self.env)
        if found is None:
            path = RegisterConfig.of(self.config).path
            self.fail(
                "register-filter",
                f"{self.name}: the register file {path} does not exist (licensed_products_path)",
            )
            return None
        return found[0], Context.of(self.env, self.env.docname)


FILTERS = {
    "regulator": "regulators",
    "kind": "kinds",
    "condition": "conditions",
    "product": "products",
}


class LicensedProducts(_RegisterDirective):
    """``licensed-products``: a table of register rows, filtered by the options."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = any_option(*FILTERS, "caption")

    def selection(self) -> Selection:
        """The options as a :class:`Selection`; what is wrong with them is recorded."""
        chosen: dict[str, Any] = {}
        for name, value in self.options.items():
            line = option_line(self, name)
            if name == "caption":
                chosen["caption"] = " ".join((value or "").split())
                if not chosen["caption"]:
                    self.fail("register-filter", "licensed-products: :caption: is empty", line)
            elif name in FILTERS:
                values = tuple(v.strip() for v in (value or "").split(","))
                if not all(values):
                    self.fail(
                        "register-filter",
                        f"licensed-products: :{name}: must list values separated by commas",
                        line,
                    )
                chosen[FILTERS[name]] = tuple(v for v in values if v)
            else:
                allowed = ", ".join(f":{known}:" for known in (*FILTERS, "caption"))
                self.fail(
                    "register-filter",
                    f"licensed-products: unknown option :{name}:; use {allowed}",
                    line,
                )
        return Selection(**chosen)

    def run(self) -> list[nodes.Node]:
        loaded = self.loaded()
        if loaded is None:
            return []
        register, context = loaded
        selection = self.selection()
        for option, message in selection.unknown(register):
            self.fail("register-filter", f"licensed-products: {message}", option_line(self, option))
        entries = citation_sources(self.env)
        digest = fingerprint(register, selection, context, entries)
        page_uses = uses(self.env).setdefault(self.env.docname, [])
        if not selection.rows(register):
            self.fail(
                "register-filter",
                "licensed-products: no decision in the register matches these options",
            )
            page_uses.append(Use(selection, digest, (), self.lineno))
            return []
        builder = TableBuilder(register, selection, context, entries, self.state.document)
        table = builder.build()
        self.set_source_info(table)
        page_uses.append(Use(selection, digest, tuple(builder.shown), self.lineno))
        return [table]


class LicensedProductsChanges(_RegisterDirective):
    """``licensed-products-changes``: the register's change log, newest first.

    The page carries the changes into What's new and the feeds.
    """

    has_content = False
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        loaded = self.loaded()
        if loaded is None:
            return []
        register, context = loaded
        names = {p.id: p.name for p in register.products}
        items = nodes.bullet_list(classes=["register-changes"])
        for change, anchor in zip(register.changes, change_anchors(register), strict=True):
            para = _para(
                _time(change.date.isoformat(), format_date(change.date)), ": ", change.summary
            )
            if change.products:
                para += nodes.Text(" Products: ")
                for position, key in enumerate(change.products):
                    if position:
                        para += nodes.Text(", ")
                    para += self.product_name(key, names[key], context)
                para += nodes.Text(".")
            item = nodes.list_item("", para, ids=[anchor])
            self.state.document.ids[anchor] = item
            items += item
            attach_change(self.env, change.date, change.summary, anchor)
        if not items.children:
            items = _para("No changes recorded yet.")
        uses(self.env).setdefault(self.env.docname, []).append(
            Use(None, changes_fingerprint(register, context), (), self.lineno)
        )
        return [items]

    @staticmethod
    def product_name(key: str, name: str, context: Context) -> nodes.Node:
        if context.register_page is None:
            return nodes.inline(name, name)
        link = register_link(name, name, target=key, page=context.register_page)
        return link


def change_anchors(register: Register) -> list[str]:
    """``register-change-2026-12-02[-N]``, numbered from the oldest per date (stable ids)."""
    seen: dict[date, int] = {}
    anchors = []
    for change in reversed(register.changes):
        seen[change.date] = n = seen.get(change.date, 0) + 1
        anchors.append(f"register-change-{change.date.isoformat()}" + (f"-{n}" if n > 1 else ""))
    return anchors[::-1]


class RegisterCollector(DocStoreCollector):
    """Keeps each page's register tables (``env.licensed_products_uses``), per document."""

    stores: ClassVar[dict[str, type]] = {"licensed_products_uses": dict}

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """The directives record their tables while the page is read."""


# -- Incremental builds and problems ------------------------------------------------------


def outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Pages whose tables would now show something else (data, sources, dates, links)."""
    loaded = load(env)
    register = loaded[0] if loaded else Register()
    entries = citation_sources(env)
    stale_pages = []
    for docname, page_uses in sorted(uses(env).items()):
        if docname in removed:
            continue
        context = Context.of(env, docname)
        for use in page_uses:
            now = (
                changes_fingerprint(register, context)
                if use.selection is None
                else fingerprint(register, use.selection, context, entries)
            )
            if now != use.fingerprint:
                stale_pages.append(docname)
                break
    return stale_pages


def register_problems(app: Sphinx, env: BuildEnvironment) -> Iterable[tuple[str, problems.Problem]]:
    """The data file's problems and the register page's gaps, on every build."""
    loaded = load(env)
    if loaded is None:
        return
    register, found = loaded
    keys = set(citation_sources(env))
    path = register_path(env)
    owner = app.config.root_doc if app.config.root_doc in env.found_docs else None
    owner = owner or next(iter(sorted(env.found_docs)), None)
    if owner is None:
        return
    for problem in sorted([*found, *check(register, keys, build_date())], key=lambda p: p.line):
        yield (
            owner,
            problems.Problem(
                problem.line,
                WARNINGS.name,
                WARNINGS.subtype(problem.subtype),
                problem.message,
                location=f"{path}:{problem.line}",
            ),
        )
    yield from _register_page_gaps(env, register)


def _register_page_gaps(
    env: BuildEnvironment, register: Register
) -> Iterable[tuple[str, problems.Problem]]:
    page = RegisterConfig.of(env.config).page
    page_uses = [u for u in uses(env).get(page, []) if u.selection is not None]
    if page not in env.found_docs or not page_uses:
        return
    shown = {row for use in page_uses for row in use.shown}
    missing = [
        f"{product.id} ({decision.regulator}, {decision.date})"
        for product in register.products
        for index, decision in enumerate(product.decisions)
        if (product.id, index) not in shown
    ]
    if missing:
        message = "the register page must show every decision; no table here shows: " + ", ".join(
            missing
        )
        yield (
            page,
            problems.Problem(
                page_uses[0].line, WARNINGS.name, WARNINGS.subtype("register-page"), message
            ),
        )


# -- Writing ------------------------------------------------------------------------------


#: builder formats in which product names link to the register page
LINKED_FORMATS = frozenset({"html", "latex", "texinfo"})


def resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Product names link to their rows on the register page (where the builder links)."""
    for node in list(doctree.findall(register_link)):
        children = node.children or [nodes.Text(node.astext())]
        try:
            if app.builder.format not in LINKED_FORMATS:
                raise NoUri  # man pages and plain text would print a bare "#anchor"
            uri = app.builder.get_relative_uri(docname, node["page"])
        except NoUri:
            node.replace_self(nodes.inline("", "", *children))
            continue
        ref = nodes.reference(
            "", "", *children, internal=True, refuri=f"{uri.partition('#')[0]}#{node['target']}"
        )
        node.replace_self(ref)
    if app.builder.format == "html":
        return
    # Without clickable links, write the sources' addresses out.
    for table in doctree.findall(nodes.table):
        if "licensed-products" not in table["classes"]:
            continue
        for ref in list(table.findall(nodes.reference)):
            url = ref.get("refuri", "")
            if "register-source-link" in ref["classes"] and url:
                ref.parent.insert(ref.parent.index(ref) + 1, nodes.Text(f" <{url}>"))


def visit_time_html(self: HTML5Translator, node: register_time) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_time_html(self: HTML5Translator, node: register_time) -> None:
    self.body.append("</time>")


def visit_details_html(self: HTML5Translator, node: register_details) -> None:
    tag = "details" if rich_html(self.builder) else "div"
    self.body.append(self.starttag(node, tag, ""))


def depart_details_html(self: HTML5Translator, node: register_details) -> None:
    self.body.append("</details>\n" if rich_html(self.builder) else "</div>\n")


def visit_summary_html(self: HTML5Translator, node: register_summary) -> None:
    if rich_html(self.builder):
        self.body.append(self.starttag(node, "summary", ""))
    else:
        self.visit_paragraph(node)


def depart_summary_html(self: HTML5Translator, node: register_summary) -> None:
    if rich_html(self.builder):
        self.body.append("</summary>\n")
    else:
        self.depart_paragraph(node)


def _pass(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    """Other writers render the children as they are."""


def _as(method: str) -> Callable[[nodes.NodeVisitor, nodes.Node], None]:
    def visit(self: nodes.NodeVisitor, node: nodes.Node) -> None:
        getattr(self, method)(node)

    return visit


def _summary_text(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    self.visit_paragraph(node)  # type: ignore[attr-defined]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("stemcellref.shared.problems")
    app.setup_extension("stemcellref.evidence.role")
    app.setup_extension("stemcellref.metadata.page_metadata")
    RegisterConfig.declare(app)
    register_assets(app, __file__, css=["register.css"])
    others = ("latex", "text", "man", "texinfo")
    app.add_node(
        register_time,
        html=(visit_time_html, depart_time_html),
        **{b: (_as("visit_inline"), _as("depart_inline")) for b in others},
    )
    app.add_node(
        register_details,
        html=(visit_details_html, depart_details_html),
        **{b: (_pass, _pass) for b in others},
    )
    app.add_node(
        register_summary,
        html=(visit_summary_html, depart_summary_html),
        **{b: (_as("visit_paragraph"), _as("depart_paragraph")) for b in others},
    )
    app.add_node(register_link)
    app.add_directive("licensed-products", LicensedProducts)
    app.add_directive("licensed-products-changes", LicensedProductsChanges)
    app.add_env_collector(RegisterCollector)
    app.connect("env-get-outdated", outdated)
    app.connect(problems.LATE_PROBLEMS_EVENT, register_problems)
    app.connect("doctree-resolved", resolve_links)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
