"""Extra HTML attributes one family asks another family's writer to emit.

A family that owns an HTML contract (search: Pagefind's ``data-pagefind-*``) sets attributes
on another family's node in a post-transform; that node's HTML visitor passes
:func:`attributes` to ``starttag``. The node's own family needs no knowledge of the contract.
"""

from __future__ import annotations

from docutils import nodes

#: Node attribute holding ``{html attribute: value}`` (not serialised: set at write time).
KEY = "html_attributes"


def set_attribute(node: nodes.Element, name: str, value: str) -> None:
    node.setdefault(KEY, {})[name] = value


def attributes(node: nodes.Element) -> dict[str, str]:
    return dict(node.get(KEY, {}))
