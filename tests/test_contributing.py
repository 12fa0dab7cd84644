"""The contributor workflow: repository plumbing, ``make new-page`` and self-explaining errors.

* CI, deploy and Read the Docs configuration parse, call make targets that exist, pin actions
  to commit SHAs and images to digests, limit every job's time and grant least privilege; the
  site is deployed only after CI passes, at the URL GitHub Pages reports; Read the Docs installs
  only the hash-checked lock; pre-commit pins the locked tool versions.
* ``scripts/new_page.py`` writes a page that builds strictly as it is, adds it to the section's
  toctree and refuses bad arguments with a message that says what to do.
* The warnings contributors cause most often carry a fix-it hint
  (``stemcellref.authoring.contributor_hints``), with their file and line, in serial and
  parallel builds.
* The real pages hold no "TODO:" placeholder left over from the template.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences
from sphinx.util.parallel import parallel_available

DOCS = REPO / "docs"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
TEMPLATE = DOCS / "_templates" / "new-page.md"
NEW_PAGE = REPO / "scripts" / "new_page.py"
ROOTS = Path(__file__).parent / "roots"
BUILD_DAY = datetime(2026, 12, 1, 12, tzinfo=UTC)  # pages get this date; the build runs then
EPOCH = str(int(BUILD_DAY.timestamp()))
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")


def load_yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), f"{path.relative_to(REPO)} is not a YAML mapping"
    return data


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as True.
    on = workflow.get("on", workflow.get(True))
    return on if isinstance(on, dict) else {name: None for name in on or []}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


# -- Repository plumbing ------------------------------------------------------------------


def makefile_targets() -> set[str]:
    """Targets in make's own database (``make -qp``), so included files and patterns count."""
    proc = subprocess.run(
        ["make", "-qp", "-r", "-f", "Makefile"], cwd=REPO, capture_output=True, text=True
    )
    targets, not_a_target = set(), False
    for line in proc.stdout.splitlines():
        if line.startswith("# Not a target"):
            not_a_target = True
            continue
        match = re.match(r"^([A-Za-z0-9][\w.-]*):(?!=)", line)
        if match and not not_a_target:
            targets.add(match.group(1))
        not_a_target = False
    assert {"help", "html"} <= targets, proc.stderr
    return targets


def make_calls(text: str) -> set[str]:
    """Targets named by ``make ...`` commands in shell text (flags and VAR=value skipped)."""
    goals = set()
    for args in re.findall(r"(?:^|[\s;&|(`])make((?:[ \t]+[^\s;&|)`#]+)+)", text, re.M):
        for word in args.split():
            if word.startswith("-") or "=" in word:
                continue
            if not re.fullmatch(r"[a-z][\w-]*", word):
                break
            goals.add(word)
    return goals


def test_make_calls_finds_goals() -> None:
    text = "run: make lint\n  make html SITE_URL=x -j4 test && echo\nmake sure you can"
    assert make_calls(text) == {"lint", "html", "test", "sure", "you", "can"}


def command_texts() -> dict[str, str]:
    """Shell commands CI runs, plus the commands the contributor docs tell people to run."""
    texts = {}
    for path in WORKFLOWS:
        runs = [s["run"] for s in steps(load_yaml(path)) if "run" in s]
        texts[str(path.relative_to(REPO))] = "\n".join(runs)
    texts[".ci/run"] = (REPO / ".ci" / "run").read_text("utf-8")
    docs = [REPO / "CONTRIBUTING.md", *sorted((DOCS / "contributing").glob("*.md"))]
    for path in docs:
        if path.is_file():  # code spans and code blocks only: prose says "make sure"
            text = path.read_text("utf-8")
            code = re.findall(r"`([^`\n]+)`", text) + re.findall(r"```\w*\n(.*?)```", text, re.S)
            texts[str(path.relative_to(REPO))] = "\n".join(code)
    return texts


