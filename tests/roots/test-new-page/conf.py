# The extensions and settings the page template relies on, as in the site's conf.py.
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "stemcellref.evidence.role",
    "stemcellref.callouts.further_info",
    "stemcellref.metadata.page_metadata",
    "stemcellref.authoring.contributor_hints",
]
exclude_patterns = ["_build", "_templates"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block"]
myst_heading_anchors = 3
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_foot_reference_style = "foot"
html_theme = "furo"
