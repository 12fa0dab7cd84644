project = "Test Site"
extensions = ["myst_parser", "stemcellref.metadata.page_metadata", "stemcellref.metadata.whats_new", "stemcellref.metadata.feeds", "stemcellref.metadata.sitemap_lastmod"]
exclude_patterns = ["_build"]
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
