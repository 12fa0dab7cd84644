"""The licensed-products register: its vocabulary, its data model, and reading it with problems
located at their line.

The register is one YAML file (``docs/_data/licensed-products.yaml``; the shape is described in
``docs/contributing/licensed-products.md``). :func:`parse` turns its text into a
:class:`Register` and a list of :class:`Problem` (line, subtype, message); :func:`check` adds
the problems that depend on the bibliography and the build date, so they are re-checked on
every build. Nothing here imports Sphinx: the build (:mod:`.register`) and ``make review``
(``scripts/review.py``) share it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml

from stemcellref.evidence.labels import CERTAINTIES
from stemcellref.shared.dates import MONTHS, format_date

if TYPE_CHECKING:
    from collections.abc import Set


# -- Vocabulary --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Regulator:
    """A medicines regulator whose decisions the register records."""

    key: str
    #: how tables name it ("FDA", "Health Canada")
    short: str
    name: str
    #: the country or union its decisions cover, in words and as an evidence-label region
    country: str
    region: str
    #: bibliography authors whose documents count as this regulator's own record
    publishers: tuple[str, ...] = ()
    #: "the FDA", but "Health Canada"
    article: str = "the "

    @property
    def named(self) -> str:
        return f"{self.article}{self.short}"


REGULATORS: dict[str, Regulator] = {
    r.key: r
    for r in (
        Regulator(
            "FDA",
            "FDA",
            "U.S. Food and Drug Administration",
            "United States",
            "US",
            ("U.S. Food and Drug Administration",),
        ),
        Regulator(
            "EC",
            "European Commission",
            "European Commission, on the opinion of the European Medicines Agency",
            "European Union",
            "EU",
            ("European Commission", "European Medicines Agency"),
        ),
        Regulator(
            "MHRA",
            "MHRA",
            "Medicines and Healthcare products Regulatory Agency",
            "United Kingdom",
            "UK",
            ("Medicines and Healthcare products Regulatory Agency",),
        ),
        Regulator(
            "MHLW",
            "MHLW",
            "Ministry of Health, Labour and Welfare, on the review of the "
            "Pharmaceuticals and Medical Devices Agency",
            "Japan",
            "Japan",
            (
                "Ministry of Health, Labour and Welfare",
                "Pharmaceuticals and Medical Devices Agency",
            ),
        ),
        Regulator(
            "HealthCanada",
            "Health Canada",
            "Health Canada",
            "Canada",
            "Canada",
            ("Health Canada",),
            "",
        ),
        Regulator(
            "TGA",
            "TGA",
            "Therapeutic Goods Administration",
            "Australia",
            "Australia",
            ("Therapeutic Goods Administration",),
        ),
        Regulator(
            "MFDS",
            "MFDS",
            "Ministry of Food and Drug Safety",
            "South Korea",
            "South Korea",
            ("Ministry of Food and Drug Safety",),
        ),
        Regulator(
            "NMPA",
            "NMPA",
            "National Medical Products Administration",
            "China",
            "China",
            ("National Medical Products Administration",),
        ),
        Regulator(
            "CDSCO",
            "CDSCO",
            "Central Drugs Standard Control Organisation",
            "India",
            "India",
            ("Central Drugs Standard Control Organisation",),
        ),
        Regulator(
            "Swissmedic",
            "Swissmedic",
            "Swissmedic, the Swiss Agency for Therapeutic Products",
            "Switzerland",
            "Switzerland",
            ("Swissmedic",),
            "",
        ),
    )
}

#: kind -> what readers are told it is
KINDS: dict[str, str] = {
    "cord-blood": "Donated cord blood",
    "expanded-cord-blood": "Cord blood expanded in a laboratory",
    "gene-modified-blood-stem-cells": "Gene-modified blood stem cells",
    "mesenchymal-stromal-cells": "Mesenchymal stromal cells",
    "tissue-engineered": "Tissue-engineered product containing stem cells",
    "ipsc-derived": "Made from induced pluripotent stem cells",
    "esc-derived": "Made from embryonic stem cells",
    "other-stem-cell-based": "Other stem cell-based product",
    "related-cell-product": "Related cell product, not made from stem cells",
}
#: the kind of a product that is not stem cell-based (and only of such a product)
RELATED_KIND = "related-cell-product"


@dataclass(frozen=True, slots=True)
class DecisionType:
    key: str
    label: str
    #: the evidence status a decision of this type grants (``None``: it ends a licence)
    status: str | None
    #: how an earlier licence it ends is said to have ended
    ending: str = ""


TYPES: dict[str, DecisionType] = {
    t.key: t
    for t in (
        DecisionType("full", "Full licence", "licensed"),
        DecisionType("conditional", "Conditional licence", "conditional"),
        DecisionType(
            "conditional-time-limited", "Conditional, time-limited approval", "conditional"
        ),
        DecisionType(
            "converted", "Conditional licence made full", "licensed", "Made a full licence"
        ),
        DecisionType("withdrawn", "Withdrawn", None, "Withdrawn"),
        DecisionType("expired", "Expired", None, "Expired"),
        DecisionType("refused", "Full approval refused", None, "Full approval refused"),
    )
}
#: decision types that end the regulator's earlier licences for the product: all of them, or
#: only the conditional ones (a refused or a converted full licence ends the conditional one)
ENDS_ALL = frozenset({"withdrawn", "expired"})
ENDS_CONDITIONAL = frozenset({"refused", "converted"})

PRODUCT_FIELDS = {
    "id": True,
    "name": True,
    "active_substance": True,
    "holder": True,
    "kind": True,
    "stem_cell_based": True,
    "conditions": True,
    "note": False,
    "decisions": True,
}
DECISION_FIELDS = {
    "regulator": True,
    "type": True,
    "date": True,
    "indication": True,
    "indication_official": False,
    "warnings": False,
    "source": False,  # required, but its absence is a problem of its own kind (no source)
    "checked": False,
    "tried": False,
    "certainty": False,
    "certainty_reason": False,
    "note": False,
}
CHANGE_FIELDS = {"date": True, "summary": True, "products": False}
TOP_FIELDS = {"conditions": True, "changes": True, "products": True}

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CITATION_KEY = re.compile(r"[A-Za-z0-9_:.+-]+")
#: a decision date: a day, or only the month or the year where no day could be confirmed
DECISION_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# -- The data model ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision of one regulator about one product (one row of a table).

    ``date`` is ISO text, possibly only a month ("2024-02") or a year ("2019"). Exactly one of
    ``checked`` (a person compared the row with its source on that day) and ``tried`` (they
    tried and could not confirm it on the regulator's record; ``note`` says what they compared
    instead) is set in a valid register.
    """

    regulator: str
    type: str
    date: str
    indication: str
    source: str
    line: int = field(repr=False, compare=False)
    indication_official: str = ""
    warnings: tuple[str, ...] = ()
    checked: date | None = None
    tried: date | None = None
    certainty: str = ""
    certainty_reason: str = ""
    note: str = ""

    @property
    def reviewed(self) -> date | None:
        """The day a person last looked at this row against its source."""
        return self.checked or self.tried

    @property
    def earliest(self) -> date:
        """The first day the (possibly partial) date can mean."""
        return decision_day(self.date) or date.min


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    active_substance: str
    holder: str
    kind: str
    stem_cell_based: bool
    conditions: tuple[str, ...]
    decisions: tuple[Decision, ...]
    line: int = field(repr=False, compare=False)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the register's change log (What's new and the feeds)."""

    date: date
    summary: str
    products: tuple[str, ...]
    line: int = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Register:
    conditions: tuple[tuple[str, str], ...] = ()
    changes: tuple[Change, ...] = ()
    products: tuple[Product, ...] = ()

    def condition_label(self, key: str) -> str:
        return dict(self.conditions).get(key, key)

    def product(self, key: str) -> Product | None:
        return next((p for p in self.products if p.id == key), None)


@dataclass(frozen=True, slots=True)
class Problem:
    """A located problem in the register file (``line`` is 1-based)."""

    line: int = field(repr=False, compare=False)
    subtype: str
    message: str


# -- Dates -------------------------------------------------------------------------------


def decision_day(text: str) -> date | None:
    """The first day a decision date means (``None`` if it is not one)."""
    match = DECISION_DATE.fullmatch(text)
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"] or 1), int(match["day"] or 1))
    except ValueError:
        return None


def format_decision_date(text: str) -> str:
    """``17 February 2015``, ``February 2024`` or ``2019``, as precise as the register is."""
    match = DECISION_DATE.fullmatch(text)
    if not match or decision_day(text) is None:
        return text
    if match["day"]:
        return format_date(date.fromisoformat(text))
    if match["month"]:
        return f"{MONTHS[int(match['month']) - 1]} {match['year']}"
    return match["year"]


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_for_check(decision: Decision, months: int) -> date | None:
    """The day after which the row is overdue for a re-check."""
    return add_months(decision.reviewed, months) if decision.reviewed else None


# -- In force or history -----------------------------------------------------------------


def ended_by(product: Product) -> dict[int, Decision]:
    """Index of each decision no longer in force -> the later decision that ended it.

    A withdrawal or expiry ends every earlier licence of that regulator for the product; a
    refused or converted full licence ends the earlier conditional ones. Decisions that end a
    licence are history themselves, and never "ended".
    """
    ended: dict[int, Decision] = {}
    for index, decision in enumerate(product.decisions):
        kind = TYPES.get(decision.type)
        if kind is None or kind.status is None:
            continue
        for later in product.decisions[index + 1 :]:
            if later.regulator != decision.regulator:
                continue
            if later.type in ENDS_ALL or (
                later.type in ENDS_CONDITIONAL and kind.status == "conditional"
            ):
                ended[index] = later
                break
    return ended


# -- Reading -----------------------------------------------------------------------------

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass
class _Reader:
    problems: list[Problem] = field(default_factory=list)

    @staticmethod
    def line(node: yaml.Node) -> int:
        return node.start_mark.line + 1

    def fail(self, node_or_line: yaml.Node | int, subtype: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else self.line(node_or_line)
        self.problems.append(Problem(line, subtype, message))

    def mapping(
        self, node: yaml.Node, fields: dict[str, bool], what: str
    ) -> dict[str, yaml.Node] | None:
        """Keys -> value nodes; unknown, repeated and missing required keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "register", f"{what} must be a mapping of fields to values")
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in found:
                self.fail(key_node, "register", f"{what}: {key!r} is given twice")
            elif key not in fields:
                known = ", ".join(fields)
                self.fail(key_node, "register", f"{what}: unknown field {key!r} (known: {known})")
            else:
                found[key] = value_node
        missing = [k for k, required in fields.items() if required and k not in found]
        if missing:
            listed = ", ".join(repr(k) for k in missing)
            self.fail(node, "register", f"{what} lacks {listed}")
        return found

    def text(self, node: yaml.Node | None, what: str) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
            self.fail(node, "register", f"{what} must be text")
            return ""
        value = " ".join(str(node.value).split())
        if not value:
            self.fail(node, "register", f"{what} must not be empty")
        return value

    def texts(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "register", f"{what} must be a list")
            return ()
        return tuple(t for item in node.value if (t := self.text(item, f"each of {what}")))

    def choice(self, node: yaml.Node | None, allowed: Iterable[str], label: str, where: str) -> str:
        """One of ``allowed``: the ``label`` (kind, regulator ...) of ``where`` (a product ...)."""
        value = self.text(node, f"the {label} of {where}")
        allowed = list(allowed)
        if value and value not in allowed:
            assert node is not None
            self.fail(
                node,
                "register",
                f"unknown {label} {value!r} in {where}; use one of: " + ", ".join(allowed),
            )
            return ""
        return value

    def day(self, node: yaml.Node | None, what: str) -> date | None:
        """A full ISO date (``2026-12-02``)."""
        if node is None:
            return None
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else None
        if raw is not None and FULL_DATE.fullmatch(raw) and decision_day(raw):
            return date.fromisoformat(raw)
        shown = repr(raw) if raw is not None else "a list or mapping"
        self.fail(node, "register-date", f"{what} is {shown}, not an ISO date (YYYY-MM-DD)")
        return None

    def decision_date(self, node: yaml.Node, what: str) -> str:
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else None
        if raw is not None and node.tag != NULL and decision_day(raw):
            return raw
        shown = repr(raw) if raw is not None else "a list or mapping"
        self.fail(
            node,
            "register-date",
            f"{what} is {shown}, not an ISO date: YYYY-MM-DD, "
            'or "YYYY-MM" or "YYYY" where only the month or year is known',
        )
        return ""


