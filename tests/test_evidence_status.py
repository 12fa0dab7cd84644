"""The ``{evidence}`` role: a status badge and a certainty badge, a search filter on the status."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


@pytest.mark.sphinx("html", testroot="evidence")
def test_badges_in_html(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    rows = [
        [(b.get_text(), b.get("data-pagefind-filter"), b["class"]) for b in td.select("span")]
        for td in html.select("td:nth-of-type(2)")
    ]
    assert rows == [
        [
            ("Standard care", "evidence:Standard care", ["evidence", "evidence-standard"]),
            ("Evidence: high certainty", None, ["certainty", "certainty-high"]),
        ],
        [("In clinical trials", "evidence:In clinical trials", ["evidence", "evidence-trials"])],
        [
            ("Unproven", "evidence:Unproven", ["evidence", "evidence-unproven"]),
            ("Evidence: very low certainty", None, ["certainty", "certainty-very-low"]),
        ],
        [
            ("Licensed (US)", "evidence:Licensed", ["evidence", "evidence-licensed"]),
            ("Evidence: low certainty", None, ["certainty", "certainty-low"]),
        ],
        [
            ("Conditional licence (Japan)", "evidence:Conditional licence",
             ["evidence", "evidence-conditional"]),
            ("Evidence: very low certainty", None, ["certainty", "certainty-very-low"]),
        ],
    ]  # fmt: skip


@pytest.mark.sphinx("text", testroot="evidence")
def test_labels_in_text(app) -> None:
    app.build()
    text = (app.outdir / "index.txt").read_text()
    assert "[Standard care] [Evidence: high certainty]" in text
    assert "[Licensed (US)] [Evidence: low certainty]" in text


@pytest.mark.sphinx("html", testroot="evidence-bad")
def test_bad_labels_are_located_errors(app) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:5: ERROR: bad evidence label 'proven': unknown evidence status 'proven'" in (
        warnings
    )
    assert "use one of: standard, licensed, conditional, trials, unproven" in warnings
    assert (
        "index.md:7: ERROR: bad evidence label 'trials (US)': a region in brackets goes only "
        "with conditional or licensed" in warnings
    )
    assert "index.md:9: ERROR: bad evidence label 'standard; strong': unknown certainty" in warnings
    assert "index.md:11: ERROR: bad evidence label 'licensed (); low'" in warnings
