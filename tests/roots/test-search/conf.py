project = "Search Test"
extensions = ["myst_parser", "evidence_status", "site_search"]
html_theme = "furo"
myst_enable_extensions = ["colon_fence", "deflist"]
search_sections = {"treatments": "Treatments"}
