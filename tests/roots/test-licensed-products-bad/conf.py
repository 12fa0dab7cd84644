project = "Register test: bad input"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "stemcellref.evidence.register"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build", "_data"]
bibtex_bibfiles = ["references.bib"]
licensed_products_page = "index"
