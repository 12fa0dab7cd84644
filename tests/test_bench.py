"""The benchmark's corpus generator and harness work (on a tiny corpus; no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import bench


def test_generator_makes_site_shaped_pages(tmp_path: Path) -> None:
    docnames = bench.generate(tmp_path / "c", 60)
    assert len(docnames) == 60
    assert len(set(docnames)) == 60
    sections = {d.split("/")[0] for d in docnames if "/" in d}
    for sec in sections:
        size = sum(d.startswith(sec + "/") for d in docnames)
        assert 25 <= size <= 50 or sec == max(sections), (sec, size)
    page = (tmp_path / "c" / "section00" / "page001.md").read_text()
    for construct in ("last_reviewed:", "{term}", "{footcite:p}", ":::{further-info}",
                      "{evidence}", "](../", "key-messages"):  # fmt: skip
        assert construct in page, construct


@pytest.mark.site  # builds with the real conf.py: as slow as a site build
def test_harness_builds_and_measures_a_tiny_corpus(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert bench.main(["--sizes", "30", "--stock-max", "30", "--work", str(tmp_path),
                       "--json", str(out)]) == 0  # fmt: skip
    data = json.loads(out.read_text())
    rows = {r["config"]: r for r in data["results"]}
    assert set(rows) == {"project", "stock furo nav"}
    for row in rows.values():
        assert row["pages"] == 30
        assert row["full_serial"]["ok"] and row["full_serial"]["seconds"] > 0
        assert row["full_parallel"]["peak_rss_mb"] > 10
        assert row["incremental_title"]["ok"]
        assert row["output_mb"] > 0
        assert row["page_first_load_kb"] > row["page_further_kb"] > 0
        # A first search: Pagefind's WebAssembly alone is ~70 KB; it loads part of the index.
        assert 70 < row["first_search_kb"] < row["search_index_kb"]
    # Both configurations render the same pages.
    project = sorted(p.relative_to(tmp_path / "out-30-project")
                     for p in (tmp_path / "out-30-project").rglob("*.html"))  # fmt: skip
    stock = sorted(p.relative_to(tmp_path / "out-30-stock")
                   for p in (tmp_path / "out-30-stock").rglob("*.html"))  # fmt: skip
    assert project == stock
