"""stemcellref.hardening.security: the CSP as a meta tag on every page and as a _headers file."""

from __future__ import annotations

from bs4 import BeautifulSoup


def test_meta_tags_come_first_and_skip_header_only_directives(build_root) -> None:
    app = build_root("security-headers")
    assert app.warning.getvalue() == ""
    head = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser").head
    tags = head.find_all(["meta", "link", "script", "style"])
    csp = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    # frame-ancestors is ignored (with a console error) in a meta tag: header only.
    assert csp["content"] == "default-src 'self'; img-src 'self' data:"
    assert head.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer"
    before = tags[: tags.index(csp)]
    assert not [t for t in before if t.name in {"link", "script", "style"}], before


def test_headers_file_has_the_whole_policy(build_root) -> None:
    app = build_root("security-headers")
    lines = (app.outdir / "_headers").read_text().splitlines()
    rules = [line for line in lines if not line.startswith("#")]
    assert rules == [
        "/*",
        "  Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'",
        "  Referrer-Policy: no-referrer",
        "  X-Content-Type-Options: nosniff",
    ]


def test_no_headers_file_for_other_builders(build_root) -> None:
    app = build_root("security-headers", "text")
    assert not (app.outdir / "_headers").exists()
