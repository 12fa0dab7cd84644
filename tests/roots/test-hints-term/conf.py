extensions = ["myst_parser", "stemcellref.authoring.contributor_hints"]
myst_enable_extensions = ["colon_fence"]