def test_make_targets_named_in_ci_and_docs_exist() -> None:
    targets = makefile_targets()
    texts = command_texts()
    assert make_calls(texts[".github/workflows/ci.yml"]) >= {"lint", "html"}
    assert "make test" in texts[".ci/run"]
    missing = [
        f"{where}: make {goal}"
        for where, text in texts.items()
        for goal in sorted(make_calls(text))
        if goal not in targets
    ]
    assert not missing, "make targets that do not exist:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_actions_are_pinned_to_commit_shas(path: Path) -> None:
    uses = [s["uses"] for s in steps(load_yaml(path)) if "uses" in s]
    assert uses or path.name == "ci.yml"
    unpinned = [u for u in uses if not u.startswith("./") and not SHA_PIN.match(u)]
    assert not unpinned, f"{path.name}: pin these to a full commit SHA: {unpinned}"
    # The version the SHA stands for is written next to it, for people and update bots.
    for line in path.read_text("utf-8").splitlines():
        if re.search(r"uses:\s*[^.\s]\S*@[0-9a-f]{40}", line):
            assert re.search(r"#\s*v\d", line), f"{path.name}: no version comment: {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_permissions_are_least_privilege(path: Path) -> None:
    workflow = load_yaml(path)
    assert workflow.get("permissions") == {}, f"{path.name}: set `permissions: {{}}` at the top"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} must declare its permissions"
        perms = job["permissions"] or {}
        assert isinstance(perms, dict), f"{path.name}: job {name}: list permissions one by one"
        writes = {scope for scope, level in perms.items() if level == "write"}
        assert writes <= {"pages", "id-token"}, f"{path.name}: job {name} may write {writes}"
        if writes:
            assert path.name == "deploy.yml", f"{path.name}: only deployment writes"
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, (
                    f"{path.name}: job {name}: checkout with persist-credentials: false"
                )


def test_ci_lints_builds_tests_and_uploads_the_site() -> None:
    ci = load_yaml(REPO / ".github" / "workflows" / "ci.yml")
    # Pull requests run it directly; pushes to main through deploy.yml, which needs it to pass.
    assert {"pull_request", "workflow_call"} <= set(triggers(ci))
    runs = "\n".join(s.get("run", "") for s in steps(ci))
    assert "make lint" in runs and "make html" in runs
    assert "bash .ci/run" in runs  # make test with CI=true: browser tests must run
    ci_run = (REPO / ".ci" / "run").read_text("utf-8")
    assert "export CI=true" in ci_run and "chromium" in ci_run
    uploads = [s for s in steps(ci) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "_build/html"
    gate = ci["jobs"]["all-green"]
    assert set(gate["needs"]) == set(ci["jobs"]) - {"all-green"} and gate["if"] == "always()"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_jobs_have_timeouts_and_images_pinned_by_digest(path: Path) -> None:
    for name, job in load_yaml(path)["jobs"].items():
        if "uses" in job:  # a called workflow: its own jobs carry the limits
            continue
        assert 0 < job.get("timeout-minutes", 0) <= 60, f"{path.name}: job {name}: timeout-minutes"
        container = job.get("container")
        if container is not None:
            image = container["image"] if isinstance(container, dict) else container
            assert re.fullmatch(r"[\w./:-]+@sha256:[0-9a-f]{64}", image), (
                f"{path.name}: job {name}: pin the image by digest: {image}"
            )


def test_deploy_publishes_only_commits_that_passed_ci_at_the_pages_url() -> None:
    deploy = load_yaml(REPO / ".github" / "workflows" / "deploy.yml")
    assert triggers(deploy)["push"]["branches"] == ["main"]
    jobs = deploy["jobs"]
    assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"
    build, publish = jobs["build"], jobs["deploy"]
    assert build["needs"] == "ci" and publish["needs"] == "build"
    # The URL comes from GitHub Pages (project, user/organisation or custom-domain site alike),
    # asked before the build that needs it.
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    pages = uses.index("actions/configure-pages")
    make = next(i for i, s in enumerate(build["steps"]) if s.get("run") == "make html")
    assert pages < make < uses.index("actions/upload-pages-artifact")
    step_id = build["steps"][pages]["id"]
    assert build["steps"][make]["env"]["SITE_URL"] == f"${{{{ steps.{step_id}.outputs.base_url }}}}"
    assert build["steps"][-1]["with"]["path"] == "_build/html"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in publish["steps"])
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_readthedocs_installs_only_the_lock_and_builds_strictly() -> None:
    rtd = load_yaml(REPO / ".readthedocs.yaml")
    assert rtd["version"] == 2
    assert (REPO / rtd["sphinx"]["configuration"]).is_file()
    # Inert once build.jobs.build.html is overridden: the command's -W is what fails the build.
    assert "fail_on_warning" not in rtd["sphinx"]
    jobs = rtd["build"]["jobs"]
    # The install job replaces Read the Docs' default install (which would upgrade Sphinx), and
    # nothing else installs packages before or after it.
    assert jobs["install"] == [
        "python -m pip install --require-hashes -r requirements/runtime.lock"
    ]
    assert "python" not in rtd, "python.install would add unlocked packages"
    others = " ".join(" ".join(v) for k, v in jobs.items() if k not in {"install", "build"})
    assert "pip" not in others and "uv" not in others
    html = " ".join(jobs["build"]["html"])
    assert re.search(r"(^|\s)-n\s+-W\s", html) and "$READTHEDOCS_OUTPUT/html" in html
    # The doctree cache is written outside the published output.
    doctrees = re.search(r"\s-d\s+(\S+)", html)
    assert doctrees and "READTHEDOCS_OUTPUT" not in doctrees.group(1)


