"""Helpers shared by every family (none of these modules is a feature of its own).

* :mod:`.dates`: the build date and the one human date format.
* :mod:`.store`: per-document data on the environment, cleared and merged in one place.
* :mod:`.problems`: page problems recorded while reading, reported again on every build.
* :mod:`.config`: typed, prefixed config records, validated once at ``config-inited``.
* :mod:`.assets`: a family's ``templates/`` and ``static/`` folders and its CSS/JS files.
* :mod:`.order`: event priorities that other code depends on, named in one place.
"""
