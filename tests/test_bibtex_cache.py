"""bibtex_cache (performance family): pybtex's plugin look-ups are cached, and never stale."""

from __future__ import annotations

from collections.abc import Iterator

import pybtex.plugin
import pytest
from pybtex.style.formatting import BaseStyle

from stemcellref.performance import bibtex_cache

GROUP = "pybtex.style.formatting"


@pytest.fixture
def cached() -> Iterator[None]:
    """The cache installed and empty; plugins registered by the test removed afterwards."""
    bibtex_cache._install()
    runtime = {group: dict(found) for group, found in pybtex.plugin._RUNTIME_PLUGINS.items()}
    pybtex.plugin._load_entry_point.cache_clear()
    yield
    pybtex.plugin._RUNTIME_PLUGINS.clear()
    pybtex.plugin._RUNTIME_PLUGINS.update(runtime)
    pybtex.plugin._load_entry_point.cache_clear()


def test_repeated_look_ups_scan_the_entry_points_once(
    cached: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: list[str] = []
    real = pybtex.plugin.entry_points

    def counting(**kwargs: str) -> object:
        scans.append(kwargs["group"])
        return real(**kwargs)

    monkeypatch.setattr(pybtex.plugin, "entry_points", counting)
    found = {pybtex.plugin.find_plugin(GROUP, "plain") for _ in range(20)}
    assert len(found) == 1
    (style,) = found
    assert issubclass(style, BaseStyle) and style.__module__ == "pybtex.style.formatting.plain"
    assert scans == [GROUP]  # one scan for twenty look-ups
    pybtex.plugin.find_plugin(GROUP)  # the default style is a different question
    assert len(scans) == 2


def test_registering_a_plugin_forgets_earlier_answers(cached: None) -> None:
    original = pybtex.plugin.find_plugin(GROUP, "plain")

    class Replacement(original):  # type: ignore[misc, valid-type]
        pass

    assert pybtex.plugin.register_plugin(GROUP, "plain", Replacement, force=True)
    assert pybtex.plugin.find_plugin(GROUP, "plain") is Replacement

    class Brand(original):  # type: ignore[misc, valid-type]
        pass

    pybtex.plugin.register_plugin(GROUP, "stem-cell-test", Brand)
    assert pybtex.plugin.find_plugin(GROUP, "stem-cell-test") is Brand


def test_installing_twice_wraps_once(cached: None) -> None:
    load = pybtex.plugin._load_entry_point
    bibtex_cache._install()
    assert pybtex.plugin._load_entry_point is load
    assert not hasattr(load.__wrapped__, "cache_clear")  # the original function underneath


def test_unknown_plugins_still_raise(cached: None) -> None:
    with pytest.raises(pybtex.plugin.PluginNotFound):
        pybtex.plugin.find_plugin(GROUP, "no-such-style")
