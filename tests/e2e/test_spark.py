"""The Spark job in local mode: the same mentions as the single-process coder, bad records in errors/,
resources loaded once per worker, dedup equal to `dedup.cluster`, and `ingest-events` equal to `ingest`."""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import marsad
from marsad import cli
from marsad.errors import UsageError
from marsad.spark import arrow, commands, job
from marsad.spark.blocks import block_labels, link_blocks, link_signature, mention_point
from marsad.spark.records import code_record
from marsad.store.dedup import cluster, mention_key

SAMPLES = sorted(Path(cli.samples_dir()).glob("*.txt"))
CITIES = ["بغداد", "البصرة", "القاهرة", "عمان", "بيروت", "دمشق", "صنعاء", "الخرطوم", "تونس", "الرباط"]
REPORTS = [
    "{city} - تظاهر مئات الطلاب أمام مبنى البرلمان احتجاجا على ارتفاع الأسعار.",
    "{city} - اعتقلت قوات الأمن خمسة ناشطين خلال احتجاج في وسط المدينة.",
    "{city} - قصفت طائرات حربية مواقع في أطراف المدينة، ما أدى إلى مقتل ثلاثة أشخاص.",
    "{city} - أضرب عمال النفط عن العمل للمطالبة بزيادة الأجور.",
    "{city} - نظم المعلمون وقفة احتجاجية أمام وزارة التربية.",
    "{city} - اختطف مسلحون مجهولون موظفا في منظمة إغاثة.",
]
BOOM = "BOOM-MARKER"
BAD_LINES = [
    '{"id": "broken-json", "text": "تظاهر',
    '{"id": "no-text", "date": "2024-01-05"}',
    '{"id": "numeric-text", "text": 42}',
    '{"id": "bad-date", "text": "تظاهر مئات الطلاب أمام الوزارة.", "date": "soon"}',
    json.dumps({"id": "coder-raises", "text": f"تظاهر مئات الطلاب. {BOOM}", "date": "2024-01-09"}),
]


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and Path(home, "bin", "java").exists()))


needs_spark = pytest.mark.skipif(
    not job.pyspark_available() or not _java(),
    reason="needs pyspark (pip install pyspark, see requirements-dev.txt) and a Java 17 runtime",
)


def good_records():
    """The samples plus 300 synthetic reports from five outlets, in date order."""
    rng = random.Random(6)
    records = [
        {"id": p.stem, "text": p.read_text(encoding="utf-8"), "date": f"2023-12-{i % 28 + 1:02d}", "source": "samples"}
        for i, p in enumerate(SAMPLES)
    ]
    for n in range(300):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(21))
        text = rng.choice(REPORTS).format(city=rng.choice(CITIES)) + f"\nالنشرة {n} من المراسل {n % 5}."
        records.append({"id": f"syn-{n:03d}", "text": text, "date": day.isoformat(), "source": f"outlet{n % 5}"})
    return sorted(records, key=lambda r: r["date"])


