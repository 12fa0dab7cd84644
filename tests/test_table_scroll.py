"""Table scroll (hardening family): wide tables scroll in a focusable, named region (HTML only)."""

from __future__ import annotations

from bs4 import BeautifulSoup


def test_tables_sit_in_named_focusable_regions(build_root) -> None:
    app = build_root("table-scroll")
    assert app.warning.getvalue() == ""
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    regions = html.select("div.table-scroll")
    assert [(r["role"], r["tabindex"], r["aria-label"]) for r in regions] == [
        ("region", "0", 'Table: Evidence "at a glance" & more'),
        ("region", "0", "Licensed products <as of 2026>"),
        ("region", "0", "Stub column"),
    ]
    assert all(len(r.find_all("table", recursive=False)) == 1 for r in regions)
    # Escaped in the markup, not just parsed back by BeautifulSoup.
    raw = (app.outdir / "index.html").read_text()
    assert 'aria-label="Table: Evidence &quot;at a glance&quot; &amp; more"' in raw


def test_header_cells_say_what_they_head(build_root) -> None:
    """Screen readers announce a cell with its column header and its row header."""
    app = build_root("table-scroll")
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    heads = [[(th.get_text(strip=True), th.get("scope")) for th in t.select("th")]
             for t in html.select("table")]  # fmt: skip
    assert heads == [
        [("Approach", "col"), ("Status", "col")],
        [("Product", "col"), ("Regulator", "col")],
        [("Product", "col"), ("Licence", "col"), ("Holoclar", "row")],
    ]
    assert not html.select("td[scope]")


def test_a_captioned_table_keeps_its_id_and_furo_s_wrapper_does_not_copy_it(build_root) -> None:
    app = build_root("table-scroll", confoverrides={"html_theme": "furo"})
    assert app.warning.getvalue() == ""
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    captioned = html.select("article table")[1]
    assert captioned.caption.a["href"] == f"#{captioned['id']}"
    ids = [el["id"] for el in html.select("[id]")]
    assert len(ids) == len(set(ids))
    assert not html.select("div.table-wrapper[id]")


def test_other_builders_see_plain_tables(build_root) -> None:
    app = build_root("table-scroll", "text")
    text = (app.outdir / "index.txt").read_text()
    assert "Ryoncil" in text
    assert "table-scroll" not in text
