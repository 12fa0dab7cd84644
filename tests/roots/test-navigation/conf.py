extensions = ["myst_parser", "fast_navigation"]
html_theme = "furo"
myst_enable_extensions = ["colon_fence"]
