"""Resolve each dependency group of pyproject.toml into a lock file with hashes (``make lock``).

``uv pip compile`` writes ``requirements/<group>.lock``: every transitive dependency pinned
to an exact version with the SHA-256 hashes of all its published files, for every platform
(a universal resolution for Python 3.11), so ``pip install --require-hashes`` and
``uv pip sync --require-hashes`` refuse anything else. Each group is resolved within the pins
of the group it includes (test within runtime, dev within test), so the nested groups agree
and one venv can move between them. Every run re-resolves to the newest allowed versions.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"
# group -> the group whose pins constrain it (it includes that group in pyproject.toml).
GROUPS = {"bootstrap": None, "runtime": None, "test": "runtime", "dev": "test"}


def compile_command(uv: str, group: str) -> list[str]:
    """The ``uv pip compile`` command for *group*, with paths relative to the repository.

    uv writes it (less --quiet and --upgrade) at the top of the lock file, where Renovate reads
    it to refresh the lock; Renovate wants ``--option=value``.
    """
    cmd = [
        *(uv, "pip", "compile", "--quiet", "--upgrade", "--universal"),
        *(f"--python-version={PYTHON_VERSION}", "--generate-hashes"),
        *(f"--group=pyproject.toml:{group}", f"--output-file=requirements/{group}.lock"),
    ]
    if base := GROUPS[group]:
        cmd.append(f"--constraint=requirements/{base}.lock")
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default="uv", help="the uv executable (make lock passes its own)")
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"default: {' '.join(GROUPS)}")
    args = parser.parse_args(argv)
    if unknown := set(args.groups) - set(GROUPS):
        parser.error(f"unknown group(s) {', '.join(sorted(unknown))}: use {', '.join(GROUPS)}")
    args.groups = args.groups or list(GROUPS)
    # A constrained group is resolved after its base, whatever order they were named in.
    for group in [g for g in GROUPS if g in args.groups]:
        lock = ROOT / "requirements" / f"{group}.lock"
        before = (lock.read_bytes(), lock.stat()) if lock.exists() else None
        cmd = compile_command(args.uv, group)
        print("+", shlex.join(cmd), flush=True)
        if subprocess.run(cmd, cwd=ROOT, check=False).returncode:
            return 1
        if before and lock.read_bytes() == before[0]:
            # Unchanged: keep its time too, or make would rebuild .venv for nothing.
            os.utime(lock, ns=(before[1].st_atime_ns, before[1].st_mtime_ns))
        pins = sum(1 for line in lock.read_text("utf-8").splitlines() if "==" in line)
        print(f"requirements/{group}.lock: {pins} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
