"""Event priorities that other code depends on, named in one place.

Sphinx calls an event's listeners in ascending priority (default 500), then in the order they
were connected. Where our output depends on running before or after another listener, the
priority is one of these names, and ``tests/test_architecture.py`` asserts the resulting order
on a real application, so an upgrade that changes a neighbour's priority fails a test instead
of silently changing the site.
"""

from __future__ import annotations

#: ``html-page-context``: ``meta_description`` sets ``og:description`` before
#: sphinxext-opengraph (default priority, 500) reads the page's metadata.
BEFORE_OPENGRAPH = 400

#: ``html-page-context``: ``page_metadata`` wraps the page body in its review notice and footer
#: after ``site_search`` (500) put its hidden Pagefind markers at the start of the body, and
#: after ``feeds`` (500) set the ``feed_links`` the footer shows.
AFTER_BODY_MARKERS = 600

#: ``build-finished``: ``sitemap_lastmod`` rewrites ``sitemap.xml`` after sphinx-sitemap
#: (default priority, 500) wrote it.
AFTER_SITEMAP = 900

#: ``html-collect-pages``: ``site_search`` starts Pagefind after every other listener has
#: had its say (the documents' pages are written by then; Pagefind never reads the others).
LAST_COLLECT_PAGES = 900

#: ``env-updated``: recorded page problems are reported after every other listener has
#: updated the environment.
REPORT_PROBLEMS = 900

#: post-transform (HTML): ``table_scroll`` takes the ids off the ``div.table-wrapper`` that
#: furo's ``WrapTableAndMathInAContainerTransform`` (priority 500) puts around each table with
#: a copy of the table's ids, which would give a captioned table's id to two elements.
AFTER_FURO_TABLE_WRAPPER = 510
