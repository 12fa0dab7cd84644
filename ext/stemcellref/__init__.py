"""Stem Cell Reference's own Sphinx extensions, grouped in families by what they serve.

Each family is a package that owns its extensions (one module with a ``setup()`` each), its
templates and static files, its typed configuration and its warning type:

``metadata``
    Front matter of content pages: footer and overdue notice, "What's new", RSS/Atom feeds,
    sitemap ``lastmod``, ``robots.txt`` and ``<meta name="description">``.
``search``
    Full-text search with Pagefind; owns the Pagefind contract (what is indexed, filters, meta).
``evidence``
    The ``{evidence}`` label of a therapy's status.
``callouts``
    The ``further-info`` callout and its site-wide index.
``hardening``
    Content-Security-Policy, the link policy and scrolling tables.
``performance``
    Fast sidebar navigation and the pybtex plugin cache.
``authoring``
    Fix-it hints on the warnings contributors cause most often.
``shared``
    Helpers every family uses: the build date, per-document stores, recorded page problems,
    config records, asset registration and event order.

``docs/contributing/architecture.md`` describes the events, environment data, config values and
HTML contracts of each extension.
"""
