project = "Bad metadata"
extensions = ["myst_parser", "stemcellref.metadata.page_metadata", "stemcellref.metadata.feeds"]
exclude_patterns = ["_build"]
html_baseurl = "https://example.org/"
