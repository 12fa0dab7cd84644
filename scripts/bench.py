"""Build benchmark: synthetic corpora shaped like the site, built with and without our extensions.

``make bench`` (or ``python scripts/bench.py --sizes 50 500 2000``) generates corpora of N pages
that look like ours (sections of 25 to 50 pages, front matter, headings, glossary terms,
citations, ``further-info`` callouts, cross-references, evidence badges), builds each with the
project's full configuration (``conf.py`` and every extension in ``ext/``) and, for comparison,
with stock furo navigation (``-D fast_navigation_enabled=0``), then prints a table and writes
``_build/bench.json``.

Measured per corpus: full build serial and ``-j auto``, incremental rebuild after editing one
page's body and after changing one page's title (the strict ``make html`` command each time),
peak memory (largest process), output size, search index size, bytes for a first search
(pagefind.js, its WASM, metadata, three index chunks and five result fragments), and the
weight of a typical page (first load with shared assets, and a further page).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

if __package__ in {None, ""}:  # run as a file (python scripts/bench.py): find scripts.harness
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.harness import build_env, sphinx_command

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"

WORDS = (
    "stem cell transplant therapy blood marrow donor trial evidence patient treatment risk "
    "immune graft disease clinical study review regulator approval safety infection tumour "
    "tissue repair heart brain nerve joint cartilage injection clinic outcome follow-up dose "
    "randomised placebo control cohort registry guideline specialist consent benefit harm "
    "recovery relapse remission survival quality life cost insurance hospital nurse doctor"
).split()
TERMS = [
    ("haematopoietic stem cell transplantation", ["HSCT", "bone marrow transplant"]),
    ("mesenchymal stromal cell", ["MSC", "mesenchymal stem cell"]),
    ("induced pluripotent stem cell", ["iPSC"]),
    ("graft-versus-host disease", ["GVHD"]),
    ("randomised controlled trial", ["RCT"]),
]
STATUSES = ["standard; high", "licensed (US); low", "trials", "unproven; very low"]
# Citations use the site's own bibliography, which conf.py loads (docs/references.bib).
BIB_KEYS = sorted(
    re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "docs/references.bib").read_text("utf-8"), re.M)
)


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(8, 20)
        out.append(_sentence(rng, n))
        count += n
    return " ".join(out)


def _front_matter(title: str) -> str:
    return (
        "---\n"
        f"description: Synthetic benchmark page about {title.lower()}.\n"
        "last_reviewed: 2026-11-20\n"
        "next_review: 2027-11-20\n"
        "changes:\n"
        "  - date: 2026-11-20\n"
        "    summary: First published.\n"
        "---\n\n"
    )


def generate(dest: Path, pages: int, seed: int = 1) -> list[str]:
    """Write a corpus of *pages* pages (including section indexes) to *dest*; return docnames."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    # Sections of 25 to 50 pages (the last one takes the remainder); index + glossary + refs.
    remaining, sections = pages - 3, []
    while remaining > 0:
        size = min(remaining, rng.randint(25, 50))
        sections.append(size)
        remaining -= size
    docnames = ["index", "glossary", "references"]
    glossary = ["# Glossary\n", ":::{glossary}"]
    for term, aliases in TERMS:
        glossary += [term, *aliases, f"  Definition of {term}.", ""]
    glossary.append(":::\n")
    (dest / "glossary.md").write_text(_front_matter("Glossary") + "\n".join(glossary), "utf-8")
    (dest / "references.md").write_text(
        _front_matter("References") + "# References\n\n```{bibliography}\n:all:\n```\n", "utf-8"
    )
    all_pages: list[str] = []
    for s, size in enumerate(sections):
        sec = f"section{s:02d}"
        names = [f"{sec}/page{p:03d}" for p in range(size - 1)]
        all_pages += names
        docnames += [f"{sec}/index", *names]
    for s, size in enumerate(sections):
        sec = f"section{s:02d}"
        names = [f"page{p:03d}" for p in range(size - 1)]
        (dest / sec).mkdir()
        toc = "\n".join(names)
        (dest / sec / "index.md").write_text(
            _front_matter(f"Section {s}") + f"# Section {s}\n\n{_paragraph(rng, 80)}\n\n"
            f":::{{toctree}}\n:maxdepth: 1\n\n{toc}\n:::\n",
            "utf-8",
        )
        for name in names:
            (dest / sec / f"{name}.md").write_text(_page(rng, f"{sec}/{name}", all_pages), "utf-8")
    sec_toc = "\n".join(f"section{s:02d}/index" for s in range(len(sections)))
    (dest / "index.md").write_text(
        _front_matter("Home") + f"# Benchmark home\n\n{_paragraph(rng, 60)}\n\n"
        f":::{{toctree}}\n:maxdepth: 1\n\n{sec_toc}\nglossary\nreferences\n:::\n",
        "utf-8",
    )
    return docnames


