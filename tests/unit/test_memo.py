"""Bounded memos and once-only loaders under threads."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from marsad.extract import dates, quantities
from marsad.geo import gazetteer
from marsad.io import export
from marsad.lexicon import loader
from marsad.memo import BoundedMemo, LoadOnce, load_once
from marsad.web import worldmap

TOKENS = ["تظاهر", "المتظاهرون", "بغداد", "الشرطة", "اعتقلت", "قتل", "أمس", "الجمعة"]


def test_the_memo_never_holds_more_than_its_size():
    memo: BoundedMemo[str, int] = BoundedMemo(100)
    for n in range(1000):
        memo.lookup_many([f"{TOKENS[n % 8]}{n}", f"{TOKENS[n % 8]}{n + 1}"], len)
        assert len(memo) <= 100


def test_a_key_read_between_turnovers_is_never_computed_again():
    calls: Counter[str] = Counter()

    def reading(token: str) -> int:
        calls[token] += 1
        return len(token)

    memo: BoundedMemo[str, int] = BoundedMemo(10)
    for n in range(500):
        assert memo.lookup_many(["بغداد", f"كلمة{n}"], reading) == [5, len(f"كلمة{n}")]
    assert calls["بغداد"] == 1
    assert len(memo) <= 10


def test_threads_reading_the_same_tokens_get_the_same_values_and_each_is_computed_once():
    calls: Counter[str] = Counter()
    words = [f"{t}{n}" for n in range(200) for t in TOKENS]

    def reading(token: str) -> tuple[str, int]:
        calls[token] += 1
        return token, len(token)

    memo: BoundedMemo[str, tuple[str, int]] = BoundedMemo(10_000)
    start = threading.Barrier(8)

    def work(k: int) -> list[tuple[str, int]]:
        start.wait()
        return [v for i in range(0, len(words), 7) for v in memo.lookup_many(words[i + k % 3 : i + 7], reading)]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    for k, result in enumerate(results):
        expected = [(w, len(w)) for i in range(0, len(words), 7) for w in words[i + k % 3 : i + 7]]
        assert result == expected
    assert set(calls.values()) == {1}


def test_the_memo_refuses_a_size_it_cannot_split():
    with pytest.raises(ValueError, match="at least 2"):
        BoundedMemo(1)


def test_a_loader_called_by_eight_threads_at_once_builds_once():
    builds: list[int] = []

    @load_once
    def slow_resource() -> dict[str, int]:
        builds.append(1)
        time.sleep(0.05)
        return {"بغداد": 1}

    start = threading.Barrier(8)

    def call(_: int) -> dict[str, int]:
        start.wait()
        return slow_resource()

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(call, range(8)))
    assert builds == [1]
    assert all(g is got[0] for g in got)
    assert slow_resource.cache_info().misses == 1
    slow_resource.cache_clear()
    assert slow_resource() == {"بغداد": 1} and builds == [1, 1]


def test_a_loader_that_fails_is_tried_again():
    attempts: list[int] = []

    @load_once
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk not mounted yet")
        return "ok"

    with pytest.raises(OSError):
        flaky()
    assert flaky() == "ok" and flaky() == "ok"
    assert len(attempts) == 2


@pytest.mark.parametrize(
    "resource",
    [
        loader.default_lexicon,
        gazetteer.load_gazetteer,
        dates.date_lexicon,
        quantities.number_lexicon,
        quantities.cue_lexicon,
        export._countries,
        worldmap.world_geojson,
    ],
    ids=lambda r: r.__name__,
)
def test_every_shared_resource_loader_builds_once_under_threads(resource: LoadOnce[object]):
    assert isinstance(resource, LoadOnce)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: resource(), range(8)))
    assert all(g is got[0] for g in got)
