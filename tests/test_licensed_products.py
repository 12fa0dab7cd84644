"""The licensed-products register: tables, filters, located errors, What's new and feeds,
incremental and parallel builds (issue 13).

Built from tests/roots/test-licensed-products (a register page with one table per regulator
and the change log, a condition page, a kind filter, a product filter, a page without a table)
and tests/roots/test-licensed-products-bad (one problem per line). Expected rows come from the
root's YAML, read here with PyYAML, never from the extension.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from scripts.harness import REPO, SOURCE_DATE_EPOCH, differing_files

ROOTS = Path(__file__).parent / "roots"
ROOT = ROOTS / "test-licensed-products"
DATA = Path("_data/licensed-products.yaml")
BASE = "https://example.org/site/"


def register(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / DATA).read_text(encoding="utf-8"))


def product(key: str) -> dict:
    return next(p for p in register()["products"] if p["id"] == key)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tables(page: BeautifulSoup) -> list:
    return page.select("article table.licensed-products")


def text(node) -> str:
    """The node's text as read: blocks apart, no space before closing punctuation."""
    return re.sub(r"\s+([).,:])", r"\1", " ".join(node.get_text(" ").split()))


def row_headers(table) -> list[str]:
    return [text(th.select_one(".register-product-name")) for th in table.select("tbody th")]


def cells(table) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


@pytest.fixture(scope="module")
def html(build_root) -> SphinxTestApp:
    app = build_root("licensed-products")
    assert strip_escape_sequences(app.warning.getvalue()) == ""
    return app


# -- Rendering ----------------------------------------------------------------------------


def test_register_page_has_a_table_per_regulator_with_every_decision(html) -> None:
    page = soup(html.outdir / "register.html")
    found = tables(page)
    assert [text(t.caption).rstrip("¶").strip() for t in found] == [
        "Licensed stem cell products and related cell products: decisions of the FDA "
        "(United States)",
        "Decisions of the European Commission",
        "Licensed stem cell products and related cell products: decisions of the MHRA "
        "(United Kingdom) and the MHLW (Japan)",
    ]
    expected = {
        regulator: [p["name"] for p in register()["products"]
                    if any(d["regulator"] == regulator for d in p["decisions"])]
        for regulator in ("FDA", "EC")
    }  # fmt: skip
    assert row_headers(found[0]) == expected["FDA"]
    assert row_headers(found[1]) == expected["EC"]
    rows = sum(len(t.select("tbody tr")) for t in found)
    assert rows == sum(len(p["decisions"]) for p in register()["products"])
    # Each product's first row carries its anchor, as the register's id.
    anchors = [th["id"] for t in found for th in t.select("tbody th[id]")]
    assert sorted(anchors) == sorted(p["id"] for p in register()["products"])


def test_every_id_on_a_page_is_unique(html) -> None:
    for page in ("register", "eye", "cord", "products"):
        ids = [el["id"] for el in soup(html.outdir / f"{page}.html").select("[id]")]
        assert len(ids) == len(set(ids)), page


def test_tables_are_accessible(html) -> None:
    page = soup(html.outdir / "eye.html")
    (table,) = tables(page)
    region = table.find_parent("div", class_="table-scroll")
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-label"] == text(table.caption).rstrip("¶").strip()
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * 5
    assert [text(th) for th in table.select("thead th")] == [
        "Product", "Regulator", "Decision and evidence", "Licensed for", "Source and check",
    ]  # fmt: skip
    # One row header spanning the product's three decisions.
    (header,) = table.select("tbody th")
    assert header["scope"] == "row" and header["rowspan"] == "3"


