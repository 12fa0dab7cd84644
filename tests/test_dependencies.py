"""Locked dependencies (``requirements/*.lock``, ``make lock``) and the venv the Makefile makes.

* Every lock pins every package to one version with SHA-256 hashes, agrees with pyproject.toml's
  dependency groups, and the nested groups (runtime within test within dev) agree on versions.
* The make targets that only install the runtime group (``make venv``) run their scripts in a
  venv holding just that group, made by the Makefile itself: ``make readability`` once failed on
  a fresh checkout because its library came with the test group only.
* ``scripts/readability.py`` scores Key messages with the Flesch-Kincaid formulas.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import IN_CI, REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from scripts import readability

LOCKS = REPO / "requirements"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
GROUPS = PYPROJECT["dependency-groups"]
PIN = re.compile(r"^([A-Za-z0-9][\w.-]*)==(\S+?)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def parse_lock(group: str) -> dict[str, list[tuple[str, str | None, list[str]]]]:
    """``name -> [(version, marker, hashes)]``; a name may have one pin per marker."""
    pins: dict[str, list[tuple[str, str | None, list[str]]]] = {}
    current: list[str] | None = None
    for line in (LOCKS / f"{group}.lock").read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if match := PIN.match(line):
            name, version, marker = match.groups()
            current = []
            pins.setdefault(canonicalize_name(name), []).append((version, marker, current))
        elif hashed := re.fullmatch(r"\s+--hash=sha256:([0-9a-f]{64})\s*\\?", line):
            assert current is not None, f"{group}.lock: a hash before any pin"
            current.append(hashed.group(1))
        else:
            pytest.fail(f"requirements/{group}.lock: not an exact pin or a hash: {line!r}")
    return pins


def direct_requirements(group: str) -> list[Requirement]:
    reqs = []
    for item in GROUPS[group]:
        if isinstance(item, dict):
            reqs += direct_requirements(item["include-group"])
        else:
            reqs.append(Requirement(item))
    return reqs


@pytest.mark.parametrize("group", list(GROUPS))
def test_lock_pins_every_package_with_hashes(group: str) -> None:
    pins = parse_lock(group)
    assert pins, f"requirements/{group}.lock pins nothing"
    unhashed = [name for name, entries in pins.items() for _, _, hashes in entries if not hashes]
    assert not unhashed, f"{group}.lock: pins without --hash: {unhashed}"
    text = (LOCKS / f"{group}.lock").read_text("utf-8")
    assert "make lock" in text or "uv pip compile" in text.splitlines()[1]


@pytest.mark.parametrize("group", list(GROUPS))
def test_lock_satisfies_the_group_in_pyproject(group: str) -> None:
    pins = parse_lock(group)
    stale = []
    for req in direct_requirements(group):
        entries = pins.get(canonicalize_name(req.name), [])
        if not entries or not all(req.specifier.contains(v, prereleases=True) for v, *_ in entries):
            stale.append(f"{req} (locked: {[v for v, *_ in entries] or 'missing'})")
    assert not stale, f"requirements/{group}.lock is out of date; run `make lock`: {stale}"
    # ... and holds nothing that no group asks for any more.
    assert "textstat" not in pins and "nltk" not in pins


@pytest.mark.parametrize(("small", "large"), [("runtime", "test"), ("test", "dev")])
def test_nested_groups_lock_the_same_versions(small: str, large: str) -> None:
    # The venv moves from one group to the larger one; the same pins mean nothing is swapped.
    # (Markers may differ: a package needed on Windows only may be needed everywhere in dev.)
    inner, outer = parse_lock(small), parse_lock(large)
    differ = {
        name: (versions, sorted(e[0] for e in outer.get(name, [])))
        for name, entries in inner.items()
        if (versions := sorted(e[0] for e in entries)) != sorted(e[0] for e in outer.get(name, []))
    }
    assert not differ, f"{small}.lock and {large}.lock disagree: {differ}"


def make_targets_needing(group_target: str) -> dict[str, str]:
    """Targets that depend, directly or through other targets, on *group_target* (e.g. venv),
    mapped to the script their recipe runs."""
    text = (REPO / "Makefile").read_text("utf-8")
    rules = {
        m.group(1): m.group(2).split("##")[0].replace("|", " ").split()
        for m in re.finditer(r"^([a-z][\w-]*):(?!=)([^\n]*)", text, re.M)
    }
    scripts = dict(re.findall(r"^([a-z][\w-]*):[^\n]*\n(?:\t[^\n]*\n)*?\t[^\n]*?scripts/(\w+)\.py",
                              text, re.M))  # fmt: skip

    def needs(target: str, seen: frozenset[str] = frozenset()) -> bool:
        prereqs = rules.get(target, [])
        return group_target in prereqs or any(
            needs(p, seen | {target}) for p in prereqs if p not in seen
        )

    return {t: scripts[t] for t in rules if t in scripts and needs(t)}


@pytest.fixture(scope="module")
def runtime_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv made by ``make venv`` (the runtime group only), as on a fresh checkout."""
    if not (REPO / ".tools" / "bin" / "uv").exists() and not IN_CI:
        pytest.skip("no .tools/bin/uv: run `make venv-test` first")
    venv = tmp_path_factory.mktemp("runtime") / "venv"
    proc = subprocess.run(
        ["make", "--no-print-directory", "venv", f"VENV={venv}"],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "MAKEFLAGS": ""},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (venv / ".stamp-runtime").is_file()
    return venv