def parse(text: str) -> tuple[Register, list[Problem]]:
    """Read the register; problems of shape, vocabulary, dates and order, by line.

    What is wrong is left out of the result (a product without a valid id, a decision without
    a valid regulator ...); everything else is kept, so one mistake hides as little as possible.
    """
    reader = _Reader()
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        why = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        reader.fail(mark.line + 1 if mark else 1, "register", f"not valid YAML: {why}")
        return Register(), reader.problems
    if root is None:
        reader.fail(1, "register", "the register is empty")
        return Register(), reader.problems
    top = reader.mapping(root, TOP_FIELDS, "the register")
    if top is None:
        return Register(), reader.problems

    conditions = _conditions(reader, top.get("conditions"))
    products = _products(reader, top.get("products"), dict(conditions))
    changes = _changes(reader, top.get("changes"), {p.id for p in products})
    return Register(conditions, changes, products), reader.problems


def _conditions(reader: _Reader, node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.MappingNode):
        reader.fail(node, "register", "conditions must map condition keys to their labels")
        return ()
    found: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if not ID.fullmatch(key):
            reader.fail(
                key_node,
                "register",
                f"condition key {key!r} must be lowercase words joined by hyphens",
            )
        elif key in found:
            reader.fail(key_node, "register", f"condition {key!r} is given twice")
        elif label := reader.text(value_node, f"the label of condition {key!r}"):
            found[key] = label
    return tuple(found.items())


