project = "Search Test"
extensions = ["myst_parser", "stemcellref.evidence.role", "stemcellref.search.site_search"]
html_theme = "furo"
myst_enable_extensions = ["colon_fence", "deflist"]
site_search_sections = {"treatments": "Treatments"}
