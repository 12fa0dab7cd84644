"""Authoring: fix-it hints appended to the warnings contributors cause most often
(:mod:`.contributor_hints`)."""