def test_rows_show_status_and_certainty_like_the_evidence_role(html) -> None:
    page = soup(html.outdir / "eye.html")
    rows = tables(page)[0].select("tbody tr")
    beta = product("beta-eye")["decisions"]
    badges = [[(b.get_text(), b["class"]) for b in row.select(".evidence, .certainty")]
              for row in rows]  # fmt: skip
    assert badges == [
        [],  # the conditional licence, no longer in force: history, not a status
        [("Licensed (EU)", ["evidence", "evidence-licensed"]),
         ("Evidence: low certainty", ["certainty", "certainty-low"])],
        [("Licensed (UK)", ["evidence", "evidence-licensed"]),
         ("Evidence: low certainty", ["certainty", "certainty-low"])],
    ]  # fmt: skip
    assert "register-history" in rows[0]["class"]
    assert "No longer in force" in text(rows[0])
    assert "Made a full licence: 22 February 2024" in text(rows[0])
    assert beta[1]["certainty_reason"] in text(rows[1])
    # Dates as precise as the register: a day, or only a month.
    assert [t["datetime"] for t in rows[2].select(".register-decision time")] == ["2024-03"]
    assert "March 2024" in text(rows[2].select_one(".register-decision"))


def test_withdrawn_licences_stay_visible_as_history(html) -> None:
    page = soup(html.outdir / "products.html")
    gamma = [r for r in tables(page)[0].select("tbody tr")][:3]
    assert ["register-history" in r["class"] for r in gamma] == [True, False, True]
    assert text(gamma[2].select_one(".register-ended")) == "Withdrawn (EU)"
    assert "Withdrawn: 13 December 2024" in text(gamma[0])
    # Still licensed in Japan, with only the year confirmed.
    assert text(gamma[1].select_one(".evidence")) == "Licensed (Japan)"
    assert "Full licence, 2021" in text(gamma[1])


def test_each_row_shows_its_source_and_checked_date(html) -> None:
    page = soup(html.outdir / "register.html")
    fda, ec, others = tables(page)
    alpha = fda.select("tbody tr")[0].select_one(".register-source")
    assert text(alpha).startswith("Regulator’s record: ALPHACORD (HPC, Cord Blood)")
    assert alpha.a["href"] == "https://www.fda.gov/alphacord"
    assert alpha.select_one(".register-checked time")["datetime"] == "2026-12-02"
    delta = fda.select("tbody tr")[1].select_one(".register-source")
    assert delta.a.get_text() == "Regulator’s record"
    assert delta.a["href"] == product("delta-related")["decisions"][0]["source"]
    unconfirmed = "Not confirmed on the regulator’s record or by the licence holder"
    assert f"{unconfirmed} (tried 2 December 2026)" in text(delta)
    holder = ec.select("tbody tr")[1].select_one(".register-source")
    assert text(holder).startswith("Source (Beta S.r.l.): Beta became a full licence")
    article = ec.select("tbody tr")[2].select_one(".register-source a")
    assert article["href"] == "https://doi.org/10.1000/gamma.2021"
    # Every row has exactly one checked or tried line.
    for table in (fda, ec, others):
        for row in table.select("tbody tr"):
            assert len(row.select(".register-checked, .register-unconfirmed")) == 1


def test_rows_not_checked_within_the_review_interval_are_flagged(html) -> None:
    page = soup(html.outdir / "register.html")
    flagged = [
        row for table in tables(page) for row in table.select("tbody tr")
        if row.select_one(".register-stale")
    ]  # fmt: skip
    assert len(flagged) == 1  # epsilon-old, checked 2026-05-01: over 6 months before 2 Dec
    assert "Epsilon" in text(flagged[0])
    assert text(flagged[0].select_one(".register-stale")) == (
        "Due for re-check: last checked more than 6 months ago (due 1 November 2026)"
    )


def test_related_products_are_marked_as_not_stem_cell_based(html) -> None:
    page = soup(html.outdir / "products.html")
    rows = tables(page)[0].select("tbody tr")
    related = [r for r in rows if "register-related" in r["class"]]
    assert len(related) == 1
    assert text(related[0].select_one(".register-related-marker")) == "Not a stem cell product"
    assert "Delta" in text(related[0])


