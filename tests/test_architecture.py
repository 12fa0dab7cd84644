"""Contracts between the parts of the build, checked rather than stated in comments.

* Event order: the listeners whose output depends on running before or after another one run
  in that order on the site's real configuration (priorities: ``stemcellref.shared.order``).
* Layout: ``ext/`` holds one package and nothing that could shadow an installed module; every
  extension's settings are a prefixed config record; each family owns its assets.
* One strict build command: the Makefile and Read the Docs use the flags of
  ``scripts.harness.STRICT``.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sphinx_sitemap
import sphinxext.opengraph
import yaml
from sphinx.application import Sphinx
from sphinx.testing.util import _clean_up_global_state

from scripts.harness import REPO, STRICT
from stemcellref.shared.config import ConfigRecord

EXT = REPO / "ext"


@pytest.fixture(scope="module")
def site_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sphinx]:
    """The site's configuration and extensions, set up but not built (on a one-page source)."""
    out = tmp_path_factory.mktemp("architecture")
    (out / "src").mkdir()
    (out / "src" / "index.md").write_text("# Home\n", encoding="utf-8")
    app = Sphinx(
        srcdir=out / "src", confdir=REPO, outdir=out / "html", doctreedir=out / "doctrees",
        buildername="html", status=None, warning=None, freshenv=True,
    )  # fmt: skip
    yield app
    # What SphinxTestApp.cleanup does: forget the nodes, roles and directives registered here.
    _clean_up_global_state()


def order(app: Sphinx, event: str) -> list[str]:
    """``module.function`` of each listener of ``event``, in the order Sphinx calls them."""
    listeners = sorted(app.events.listeners[event], key=lambda listener: listener.priority)
    return [f"{lst.handler.__module__}.{lst.handler.__name__}" for lst in listeners]


def position(names: list[str], name: str) -> int:
    matches = [i for i, n in enumerate(names) if n == name]
    assert len(matches) == 1, (name, names)
    return matches[0]


def test_meta_description_runs_before_opengraph_reads_the_page_metadata(site_app) -> None:
    names = order(site_app, "html-page-context")
    opengraph = f"{sphinxext.opengraph.__name__}.html_page_context"
    ours = "stemcellref.metadata.meta_description.add_description"
    assert position(names, ours) < position(names, opengraph)


def test_page_footer_wraps_the_body_after_search_markers_and_feed_links(site_app) -> None:
    names = order(site_app, "html-page-context")
    wrap = position(names, "stemcellref.metadata.page_metadata.page_context")
    assert position(names, "stemcellref.search.site_search.add_page_context") < wrap
    assert position(names, "stemcellref.metadata.feeds.add_feed_links") < wrap


def test_sitemap_lastmod_rewrites_the_sitemap_after_sphinx_sitemap_wrote_it(site_app) -> None:
    names = order(site_app, "build-finished")
    written = position(names, f"{sphinx_sitemap.__name__}.create_sitemap")
    assert written < position(names, "stemcellref.metadata.sitemap_lastmod.add_lastmod")


def test_pagefind_starts_after_every_other_page_is_collected(site_app) -> None:
    names = order(site_app, "html-collect-pages")
    assert names[-1] == "stemcellref.search.site_search.start_pagefind"


def test_problems_are_reported_after_the_environment_is_complete(site_app) -> None:
    names = order(site_app, "env-updated")
    assert names[-1] == "stemcellref.shared.problems.report"


def test_config_is_validated_before_sphinx_checks_types(site_app) -> None:
    """Our ConfigError names the setting; Sphinx's own type check (800) would only warn."""
    names = order(site_app, "config-inited")
    validators = [i for i, n in enumerate(names) if n.endswith(".validate")]
    assert validators
    assert max(validators) < position(names, "sphinx.config.check_confval_types")


# -- Layout ---------------------------------------------------------------------------------


def extension_modules() -> list[str]:
    conf = (REPO / "conf.py").read_text(encoding="utf-8")
    return re.findall(r'"(stemcellref\.[\w.]+)"', conf)


def test_ext_holds_one_package_and_no_top_level_modules() -> None:
    top = sorted(p.name for p in EXT.iterdir() if not p.name.startswith((".", "__")))
    assert top == ["stemcellref"]


def test_conf_lists_every_extension_module_by_package_path() -> None:
    listed = set(extension_modules())
    with_setup = {
        ".".join(path.relative_to(EXT).with_suffix("").parts)
        for path in (EXT / "stemcellref").rglob("*.py")
        if re.search(r"^def setup\(", path.read_text(encoding="utf-8"), re.M)
    }
    # shared.problems is set up by the extensions that record problems, not listed itself.
    assert listed == with_setup - {"stemcellref.shared.problems"}


def config_records() -> list[type[ConfigRecord]]:
    found = []
    for name in extension_modules():
        module = importlib.import_module(name)
        found += [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, ConfigRecord) and obj is not ConfigRecord
        ]
    return found


def test_every_setting_is_prefixed_typed_and_documented() -> None:
    records = config_records()
    assert len(records) >= 6
    for record in records:
        assert dataclasses.is_dataclass(record) and record.__dataclass_params__.frozen, record
        assert record.prefix.endswith("_"), record
        for name, spec in record.settings().items():
            assert name.startswith(record.prefix) and spec.types and spec.doc, name


def test_templates_and_static_files_live_with_their_family() -> None:
    for folder in ("templates", "static"):
        for path in (EXT / "stemcellref").rglob(folder):
            family = path.parent
            assert family.parent.name == "stemcellref", path
            assert (family / "__init__.py").is_file(), path
    # The site's own folders hold nothing an extension needs.
    assert not list((REPO / "docs" / "_templates").rglob("partials/page-meta.html"))


# -- One strict build command ---------------------------------------------------------------


def test_makefile_and_read_the_docs_use_the_strict_flags() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    strict = re.search(r"^STRICT\s*:=\s*(.+)$", makefile, re.M)
    assert strict is not None and tuple(strict.group(1).split()) == STRICT
    rtd = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    (command,) = rtd["build"]["jobs"]["build"]["html"]
    assert " ".join(STRICT) in command and "-c ." in command


def test_scripts_and_tests_build_through_the_harness() -> None:
    """Nobody spells the strict build out again."""
    offenders = []
    for path in [*Path(REPO / "scripts").glob("*.py"), *Path(REPO / "tests").glob("*.py")]:
        if path.name in {"harness.py", "test_architecture.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r'"-W",\s*"--keep-going"|"1796212800"', text):
            offenders.append(path.name)
    assert not offenders
