project = "Register test"
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "stemcellref.evidence.register",
    "stemcellref.metadata.whats_new",
    "stemcellref.metadata.feeds",
    "stemcellref.hardening.table_scroll",
]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build", "_data"]
html_theme = "furo"
html_baseurl = "https://example.org/site/"
bibtex_bibfiles = ["references.bib"]
licensed_products_page = "register"
page_metadata_review_policy = "policy#who-checks"
