"""A family's templates and static files, registered the same way by every extension.

Each family package may hold ``templates/`` and ``static/``. :func:`register_assets` adds them
to ``templates_path`` and ``html_static_path`` (after the project's own, so the site can still
override a template) and adds the extension's CSS and JavaScript files.

The paths are added at ``config-inited``, before Sphinx compares the configuration with the
pickled environment's: a path appended later (``builder-inited``) would make every incremental
build look like a configuration change and re-read every page. Non-HTML builders ignore both.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.config import Config


def family_dir(module_file: str) -> Path:
    """The family package folder of an extension module (``__file__``)."""
    return Path(module_file).resolve().parent


def register_assets(
    app: Sphinx,
    module_file: str,
    *,
    css: Iterable[str] = (),
    js: Iterable[str | tuple[str, dict[str, Any]]] = (),
) -> None:
    """Make the family's ``templates/`` and ``static/`` available and add its files.

    ``js`` entries are file names or ``(file name, attributes)`` pairs for
    :meth:`~sphinx.application.Sphinx.add_js_file`.
    """
    family = family_dir(module_file)
    templates, static = family / "templates", family / "static"
    css, js = tuple(css), tuple(js)

    def add_paths(app: Sphinx, config: Config) -> None:
        if templates.is_dir() and str(templates) not in config.templates_path:
            config.templates_path.append(str(templates))
        if static.is_dir() and str(static) not in config.html_static_path:
            config.html_static_path.append(str(static))
        for name in css:
            app.add_css_file(name)
        for entry in js:
            name, attributes = (entry, {}) if isinstance(entry, str) else entry
            app.add_js_file(name, **attributes)

    app.connect("config-inited", add_paths)
