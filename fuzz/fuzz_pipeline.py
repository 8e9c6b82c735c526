"""Coverage-guided fuzzing (atheris) of the text pipeline: bytes → text → normalise/segment/code.

Each input is tried three ways: decoded as UTF-8 with errors="replace"; as a JSONL line through
the reader (`marsad.io.readers.read_jsonl`), whose articles are coded with their own date; and
wrapped into a valid JSONL record. Every coded record must satisfy the invariants of
tests/unit/test_properties.py (`check_pipeline`): no exception, every offset inside the text and
slicing exactly to the emitted text, the same output twice. A violation raises and atheris keeps
the input as a crash file.

    make fuzz                                   # FUZZ_SECONDS (default 120) with fuzz/corpus/
    python fuzz/fuzz_pipeline.py WORK_DIR fuzz/corpus -dict=fuzz/pipeline.dict -max_total_time=600 -max_len=4096
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import atheris  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["marsad"]):
    import marsad.pipeline  # noqa: F401 - instrumented before use
    from marsad.errors import InputError
    from marsad.io.readers import read_jsonl
    from marsad.model import Article
    from marsad.store.store import content_hash
    from tests.unit.test_properties import check_pipeline


def _check_article(article: Article) -> None:
    try:
        check_pipeline(article.text, date=article.date)
    except InputError:
        return  # an unreadable record date is refused with a clear error, by design
    content_hash(article.text)  # what the store computes first: the text must encode as UTF-8


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    check_pipeline(text)
    for item in read_jsonl([data], "fuzz.jsonl"):
        if isinstance(item, Article):
            _check_article(item)
    record = json.dumps({"id": "fuzz", "text": text}, ensure_ascii=False).encode("utf-8")
    for item in read_jsonl([record], "fuzz.jsonl"):
        assert isinstance(item, Article), item
        _check_article(item)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
