project = "Bad metadata"
extensions = ["myst_parser", "page_metadata"]
exclude_patterns = ["_build"]
