"""Build performance: furo's navigation from one template per build (:mod:`.fast_navigation`)
and cached pybtex plugin look-ups (:mod:`.bibtex_cache`). Neither changes the output."""
