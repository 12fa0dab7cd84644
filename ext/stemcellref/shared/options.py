"""Directive options that ``run()`` checks itself, so bad ones become recorded page problems.

docutils rejects an unknown option or a bad value before ``run()`` with an error that is
logged only when the page is read (and drops the directive). A directive that takes
:class:`AnyOption` as its ``option_spec`` receives every option as text instead, reports what
is wrong with :mod:`stemcellref.shared.problems` (so every build repeats it), locating it at
the option's own line with :func:`option_line`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils.parsers.rst import directives

if TYPE_CHECKING:
    from docutils.parsers.rst import Directive


class AnyOption(dict[str, "Callable[[str | None], str]"]):
    """An option spec that accepts unknown names (as text) for ``run()`` to report."""

    def __missing__(self, key: str) -> Callable[[str | None], str]:
        return directives.unchanged


def any_option(*known: str) -> AnyOption:
    """An :class:`AnyOption` whose known options are all plain text."""
    return AnyOption({name: directives.unchanged for name in known})


def option_line(directive: Directive, name: str) -> int:
    """Line of option ``name`` (``:name:``, or YAML ``name:`` in MyST), else the directive's."""
    pattern = re.compile(rf"\s*:?{re.escape(name)}:(\s|$)")
    for offset, text in enumerate(directive.block_text.splitlines()):
        if offset and pattern.match(text):
            return directive.lineno + offset
    return directive.lineno
