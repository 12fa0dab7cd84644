extensions = ["myst_parser", "stemcellref.callouts.further_info"]
myst_enable_extensions = ["colon_fence"]
project = "Further info: bad input"
