"""Page problems fail every build until fixed, not only the build that read the page (issue 17).

Each extension that reports page problems records them with ``stemcellref.shared.problems``;
they are reported again, located the same way, on an unchanged rebuild (nothing re-read) and
when the pages were read by parallel workers. One root per extension, each with bad input.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences

from scripts.harness import REPO, SOURCE_DATE_EPOCH, build_env, sphinx_command

ROOTS = Path(__file__).parent / "roots"
MESSAGE = re.compile(r"^(?P<path>/\S+?):(?P<line>\d*):? (?P<level>ERROR|WARNING): (?P<text>.*)$")

#: test root -> (warning type the extension declares, how many problems its pages hold)
BAD_ROOTS = {
    "link-policy-bad": ("hardening", 7),
    "further-info-bad": ("callouts", 17),
    "evidence-bad": ("evidence", 4),
    "licensed-products-bad": ("evidence", 34),
    "page-metadata-bad": ("metadata", 16),
}


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """The roots hold dates in the future of the fixed build date, not of the wall clock."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


def located(app, srcdir: Path) -> list[str]:
    """``file:line: LEVEL: message [type.subtype]`` lines, paths relative to the source."""
    found = []
    for line in strip_escape_sequences(app.warning.getvalue()).splitlines():
        match = MESSAGE.match(line)
        if match:
            path = Path(match["path"]).relative_to(srcdir).as_posix()
            found.append(f"{path}:{match['line']}: {match['level']}: {match['text']}")
    return found


def build_twice(make_app, tmp_path: Path, root: str, **kwargs) -> tuple[list[str], list[str]]:
    srcdir = tmp_path / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    results = []
    for fresh in (True, False):
        app = make_app("html", srcdir=srcdir, freshenv=fresh, warningiserror=True, **kwargs)
        app.build()
        assert app.statuscode != 0, f"a {'clean' if fresh else 'repeated'} build passed"
        if not fresh:
            assert "0 added, 0 changed, 0 removed" in app.status.getvalue()
        results.append(located(app, srcdir))
        app.cleanup()
    return results[0], results[1]


@pytest.mark.parametrize("root", BAD_ROOTS)
def test_unchanged_rebuild_reports_the_same_located_problems(make_app, tmp_path, root) -> None:
    kind, count = BAD_ROOTS[root]
    clean, again = build_twice(make_app, tmp_path, root)
    ours = [m for m in clean if m.endswith("]") and f"[{kind}." in m]
    assert len(ours) == count, clean
    # (The register's problems are located in its YAML data file.)
    assert all(re.match(r"[\w/-]+\.(md|rst|yaml):\d+: ERROR: ", m) for m in ours), ours
    # (MyST's own read-time warnings, such as malformed front matter, are not ours to repeat.)
    assert [m for m in again if f"[{kind}." in m] == ours


def test_problems_read_by_parallel_workers_are_reported(make_app, tmp_path) -> None:
    clean, again = build_twice(make_app, tmp_path, "page-metadata-bad", parallel=2)
    ours = [m for m in clean if "[metadata." in m]
    assert len(ours) == BAD_ROOTS["page-metadata-bad"][1]
    assert [m for m in again if "[metadata." in m] == ours


def test_a_fixed_page_stops_failing(make_app, tmp_path) -> None:
    srcdir = tmp_path / "fixed"
    shutil.copytree(ROOTS / "test-evidence-bad", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert "[evidence.label]" in app.warning.getvalue()
    app.cleanup()
    (srcdir / "index.md").write_text("# Evidence\n\nThis is {evidence}`unproven; low` status.\n")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""


def test_the_strict_command_line_build_fails_without_crashing(tmp_path) -> None:
    """``make html``'s command (strict, ``-j auto``) on bad input: exit status 1, no traceback."""
    env = {**build_env(), "PYTHONPATH": str(REPO / "ext")}
    cmd = sphinx_command(ROOTS / "test-further-info-bad", tmp_path / "html", confdir=None,
                         quiet=True, doctreedir=tmp_path / "doctrees")  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception occurred" not in proc.stderr
    assert proc.stderr.count("[callouts.") == BAD_ROOTS["further-info-bad"][1]
