import time
from pathlib import Path

import pytest

from marsad.errors import LexiconError
from marsad.geo import gazetteer
from marsad.geo.gazetteer import Gazetteer, build_gazetteer, is_arabic_name, name_key, read_gazetteer


def test_persian_letters_disqualify_a_name():
    assert is_arabic_name("طهران")
    assert not is_arabic_name("تهران‌")  # zero-width non-joiner
    assert not is_arabic_name("کرمانشاه")
    assert not is_arabic_name("پاریس")


def test_names_are_keyed_like_text():
    assert name_key("بوابة براندنبورغ") == ("بوابه", "براندنبورغ")
    assert name_key("الإسكندرية") == ("الاسكندريه",)


def test_build_and_load_round_trip(tmp_path: Path):
    report = build_gazetteer(tmp_path / "g.json")
    assert report.entries > 5000 and report.names > 5000
    began = time.perf_counter()
    loaded = read_gazetteer(report.path)
    assert time.perf_counter() - began < 1.0
    row = loaded.lookup(("برلين",))
    assert row is not None
    assert [loaded.entries[e].geonameid for e in row.entries] == [2950159]


def test_load_builds_into_the_cache_dir_and_reuses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    gazetteer.load_gazetteer.cache_clear()
    try:
        first = gazetteer.load_gazetteer()
        assert gazetteer.load_gazetteer() is first
        assert [p.name for p in tmp_path.iterdir()] == [gazetteer.cache_path().name]
    finally:
        gazetteer.load_gazetteer.cache_clear()


def test_a_stale_cache_file_is_rebuilt_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    gazetteer.cache_path().write_text('{"magic": "marsad-gazetteer-index", "format": 3}\n{}', encoding="utf-8")
    gazetteer.load_gazetteer.cache_clear()
    try:
        with pytest.warns(gazetteer.CacheWarning, match=r"\[E120\] .*index format 3, expected 4"):
            assert gazetteer.load_gazetteer().lookup(("القاهره",)) is not None
    finally:
        gazetteer.load_gazetteer.cache_clear()


def test_countries_have_precision_3_and_cities_1(gaz: Gazetteer):
    for name, feature, precision, iso3 in (
        ("كندا", "country", 3, "CAN"),
        ("طهران", "city", 1, "IRN"),
        ("محافظة حمص", "admin", 3, "SYR"),
        ("بوابة براندنبورغ", "landmark", 1, "DEU"),
    ):
        row = gaz.lookup(name_key(name))
        assert row is not None, name
        entry = gaz.entries[row.entries[0]]
        assert (entry.feature, entry.precision, entry.iso3) == (feature, precision, iso3)


def test_foreign_transliterations_that_are_common_words_are_not_indexed(gaz: Gazetteer):
    for word in ("كان", "فان", "منا", "بيل"):  # Cannes, Vannes, Minna, Bell
        assert gaz.lookup((word,)) is None, word


def test_a_tiny_foreign_namesake_is_set_aside(gaz: Gazetteer):
    row = gaz.lookup(("موسكو",))
    assert row is not None
    assert {gaz.entries[e].iso3 for e in row.entries} == {"RUS"}
    assert [(gaz.entries[e].name_en, gaz.entries[e].admin1) for e in gaz.namesakes[("موسكو",)]] == [
        ("Mesquite", "Texas")
    ]


def test_namesakes_are_only_names_the_index_already_has(gaz: Gazetteer):
    assert gaz.namesakes and all(gaz.lookup(key) is not None for key in gaz.namesakes)
    alexandria = [gaz.entries[e] for e in gaz.namesakes[name_key("الإسكندرية")]]
    assert [(e.name_en, e.iso3, e.admin1) for e in alexandria] == [("Alexandria", "USA", "Virginia")]


def test_alias_with_unknown_geonameid_names_the_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("landmarks.tsv", "place_stoplist.tsv"):
        (data / name).write_text((gazetteer.data_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    header = "name\tgeonameid\tname_en\tiso3\tfeature\tlat\tlon\ttype\texample\n"
    (data / "aliases.tsv").write_text(header + "مكان\t999999999\t\t\t\t\t\tspelling\tمثال.\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "data_dir", lambda: data)
    with pytest.raises(LexiconError, match=r"\[E101\] aliases.tsv:2: geonameid 999999999"):
        build_gazetteer(tmp_path / "g.json")
