"""Stage 1 of the Spark job in Arrow batches: records in, the three tables' rows out, no Python rows.

`mapInArrow` hands each Python worker the input as Arrow record batches (`_file`, `seq` and either
the JSONL line `value` or the Parquet record's columns) and takes back Arrow batches of one wide
"tagged" schema: `kind` ("m" mention, "a" article, "e" error) and the columns of the three tables,
prefixed `m_`, `a_` and `e_`, the ones of the other kinds null. The JVM then caches that DataFrame,
splits it by `kind` and writes the tables without a row ever going through Py4J or pickle.
The rows themselves are `marsad.spark.records.code_record`'s, so both paths agree by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from marsad.spark.records import ARTICLE_COLUMNS, ERROR_COLUMNS, MENTION_COLUMNS, Coder, code_record

__all__ = ["BATCH_ROWS", "KINDS", "TAGGED_COLUMNS", "code_batches", "kind_columns", "tagged_schema"]

BATCH_ROWS = 256  # input records per output batch: bounds a worker's memory whatever Spark sends
KINDS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("m", "mentions", MENTION_COLUMNS),
    ("a", "articles", ARTICLE_COLUMNS),
    ("e", "errors", ERROR_COLUMNS),
)
TAGGED_COLUMNS: tuple[tuple[str, str], ...] = (("kind", "string"),) + tuple(
    (f"{kind}_{name}", type_) for kind, _, columns in KINDS for name, type_ in columns
)


def kind_columns(kind: str) -> list[tuple[str, str]]:
    """(tagged column, table column) of one kind's table: `m_seq` → `seq` ..."""
    columns = next(columns for k, _, columns in KINDS if k == kind)
    return [(f"{kind}_{name}", name) for name, _ in columns]


def _arrow_type(spark_type: str) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    simple = {"bigint": pa.int64(), "int": pa.int32(), "string": pa.string(), "boolean": pa.bool_(),
              "double": pa.float64(), "array<string>": pa.list_(pa.string())}  # fmt: skip
    return simple[spark_type]


def tagged_schema() -> Any:
    """The Arrow schema of the batches `code_batches` yields (nullable throughout, like Spark's)."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(type_)) for name, type_ in TAGGED_COLUMNS])


def _payloads(batch: Any) -> Iterator[tuple[int, str, str | dict[str, Any]]]:
    """(seq, file, payload) of each input row: the JSONL line, or the Parquet record as a dict."""
    columns = batch.to_pydict()
    seqs, files = columns.pop("seq"), columns.pop("_file")
    if "value" in columns:
        yield from zip(seqs, files, columns["value"], strict=True)
        return
    names = list(columns)
    for n, (seq, file) in enumerate(zip(seqs, files, strict=True)):
        yield seq, file, {name: columns[name][n] for name in names}


def _tagged_rows(records: Iterable[tuple[int, str, str | dict[str, Any]]], coder: Coder) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for seq, file, payload in records:
        coded = code_record(seq, file, payload, coder)
        rows.extend(("m", row) for row in coded.mentions)
        if coded.article is not None:
            rows.append(("a", coded.article))
        if coded.error is not None:
            rows.append(("e", coded.error))
    return rows


def _to_batch(rows: Sequence[tuple[str, Any]], schema: Any) -> Any:
    """One Arrow batch of tagged rows: column lists filled per kind, None elsewhere."""
    import pyarrow as pa

    data: dict[str, list[Any]] = {name: [None] * len(rows) for name, _ in TAGGED_COLUMNS}
    data["kind"] = [kind for kind, _ in rows]
    names = {kind: [f"{kind}_{name}" for name, _ in columns] for kind, _, columns in KINDS}
    for n, (kind, row) in enumerate(rows):
        for name, value in zip(names[kind], row, strict=True):
            data[name][n] = value
    return pa.RecordBatch.from_arrays([pa.array(data[f.name], type=f.type) for f in schema], schema=schema)


def code_batches(batches: Iterable[Any], coder: Coder) -> Iterator[Any]:
    """The `mapInArrow` function: input batches → tagged batches (resources load once per worker)."""
    from marsad.lexicon.loader import default_lexicon

    default_lexicon()
    schema = tagged_schema()
    for batch in batches:
        for start in range(0, batch.num_rows, BATCH_ROWS):
            rows = _tagged_rows(_payloads(batch.slice(start, BATCH_ROWS)), coder)
            if rows:
                yield _to_batch(rows, schema)
