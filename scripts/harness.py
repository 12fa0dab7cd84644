"""What the tests and the scripts share: the strict build, the fixed date, a server, Chromium.

One definition each, used by ``tests/`` (conftest, quality gates), ``make search-eval``,
``make audit`` and ``make bench``:

* :func:`sphinx_command` / :func:`build_site`: the strict build (``-n -W --keep-going``, the
  flags ``make html`` and ``.readthedocs.yaml`` use too; ``tests/test_architecture.py`` checks
  that those two agree with :data:`STRICT`).
* :data:`SOURCE_DATE_EPOCH`: the fixed build date of tests and tools (2026-12-02T12:00:00Z).
* :func:`serve`: the built site on a local port, optionally gzip-compressed like a static host.
* :data:`CHROMIUM`, :data:`CHROMIUM_ARGS`, :func:`launch_chromium`: Debian's Chromium. The flags
  keep a headless run on this closed network quiet and reproducible: no sandbox (CI runs as
  root), no GPU, and none of the background connections (updates, sync, field trials) that
  would otherwise be refused, many at a time.
* :func:`differing_files`: two builds compared byte for byte, allowing only the Pagefind
  index files whose order is not reproducible.
"""

from __future__ import annotations

import filecmp
import functools
import gzip
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
#: A fixed build date: the built site (feeds, review notices) is the same on every run.
SOURCE_DATE_EPOCH = "1796212800"  # 2026-12-02T12:00:00Z
#: Warnings are errors, nitpicky references, keep going to report every problem at once.
STRICT = ("-n", "-W", "--keep-going")

CHROMIUM = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# -- The strict build -------------------------------------------------------------------


def sphinx_command(
    srcdir: Path,
    outdir: Path,
    *extra: str,
    builder: str = "html",
    jobs: str | None = "auto",
    doctreedir: Path | None = None,
    confdir: Path | None = REPO,
    quiet: bool = False,
) -> list[str]:
    """``python -m sphinx`` with the strict flags, as ``make html`` runs it."""
    cmd = [sys.executable, "-m", "sphinx", "-b", builder, *STRICT]
    if confdir is not None:
        cmd += ["-c", str(confdir)]
    if jobs:
        cmd += ["-j", jobs]
    if quiet:
        cmd.append("-q")
    if doctreedir is not None:
        cmd += ["-d", str(doctreedir)]
    return [*cmd, *extra, str(srcdir), str(outdir)]


def build_env(site_url: str | None = None, epoch: str = SOURCE_DATE_EPOCH) -> dict[str, str]:
    """The environment of a reproducible build (``SITE_URL`` when given)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    if site_url is not None:
        env["SITE_URL"] = site_url
    return env


def build_site(
    outdir: Path, site_url: str | None, *extra: str, builder: str = "html", quiet: bool = False
) -> subprocess.CompletedProcess[str]:
    """The strict build of ``docs/`` into ``outdir`` (doctrees beside it); never raises.

    The caller decides what a failure means (``proc.returncode``, ``proc.stdout + stderr``).
    """
    cmd = sphinx_command(
        DOCS, outdir, *extra, builder=builder, quiet=quiet,
        doctreedir=outdir.parent / f"doctrees-{outdir.name}",
    )  # fmt: skip
    return subprocess.run(cmd, env=build_env(site_url), capture_output=True, text=True, cwd=REPO)


# -- Serving ----------------------------------------------------------------------------

COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class CompressingHandler(QuietHandler):
    """Static files, text gzip-compressed as static hosts do (Pagefind's own files already are)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(urlsplit(self.path).path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(directory: Path, port: int = 0, *, compress: bool = False) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (``port`` 0: any free port); yields the base URL."""
    handler_class = CompressingHandler if compress else QuietHandler
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# -- Chromium ---------------------------------------------------------------------------


def chromium_found() -> bool:
    return Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM))


def launch_chromium(pw: Playwright, **kwargs: Any) -> Browser:
    """Debian's Chromium through Playwright (never Playwright's own download)."""
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **kwargs)


# -- Comparing two builds ---------------------------------------------------------------

# Pagefind (the search index) writes its filter index in hash-map order, which changes from run to
# run; the metadata index and pagefind-entry.json name that file by a hash of its bytes, so they
# change with it. Upstream knows (Pagefind/pagefind#638: fragments were made stable in 1.3, "other
# files will still change, such as the filter/metadata indexes"). Only these three kinds of file
# may differ, and then only in order: same names up to the hash, same bytes in another order.
PAGEFIND_HASHED = re.compile(r"^pagefind/(filter/[a-z-]+_|pagefind\.[a-z-]+_)[0-9a-f]+(\.pf_\w+)$")
PAGEFIND_ENTRY = "pagefind/pagefind-entry.json"


def reproducible_name(rel: str) -> str:
    return PAGEFIND_HASHED.sub(r"pagefind/\1*\2", rel)


def is_pagefind_index(name: str) -> bool:
    return name == PAGEFIND_ENTRY or "*" in name


def same_up_to_order(a: Path, b: Path) -> bool:
    """The two Pagefind index files hold the same bytes, possibly in another order."""
    if a.name == "pagefind-entry.json":
        strip = re.compile(r'"hash":"[a-z-]+_[0-9a-f]+"')
        return strip.sub("", a.read_text()) == strip.sub("", b.read_text())
    raw_a, raw_b = gzip.decompress(a.read_bytes()), gzip.decompress(b.read_bytes())
    if a.suffix == ".pf_meta":  # it names the filter file, whose hash differs
        return len(raw_a) == len(raw_b)
    return sorted(raw_a) == sorted(raw_b)


def differing_files(first: Path, second: Path, *, ignore: Sequence[str] = ()) -> list[str]:
    """Files (relative to ``first``) that differ between two builds, or exist in only one.

    Pagefind's unordered index files count as equal when they hold the same bytes in another
    order. ``ignore`` lists relative paths to leave out (``.buildinfo``, say).
    """

    def files(root: Path) -> dict[str, list[Path]]:
        found: dict[str, list[Path]] = {}
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if rel not in ignore:
                found.setdefault(reproducible_name(rel), []).append(path)
        return found

    ours, theirs = files(first), files(second)
    differ = sorted(ours.keys() ^ theirs.keys())
    for name, paths in ours.items():
        others = list(theirs.get(name, []))
        if len(paths) != len(others):
            differ.append(name)
            continue
        for path in paths:
            if len(paths) == 1 and filecmp.cmp(path, others[0], shallow=False):
                continue
            match = next((o for o in others if is_pagefind_index(name)
                          and same_up_to_order(path, o)), None)  # fmt: skip
            if match is None:
                differ.append(path.relative_to(first).as_posix())
            else:
                others.remove(match)
    return differ


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m scripts.harness compare A B [--ignore PATH ...]``: exit 1 if builds differ."""
    import argparse

    parser = argparse.ArgumentParser(description="Compare two builds of the site byte for byte.")
    sub = parser.add_subparsers(dest="command", required=True)
    compare = sub.add_parser("compare")
    compare.add_argument("first", type=Path)
    compare.add_argument("second", type=Path)
    compare.add_argument("--ignore", action="append", default=[])
    args = parser.parse_args(argv)
    differ = differing_files(args.first, args.second, ignore=args.ignore)
    for name in differ:
        print(name)
    print(f"{len(differ)} file(s) differ" if differ else "identical", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
