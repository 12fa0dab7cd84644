"""Typed, prefixed configuration records, declared and validated in one place.

An extension describes its ``conf.py`` settings as one frozen dataclass::

    @dataclass(frozen=True, slots=True)
    class FeedsConfig(ConfigRecord):
        prefix: ClassVar[str] = "feeds_"

        max_items: int = setting(50, types=int, rebuild="", check=positive_int,
                                 doc="Most items in each feed.")

:meth:`ConfigRecord.declare` (in ``setup()``) registers ``feeds_max_items`` with
``add_config_value`` and validates every value of the record once, at ``config-inited``: a bad
value raises :class:`~sphinx.errors.ConfigError` naming the setting, so a misconfigured build
stops before reading a page. :meth:`ConfigRecord.of` gives the typed record to the code that
uses it (``FeedsConfig.of(app.config).max_items``).

Defaults may be callables of the config, as ``add_config_value`` allows; the dataclass fields
have no defaults of their own (``of`` always reads every value).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: A check returns ``None`` for a good value, else what is wrong ("must be ...").
Check = Callable[[Any], str | None]
Rebuild = Literal["env", "html", ""]


@dataclass(frozen=True, slots=True)
class Setting:
    """How one config value is declared and checked."""

    default: Any
    types: tuple[type, ...]
    rebuild: Rebuild
    doc: str
    check: Check | None
    expect: str | None


def setting(
    default: Any,
    *,
    types: type | tuple[type, ...],
    rebuild: Rebuild,
    doc: str,
    check: Check | None = None,
    expect: str | None = None,
) -> Any:
    """A field of a :class:`ConfigRecord` (typed ``Any`` so the annotation stays the value's).

    ``expect`` ("a positive whole number") replaces both the type and the check's reason in
    the error message, for values best described in words.
    """
    types = types if isinstance(types, tuple) else (types,)
    spec = Setting(default, types, rebuild, doc, check, expect)
    return dataclasses.field(metadata={"setting": spec})


def _type_names(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


class ConfigRecord:
    """Base of an extension's config record; subclasses are frozen dataclasses."""

    prefix: ClassVar[str]

    @classmethod
    def settings(cls) -> dict[str, Setting]:
        """Full config name -> its declaration, in field order."""
        return {
            cls.prefix + f.name: f.metadata["setting"]
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        }

    @classmethod
    def declare(cls, app: Sphinx) -> None:
        """Register every setting and validate them all at ``config-inited``."""
        for name, spec in cls.settings().items():
            app.add_config_value(
                name, spec.default, spec.rebuild, types=frozenset(spec.types), description=spec.doc
            )
        app.connect("config-inited", cls.validate)

    @classmethod
    def validate(cls, app: Sphinx | None, config: Config) -> None:
        """Raise :class:`ConfigError` for the first value of the wrong type or shape."""
        for name, spec in cls.settings().items():
            value = getattr(config, name)
            # bool is an int to Python, never to a reader of conf.py.
            wrong_bool = isinstance(value, bool) and bool not in spec.types
            if wrong_bool or not isinstance(value, spec.types):
                reason = f"must be {_type_names(spec.types)}"
            else:
                reason = spec.check(value) if spec.check is not None else None
            if reason:
                if spec.expect:
                    reason = f"must be {spec.expect}"
                msg = f"{name} {reason}, not {value!r}"
                raise ConfigError(msg)

    @classmethod
    def of(cls, config: Config) -> Self:
        """The record of the values in ``config`` (already validated)."""
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        return cls(**{name: getattr(config, cls.prefix + name) for name in names})


# -- Reusable checks --------------------------------------------------------------------


def positive_int(value: Any) -> str | None:
    return None if value >= 1 else "must be a positive whole number"


def strings(value: Any) -> str | None:
    """Every item of a list or tuple is text."""
    return None if all(isinstance(v, str) for v in value) else "must list only text"


def non_empty_strings(value: Any) -> str | None:
    if strings(value):
        return strings(value)
    return None if all(v.strip() for v in value) else "must not list empty text"


def string_mapping(value: Any) -> str | None:
    """A dict of text to text."""
    ok = all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return None if ok else "must map text to text"
