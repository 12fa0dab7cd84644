extensions = ["myst_parser", "stemcellref.performance.fast_navigation", "notfound.extension"]
# The 404 page rewrites its sidebar links to absolute ones: compared with stock furo too.
notfound_urls_prefix = "/docs/"
html_theme = "furo"
myst_enable_extensions = ["colon_fence"]
