"""The ``{evidence}`` role: badges in HTML with a search filter, plain labels in text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


@pytest.mark.sphinx("html", testroot="evidence")
def test_badges_in_html(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    badges = html.select("span.evidence")
    assert [(b.get_text(), b["data-pagefind-filter"]) for b in badges] == [
        ("Established", "evidence"),
        ("In clinical trials", "evidence"),
        ("Unproven", "evidence"),
    ]
    assert badges[1]["class"] == ["evidence", "evidence-trials"]


@pytest.mark.sphinx("text", testroot="evidence")
def test_labels_in_text(app) -> None:
    app.build()
    text = (app.outdir / "index.txt").read_text()
    assert "[Established]" in text
    assert "[Unproven]" in text


@pytest.mark.sphinx("html", testroot="evidence-bad")
def test_unknown_status_is_a_located_error(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:5: ERROR: unknown evidence status 'proven'" in warnings
    assert "use one of: established, trials, unproven" in warnings