def test_lint_validates_workflows_and_service_configs_offline() -> None:
    proc = subprocess.run(["make", "--no-print-directory", "-n", "lint"], cwd=REPO,
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    recipe = proc.stdout.splitlines()
    checked = {
        schema: line.split()[3:]
        for line in recipe
        if (m := re.search(r"check-jsonschema --builtin-schema (\S+)", line)) and (schema := m[1])
    }
    workflows = [str(p.relative_to(REPO)) for p in WORKFLOWS]
    assert checked.get("vendor.github-workflows") == workflows
    assert checked.get("vendor.readthedocs") == [".readthedocs.yaml"]
    assert checked.get("vendor.renovate") == [".github/renovate.json"]
    recipe = proc.stdout
    assert re.search(r"zizmor --offline\b[^\n]* \.github/workflows", recipe)


def test_renovate_updates_actions_images_npm_and_the_python_locks() -> None:
    config = json.loads((REPO / ".github" / "renovate.json").read_text("utf-8"))
    assert {"helpers:pinGitHubActionDigests", "docker:pinDigests"} <= set(config["extends"])
    patterns = config["pip-compile"]["managerFilePatterns"]
    locks = [p.relative_to(REPO).as_posix() for p in (REPO / "requirements").glob("*.lock")]
    assert locks and all(re.search(patterns[0].strip("/"), lock) for lock in locks)
    assert config["lockFileMaintenance"]["enabled"] is True
    # Renovate re-runs the command at the top of each lock; it must be the one `make lock` runs.
    for lock in locks:
        command = (REPO / lock).read_text("utf-8").splitlines()[1]
        assert re.fullmatch(rf"#    uv pip compile .*--output-file={lock}( .*)?", command), command


def test_issue_templates_and_codeowners() -> None:
    templates = REPO / ".github" / "ISSUE_TEMPLATE"
    for name in ("correction.yml", "new-topic.yml"):
        form = load_yaml(templates / name)
        assert form["name"] and form["description"] and form["body"], name
        assert any(item.get("validations", {}).get("required") for item in form["body"]), name
    assert load_yaml(templates / "config.yml")["blank_issues_enabled"] is False
    owners = (REPO / ".github" / "CODEOWNERS").read_text("utf-8")
    assert re.search(r"^/docs/\s+@\S+", owners, re.M), "docs/ needs a clinical code owner"
    template = (REPO / ".github" / "pull_request_template.md").read_text("utf-8")
    assert "- [ ]" in template and "make check" in template


def locked_version(package: str) -> str:
    lock = (REPO / "requirements" / "dev.lock").read_text("utf-8")
    match = re.search(rf"^{package}==(\S+)", lock, re.M)
    assert match, f"{package} is not in requirements/dev.lock"
    return match.group(1)


def test_pre_commit_pins_the_locked_tools() -> None:
    config = load_yaml(REPO / ".pre-commit-config.yaml")
    repos = {r["repo"].rsplit("/", 1)[-1]: r for r in config["repos"]}
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"v\d+(\.\d+)+", repo["rev"]), f"pin {repo['repo']} to a tag"
    assert repos["ruff-pre-commit"]["rev"] == f"v{locked_version('ruff')}"
    assert {h["id"] for h in repos["ruff-pre-commit"]["hooks"]} == {"ruff-check", "ruff-format"}
    assert repos["codespell"]["rev"] == f"v{locked_version('codespell')}"
    args = repos["codespell"]["hooks"][0]["args"]
    wordlist = REPO / args[args.index("--ignore-words") + 1]
    assert wordlist.is_file()
    words = wordlist.read_text("utf-8").split()
    assert words == sorted(set(words)), "keep the word list sorted, one word a line"
    hooks = {h["id"] for h in repos["pre-commit-hooks"]["hooks"]}
    assert {"check-yaml", "check-toml", "trailing-whitespace", "end-of-file-fixer"} <= hooks


