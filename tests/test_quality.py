"""Site quality gates on the real built site, with real tools: Chromium, axe-core, the Nu checker.

Every page that the build writes is loaded once in Chromium from the local ``site_server``;
``crawl`` records everything a reader's browser would notice (console errors, failed, foreign
or policy-blocked requests, links and ids, axe results in light and dark mode, keyboard and
landmark facts, horizontal scrolling at 360 px) and the tests below each assert one of them,
naming the page and the element. New pages are covered as soon as they are built.

Node tools come from ``package-lock.json`` (``make test`` runs ``npm ci``); Java from Debian.
Outside CI a missing tool skips with a reason; under ``CI=true`` it fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import IN_CI, REPO, BuiltSite

from scripts.harness import differing_files, serve

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Wide enough for furo to show both sidebars (the "On this page" one from 82em).
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 360, "height": 740}
LANDMARK_ROLES = {"banner", "complementary", "contentinfo", "form", "main", "navigation",
                  "region", "search"}  # fmt: skip
# The rules whose result depends on the colour scheme: re-run in each dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# Nu Html Checker messages that a theme construct triggers and we cannot change, matched
# exactly. Each needs a comment saying why. (None at the moment.)
VNU_ALLOWED: dict[str, str] = {}


def require(path: Path, what: str) -> Path:
    """A tool installed by ``make test``; skip (fail under CI) when it is missing."""
    if path.exists():
        return path
    reason = f"{what} not found at {path.relative_to(REPO)} (run `make test`, which runs npm ci)"
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def html_pages(site: BuiltSite) -> list[str]:
    return sorted(str(p.relative_to(site.outdir)) for p in site.outdir.rglob("*.html"))


# -- The crawl ---------------------------------------------------------------------------------

# Runs before any page script: records CSP violations with the directive and the blocked thing.
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline code"}` +
    ` (${e.sourceFile || "page"}:${e.lineNumber})`);
});
"""
# A short CSS-like description of an element for failure messages.
DESCRIBE = """
window.__describe = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  else if (el.classList.length) s += "." + [...el.classList].join(".");
  const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return text ? `${s} "${text}"` : s;
};
"""
COLLECT_LINKS = """
() => ({
  links: [...document.querySelectorAll("a[href], area[href]")].map(
    (a) => [a.getAttribute("href"), a.href, window.__describe(a)]),
  ids: [...document.querySelectorAll("[id]")].map((e) => e.id).concat(
    [...document.querySelectorAll("a[name]")].map((e) => e.name)),
})
"""
# Jump CSS transitions to their end state, so nothing is measured halfway through a change.
SETTLE = """
() => document.getAnimations().forEach((a) => { try { a.finish(); } catch (e) {} })
"""
# Put the sequential-focus starting point at the top of the page (whatever has autofocus).
FOCUS_START = """
() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
  start.addEventListener("blur", () => start.remove());
}
"""
KEYBOARD = """
() => {
  const problems = [];
  const first = document.activeElement;
  const skip = first && first.matches("a[href^='#']") ? first : null;
  if (!skip) {
    problems.push(`first Tab stop is ${first ? window.__describe(first) : "nothing"}, ` +
                  "not a skip link");
  } else {
    const target = document.getElementById(decodeURIComponent(skip.hash.slice(1)));
    if (!/skip/i.test(skip.textContent)) problems.push(`first link ${window.__describe(skip)} ` +
                                                      "does not say it skips");
    if (!target || !target.matches("main, [role=main]"))
      problems.push(`skip link ${skip.getAttribute("href")} does not lead to the main landmark`);
    skip.getAnimations({subtree: true}).forEach((a) => a.finish());
    const r = skip.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.top >= innerHeight)
      problems.push("the skip link is not visible when focused");
  }
  const focusShown = (el) => {
    const cs = getComputedStyle(el);
    return (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) ||
           cs.boxShadow !== "none";
  };
  if (skip && !focusShown(skip)) problems.push("the focused skip link has no focus outline");
  const link = document.querySelector("main a[href], [role=main] a[href]");
  if (link) {
    link.focus();
    if (!link.matches(":focus-visible") || !focusShown(link))
      problems.push(`focused link ${window.__describe(link)} has no visible focus indicator`);
  }
  return problems;
}
"""
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  // The widest elements that stick out and are not inside their own scrolling box.
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (p !== document.body && p !== document.documentElement && o !== "visible") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
    .filter((el, _, all) => !all.some((o) => o !== el && el.contains(o)))
    .slice(0, 5)
    .map((el) => `${window.__describe(el)} ends at ${el.getBoundingClientRect().right | 0}px`)
    .concat([`page is ${document.documentElement.scrollWidth}px wide at a ${width}px viewport`]);
}
"""
AXE_RUN = """
async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}
"""


@dataclass
class PageReport:
    page: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # raw href, absolute, element
    ids: set[str] = field(default_factory=set)
    axe: dict[str, list[dict]] = field(default_factory=dict)  # mode -> violations
    keyboard: list[str] = field(default_factory=list)
    landmarks: list[tuple[str, str]] = field(default_factory=list)  # (role, accessible name)
    overflow: list[str] = field(default_factory=list)


def landmarks(page: object) -> list[tuple[str, str]]:
    """Landmark roles and names as Chromium's accessibility tree exposes them."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["backendNodeId"]
        nodes = [
            node
            for role in sorted(LANDMARK_ROLES)
            for node in cdp.send(
                "Accessibility.queryAXTree", {"backendNodeId": root, "role": role}
            )["nodes"]
        ]
    finally:
        cdp.detach()
    return [
        (node["role"]["value"], node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


def visit(context: object, base: str, rel: str) -> PageReport:
    report = PageReport(rel)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            report.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
            if m.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda e: report.console_errors.append(f"uncaught {e}"))
    page.on("requestfailed", lambda r: report.failed_requests.append(f"{r.url}: {r.failure}"))
    page.on(
        "response",
        lambda r: (
            report.failed_requests.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None
        ),
    )
    try:
        page.goto(base + rel, wait_until="load")
        report.csp_violations = page.evaluate("window.__cspViolations")
        found = page.evaluate(COLLECT_LINKS)
        report.links = [tuple(link) for link in found["links"]]
        report.ids = set(found["ids"])
        report.landmarks = landmarks(page)

        page.evaluate(FOCUS_START)
        page.keyboard.press("Tab")
        report.keyboard = page.evaluate(KEYBOARD)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.evaluate(SETTLE)

        report.axe["light"] = page.evaluate(AXE_RUN, None)
        # Only the colour rules depend on the theme; the rest ran above on the same page.
        page.emulate_media(color_scheme="dark")  # furo's default "auto" theme follows the OS
        page.evaluate(SETTLE)
        report.axe["dark"] = page.evaluate(AXE_RUN, COLOUR_RULES)
        # furo's theme toggle: an explicit dark theme under a light OS setting.
        page.emulate_media(color_scheme="light")
        page.evaluate("document.body.dataset.theme = 'dark'")
        page.evaluate(SETTLE)
        report.axe["dark (toggle)"] = page.evaluate(AXE_RUN, COLOUR_RULES)

        page.set_viewport_size(MOBILE)
        page.evaluate(SETTLE)
        report.overflow = page.evaluate(OVERFLOW)
    finally:
        page.close()
    return report


def crawl_pages(browser: object, base: str, pages: list[str]) -> dict[str, PageReport]:
    """Load each page once in Chromium; requests to anything but ``base`` are recorded, blocked."""
    require(AXE, "axe-core")
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", service_workers="block")
    foreign: list[tuple[str, str]] = []  # (page, url)
    current = {"page": ""}

    def block(route: object) -> None:
        foreign.append((current["page"], route.request.url))
        route.abort("blockedbyclient")

    # Matched in the browser driver, so the site's own requests never wait for Python.
    context.route(re.compile(f"^(?!{re.escape(base)}|data:|blob:)"), block)
    context.add_init_script(RECORD_CSP + DESCRIBE)
    # As an init script, axe is injected by the browser itself: a <script> tag would (rightly) be
    # refused by the site's Content-Security-Policy.
    context.add_init_script(path=AXE)
    reports = {}
    try:
        for rel in pages:
            current["page"] = rel
            reports[rel] = visit(context, base, rel)
    finally:
        context.close()
    for page, url in foreign:
        reports[page].foreign_requests.append(url)
    return reports


@pytest.fixture(scope="module")
def crawl(site: BuiltSite, site_server: str, browser: object) -> dict[str, PageReport]:
    """Every built page of the real site, loaded once."""
    return crawl_pages(browser, site_server, html_pages(site))


def broken_links(reports: dict[str, PageReport], outdir: Path, base: str) -> list[str]:
    """Links to ``base`` whose file, or whose ``#id`` in that page, does not exist."""
    bad = []
    for page, report in reports.items():
        for raw, absolute, element in report.links:
            if not absolute.startswith(base):
                continue  # external (checked by `make linkcheck`) or mailto:
            url, fragment = urldefrag(absolute)
            path = unquote(urlsplit(url).path).lstrip("/")
            target = outdir / path
            if target.is_dir():
                target, path = target / "index.html", f"{path.rstrip('/')}/index.html".lstrip("/")
            if not target.is_file():
                bad.append(f"{page}: {element} href={raw!r}: no such page {path}")
            elif fragment and path.endswith(".html"):
                ids = reports[path].ids if path in reports else set()
                if unquote(fragment) not in ids:
                    bad.append(f"{page}: {element} href={raw!r}: no id {fragment!r} in {path}")
    return bad


def failures(lines: list[str], title: str) -> str:
    return f"{title}:\n  " + "\n  ".join(lines)


# -- The gates can fail ---------------------------------------------------------------------------

BAD_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<title>Broken on purpose</title><link rel="stylesheet" href="bad.css"></head>
<body>
<aside>One unnamed sidebar</aside><aside>and another</aside>
<main id="main"><h1>Broken on purpose</h1>
<p><a href="good.html#missing">missing anchor</a>, <a href="gone.html">missing page</a>.</p>
<button></button>
<div class="wide">too wide for a phone</div>
<img src="https://example.org/tracker.png" alt=""><img src="missing.png" alt="">
</main>
<script>document.title = "inline script";</script>
<script src="boom.js"></script>
</body></html>
"""


def test_crawl_reports_every_kind_of_problem(browser: object, tmp_path: Path) -> None:
    """A page broken in every way the gates check: each problem is reported, with the element."""
    (tmp_path / "bad.html").write_text(BAD_PAGE)
    (tmp_path / "bad.css").write_text(".wide { width: 1200px; }")
    (tmp_path / "boom.js").write_text('console.error("boom"); notAFunction();')
    (tmp_path / "good.html").write_text('<!doctype html><title>Good</title><p id="here">Hi</p>')
    with serve(tmp_path) as base:
        reports = crawl_pages(browser, base, ["bad.html", "good.html"])
    bad = reports["bad.html"]
    assert any("boom" in e for e in bad.console_errors), bad.console_errors
    assert any("notAFunction" in e for e in bad.console_errors), bad.console_errors
    assert any(f"{base}missing.png: HTTP 404" == e for e in bad.failed_requests)
    assert bad.foreign_requests == ["https://example.org/tracker.png"]
    assert any(v.startswith("script-src-elem blocked inline") for v in bad.csp_violations)
    assert sorted(broken_links(reports, tmp_path, base)) == [
        "bad.html: a \"missing anchor\" href='good.html#missing': no id 'missing' in good.html",
        "bad.html: a \"missing page\" href='gone.html': no such page gone.html",
    ]
    assert {(v["id"], v["impact"]) for v in bad.axe["light"]} >= {("button-name", "critical")}
    assert any("not a skip link" in k for k in bad.keyboard), bad.keyboard
    assert bad.landmarks.count(("complementary", "")) == 2
    assert any("div.wide" in line for line in bad.overflow), bad.overflow


# -- Crawl: errors, requests, links ------------------------------------------------------------


def test_no_console_errors(crawl: dict[str, PageReport]) -> None:
    bad = [f"{p}: {e}" for p, r in crawl.items() for e in r.console_errors]
    assert not bad, failures(bad, "console errors")


def test_no_failed_requests(crawl: dict[str, PageReport]) -> None:
    bad = [f"{p}: {e}" for p, r in crawl.items() for e in r.failed_requests
           if not any(e.startswith(u) for u in r.foreign_requests)]  # fmt: skip
    assert not bad, failures(bad, "failed requests")


def test_nothing_is_requested_from_another_host(crawl: dict[str, PageReport]) -> None:
    bad = [f"{p}: {u}" for p, r in crawl.items() for u in r.foreign_requests]
    assert not bad, failures(bad, "requests to hosts other than the local server")


def test_every_internal_link_and_anchor_resolves(
    site: BuiltSite, site_server: str, crawl: dict[str, PageReport]
) -> None:
    bad = broken_links(crawl, site.outdir, site_server)
    assert not bad, failures(bad, "broken internal links")


# -- Security headers ----------------------------------------------------------------------------


def meta_csp(site: BuiltSite, page: str) -> str | None:
    tag = BeautifulSoup(site.html(page), "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    return tag["content"] if tag else None


def directives(policy: str) -> dict[str, list[str]]:
    parts = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in parts}


def test_every_page_has_a_first_party_only_csp(site: BuiltSite) -> None:
    policies = {page: meta_csp(site, page) for page in html_pages(site)}
    missing = [page for page, policy in policies.items() if not policy]
    assert not missing, failures(missing, "pages without a Content-Security-Policy meta tag")
    assert len(set(policies.values())) == 1, "pages carry different policies"
    policy = directives(next(iter(policies.values())))
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    # Only keywords, 'self' and data: (furo's CSS icons): no host, scheme-wide or wildcard source.
    for name, sources in policy.items():
        for source in sources:
            assert source.startswith("'") or source == "data:", f"{name} allows {source}"
    # The meta tag must come before any style or script, or those escape the policy.
    for page in policies:
        tags = BeautifulSoup(site.html(page), "html.parser").head.find_all(
            ["meta", "style", "link", "script"]
        )
        at = next(i for i, t in enumerate(tags) if t.get("http-equiv") == "Content-Security-Policy")
        early = [t.name for t in tags[:at] if t.name in {"style", "script"}
                 or "stylesheet" in t.get("rel", [])]  # fmt: skip
        assert not early, f"{page}: {early} before the Content-Security-Policy meta tag"


def test_no_page_violates_the_csp(crawl: dict[str, PageReport]) -> None:
    bad = [f"{p}: {v}" for p, r in crawl.items() for v in r.csp_violations]
    assert not bad, failures(bad, "Content-Security-Policy violations")


def test_headers_file_carries_the_same_policy(site: BuiltSite) -> None:
    lines = (site.outdir / "_headers").read_text().splitlines()
    assert "/*" in lines
    headers = dict(line.strip().split(": ", 1) for line in lines if line.startswith("  "))
    header_policy = directives(headers["Content-Security-Policy"])
    meta_policy = directives(meta_csp(site, "index.html"))
    # The header adds what a meta tag cannot carry, and is otherwise identical.
    assert header_policy.pop("frame-ancestors") == ["'none'"]
    assert header_policy == meta_policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert "Permissions-Policy" in headers


# -- Accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["light", "dark", "dark (toggle)"])
def test_axe_finds_no_serious_or_critical_violations(
    crawl: dict[str, PageReport], mode: str
) -> None:
    bad = [
        f"{page}: [{v['impact']}] {v['id']} ({v['help']}): {', '.join(v['targets'][:8])}"
        for page, report in crawl.items()
        for v in report.axe[mode]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, failures(bad, f"axe-core violations in {mode} mode")


def test_skip_link_first_and_focus_visible(crawl: dict[str, PageReport]) -> None:
    bad = [f"{p}: {problem}" for p, r in crawl.items() for problem in r.keyboard]
    assert not bad, failures(bad, "keyboard access")


def test_landmarks_are_named(crawl: dict[str, PageReport]) -> None:
    bad = []
    for page, report in crawl.items():
        roles = [role for role, _ in report.landmarks]
        if roles.count("main") != 1:
            bad.append(f"{page}: {roles.count('main')} main landmarks")
        for role in set(roles):
            names = [name for r, name in report.landmarks if r == role]
            if len(names) > 1 and (not all(names) or len(set(names)) != len(names)):
                bad.append(f"{page}: {len(names)} {role} landmarks need distinct names: {names}")
        # axe's own landmark rules (moderate impact, so not covered by the test above).
        for mode in ("light",):
            bad += [f"{page}: {v['id']}: {', '.join(v['targets'])}"
                    for v in report.axe[mode] if v["id"].startswith("landmark-")]  # fmt: skip
    assert not bad, failures(bad, "landmarks")


# -- Mobile --------------------------------------------------------------------------------------


def test_no_page_scrolls_sideways_at_360px(crawl: dict[str, PageReport]) -> None:
    bad = [f"{p}: {line}" for p, r in crawl.items() for line in r.overflow]
    assert not bad, failures(bad, "horizontal scrolling at 360 px")


# -- Valid HTML ----------------------------------------------------------------------------------


def vnu_errors(directory: Path) -> list[str]:
    """Nu Html Checker errors in every HTML file under ``directory``, as ``file:line: message``."""
    vnu = require(VNU, "vnu-jar")
    java = shutil.which("java")
    if java is None:
        reason = "java not found (Debian: apt-get install default-jre-headless)"
        pytest.fail(reason, pytrace=False) if IN_CI else pytest.skip(reason)
    proc = subprocess.run(
        [java, "-jar", str(vnu), "--format", "json", "--errors-only", "--skip-non-html",
         str(directory)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        messages = json.loads(proc.stderr)["messages"]
    except ValueError:
        pytest.fail(f"the Nu Html Checker did not report JSON:\n{proc.stderr}", pytrace=False)
    return [
        f"{unquote(urlsplit(m.get('url', '')).path).removeprefix(str(directory) + '/')}"
        f":{m.get('lastLine', '?')}: {m['message']} [{' '.join(m.get('extract', '').split())[:80]}]"
        for m in messages
        if m["type"] != "info" and m["message"] not in VNU_ALLOWED
    ]


def test_every_page_is_valid_html(site: BuiltSite) -> None:
    bad = vnu_errors(site.outdir)
    assert not bad, failures(bad, "Nu Html Checker errors")


def test_html_check_reports_errors_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.html").write_text(
        '<!doctype html>\n<html lang="en"><title>x</title>\n<p><div>block in p</div>\n'
        '<img src="a.png">\n'
    )
    bad = vnu_errors(tmp_path)
    assert any(
        line.startswith("sub/bad.html:4: An “img” element must have an “alt”") for line in bad
    ), bad


# -- Reproducible output -------------------------------------------------------------------------

# Pagefind writes its filter index in hash-map order: scripts.harness.differing_files allows
# exactly that (same names up to the hash, same bytes in another order) and nothing else.


def test_two_clean_builds_are_byte_identical(site: BuiltSite, site_stock: BuiltSite) -> None:
    """A second clean build (same SITE_URL and SOURCE_DATE_EPOCH) matches the session's build.

    The second build uses furo's own navigation, which fast navigation reproduces byte for
    byte; only ``.buildinfo`` (the configuration's hash) may differ.
    """
    differ = differing_files(site.outdir, site_stock.outdir, ignore=[".buildinfo"])
    assert not differ, failures(differ, "files that differ between two clean builds")
