from pathlib import Path

import page_metadata

# The site's own templates (page.html and the partials), so tests see what readers see.
TEMPLATES = Path(page_metadata.__file__).resolve().parents[1] / "docs" / "_templates"

project = "Test Site"
extensions = ["myst_parser", "page_metadata", "whats_new", "feeds", "sitemap_lastmod"]
exclude_patterns = ["_build"]
templates_path = [str(TEMPLATES)]
html_theme = "furo"
html_baseurl = "https://example.org/site/"
html_sidebars = {
    "**": [
        "sidebar/scroll-start.html",
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/navigation.html",
        "sidebar/subscribe.html",
        "sidebar/scroll-end.html",
    ]
}
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html"]
