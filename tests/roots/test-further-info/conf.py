extensions = ["myst_parser", "stemcellref.callouts.further_info"]
myst_enable_extensions = ["colon_fence"]
project = "Further info test"
html_theme = "furo"