def _products(
    reader: _Reader, node: yaml.Node | None, conditions: dict[str, str]
) -> tuple[Product, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        reader.fail(node, "register", "products must be a list")
        return ()
    products: list[Product] = []
    seen: set[str] = set()
    for item in node.value:
        product = _product(reader, item, conditions)
        if product is None:
            continue
        if product.id in seen:
            reader.fail(product.line, "register", f"product id {product.id!r} is used twice")
            continue
        seen.add(product.id)
        products.append(product)
    return tuple(products)


def _product(reader: _Reader, node: yaml.Node, conditions: dict[str, str]) -> Product | None:
    fields = reader.mapping(node, PRODUCT_FIELDS, "a product")
    if fields is None:
        return None
    key = reader.text(fields.get("id"), "a product's id")
    if key and not ID.fullmatch(key):
        reader.fail(
            fields["id"],
            "register",
            f"product id {key!r} must be lowercase words joined by hyphens",
        )
        key = ""
    what = f"product {key!r}" if key else "a product"
    name = reader.text(fields.get("name"), f"the name of {what}")
    kind = reader.choice(fields.get("kind"), KINDS, "kind", what)
    stem_cell_based = True
    if (based := fields.get("stem_cell_based")) is not None:
        if based.tag != BOOL:
            reader.fail(based, "register", f"stem_cell_based of {what} must be true or false")
        else:
            stem_cell_based = bool(yaml.SafeLoader.bool_values[based.value.lower()])
            if kind and (kind == RELATED_KIND) == stem_cell_based:
                reader.fail(
                    based,
                    "register",
                    f"{what}: a {RELATED_KIND!r} has stem_cell_based: false, and only "
                    "such a product",
                )
    product_conditions = reader.texts(fields.get("conditions"), f"the conditions of {what}")
    for condition, item in zip(product_conditions, _items(fields.get("conditions")), strict=False):
        if condition not in conditions:
            reader.fail(
                item,
                "register",
                f"{what}: unknown condition {condition!r} (not in the register's conditions)",
            )
    decisions = _decisions(reader, fields.get("decisions"), what)
    if not key or not name:
        return None
    return Product(
        id=key,
        name=name,
        active_substance=reader.text(fields.get("active_substance"), f"active_substance of {what}"),
        holder=reader.text(fields.get("holder"), f"the holder of {what}"),
        kind=kind,
        stem_cell_based=stem_cell_based,
        conditions=tuple(c for c in product_conditions if c in conditions),
        decisions=decisions,
        line=reader.line(node),
        note=reader.text(fields.get("note"), f"the note of {what}"),
    )


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _decisions(reader: _Reader, node: yaml.Node | None, what: str) -> tuple[Decision, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.fail(node, "register", f"the decisions of {what} must be a list of at least one")
        return ()
    decisions: list[Decision] = []
    for item in node.value:
        decision = _decision(reader, item, what)
        if decision is None:
            continue
        if decisions and decision.date and decision.date < decisions[-1].date:
            reader.fail(
                decision.line,
                "register-date",
                f"the decisions of {what} must be in date order: {decision.date} is "
                f"listed after {decisions[-1].date}",
            )
        decisions.append(decision)
    return tuple(decisions)


def _decision(reader: _Reader, node: yaml.Node, product: str) -> Decision | None:
    what = f"a decision on {product}"
    fields = reader.mapping(node, DECISION_FIELDS, what)
    if fields is None:
        return None
    regulator = reader.choice(fields.get("regulator"), REGULATORS, "regulator", what)
    kind = reader.choice(fields.get("type"), TYPES, "decision type", what)
    when = reader.decision_date(fields["date"], f"the date of {what}") if "date" in fields else ""
    if regulator:
        what = f"the {regulator} decision{f' of {when}' if when else ''} on {product}"
    source = reader.text(fields.get("source"), f"the source of {what}")
    if source and not _is_url(source) and not CITATION_KEY.fullmatch(source):
        reader.fail(
            fields["source"],
            "register-source",
            f"the source of {what} must be a citation key in the bibliography or an "
            f"https URL of the regulator's own record, not {source!r}",
        )
        source = ""
    elif "source" not in fields:
        reader.fail(
            node,
            "register-source",
            f"{what} has no source: give a citation key or the https URL of the "
            "regulator's own record",
        )
    checked = reader.day(fields.get("checked"), f"the checked date of {what}")
    tried = reader.day(fields.get("tried"), f"the tried date of {what}")
    note = reader.text(fields.get("note"), f"the note of {what}")
    if "checked" in fields and "tried" in fields:
        reader.fail(
            fields["tried"],
            "register-checked",
            f"{what} has both checked and tried dates: keep checked if the row was "
            "confirmed against its source, else tried",
        )
    elif "checked" not in fields and "tried" not in fields:
        reader.fail(
            node,
            "register-checked",
            f"{what} has no checked date: add checked: YYYY-MM-DD (the day a person "
            "compared it with its source), or tried: YYYY-MM-DD and a note if it could "
            "not be confirmed on the regulator's record",
        )
    elif "tried" in fields and not note:
        reader.fail(
            fields["tried"],
            "register-checked",
            f"{what} was not confirmed (tried): its note must say what it was "
            "compared with instead",
        )
    certainty = ""
    if (cert := fields.get("certainty")) is not None:
        value = " ".join(reader.text(cert, f"the certainty of {what}").lower().split())
        if value and value not in CERTAINTIES:
            reader.fail(
                cert,
                "register",
                f"unknown certainty {value!r} in {what}; use one of: " + ", ".join(CERTAINTIES),
            )
        else:
            certainty = value
    reason = reader.text(fields.get("certainty_reason"), f"the certainty_reason of {what}")
    if reason and not certainty and cert is None:
        reader.fail(
            fields["certainty_reason"],
            "register",
            f"{what} gives a certainty_reason but no certainty",
        )
    if certainty and kind and TYPES[kind].status is None:
        assert cert is not None
        reader.fail(
            cert,
            "register",
            f"{what} ends a licence ({kind}): certainty belongs to the decisions that grant one",
        )
        certainty = ""
    indication = reader.text(fields.get("indication"), f"the indication of {what}")
    if not (regulator and kind and when and indication and source):
        return None
    return Decision(
        regulator=regulator,
        type=kind,
        date=when,
        indication=indication,
        source=source,
        line=reader.line(node),
        indication_official=reader.text(
            fields.get("indication_official"), f"indication_official of {what}"
        ),
        warnings=reader.texts(fields.get("warnings"), f"the warnings of {what}"),
        checked=checked,
        tried=tried,
        certainty=certainty,
        certainty_reason=reason,
        note=note,
    )


def _changes(reader: _Reader, node: yaml.Node | None, ids: Set[str]) -> tuple[Change, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        reader.fail(node, "register", "changes must be a list, newest first")
        return ()
    changes: list[Change] = []
    for item in node.value:
        fields = reader.mapping(item, CHANGE_FIELDS, "a change")
        if fields is None:
            continue
        when = reader.day(fields.get("date"), "the date of a change")
        summary = reader.text(fields.get("summary"), "the summary of a change")
        products = reader.texts(fields.get("products"), "the products of a change")
        for key, key_node in zip(products, _items(fields.get("products")), strict=False):
            if key not in ids:
                reader.fail(key_node, "register", f"a change names unknown product {key!r}")
        if when is None or not summary:
            continue
        if changes and when > changes[-1].date:
            reader.fail(
                item,
                "register-date",
                f"changes must be newest first: {when.isoformat()} is listed after "
                f"{changes[-1].date.isoformat()}",
            )
        changes.append(
            Change(when, summary, tuple(p for p in products if p in ids), reader.line(item))
        )
    return tuple(changes)


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://")) or "://" in source


def url_problem(source: str) -> str | None:
    """Why a URL source cannot be used (``None`` if it can)."""
    if any(ch.isspace() for ch in source):
        return "it contains spaces"
    parts = urlsplit(source)
    if parts.scheme != "https":
        return "only https URLs are allowed"
    if not parts.hostname:
        return "it has no host"
    return None


# -- Checks against the bibliography and the build date ----------------------------------


def check(register: Register, citation_keys: Set[str], today: date) -> list[Problem]:
    """Problems that depend on the bibliography or on the build date (checked every build)."""
    problems: list[Problem] = []
    for product in register.products:
        for decision in product.decisions:
            what = f"the {decision.regulator} decision of {decision.date} on {product.id!r}"
            if _is_url(decision.source):
                if reason := url_problem(decision.source):
                    problems.append(
                        Problem(
                            decision.line,
                            "register-source",
                            f"the source URL of {what} is unusable: {reason}",
                        )
                    )
            elif decision.source not in citation_keys:
                problems.append(
                    Problem(
                        decision.line,
                        "register-source",
                        f"{what} cites {decision.source!r}, which is not a key in the bibliography",
                    )
                )
            if decision.earliest > today:
                problems.append(
                    Problem(
                        decision.line,
                        "register-date",
                        f"{what} is dated after the build date {today.isoformat()}",
                    )
                )
            for name, day in (("checked", decision.checked), ("tried", decision.tried)):
                if day is not None and day > today:
                    problems.append(
                        Problem(
                            decision.line,
                            "register-date",
                            f"{what} was {name} on {day.isoformat()}, after "
                            f"the build date {today.isoformat()}",
                        )
                    )
    for change in register.changes:
        if change.date > today:
            problems.append(
                Problem(
                    change.line,
                    "register-date",
                    f"a change is dated {change.date.isoformat()}, after the "
                    f"build date {today.isoformat()}",
                )
            )
    return problems
