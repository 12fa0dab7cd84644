extensions = ["myst_parser", "stemcellref.hardening.table_scroll"]
myst_enable_extensions = ["colon_fence"]
smartquotes = False  # keep straight quotes, to check they are escaped
