"""Full-text search with Pagefind, replacing Sphinx's built-in search.

Extension: :mod:`.site_search`. The Pagefind contract (which markup is indexed, which
attributes carry filters and meta, the bundle's files) lives in :mod:`.pagefind` and nowhere
else: no other family writes a Pagefind attribute. Templates: ``search.html``,
``sidebar/search.html``; static files: ``site-search/`` (the browser UI on ``pagefind.js``).
"""