def _page(rng: random.Random, docname: str, all_pages: list[str]) -> str:
    """About 1,000 words with the constructs our real pages use."""
    title = " ".join(rng.choice(WORDS) for _ in range(3)).title() + f" {docname[-3:]}"
    depth = docname.count("/")
    other = rng.choice(all_pages)
    term, aliases = rng.choice(TERMS)
    body = [_front_matter(title) + f"# {title}\n"]
    body.append(
        ":::{admonition} Key messages\n:class: key-messages\n\n"
        + "\n".join(f"- {_sentence(rng, 10)}" for _ in range(3))
        + "\n:::\n"
    )
    for h in range(4):
        body.append(f"## {_sentence(rng, 3)[:-1]} {h}\n")
        body.append(
            f"{_paragraph(rng, 110)} See {{term}}`{rng.choice([term, *aliases])}` and "
            f"[a related page]({'../' * depth}{other}.md) {{footcite:p}}`{rng.choice(BIB_KEYS)}`.\n"
        )
        body.append(f"{_paragraph(rng, 110)}\n")
    body.append("## Evidence at a glance\n\n| Approach | Status |\n|---|---|")
    for _ in range(3):
        body.append(f"| {_sentence(rng, 4)} | {{evidence}}`{rng.choice(STATUSES)}` |")
    body.append(
        "\n:::{further-info} A trusted source\n:url: https://www.example.org/info\n"
        ":publisher: Example Health Agency\n:accessed: 2026-11-01\n\nWhy it helps.\n:::\n"
    )
    body.append("## References\n\n```{footbibliography}\n```\n")
    return "\n".join(body)


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    ok: bool
    log_tail: str = ""


def build(
    src: Path, out: Path, *, jobs: str | None, stock: bool = False, clean: bool = True
) -> Run:
    """Run the project's strict build on *src* in a child process; time it and its peak RSS."""
    # The doctree cache lives beside the output, as with make html (never inside it).
    doctrees = out.with_name(f"{out.name}-doctrees")
    if clean:
        for path in (out, doctrees):
            shutil.rmtree(path, ignore_errors=True)
    extra = ["-D", "fast_navigation_enabled=0"] if stock else []
    cmd = sphinx_command(src, out, *extra, jobs=jobs, quiet=True, doctreedir=doctrees)
    env = build_env("http://127.0.0.1:8000/")
    # ru_maxrss of RUSAGE_CHILDREN is the largest waited-for descendant, so measure in a
    # fresh child to keep runs independent.
    probe = (
        "import resource,subprocess,sys,json,time;t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "print(json.dumps([p.returncode,time.perf_counter()-t,"
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,(p.stdout+p.stderr)[-2000:]]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env=env, cwd=ROOT
    )
    rc, secs, rss_kb, tail = json.loads(proc.stdout.strip().splitlines()[-1])
    return Run(round(secs, 2), round(rss_kb / 1024, 1), rc == 0, "" if rc == 0 else tail)


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9, mtime=0))


def page_weight(out: Path, page: str) -> tuple[int, int]:
    """(first load, further page) in gzip bytes: HTML plus what the page loads up front."""
    html_path = out / page
    soup = BeautifulSoup(html_path.read_text("utf-8"), "html.parser")
    assets: set[Path] = set()
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for el in soup.find_all(tag, attrs={attr: True}):
            if tag == "link" and not {"stylesheet", "icon", "preload"} & set(el.get("rel", [])):
                continue
            url = el[attr].split("#")[0].split("?")[0]
            if url.startswith(("http:", "https:", "data:", "//")):
                continue
            target = (html_path.parent / url).resolve()
            if target.is_file() and "pagefind" not in target.parts:
                assets.add(target)
    # Fonts and images referenced from the stylesheets load with them.
    html_size = _gz(html_path)
    return html_size + sum(_gz(a) for a in assets), html_size


