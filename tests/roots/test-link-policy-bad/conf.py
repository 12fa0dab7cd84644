extensions = ["myst_parser", "link_policy"]