def test_regulators_words_warnings_and_escaping(html) -> None:
    page = soup(html.outdir / "cord.html")
    row = tables(page)[0].select("tbody tr")[0]
    official = product("alpha-cord")["decisions"][0]["indication_official"]
    details = row.select_one("details.register-official")
    assert text(details.summary) == "In the regulator’s words"
    assert official in text(details)
    warning = row.select_one(".register-boxed-warning")
    assert text(warning.strong) == "Boxed warning:"
    assert "infusion reactions & graft failure" in text(warning)
    raw = (html.outdir / "products.html").read_text(encoding="utf-8")
    assert "Gamma &lt;darvadstrocel&gt;" in raw and "<darvadstrocel>" not in raw


# -- Filtering ----------------------------------------------------------------------------


def test_filters_select_rows(html) -> None:
    def decisions(page: str) -> list[tuple[str, str]]:
        (table,) = tables(soup(html.outdir / f"{page}.html"))
        shown = []
        for row in table.select("tbody tr"):
            header = row.select_one("th .register-product-name")
            name = text(header) if header else shown[-1][0]
            shown.append((name, row.select_one(".register-decision time")["datetime"]))
        return shown

    def expected(keep) -> list[tuple[str, str]]:
        return [(p["name"], str(d["date"])) for p in register()["products"]
                for d in p["decisions"] if keep(p, d)]  # fmt: skip

    assert decisions("eye") == expected(lambda p, d: "eye-disease" in p["conditions"])
    assert decisions("cord") == expected(
        lambda p, d: (
            p["kind"] in {"cord-blood", "tissue-engineered"} and d["regulator"] in {"FDA", "EC"}
        )
    )
    assert decisions("products") == expected(lambda p, d: p["id"] in {"gamma-msc", "delta-related"})
    assert not tables(soup(html.outdir / "other.html"))


def test_product_names_link_to_their_row_on_the_register_page(html) -> None:
    page = soup(html.outdir / "products.html")
    links = [a["href"] for a in tables(page)[0].select("th .register-product-name a")]
    assert links == ["register.html#gamma-msc", "register.html#delta-related"]
    register_page = soup(html.outdir / "register.html")
    for href in links:
        assert register_page.find(id=href.partition("#")[2]).name == "th"


# -- What's new and the feeds ------------------------------------------------------------


