"""The gazetteer cache is data only: nothing planted in the cache directory can run, and an
unusable file is rebuilt with a warning."""

import os
import pickle
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from marsad.geo import gazetteer
from marsad.geo.index import CacheError, CacheWarning, Gazetteer, read_index, write_index


class Planted:
    """Unpickling this creates the directory `marker`: proof that code from the file ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty cache directory in $MARSAD_CACHE, and a fresh loader around the test."""
    directory = tmp_path / "cache"
    directory.mkdir()
    monkeypatch.setenv("MARSAD_CACHE", str(directory))
    gazetteer.load_gazetteer.cache_clear()
    yield directory
    gazetteer.load_gazetteer.cache_clear()


@pytest.fixture(scope="module")
def index_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("index") / "g.json"
    gazetteer.build_gazetteer(path, source="s1")
    return path.read_bytes()


def test_the_planted_payload_is_live(tmp_path: Path):
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Planted(marker)))  # what the old loader did with the cache file
    assert marker.exists()


@pytest.mark.parametrize("suffix", [".json", ".pickle"])
def test_a_malicious_pickle_in_the_cache_runs_nothing_and_is_replaced(cache: Path, tmp_path: Path, suffix: str):
    marker = tmp_path / "ran"
    planted = gazetteer.cache_path().with_suffix(suffix)
    planted.write_bytes(pickle.dumps(Planted(marker), protocol=pickle.HIGHEST_PROTOCOL))
    with warned(suffix):
        loaded = gazetteer.load_gazetteer()
    assert not marker.exists()
    assert loaded.lookup(("برلين",)) is not None
    assert [p.name for p in cache.iterdir()] == [gazetteer.cache_path().name]
    assert gazetteer.cache_path().read_bytes().startswith(b'{"magic": "marsad-gazetteer-index"')


@contextmanager
def warned(suffix: str) -> Iterator[None]:
    """A planted index file is refused with a warning; a legacy pickle is never even opened."""
    if suffix == ".json":
        with pytest.warns(CacheWarning, match="not a Marsad gazetteer index"):
            yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        yield


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) // 2], "checksum mismatch"),
        (lambda data: data.replace(b'"nisba":{', b'"nisba":{"x":"y",', 1), "checksum mismatch"),
        (lambda data: b"", "not a Marsad gazetteer index"),
        (lambda data: b"\x80\x04\x95garbage\n", "not a Marsad gazetteer index"),
        (lambda data: data.replace(b'"format": 4', b'"format": 5', 1), "index format 5, expected 4"),
        (lambda data: data.replace(b'"source": "s1"', b'"source": "s0"', 1), "built from other sources"),
    ],
    ids=["truncated", "edited", "empty", "pickle", "newer format", "other sources"],
)
def test_a_damaged_or_foreign_index_is_refused_with_its_reason(tmp_path: Path, index_bytes: bytes, damage, reason):
    path = tmp_path / "g.json"
    path.write_bytes(damage(index_bytes))
    with pytest.raises(CacheError, match=rf"\[E120\] .*{reason}"):
        read_index(path, source="s1")


def test_a_damaged_cache_is_rebuilt_with_a_warning(cache: Path, index_bytes: bytes):
    path = gazetteer.cache_path()
    path.write_bytes(index_bytes[:-100])
    with pytest.warns(CacheWarning, match="damaged"):
        assert gazetteer.load_gazetteer().lookup(("طهران",)) is not None
    assert read_index(path, source=gazetteer.source_hash()).lookup(("طهران",)) is not None


def test_the_index_round_trips_and_loads_in_under_a_second(tmp_path: Path, index_bytes: bytes):
    path = tmp_path / "g.json"
    path.write_bytes(index_bytes)
    began = time.perf_counter()
    loaded = read_index(path, source="s1")
    assert time.perf_counter() - began < 1.0
    again = tmp_path / "again.json"
    write_index(again, loaded, source="s1")
    assert again.read_bytes() == index_bytes
    assert read_index(again) == loaded
    assert isinstance(loaded, Gazetteer) and loaded.compound_ends


def test_concurrent_first_calls_build_the_gazetteer_once(cache: Path, monkeypatch: pytest.MonkeyPatch):
    from concurrent.futures import ThreadPoolExecutor

    builds: list[Path] = []
    real = gazetteer.build_gazetteer

    def counted(path: Path, **kwargs: object):
        builds.append(path)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gazetteer, "build_gazetteer", counted)
    with ThreadPoolExecutor(8) as pool:
        loaded = list(pool.map(lambda _: gazetteer.load_gazetteer(), range(8)))
    assert len(builds) == 1
    assert all(g is loaded[0] for g in loaded)