def test_contributing_guide_links_resolve() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if "://" not in link]
    assert any(link.startswith("docs/contributing/") for link in local)
    missing = [link for link in local if not (REPO / link).exists()]
    assert not missing, f"CONTRIBUTING.md links to missing files: {missing}"


# -- make new-page ------------------------------------------------------------------------


def new_page(docs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, str(NEW_PAGE), "--docs", str(docs), *args]
    return subprocess.run(cmd, cwd=docs.parent, env=env, capture_output=True, text=True)


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    """tests/roots/test-new-page with the site's real page template, in a scratch folder."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOTS / "test-new-page", docs)
    (docs / "_templates").mkdir()
    shutil.copy(TEMPLATE, docs / "_templates" / "new-page.md")
    return docs


def build_strictly(make_app, srcdir: Path, monkeypatch: pytest.MonkeyPatch) -> SphinxTestApp:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    app = make_app("html", srcdir=srcdir, confoverrides={"nitpicky": True}, freshenv=True)
    app.build()
    warnings = strip_escape_sequences(app.warning.getvalue())
    assert warnings == "", f"the new page does not build cleanly:\n{warnings}"
    return app


def test_new_condition_page_builds_strictly_with_the_expected_structure(
    docs_copy: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = new_page(docs_copy, "conditions", "lupus", "Lupus")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(
        "Created docs/conditions/lupus.md and added 'lupus' to the toctree in "
        "docs/conditions/index.md.\n"
    )
    assert 'every "TODO:" must go' in proc.stdout and "make livehtml" in proc.stdout
    assert "Evidence at a glance" in proc.stdout

    page = (docs_copy / "conditions" / "lupus.md").read_text("utf-8")
    assert page.startswith(
        "---\n"
        'description: "TODO: one plain sentence summarising the page, at most 160 characters."\n'
        "last_reviewed: 2026-12-01\n"
        "next_review: 2027-06-01\n"  # conditions are reviewed after six months
        "changes:\n"
        "  - date: 2026-12-01\n"
        "    summary: First published.\n"
        "---\n\n# Lupus\n"
    )
    assert "% evidence-table" not in page
    index = (docs_copy / "conditions" / "index.md").read_text("utf-8")
    assert ":maxdepth: 1\n\nheart-disease\nlupus\n:::\n" in index

    app = build_strictly(make_app, docs_copy, monkeypatch)
    html = BeautifulSoup((app.outdir / "conditions" / "lupus.html").read_text("utf-8"), "lxml")
    body = html.select_one("article")
    section = body.find("section")
    assert section.find("h1").get_text(strip=True).startswith("Lupus")
    first = section.find("h1").find_next_sibling()
    assert "key-messages" in first["class"] and len(first.select("li")) == 2
    headings = [h.get_text(strip=True).rstrip("#¶") for h in body.find_all("h2")]
    assert headings == [
        "What it is", "What this means for you", "Evidence at a glance", "Technical detail",
        "References",
    ]  # fmt: skip
    assert body.select_one("table .evidence-badge, table [class*=evidence]") is not None
    callout = body.select_one("aside.further-info")
    assert callout is not None and "closerlookatstemcells.org" in str(callout)
    assert len(body.select("aside.footnote")) == 1  # one source, cited twice
    nav = (app.outdir / "conditions" / "index.html").read_text("utf-8")
    assert 'href="lupus.html"' in nav


def test_new_basics_page_has_no_evidence_table_and_a_yearly_review(
    docs_copy: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = new_page(docs_copy, "basics", "what-are-organoids", "  What are   organoids? ")
    assert proc.returncode == 0, proc.stderr
    page = (docs_copy / "basics" / "what-are-organoids.md").read_text("utf-8")
    assert "next_review: 2027-12-01\n" in page
    assert "\n# What are organoids?\n" in page
    assert "Evidence at a glance" not in page and "Evidence at a glance" not in proc.stdout
    # The empty toctree had only an option: entries start after a blank line.
    index = (docs_copy / "basics" / "index.md").read_text("utf-8")
    assert "```{toctree}\n:maxdepth: 1\n\nwhat-are-organoids\n```\n" in index
    app = build_strictly(make_app, docs_copy, monkeypatch)
    assert (app.outdir / "basics" / "what-are-organoids.html").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("lupus", "sle", "Lupus"),
            "new-page: error: SECTION 'lupus' is not a section: use one of basics, conditions "
            "(folders of docs/ with an index.md that has a toctree)\n",
        ),
        (
            ("conditions", "Lupus", "Lupus"),
            "new-page: error: SLUG 'Lupus' must be lowercase words joined by hyphens, e.g. "
            "'lupus' or 'crohns-disease' (it becomes the page's address)\n",
        ),
        (
            ("conditions", "lupus_sle", "Lupus"),
            "new-page: error: SLUG 'lupus_sle' must be lowercase words joined by hyphens, e.g. "
            "'lupus' or 'crohns-disease' (it becomes the page's address)\n",
        ),
        (
            ("conditions", "heart-disease", "Heart disease"),
            "new-page: error: docs/conditions/heart-disease.md already exists: choose another "
            "SLUG or edit that page\n",
        ),
        (
            ("conditions", "lupus", "  "),
            'new-page: error: TITLE is empty: give the page a title, e.g. TITLE="Lupus"\n',
        ),
    ],
    ids=["unknown-section", "uppercase-slug", "underscore-slug", "existing-page", "empty-title"],
)
def test_new_page_refuses_bad_arguments(docs_copy: Path, args: tuple, message: str) -> None:
    before = {p: p.read_bytes() for p in docs_copy.rglob("*") if p.is_file()}
    proc = new_page(docs_copy, *args)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message)
    after = {p: p.read_bytes() for p in docs_copy.rglob("*") if p.is_file()}
    assert after == before, "a refused page must change nothing"


def test_make_new_page_passes_its_variables_to_the_script() -> None:
    # --no-print-directory: under `make test` this is a nested make, which would otherwise
    # print "Entering/Leaving directory" lines around the command.
    cmd = ["make", "--no-print-directory", "-n", "new-page", "SECTION=conditions", "SLUG=lupus",
           "TITLE=Crohn's disease"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1].endswith(
        'python scripts/new_page.py "conditions" "lupus" "Crohn\'s disease"'
    )


def test_new_page_refuses_a_section_without_toctree(docs_copy: Path) -> None:
    (docs_copy / "safety").mkdir()
    (docs_copy / "safety" / "index.md").write_text("# Safety\n", "utf-8")
    proc = new_page(docs_copy, "safety", "risks", "Risks")
    assert proc.returncode == 2
    assert proc.stderr == (
        "new-page: error: docs/safety/index.md has no toctree to add the page to: "
        "use one of basics, conditions\n"
    )


def test_template_cites_keys_that_exist_in_the_bibliography() -> None:
    keys = set(re.findall(r"\{footcite:p\}`([^`]+)`", TEMPLATE.read_text("utf-8")))
    assert keys
    bib = (DOCS / "references.bib").read_text("utf-8")
    for key in keys:
        assert re.search(rf"^@\w+\{{{re.escape(key)},", bib, re.M), f"{key} not in references.bib"


def test_pages_have_no_template_placeholders_left() -> None:
    # A placeholder is "TODO:" outside a code span; the contributor guide quotes `TODO:`.
    placeholder = re.compile(r"(?<!`)TODO:")
    template = TEMPLATE.read_text("utf-8")
    assert len(placeholder.findall(template)) >= 5, "the pattern must match the template's"
    left = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted(DOCS.rglob("*.md"))
        if "_templates" not in path.relative_to(DOCS).parts
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if placeholder.search(line)
    ]
    assert not left, "replace the template's placeholders:\n" + "\n".join(left)


# -- Errors that say how to fix them (stemcellref.authoring.contributor_hints) ------------


def warning_lines(app: SphinxTestApp) -> list[str]:
    return strip_escape_sequences(app.warning.getvalue()).splitlines()


@pytest.fixture
def in_srcdir(app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> SphinxTestApp:
    """Build from the source folder, so hints show short paths as they do from the repo root."""
    monkeypatch.chdir(app.srcdir)
    app.build(force_all=True)
    return app


@pytest.mark.sphinx("html", testroot="hints-toc", freshenv=True)
def test_hint_toctree_problems(in_srcdir: SphinxTestApp) -> None:
    src = in_srcdir.srcdir
    assert sorted(warning_lines(in_srcdir)) == [
        f"{src / 'about.md'}: WARNING: document isn't included in any toctree"
        " -> add 'about' to the toctree in index.md [toc.not_included]",
        f"{src / 'conditions' / 'index.md'}:3: WARNING: toctree contains reference to "
        "nonexisting document 'conditions/heart-failure' -> check the entry: a page's file name "
        "without .md, relative to this file [toc.not_readable]",
        f"{src / 'conditions' / 'lupus.md'}: WARNING: document isn't included in any toctree"
        " -> add 'lupus' to the toctree in conditions/index.md [toc.not_included]",
    ]


@pytest.mark.sphinx("html", testroot="hints-toc", freshenv=True)
def test_hint_paths_are_absolute_outside_the_working_directory(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    app.build(force_all=True)
    index = (app.srcdir / "conditions" / "index.md").resolve()
    assert f"-> add 'lupus' to the toctree in {index} [toc.not_included]" in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="hints-xref", freshenv=True)
def test_hint_broken_links_and_cross_references(in_srcdir: SphinxTestApp) -> None:
    page = in_srcdir.srcdir / "treatments" / "cord-blood.md"
    index = in_srcdir.srcdir / "treatments" / "index.md"
    assert sorted(warning_lines(in_srcdir)) == sorted([
        f"{page}:5: WARNING: 'myst' cross-reference target not found: 'safety/risks.md'"
        " -> check the path; links are relative to this file [myst.xref_missing]",
        f"{page}:7: WARNING: unknown document: '../safety/risks'"
        " -> check the path; links are relative to this file [ref.doc]",
        f"{page}:9: WARNING: 'myst' cross-reference target not found: 'how-its-stored'"
        " -> check the path or #anchor; links are relative to this file [myst.xref_missing]",
        f"{index}:7: WARNING: local id not found in doc 'treatments/cord-blood': 'no-such-heading'"
        " -> check the #anchor: it must match a heading or label on that page [myst.xref_missing]",
    ])  # fmt: skip


@pytest.mark.sphinx("html", testroot="hints-term", freshenv=True)
def test_hint_term_not_in_glossary(in_srcdir: SphinxTestApp) -> None:
    assert warning_lines(in_srcdir) == [
        f"{in_srcdir.srcdir / 'page.md'}:5: WARNING: term not in glossary: 'iPS cell'"
        " -> add the term to glossary.md or use an existing alias [ref.term]",
    ]


CITE_WARNING = (
    'page-3.md:5: WARNING: could not find bibtex key "iscr2021guidelines"'
    " -> add an entry with this key to references.bib, or fix the key [bibtex.key_not_found]"
)


@pytest.mark.sphinx("html", testroot="hints-cite", freshenv=True)
def test_hint_citation_key_not_in_bibliography(in_srcdir: SphinxTestApp) -> None:
    assert warning_lines(in_srcdir) == [f"{in_srcdir.srcdir}/{CITE_WARNING}"]


@pytest.mark.sphinx("html", testroot="hints-cite", freshenv=True, parallel=2)
def test_hint_survives_parallel_reading(in_srcdir: SphinxTestApp) -> None:
    # Sphinx's own condition for reading in forked workers: the warning is raised in a worker
    # and hinted once, in the main process.
    assert parallel_available and in_srcdir.is_parallel_allowed("read")
    assert warning_lines(in_srcdir) == [f"{in_srcdir.srcdir}/{CITE_WARNING}"]


@pytest.mark.sphinx("html", testroot="hints-term", freshenv=True)
def test_hints_leave_other_warnings_alone(app: SphinxTestApp) -> None:
    from sphinx.util import logging

    logger = logging.getLogger("test")
    logger.warning("something else", location=("page", 3), type="misc", subtype="other")
    expected = f"{app.srcdir / 'page.md'}:3: WARNING: something else [misc.other]"
    assert warning_lines(app)[-1] == expected
