extensions = ["myst_parser", "stemcellref.evidence.role"]
