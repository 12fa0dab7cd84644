"""Link policy: only http, https, mailto or relative links reach a page, however written."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from stemcellref.hardening.link_policy import url_scheme

ROOTS = Path(__file__).parent / "roots"


def line_of(root: str, snippet: str) -> int:
    """1-based line of ``snippet`` in the test root's index.md (so the tests follow the file)."""
    lines = (ROOTS / f"test-{root}" / "index.md").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if snippet in line)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://example.org/", "https"),
        ("JavaScript:alert(1)", "javascript"),
        (" \x01java\tscript:alert(1)", "javascript"),  # what a browser would still run
        ("other.html#x", None),
        ("#top", None),
        ("../a/b.html", None),
        ("/abs/path", None),
    ],
)
def test_url_scheme_matches_what_a_browser_sees(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme


def test_disallowed_schemes_are_located_errors(build_root) -> None:
    app = build_root("link-policy-bad", warningiserror=True)
    warnings = app.warning.getvalue()
    expected = [
        # Markdown links markdown-it refused to render, on the first and second line of a paragraph.
        (line_of("link-policy-bad", "[click me](javascript:"), "'javascript:' in Markdown link"),
        (line_of("link-policy-bad", "<vbscript:"), "'vbscript:' in Markdown link"),
        (line_of("link-policy-bad", "[local](file:"), "'file:' in Markdown link"),
        # A link MyST did render.
        (line_of("link-policy-bad", "(ftp://"), "'ftp:' in a link: 'ftp://example.org/x'"),
        # Raw HTML, inline and block, including a character reference hiding the scheme.
        (line_of("link-policy-bad", "alert(2)"), "'javascript:' in raw HTML <a href>"),
        (line_of("link-policy-bad", "alert(3)"), "'javascript:' in raw HTML <a href>: 'JaVaScript"),
        (line_of("link-policy-bad", "data:text"), "'data:' in raw HTML <img src>"),
    ]
    for line, message in expected:
        assert f"index.md:{line}: ERROR: link with disallowed scheme {message}" in warnings
    assert warnings.count("ERROR: link with disallowed scheme") == len(expected)
    # Code spans are text, not links: never reported.
    assert "alert(4)" not in warnings


def test_strict_build_fails_on_a_javascript_link(build_root) -> None:
    app = build_root("link-policy-bad", warningiserror=True)
    assert app.statuscode != 0


def test_allowed_links_build_cleanly(build_root) -> None:
    app = build_root("link-policy")
    assert app.warning.getvalue() == ""
    html = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    hrefs = {a["href"] for a in html.select("a[href]")}
    assert {"https://example.org/a?b=c#d", "other.html", "other.html#x"} <= hrefs
    assert any(href.startswith("mailto:team") for href in hrefs)  # docutils obfuscates the "@"
