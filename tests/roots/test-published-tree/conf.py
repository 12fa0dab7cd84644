project = "Published Tree Test"
extensions = ["myst_parser", "stemcellref.hardening.published_tree"]
html_title = "First title"
html_copy_source = False
