"""The compiled-catalog cache: used when every file is unchanged, never when one is not, and never in the way."""

from __future__ import annotations

import glob
import os

from simulator.catalog_cache import cached_catalog
from simulator.loader import SourceFile, builtin_sources

PERSONA = """id: tester
name: {zh: 测试员, en: Tester}
role: {zh: 采购, en: Buyer}
company: {zh: 测试公司, en: Test Co}
patience: 3
"""


def _cached(folder) -> list[str]:
    return glob.glob(os.path.join(folder, "catalog-*.pickle"))


def test_second_load_comes_from_the_cache_and_matches(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(tmp_path))
    first = cached_catalog(builtin_sources())
    [path] = _cached(tmp_path)
    again = cached_catalog(builtin_sources())
    assert sorted(again.scenarios) == sorted(first.scenarios)
    replies = ["Great, many companies like yours work with us. Could I visit Tuesday at 3pm?",
               "we could negotiat a discuont for you",  # prefix and typo look-ups
               "太好了,我们和很多企业合作,周二下午三点建面?",  # Chinese terms and their sounds
               "我們從不打折"]  # traditional characters, negation
    for reply in replies:
        assert again.matcher.match(reply).evidence == first.matcher.match(reply).evidence, reply
    assert "_terms" not in vars(again.matcher)  # tables only the constructor reads are not cached
    os.truncate(path, 10)  # a corrupt cache file is ignored and rebuilt
    assert sorted(cached_catalog(builtin_sources()).scenarios) == sorted(first.scenarios)
    assert os.path.getsize(path) > 10


def test_a_changed_file_is_never_served_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(tmp_path / "cache"))
    persona = tmp_path / "tester.yaml"
    persona.write_text(PERSONA, encoding="utf-8")
    sources = [*builtin_sources(), SourceFile(str(persona), "persona")]
    assert cached_catalog(sources).personas["tester"].patience == 3
    persona.write_text(PERSONA.replace("patience: 3", "patience: 5"), encoding="utf-8")
    assert cached_catalog(sources).personas["tester"].patience == 5
    assert len(_cached(tmp_path / "cache")) == 2


def test_catalogs_with_problems_are_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(tmp_path))
    broken = SourceFile("broken.yaml", "persona", "id: [unclosed\n")
    assert cached_catalog([*builtin_sources(), broken]).problems
    assert not _cached(tmp_path)


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(blocker / "cache"))
    assert "gatekeeper" in cached_catalog(builtin_sources()).scenarios


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SALESDRILL_NO_CACHE", "1")
    assert "gatekeeper" in cached_catalog(builtin_sources()).scenarios
    assert not _cached(tmp_path)


def test_a_code_change_is_never_served_a_stale_pickle(tmp_path, monkeypatch):
    from simulator import catalog_cache

    monkeypatch.setenv("SALESDRILL_CACHE_DIR", str(tmp_path))
    cached_catalog(builtin_sources())
    monkeypatch.setattr(catalog_cache, "_code_digest", lambda: b"another build of the matcher")
    cached_catalog(builtin_sources())
    assert len(_cached(tmp_path)) == 2
