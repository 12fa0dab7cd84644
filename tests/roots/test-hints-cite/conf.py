extensions = ["myst_parser", "sphinxcontrib.bibtex", "stemcellref.authoring.contributor_hints"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["references.bib"]
bibtex_foot_reference_style = "foot"