def test_register_changes_reach_whats_new_and_the_feeds(html) -> None:
    changes = register()["changes"]
    page = soup(html.outdir / "register.html")
    log = page.select("ul.register-changes > li")
    assert [li["id"] for li in log] == [f"register-change-{c['date']}" for c in changes]
    assert [a["href"] for a in log[0].select("a")] == ["#beta-eye"]

    items = [text(li) for li in soup(html.outdir / "whats-new.html").select("ul.whats-new li")]
    assert f"30 November 2026 · Licensed products: {changes[0]['summary']}" == items[0]

    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((html.outdir / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        entry = feed.entries[0]
        assert entry.title == f"Licensed products: {changes[0]['summary']}"
        assert entry.link == f"{BASE}register.html"
        assert entry.id == f"{BASE}register.html#register-change-2026-11-30"


# -- Other builders -----------------------------------------------------------------------


def column(table: str, index: int) -> str:
    """The text of one column of a plain-text table, its wrapped lines joined."""
    rows = [line.split("|") for line in table.splitlines() if line.startswith("|")]
    parts = [row[index + 1] for row in rows if len(row) == len(rows[0])]
    return "".join(part.strip() if part.strip() else " " for part in parts)


def test_plain_text_is_readable(build_root) -> None:
    app = build_root("licensed-products", "text")
    assert strip_escape_sequences(app.warning.getvalue()) == ""
    out = (app.outdir / "eye.txt").read_text(encoding="utf-8")
    assert "Licensed stem cell products and related cell products for eye disease" in out
    decisions = column(out, 2)
    assert "[Licensed(EU)][Evidence:lowcertainty]" in decisions.replace(" ", "")
    sources = column(out, 4).replace(" ", "")
    assert "Notconfirmedontheregulator'srecordorbythelicenceholder(tried2December2026)" in sources
    # The source's address is written out where nothing is clickable.
    assert "<https://beta.example.org/news/full-licence>" in sources


def test_epub_gets_no_details_element(build_root) -> None:
    app = build_root("licensed-products", "epub")
    page = (app.outdir / "cord.xhtml").read_text(encoding="utf-8")
    official = BeautifulSoup(page, "html.parser").select_one(".register-official")
    assert official.name == "div"
    assert text(official).startswith("In the regulator’s words “For use in unrelated donor")


# -- Located errors -----------------------------------------------------------------------

MESSAGE = re.compile(r"^(?P<path>/\S+?):(?P<line>\d+): ERROR: (?P<text>.*) \[(?P<type>[\w.-]+)\]$")


def located(app: SphinxTestApp) -> list[tuple[str, int, str, str]]:
    found = []
    for line in strip_escape_sequences(app.warning.getvalue()).splitlines():
        if match := MESSAGE.match(line):
            path = Path(match["path"]).relative_to(app.srcdir).as_posix()
            found.append((path, int(match["line"]), match["type"], match["text"]))
    return found


def test_every_bad_input_is_an_error_at_its_line(build_root) -> None:
    app = build_root("licensed-products-bad")
    found = {(path, line, kind) for path, line, kind, _ in located(app)}
    data = DATA.as_posix()
    assert found == {
        (data, 6, "evidence.register"),  # a change names an unknown product
        (data, 7, "evidence.register-date"),  # changes not newest first
        (data, 9, "evidence.register-date"),  # out of order, and in the future
        (data, 18, "evidence.register"),  # unknown condition
        (data, 19, "evidence.register"),  # unknown field
        (data, 27, "evidence.register"),  # unknown regulator
        (data, 34, "evidence.register"),  # unknown decision type
        (data, 35, "evidence.register-date"),  # 30 February
        (data, 41, "evidence.register-date"),  # "Feb 2022"
        (data, 45, "evidence.register-source"),  # no source
        (data, 50, "evidence.register-source"),  # unknown citation key
        (data, 56, "evidence.register-source"),  # http, not https
        (data, 62, "evidence.register-checked"),  # no checked date
        (data, 67, "evidence.register-date"),  # checked in the future
        (data, 78, "evidence.register-date"),  # checked 2026/12/02
        (data, 79, "evidence.register-date"),  # decisions out of date order
        (data, 85, "evidence.register-date"),  # decided in the future
        (data, 91, "evidence.register-date"),
        (data, 96, "evidence.register-checked"),  # tried, with no note
        (data, 97, "evidence.register-date"),
        (data, 103, "evidence.register"),  # certainty on a withdrawal
        (data, 104, "evidence.register"),  # bad id
        (data, 108, "evidence.register"),  # unknown kind
        (data, 109, "evidence.register"),  # stem_cell_based: yes please
        (data, 118, "evidence.register"),  # unknown certainty
        (data, 124, "evidence.register"),  # related product said to be stem cell based
        ("index.md", 12, "evidence.register-page"),  # the register page misses a decision
        ("index.md", 17, "evidence.register-filter"),  # matches nothing
        ("index.md", 18, "evidence.register-filter"),  # unknown regulator
        ("index.md", 19, "evidence.register-filter"),  # unknown condition
        ("index.md", 22, "evidence.register-filter"),  # matches nothing
        ("index.md", 28, "evidence.register-filter"),  # unknown option
        ("index.md", 29, "evidence.register-filter"),  # an empty value in a list
    }
    messages = {(path, line): message for path, line, _, message in located(app)}
    assert messages[(data, 27)].startswith("unknown regulator 'AEMPS' in a decision on product")
    assert messages[(data, 50)] == (
        "the FDA decision of 2022-04-01 on 'good' cites 'unknown2024', which is not a key in "
        "the bibliography"
    )
    assert "no checked date" in messages[(data, 62)]
    assert messages[(data, 67)] == (
        "the FDA decision of 2022-07-01 on 'good' was checked on 2027-01-05, after the build "
        "date 2026-12-02"
    )
    assert messages[("index.md", 12)].endswith("no table here shows: related (FDA, 2020-01-01)")


def test_a_missing_register_file_is_an_error_at_the_directive(build_root) -> None:
    app = build_root(
        "licensed-products-bad", confoverrides={"licensed_products_path": "_data/nothing.yaml"}
    )
    messages = [(p, line, m) for p, line, _, m in located(app)]
    assert ("index.md", 12, "licensed-products: the register file _data/nothing.yaml does "
            "not exist (licensed_products_path)") in messages  # fmt: skip


# -- Incremental and parallel builds ------------------------------------------------------


def _read(app: SphinxTestApp) -> set[str]:
    """The documents the build read (Sphinx's "reading sources... [ n%] doc" lines)."""
    status = strip_escape_sequences(app.status.getvalue())
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status))