def test_runtime_targets_run_their_scripts_with_the_runtime_group_only(
    runtime_venv: Path, tmp_path: Path
) -> None:
    targets = make_targets_needing("venv")
    assert {"readability", "review", "new-page"} <= set(targets), targets
    html = tmp_path / "html"
    html.mkdir()
    (html / "page.html").write_text(
        '<div class="key-messages"><p class="admonition-title">Key messages</p>'
        "<ul><li>Most stem cell treatments sold in clinics are unproven.</li></ul></div>"
    )
    python = str(runtime_venv / "bin" / "python")
    for target, script in targets.items():
        args = ["--html", str(html)] if script == "readability" else ["--help"]
        proc = subprocess.run([python, f"scripts/{script}.py", *args], cwd=REPO,
                              capture_output=True, text=True)  # fmt: skip
        assert proc.returncode == 0, f"make {target}: scripts/{script}.py fails:\n{proc.stderr}"
        if script == "readability":
            assert "page.html" in proc.stdout and "1 pages: median grade" in proc.stdout


# -- make readability -----------------------------------------------------------------------


def test_syllables_come_from_the_hyphenation_patterns() -> None:
    counts = {w: readability.syllables(w) for w in ("cell", "transplant", "stem-cell", "don't")}
    assert counts == {"cell": 1, "transplant": 2, "stem-cell": 2, "don't": 1}
    assert readability.syllables("transplantation") == 4


def test_scores_use_the_flesch_kincaid_formulas() -> None:
    scores = readability.score("Ask your doctor first. Most clinics sell these cells.")
    assert scores == (9, 2, 11)  # doc-tor, clin-ics: two syllables each
    # grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59
    assert scores.grade == pytest.approx(0.39 * 4.5 + 11.8 * 11 / 9 - 15.59)
    assert scores.ease == pytest.approx(206.835 - 1.015 * 4.5 - 84.6 * 11 / 9)


def write_page(html: Path, name: str, bullets: list[str]) -> None:
    items = "".join(f"<li><p>{b}</p></li>" for b in bullets)
    (html / name).write_text(
        f'<div class="admonition key-messages"><p class="admonition-title">Key messages</p>'
        f"<ul>{items}</ul></div>",
        "utf-8",
    )


def test_readability_lists_pages_worst_first_and_fails_over_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_page(tmp_path, "easy.html", ["Ask your doctor first", "Most clinics sell unproven cells"])
    hard = ["Haematopoietic stem cell transplantation necessitates immunosuppressive conditioning"]
    write_page(tmp_path, "hard.html", hard)
    (tmp_path / "no-box.html").write_text("<p>Nothing to score.</p>", "utf-8")
    assert readability.main(["--html", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines()[1:3]]
    assert [r[2] for r in rows] == ["hard.html", "easy.html"]
    # The title "Key messages" is not scored; each bullet is one sentence.
    easy = readability.score("Ask your doctor first. Most clinics sell unproven cells.")
    assert float(rows[1][0]) == pytest.approx(easy.grade, abs=0.05)
    assert "2 pages: median grade" in out and "1 at grade 9 or lower" in out
    assert readability.main(["--html", str(tmp_path), "--max-grade", "9"]) == 1
    assert readability.main(["--html", str(tmp_path / "missing")]) == 2
