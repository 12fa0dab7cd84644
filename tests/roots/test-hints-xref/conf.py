extensions = ["myst_parser", "contributor_hints"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