def search_sizes(out: Path) -> tuple[int, int]:
    """(index bytes on disk, bytes a first search downloads), 0 when there is no index.

    The first search is estimated for a three-word query: pagefind.js, the WebAssembly of the
    site's language, the entry file and metadata, three median index chunks and five median
    result fragments (``make search-eval`` measures real queries on the real site).
    """
    pf = out / "pagefind"
    if not pf.is_dir():
        return 0, 0
    total = sum(p.stat().st_size for p in pf.rglob("*") if p.is_file())
    entry = json.loads((pf / "pagefind-entry.json").read_text(encoding="utf-8"))
    lang = next(iter(entry["languages"].values()))  # the site is in one language
    first = (pf / f"wasm.{lang['wasm']}.pagefind").stat().st_size
    first += (pf / f"pagefind.{lang['hash']}.pf_meta").stat().st_size
    first += _gz(pf / "pagefind.js") + _gz(pf / "pagefind-entry.json")

    def median(paths: list[Path]) -> int:
        sizes = sorted(p.stat().st_size for p in paths)
        return sizes[len(sizes) // 2] if sizes else 0

    first += 3 * median(list(pf.glob("index/*.pf_index")))
    first += 5 * median(list(pf.glob("fragment/*.pf_fragment")))
    return total, first


@dataclass
class Result:
    pages: int
    config: str
    full_serial: Run | None = None
    full_parallel: Run | None = None
    incremental_body: Run | None = None
    incremental_title: Run | None = None
    output_mb: float = 0.0
    search_index_kb: float = 0.0
    first_search_kb: float = 0.0
    page_first_load_kb: float = 0.0
    page_further_kb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def bench(pages: int, *, stock: bool, serial: bool, work: Path) -> Result:
    label = "stock furo nav" if stock else "project"
    src = work / f"corpus-{pages}"
    generate(src, pages)  # cheap, and always matches this version of the generator
    out = work / f"out-{pages}-{'stock' if stock else 'project'}"
    res = Result(pages, label)
    if serial:
        res.full_serial = build(src, out, jobs=None, stock=stock)
        _report_failure(res.full_serial)
    res.full_parallel = build(src, out, jobs="auto", stock=stock)
    _report_failure(res.full_parallel)
    # Incremental: edit one page's body, rebuild with the same strict command.
    page = sorted(src.glob("section00/page*.md"))[1]
    original = page.read_text("utf-8")
    page.write_text(original.replace("## ", "Edited paragraph.\n\n## ", 1), "utf-8")
    res.incremental_body = build(src, out, jobs="auto", stock=stock, clean=False)
    page.write_text(original.replace("\n# ", "\n# Retitled ", 1), "utf-8")
    res.incremental_title = build(src, out, jobs="auto", stock=stock, clean=False)
    page.write_text(original, "utf-8")
    res.output_mb = round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1)
    index_bytes, first_search = search_sizes(out)
    res.search_index_kb = round(index_bytes / 1024, 1)
    res.first_search_kb = round(first_search / 1024, 1)
    first, further = page_weight(out, "section00/page002.html")
    res.page_first_load_kb = round(first / 1024, 1)
    res.page_further_kb = round(further / 1024, 1)
    return res


def _report_failure(run: Run) -> None:
    if not run.ok:
        print(f"build failed:\n{run.log_tail}", file=sys.stderr)
        raise SystemExit(1)


def _fmt(run: Run | None) -> str:
    return "-" if run is None else f"{run.seconds:.1f}"


def print_table(results: list[Result]) -> None:
    head = (
        f"{'pages':>6} {'config':<15} {'serial s':>9} {'-j auto s':>10} {'body s':>7} "
        f"{'title s':>8} {'peak MB':>8} {'out MB':>7} {'index KB':>9} {'1st search KB':>13} "
        f"{'page KB':>8} {'next KB':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        peak = max((x.peak_rss_mb for x in (r.full_serial, r.full_parallel) if x), default=0)
        print(
            f"{r.pages:>6} {r.config:<15} {_fmt(r.full_serial):>9} {_fmt(r.full_parallel):>10} "
            f"{_fmt(r.incremental_body):>7} {_fmt(r.incremental_title):>8} {peak:>8.0f} "
            f"{r.output_mb:>7.1f} {r.search_index_kb:>9.0f} {r.first_search_kb:>13.1f} "
            f"{r.page_first_load_kb:>8.1f} {r.page_further_kb:>8.1f}"
        )
    project = {r.pages: r for r in results if r.config == "project"}
    if 50 in project and 500 in project:
        a, b = project[50].full_serial or project[50].full_parallel, project[500].full_serial
        b = b or project[500].full_parallel
        if a and b:
            print(f"\nt(500)/t(50), project config: {b.seconds / a.seconds:.1f} (target <= 12)")
    if 500 in project and project[500].full_serial and project[500].full_parallel:
        r = project[500]
        print(f"-j auto vs serial at 500 pages: {r.full_parallel.seconds:.1f} s vs "
              f"{r.full_serial.seconds:.1f} s")  # fmt: skip
        print(f"incremental body edit at 500 pages: {r.incremental_body.seconds:.1f} s = "
              f"{100 * r.incremental_body.seconds / r.full_serial.seconds:.0f}% of a full serial "
              "build (target <= 15%)")  # fmt: skip
    if 2000 in project:
        r = project[2000]
        best = min(x.seconds for x in (r.full_serial, r.full_parallel) if x)
        print(f"2,000 pages full build: {best:.0f} s (target < 240 s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 2000])
    parser.add_argument("--small", action="store_true", help="only 50 and 500 pages")
    parser.add_argument(
        "--stock-max", type=int, default=500,
        help="largest corpus also built with stock furo navigation (slow: quadratic)",
    )  # fmt: skip
    parser.add_argument("--no-serial-above", type=int, default=500,
                        help="skip the serial full build above this size")  # fmt: skip
    parser.add_argument("--work", type=Path, default=BUILD / "bench")
    parser.add_argument("--json", type=Path, default=BUILD / "bench.json")
    args = parser.parse_args(argv)
    sizes = [50, 500] if args.small else args.sizes
    args.work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    started = time.time()
    for n in sizes:
        for stock in (False, True):
            if stock and n > args.stock_max:
                continue
            print(f"... {n} pages, {'stock furo navigation' if stock else 'project'}", flush=True)
            results.append(bench(n, stock=stock, serial=n <= args.no_serial_above, work=args.work))
    print()
    print_table(results)
    meta = {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "seconds": time.time() - started,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"meta": meta, "results": [asdict(r) for r in results]}, indent=2) + "\n"
    )
    print(f"\nwrote {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
