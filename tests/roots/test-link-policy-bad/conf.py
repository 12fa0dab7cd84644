extensions = ["myst_parser", "stemcellref.hardening.link_policy"]