def table(path):
    import pyarrow.dataset as ds

    return ds.dataset(str(path), format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.fixture(scope="module")
def spark():
    if not job.pyspark_available() or not _java():
        pytest.skip("needs pyspark and a Java 17 runtime")
    session = job.spark_session(
        "local[2]",
        app_name="marsad-tests",
        conf={
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "4",
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark")
    records = good_records()
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for k, bad in enumerate(BAD_LINES):
        lines.insert(40 * k + 7, bad)
    (root / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root, records


@pytest.fixture(scope="module")
def output(spark, corpus):
    root, _ = corpus

    def exploding_coder(text, *, article_id=None, date=None):
        """marsad.code, raising on a marked record (nested, so Spark ships it by value)."""
        if BOOM in text:
            raise RuntimeError("coder bug on purpose")
        return marsad.code(text, article_id=article_id, date=date)

    report = job.run_job(spark, str(root / "corpus.jsonl"), str(root / "out"), coder=exploding_coder)
    return root / "out", report


@needs_spark
def test_same_mentions_as_the_single_process_coder(output, corpus):
    out, report = output
    _, records = corpus

    def identity(e):
        ev = e["evidence"]
        return e["article_id"], e["event_type"], e["mode"], ev["start"], ev["end"], ev["trigger"]

    expected = {
        identity(e.to_dict()) for r in records for e in marsad.code(r["text"], article_id=r["id"], date=r["date"])
    }
    got = {identity(json.loads(row["record"])) for row in table(out / "mentions")}
    assert got == expected
    assert report.mentions == len(table(out / "mentions")) and report.articles == len(records) + 2
    articles = {row["id"]: row for row in table(out / "articles")}
    assert articles["homs_car_bomb"]["ok"] and articles["homs_car_bomb"]["date"] == "2023-12-12"
    assert articles["coder-raises"]["ok"] is False and articles["coder-raises"]["n_events"] == 0


@needs_spark
def test_bad_records_land_in_errors_with_id_and_reason(output):
    out, report = output
    errors = {row["id"]: row["reason"] for row in table(out / "errors")}
    assert report.failed == 5
    assert set(errors) == {"broken-json", "no-text", "numeric-text", "bad-date", "coder-raises"}
    assert "invalid JSON" in errors["broken-json"]
    assert 'has no "text" string' in errors["no-text"] and 'has no "text" string' in errors["numeric-text"]
    assert (
        errors["bad-date"].startswith("coding failed: InputError:") and "unreadable date 'soon'" in errors["bad-date"]
    )
    assert errors["coder-raises"] == "coding failed: RuntimeError: coder bug on purpose"


@needs_spark
def test_dedup_stage_equals_cluster_on_the_same_mentions(output):
    out, report = output
    factual = [r for r in table(out / "mentions") if not (r["negated"] or r["hypothetical"])]
    keys = [mention_key(json.loads(r["record"]), r["mention_id"], r["outlet"]) for r in factual]
    expected = {frozenset(ids) for ids in cluster(keys)}
    events = table(out / "events")
    assert {frozenset(e["mention_ids"]) for e in events} == expected
    assert report.events == len(events) < len(factual) and report.cuts == 0
    merged = [e for e in events if e["source_count"] > 1]
    assert merged and all(e["event_id"] == min(e["mention_ids"]) for e in events)


@needs_spark
def test_resources_load_once_per_python_worker(spark):
    import pyarrow as pa

    sample = json.dumps({"id": "p", "text": SAMPLES[0].read_text(encoding="utf-8"), "date": "2024-01-02"})
    frame = spark.createDataFrame(
        [("probe", seq, sample) for seq in range(16)], "_file string, seq bigint, value string"
    )

    def probe(batches):
        rows = sum(batch.num_rows for batch in arrow.code_batches(batches, job._default_coder))
        pid, lexicons, gazetteers = job.worker_loads()
        yield pa.RecordBatch.from_pydict({"rows": [rows], "pid": [pid], "lex": [lexicons], "gaz": [gazetteers]})

    stats = frame.repartition(8).mapInArrow(probe, "rows bigint, pid bigint, lex bigint, gaz bigint").collect()
    assert len(stats) == 8 and all(rows > 0 for rows, *_ in stats)
    assert {(lexicons, gazetteers) for _, _, lexicons, gazetteers in stats} == {(1, 1)}
    assert len({pid for _, pid, _, _ in stats}) < len(stats)  # workers are reused across partitions


def test_a_tagged_batch_holds_each_kind_in_its_own_columns():
    import pyarrow as pa

    good = json.dumps({"id": "g", "text": "تظاهر مئات الطلاب أمام وزارة التربية في بغداد.", "date": "2024-01-02"},
                      ensure_ascii=False)  # fmt: skip
    batch = pa.RecordBatch.from_pydict({"_file": ["f.jsonl"] * 3, "seq": [0, 1, 2], "value": [good, "{", ""]})
    (out,) = arrow.code_batches([batch], job._default_coder)
    rows = out.to_pylist()
    assert [r["kind"] for r in rows] == ["m", "a", "e"]
    assert rows[0]["m_article_id"] == "g" and rows[0]["m_event_type"] == "PROTEST" and rows[0]["a_id"] is None
    assert rows[1]["a_id"] == "g" and rows[1]["a_n_events"] == 1 and rows[1]["m_record"] is None
    assert rows[2]["e_seq"] == 1 and rows[2]["e_reason"].startswith("f.jsonl#1: invalid JSON")
    assert out.schema == arrow.tagged_schema()


@needs_spark
def test_parquet_input_codes_like_jsonl(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = good_records()[:12]
    pq.write_table(
        pa.table(
            {
                "id": [r["id"] for r in records],
                "text": [r["text"] for r in records],
                "date": [dt.date.fromisoformat(r["date"]) for r in records],  # a Parquet date column
            }
        ),
        tmp_path / "in.parquet",
    )
    report = job.run_job(spark, str(tmp_path / "in.parquet"), str(tmp_path / "out"))
    expected = sum(len(marsad.code(r["text"], article_id=r["id"], date=r["date"])) for r in records)
    assert (report.articles, report.failed, report.mentions) == (12, 0, expected)


@needs_spark
def test_ingest_events_stores_what_marsad_ingest_stores(output, corpus, tmp_path, capsys):
    out, _ = output
    root, _ = corpus
    spark_db, plain_db = tmp_path / "spark.db", tmp_path / "plain.db"
    parser = argparse.ArgumentParser()
    commands.add_commands(parser.add_subparsers())
    args = parser.parse_args(["ingest-events", str(out), "--db", str(spark_db), "--json"])
    assert args.func(args) == 1  # the five bad records are reported as failed
    report = json.loads(capsys.readouterr().out)
    assert (report["stored"], len(report["failed"])) == (len(good_records()), 5)
    plain = root / "plain.jsonl"
    plain.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in good_records()), encoding="utf-8")
    assert cli.main(["ingest", str(plain), "--db", str(plain_db)]) == 0

    def counts(db):
        with sqlite3.connect(db) as conn:
            return [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("articles", "mentions", "events")]

    assert counts(spark_db) == counts(plain_db)


def test_spark_code_without_pyspark_says_how_to_install(monkeypatch):
    monkeypatch.setattr(job, "pyspark_available", lambda: False)
    parser = argparse.ArgumentParser()
    commands.add_commands(parser.add_subparsers())
    args = parser.parse_args(["spark-code", "in.jsonl", "out"])
    with pytest.raises(UsageError, match=r"pip install 'marsad\[spark\]'"):
        args.func(args)


def test_a_local_driver_jvm_gets_the_quick_flags_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("MARSAD_SPARK_DRIVER_JAVA", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    key = "spark.driver.extraJavaOptions"
    assert job.local_conf("local[2]")[key] == job.LOCAL_DRIVER_JAVA
    assert key not in job.local_conf("spark://127.0.0.1:7077")
    assert key not in job.local_conf(None)
    assert job.local_conf("local[1]", {key: "-Xmx2g", "x": "y"}) == {key: "-Xmx2g", "x": "y"}
    monkeypatch.setenv("MARSAD_SPARK_DRIVER_JAVA", "")
    assert key not in job.local_conf("local[1]")
    monkeypatch.setenv("MARSAD_SPARK_DRIVER_JAVA", "-XX:+UseParallelGC")
    assert job.local_conf("local[1]")[key] == "-XX:+UseParallelGC"
    monkeypatch.setenv("PYSPARK_GATEWAY_PORT", "4040")  # under spark-submit the JVM already runs
    assert key not in job.local_conf("local[1]")


def test_an_unlocated_mention_links_the_blocks_it_could_join():
    base = {"event_type": "ACCUSE", "mode": "disapprove", "date": "2024-03-02", "time_precision": 1}
    actors = {"source": {"role": "GOV"}, "target": {"country": "ESP"}}
    located = mention_key({**base, **actors, "location": {"country_iso3": "DZA", "geonameid": 1}}, 1)
    unlocated = mention_key({**base, **actors, "mode": "allege"}, 2)
    elsewhere = mention_key({**base, **actors, "location": {"country_iso3": "MAR", "geonameid": 2}}, 3)
    far = mention_key({**base, **actors, "date": "2024-03-09", "location": {"country_iso3": "DZA", "geonameid": 1}}, 4)
    keys = [located, unlocated, elsewhere, far]
    runs, cuts = block_labels(dict(mention_point(k) for k in keys))
    merged = link_blocks(runs, [s for s in map(link_signature, keys) if s])
    label = {k.mention_id: merged.get(runs[mention_point(k)[0]], runs[mention_point(k)[0]]) for k in keys}
    assert cuts == 0 and label[1] == label[2] == label[3] != label[4]
    assert label[1] == "ACCUSE|-|2024-03-02..2024-03-02+2" and label[4] == "ACCUSE|DZA|2024-03-09..2024-03-09"


def test_blocks_follow_the_windows_and_long_runs_are_cut():
    def point(day, precision):
        return mention_point(mention_key({"event_type": "PROTEST", "date": day, "time_precision": precision}, 0))

    week = dict([point("2024-01-01", 2), point("2024-01-08", 2), point("2024-01-10", 1), point("2024-01-20", 1)])
    labels, cuts = block_labels(week)
    assert sorted(set(labels.values())) == ["PROTEST|-|2024-01-01..2024-01-10", "PROTEST|-|2024-01-20..2024-01-20"]
    daily = dict(point((dt.date(2024, 1, 1) + dt.timedelta(days=d)).isoformat(), 1) for d in range(10))
    labels, cuts = block_labels(daily, max_days=4)
    assert cuts == 1 and len(set(labels.values())) == 2


def test_a_record_never_raises_out_of_code_record():
    def boom(text, **_):
        raise ValueError("no")

    coded = code_record(3, "f.jsonl", '{"id": "x", "text": "نص"}', boom)
    assert coded.error == (3, "x", "f.jsonl", "coding failed: ValueError: no", "unknown")
    assert coded.article is not None and coded.article[2] is False
    assert code_record(4, "f.jsonl", "[1, 2]", boom).error[3] == "f.jsonl#4: a record must be a JSON object"


def _free_ports(n: int) -> list[int]:
    """`n` distinct free ports: the probes are held open together, so no two calls can be handed the
    same port (a worker's UI on the master's UI port made the status page HTML, not JSON)."""
    import socket
    from contextlib import ExitStack

    with ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(n)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def _spark_bin(name):
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / name


def _alive_workers(ui_port):
    """How many workers the master's status page lists as alive (0 while it starts)."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=2) as page:
            return int(json.load(page).get("aliveworkers", 0))
    except (OSError, ValueError):  # not up yet, or another page answered on the port: keep waiting
        return 0


class StandaloneCluster:
    """A Spark standalone master and two one-core workers on 127.0.0.1, from the pyspark distribution."""

    def __init__(self, root):
        self.root = root
        self.port, self.ui_port, *self.worker_ui_ports = _free_ports(4)
        self.url = f"spark://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {
            "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOG_DIR": str(root / "logs"), "PYSPARK_PYTHON": sys.executable}  # fmt: skip
        self.processes = []

    def _start(self, *args):
        log = (self.root / f"daemon-{len(self.processes)}.log").open("wb")
        self.processes.append(subprocess.Popen([str(_spark_bin("spark-class")), *args], env=self.env, stdout=log,
                                               stderr=subprocess.STDOUT))  # fmt: skip

    def __enter__(self):
        self._start("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(self.port),
                    "--webui-port", str(self.ui_port))  # fmt: skip
        for n in range(2):
            work = self.root / f"worker{n}"
            work.mkdir()
            self._start("org.apache.spark.deploy.worker.Worker", self.url, "--host", "127.0.0.1", "--cores", "1",
                        "--memory", "1g", "--webui-port", str(self.worker_ui_ports[n]), "--work-dir", str(work))  # fmt: skip
        deadline = time.monotonic() + 90
        try:
            while _alive_workers(self.ui_port) < 2:
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                    raise RuntimeError(f"the cluster did not start; logs in {self.root}")
                time.sleep(0.5)
        except BaseException:
            self.__exit__(None, None, None)  # never leave daemons behind, whatever went wrong
            raise
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):  # workers first: each stops its executors
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ship_marsad(target: Path) -> Path:
    """The marsad package being tested as a zip (code and data files), for --archives."""
    package = Path(marsad.__file__).parent
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(package.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                zf.write(file, Path("marsad") / file.relative_to(package))
    return target


@needs_spark
def test_job_submitted_to_a_standalone_cluster_finds_the_same_events(tmp_path):
    """docs/spark.md's cluster recipe, run: spark-submit to a master and two workers, marsad shipped as
    a zip that each executor unpacks; the mentions equal the single-process coder's."""
    records = good_records()[::4]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                           encoding="utf-8")  # fmt: skip
    shipped = ship_marsad(tmp_path / "marsad.zip")
    with StandaloneCluster(tmp_path) as cluster:
        submit = subprocess.run(
            [str(_spark_bin("spark-submit")), "--master", cluster.url, "--conf", "spark.ui.enabled=false",
             "--archives", f"{shipped}#marsad_pkg", "--conf", "spark.executorEnv.PYTHONPATH=marsad_pkg",
             "--conf", f"spark.executorEnv.MARSAD_CACHE={tmp_path / 'cache'}", "--executor-memory", "900m",
             str(Path(job.__file__)), str(tmp_path / "corpus.jsonl"), str(tmp_path / "out"), "--partitions", "4"],
            env=cluster.env | {"PYTHONPATH": str(Path(marsad.__file__).parents[1])},
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    assert submit.returncode == 0, submit.stderr[-3000:]
    report = json.loads(submit.stdout.strip().splitlines()[-1])
    expected = {
        (r["id"], e.evidence.start, e.event_type, e.mode)
        for r in records
        for e in marsad.code(r["text"], article_id=r["id"], date=r["date"])
    }
    got = {
        (m["article_id"], m["sentence_start"], m["event_type"], m["mode"]) for m in table(tmp_path / "out" / "mentions")
    }
    assert got == expected
    assert (report["articles"], report["failed"], report["partitions"]) == (len(records), 0, 4)
