"""The site's base URL, normalised one way for ``conf.py`` and every extension."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.config import Config


def with_slash(url: str) -> str:
    """``url`` ending in exactly the ``/`` a base URL needs (``""`` stays ``""``)."""
    return url if not url or url.endswith("/") else url + "/"


def base_url(config: Config) -> str:
    """``html_baseurl`` (``SITE_URL``) ending in ``/``, or ``""`` when none is set."""
    return with_slash(config.html_baseurl or "")
