"""The ``{evidence}`` role: a status badge and a certainty badge (filters: tests/test_search.py)."""

from __future__ import annotations

from bs4 import BeautifulSoup


def test_badges_in_html(build_root) -> None:
    app = build_root("evidence")
    assert app.warning.getvalue() == ""
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    rows = [
        [(b.get_text(), b["class"]) for b in td.select("span")]
        for td in html.select("td:nth-of-type(2)")
    ]
    assert rows == [
        [
            ("Standard care", ["evidence", "evidence-standard"]),
            ("Evidence: high certainty", ["certainty", "certainty-high"]),
        ],
        [("In clinical trials", ["evidence", "evidence-trials"])],
        [
            ("Unproven", ["evidence", "evidence-unproven"]),
            ("Evidence: very low certainty", ["certainty", "certainty-very-low"]),
        ],
        [
            ("Licensed (US)", ["evidence", "evidence-licensed"]),
            ("Evidence: low certainty", ["certainty", "certainty-low"]),
        ],
        [
            ("Conditional licence (Japan)", ["evidence", "evidence-conditional"]),
            ("Evidence: very low certainty", ["certainty", "certainty-very-low"]),
        ],
    ]
    # Pagefind's attributes are the search family's business (tests/test_search.py).
    assert not html.select("span[data-pagefind-filter]")


def test_labels_in_text(build_root) -> None:
    app = build_root("evidence", "text")
    text = (app.outdir / "index.txt").read_text()
    assert "[Standard care] [Evidence: high certainty]" in text
    assert "[Licensed (US)] [Evidence: low certainty]" in text


def test_bad_labels_are_located_errors(build_root) -> None:
    app = build_root("evidence-bad")
    warnings = app.warning.getvalue()
    assert warnings.count("[evidence.label]") == 4
    assert "index.md:5: ERROR: bad evidence label 'proven': unknown evidence status 'proven'" in (
        warnings
    )
    assert "use one of: standard, option, licensed, conditional, trials, unproven" in warnings
    assert (
        "index.md:7: ERROR: bad evidence label 'trials (US)': a region in brackets goes only "
        "with conditional or licensed" in warnings
    )
    assert "index.md:9: ERROR: bad evidence label 'standard; strong': unknown certainty" in warnings
    assert "index.md:11: ERROR: bad evidence label 'licensed (); low'" in warnings
