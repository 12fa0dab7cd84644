"""Lighthouse audit of the built site: `make audit`.

Builds the site strictly with SITE_URL pointing at a local port, serves it there, and runs
Lighthouse (node_modules, from package-lock.json) with Debian's Chromium on the home page, a
condition page and the search page, as a phone (Lighthouse's default) and as a desktop. Prints
the four category scores; exits 1 if any is below the target (95), naming the failing audits.

Nothing leaves the machine: the pages load only from the local server, and Chromium runs with
background networking, component updates and sync switched off.

    python scripts/audit.py [--port 8010] [--outdir _build/audit] [--no-build] [--target 95]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.harness import CHROMIUM, CHROMIUM_ARGS, REPO, build_site, serve

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS, "--disable-dev-shm-usage"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Audits that fail on purpose, per page; the target is judged without them (they still show).
BY_DESIGN = {
    "search.html": {
        "is-crawlable": "search pages carry noindex on purpose (furo's search.html): "
        "search engines should send readers to the pages, not to a search form",
    },
}


def pick_pages(outdir: Path) -> list[str]:
    """Home, a condition page (multiple sclerosis if it exists) and search."""
    condition = "conditions/multiple-sclerosis.html"
    if not (outdir / condition).is_file():
        candidates = sorted(
            str(p.relative_to(outdir))
            for p in (outdir / "conditions").glob("*.html")
            if p.name != "index.html"
        )
        condition = candidates[0] if candidates else "conditions/index.html"
    return ["index.html", condition, "search.html"]


def build(outdir: Path, site_url: str) -> None:
    """The strict build (scripts.harness), at the test suite's fixed date."""
    proc = build_site(outdir, site_url, quiet=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(proc.returncode)


def lighthouse(url: str, form: str, workdir: Path) -> dict:
    """Run Lighthouse once; return its JSON report."""
    report = workdir / "report.json"
    cmd = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--max-wait-for-load=60000",
    ]  # fmt: skip
    if form == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(cmd, env=env, check=True, cwd=workdir)
    return json.loads(report.read_text())


def imperfect_audits(result: dict, category: str) -> list[tuple[str, str, float, float]]:
    """``(id, title, score, weight)`` of the scored audits that pulled a category down."""
    audits = result["audits"]
    return [
        (ref["id"], audits[ref["id"]]["title"], audits[ref["id"]]["score"], ref["weight"])
        for ref in result["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]].get("score") not in (None, 1)
    ]


def judged_score(result: dict, category: str, allowed: dict[str, str]) -> int:
    """The category score recomputed without the audits that fail by design."""
    if not allowed:
        return round(100 * (result["categories"][category]["score"] or 0))
    audits = result["audits"]
    refs = [r for r in result["categories"][category]["auditRefs"]
            if r["weight"] > 0 and r["id"] not in allowed
            and audits[r["id"]].get("score") is not None]  # fmt: skip
    total = sum(r["weight"] for r in refs)
    return round(100 * sum(r["weight"] * audits[r["id"]]["score"] for r in refs) / total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("AUDIT_PORT", 8010)))
    parser.add_argument("--outdir", type=Path, default=REPO / "_build" / "audit" / "html")
    parser.add_argument("--no-build", action="store_true", help="audit --outdir as it is")
    parser.add_argument("--target", type=int, default=95)
    args = parser.parse_args()

    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `make audit` (npm ci)", file=sys.stderr)
        return 2
    site_url = f"http://127.0.0.1:{args.port}/"
    if not args.no_build:
        print(f"Building the site for {site_url} into {args.outdir} ...", flush=True)
        build(args.outdir, site_url)

    rows, notes, below = [], [], []
    with serve(args.outdir, args.port), tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        for page in pick_pages(args.outdir):
            allowed = BY_DESIGN.get(page, {})
            for form in ("mobile", "desktop"):
                print(f"Lighthouse: {page} ({form}) ...", flush=True)
                result = lighthouse(site_url + page, form, Path(tmp))
                scores = {c: round(100 * (result["categories"][c]["score"] or 0))
                          for c in CATEGORIES}  # fmt: skip
                rows.append((page, form, scores))
                for category in CATEGORIES:
                    for audit_id, title, score, _ in imperfect_audits(result, category):
                        why = f"  [by design: {allowed[audit_id]}]" if audit_id in allowed else ""
                        notes.append(f"  {page} ({form}) {category}: {audit_id}: {title} "
                                     f"(score {score}){why}")  # fmt: skip
                    if (judged := judged_score(result, category, allowed)) < args.target:
                        below.append(f"  {page} ({form}) {category}: {judged}")

    width = max(len(page) for page, _, _ in rows)
    header = f"{'page':<{width}}  {'form':<7}  " + "  ".join(f"{c:>14}" for c in CATEGORIES)
    print("\n" + header + "\n" + "-" * len(header))
    for page, form, scores in rows:
        print(f"{page:<{width}}  {form:<7}  " + "  ".join(f"{scores[c]:>14}" for c in CATEGORIES))
    if notes:
        print("\nAudits that cost points:\n" + "\n".join(notes))
    if below:
        print(
            f"\nBelow the target of {args.target} (without by-design audits):\n" + "\n".join(below)
        )
        return 1
    print(f"\nEvery score is {args.target} or more (without by-design audits).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
