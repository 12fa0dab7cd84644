"""Per-document data kept on the Sphinx environment, cleared and merged in one place.

A helper for the project's environment collectors (not an extension). Sphinx pickles the
environment between builds, forgets a document before reading it again, and with ``-j`` reads
documents in worker processes whose environments it merges back. A *store* is an attribute of
the environment holding either a dict keyed by docname or a set of docnames;
:class:`DocStoreCollector` clears and merges every store a collector names, so each extension
only says what it records (``process_doc``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.environment.collectors import EnvironmentCollector

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _store(env: BuildEnvironment, name: str, kind: type) -> Any:
    if not hasattr(env, name):
        setattr(env, name, kind())
    return getattr(env, name)


def doc_dict(env: BuildEnvironment, name: str) -> dict[str, Any]:
    """The store ``env.<name>``: docname -> what a collector recorded for that document."""
    return _store(env, name, dict)


def doc_set(env: BuildEnvironment, name: str) -> set[str]:
    """The store ``env.<name>``: the docnames a collector marked."""
    return _store(env, name, set)


class DocStoreCollector(EnvironmentCollector):
    """A collector whose state is the ``stores`` it names: attribute name -> ``dict`` or ``set``."""

    stores: ClassVar[dict[str, type]] = {}

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        for name, kind in self.stores.items():
            if kind is dict:
                doc_dict(env, name).pop(docname, None)
            else:
                doc_set(env, name).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        for name, kind in self.stores.items():
            if kind is dict:
                theirs = doc_dict(other, name)
                doc_dict(env, name).update({d: theirs[d] for d in docnames if d in theirs})
            else:
                doc_set(env, name).update(doc_set(other, name) & docnames)
