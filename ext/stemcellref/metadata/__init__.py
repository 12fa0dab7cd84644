"""Page metadata: front matter -> footer, overdue notice, What's new, feeds, sitemap, robots.

Extensions: :mod:`.page_metadata` (the records, footer and notice), :mod:`.whats_new`,
:mod:`.feeds`, :mod:`.sitemap_lastmod`, :mod:`.robots`, :mod:`.meta_description`.
Templates: ``partials/page-meta.html``, ``partials/review-notice.html`` (rendered into the page
body by ``page_metadata``) and ``sidebar/subscribe.html`` (for ``html_sidebars``).
"""

from __future__ import annotations

from stemcellref.shared.problems import WarningType

WARNINGS = WarningType(
    "metadata",
    {
        "yaml": "the front matter is not a YAML mapping",
        "missing": "a required front-matter key (or the whole front matter) is missing",
        "key": "a front-matter key is given twice",
        "value": "a value has the wrong kind (text, true/false)",
        "description": "the description is too long",
        "date": "a date is not an ISO date, or next_review is not after last_reviewed",
        "review": "clinical_review is not a mapping of the reviewer's name, role and date",
        "changes": "the changes list is empty or an entry lacks a date or summary",
        "order": "changes are not newest first",
        "future": "a change or a clinical review is dated after the build date",
        "feed": "a {feed} role names an unknown feed",
        "config": "feeds cannot be written as configured (no html_baseurl)",
    },
)
