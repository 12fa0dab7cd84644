extensions = ["myst_parser", "evidence_status"]
