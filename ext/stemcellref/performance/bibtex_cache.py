"""Cache pybtex's plugin look-ups, which dominate the build time of cited pages.

sphinxcontrib-bibtex asks pybtex for its style plugins on every citation (``find_plugin``), and
pybtex 0.26 answers each question by scanning the entry points of every installed
distribution (``importlib.metadata.entry_points``): about 5 ms a look-up, four look-ups per
``{footcite}``. On a 500-page corpus that was over half of the build (see
``docs/contributing/performance.md``).

The answer only changes when a plugin is registered, so the cache is emptied whenever
``pybtex.plugin.register_plugin`` runs. Nothing is stored on the environment; every process
(including parallel workers) keeps its own cache.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import pybtex.plugin

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def _install() -> None:
    if getattr(pybtex.plugin, "_stem_cell_reference_cached", False):
        return
    load = functools.cache(pybtex.plugin._load_entry_point)
    register = pybtex.plugin.register_plugin

    @functools.wraps(register)
    def register_and_forget(*args: Any, **kwargs: Any) -> Any:
        load.cache_clear()
        return register(*args, **kwargs)

    pybtex.plugin._load_entry_point = load
    pybtex.plugin.register_plugin = register_and_forget
    pybtex.plugin._stem_cell_reference_cached = True


def setup(app: Sphinx) -> ExtensionMetadata:
    _install()
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
