extensions = ["myst_parser", "contributor_hints"]
myst_enable_extensions = ["colon_fence"]