def test_a_data_edit_rewrites_exactly_the_pages_that_show_the_row(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)

    def build() -> SphinxTestApp:
        app = SphinxTestApp("html", srcdir=srcdir)
        app.build()
        app.cleanup()
        return app

    build()
    assert _read(build()) == set()  # nothing changed, nothing read

    data = srcdir / DATA
    source = data.read_text(encoding="utf-8")
    edited = source.replace("The same use in the United Kingdom.", "An edited UK use.")
    assert edited != source
    data.write_text(edited, encoding="utf-8")
    app = build()
    # Beta's MHRA row is shown on the register page and the eye page, nowhere else.
    assert _read(app) == {"register", "eye"}
    for page in ("register", "eye"):
        assert "An edited UK use." in (app.outdir / f"{page}.html").read_text(encoding="utf-8")

    # A new change in the log reaches the register page, What's new and the feeds.
    data.write_text(
        edited.replace("changes:\n", "changes:\n  - date: 2026-12-01\n    summary: UK use "
                       "edited.\n    products: [beta-eye]\n", 1),
        encoding="utf-8",
    )  # fmt: skip
    app = build()
    assert _read(app) == {"register"}
    whats_new = soup(app.outdir / "whats-new.html").select("ul.whats-new li")
    assert text(whats_new[0]) == "1 December 2026 · Licensed products: UK use edited."
    assert feedparser.parse((app.outdir / "rss.xml").read_bytes()).entries[0].title == (
        "Licensed products: UK use edited."
    )


def test_the_stale_flag_follows_the_build_date(tmp_path, monkeypatch) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    flagged = {}
    # 15 October 2026: epsilon-old (checked 1 May 2026) is not yet 6 months old.
    for epoch in ("1792065600", SOURCE_DATE_EPOCH):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        app = SphinxTestApp("html", srcdir=srcdir)
        app.build()
        app.cleanup()
        flagged[epoch] = (
            len(soup(app.outdir / "register.html").select(".register-stale")),
            _read(app),
        )
    assert flagged["1792065600"][0] == 0
    assert flagged[SOURCE_DATE_EPOCH] == (1, {"register"})


def test_parallel_build_writes_the_same_files(build_root) -> None:
    serial = build_root("licensed-products")
    parallel = build_root("licensed-products", parallel=2)
    assert strip_escape_sequences(parallel.warning.getvalue()) == ""
    assert differing_files(Path(serial.outdir), Path(parallel.outdir)) == []


# -- make review ---------------------------------------------------------------------------


def test_make_review_lists_rows_due_for_a_check_and_pages_awaiting_sign_off() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/review.py", "--docs", str(ROOT), "--days", "0"],
        cwd=REPO, capture_output=True, text=True, check=True,
        env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    out = result.stdout
    line = 1 + (ROOT / DATA).read_text().splitlines().index("      - regulator: MHLW", 110)
    assert (
        f"2026-11-01  overdue by 31 days   epsilon-old (MHLW, 2015-09-18)  "
        f"test-licensed-products/{DATA.as_posix()}:{line}"
    ) in out
    assert "Pages awaiting clinical sign-off (no clinical_review): 8" in out
