"""kill -9 at several seeded points of `marsad ingest` and `marsad recode`, then a rerun.

After every kill the store must already be consistent (one transaction per article), and after
the rerun it must hold exactly what an uninterrupted run stores: every article once, the same
mentions and the same deduplicated events.
"""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from marsad import cli

N_ARTICLES = 300
KILLS = 5
SEED = 20240307
# Runs the CLI in a child process; argv[1] is the lexicon version to pretend ("-" = the real one),
# the way tests/e2e/test_store_cli.py::test_recode_after_a_lexicon_change_keeps_articles does in-process.
RUNNER = """
import sys
import marsad.store.commands as commands
from marsad import cli
if sys.argv[1] != "-":
    commands.lexicon_version = lambda: sys.argv[1]
sys.exit(cli.main(sys.argv[2:]))
"""
TEMPLATES = (
    "تظاهر {n} من {who} أمام مبنى {building} في {city} يوم {day} {month} احتجاجا على {cause}.",
    "اعتقلت الشرطة {k} من {who} خلال احتجاج في {city} يوم {day} {month}. وقال شهود إن المحتجين هتفوا ضد الحكومة.",
    "أضرب {who} في {city} عن العمل يوم {day} {month} للمطالبة بزيادة الأجور.",
    "قتل {k} أشخاص وأصيب {n} آخرون في انفجار سيارة مفخخة في {city} يوم {day} {month}.",
    "لم يتظاهر {who} في {city} يوم {day} {month} رغم دعوات النقابة.",
    "دعت النقابة {who} إلى الإضراب في {city} الأسبوع المقبل.",
    "أطلقت قوات الأمن الغاز المسيل للدموع على المحتجين في {city} يوم {day} {month}، وأصيب {k} منهم.",
)
WHO = ("الطلاب", "العمال", "المعلمين", "الأطباء", "سائقي الأجرة")
CITIES = ("عمان", "القاهرة", "بغداد", "تونس", "الرباط", "بيروت", "الخرطوم", "البصرة")
BUILDINGS = ("البلدية", "البرلمان", "الوزارة")
CAUSES = ("رفع أسعار الخبز", "البطالة", "انقطاع الكهرباء")
OUTLETS = ("alghad", "alahram", "alsumaria", "assabah", "hespress")


def synthetic_articles(n: int, *, seed: int = SEED, prefix: str = "c") -> list[dict[str, str]]:
    """`n` short Arabic reports from the templates (protests, arrests, strikes, bombings, a negated and a
    called-for protest) on few cities and days, so several outlets report the same event and dedup merges."""
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        text = TEMPLATES[i % len(TEMPLATES)].format(
            n=rng.choice(["مئات", "عشرات", "ألف", str(rng.randint(20, 900))]), who=rng.choice(WHO),
            building=rng.choice(BUILDINGS), city=rng.choice(CITIES), day=rng.randint(1, 6),
            month=rng.choice(("مارس", "أبريل")), cause=rng.choice(CAUSES), k=rng.randint(2, 9),
        )  # fmt: skip
        articles.append({"id": f"{prefix}{i:04d}", "text": f"{text}\n(تقرير رقم {i})", "date": "2024-04-30",
                         "source": OUTLETS[i % len(OUTLETS)]})  # fmt: skip
    return articles


def write_jsonl(path: Path, articles: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def start(argv: list[str], *, version: str = "-", stdout: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    """`marsad ARGV` in a child process (stderr piped), pretending lexicon `version` unless it is "-"."""
    return subprocess.Popen([sys.executable, "-c", RUNNER, version, *argv], stdout=stdout, stderr=subprocess.PIPE)


def scalar(db: Path, sql: str, params: tuple[str, ...] = ()) -> int:
    """One number read from the store while a writer may hold it (0 before the schema exists)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return int(conn.execute(sql, params).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def kill_points(total: int, kills: int, rng: random.Random) -> list[int]:
    """One progress count per equal slice of the run, chosen at random inside the slice."""
    width = total // (kills + 1)
    return [rng.randint(k * width + 1, (k + 1) * width) for k in range(kills)]


def kill_at(argv: list[str], db: Path, progress_sql: str, target: int, rng: random.Random, version: str) -> int:
    """Start the command, SIGKILL it once `progress_sql` reaches `target` (plus a random few ms): the progress."""
    proc = start(argv, version=version)
    deadline = time.monotonic() + 30
    while scalar(db, progress_sql) < target and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.02))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"the command ended by itself: {proc.stderr and proc.stderr.read()!r}"
    return scalar(db, progress_sql)


def assert_consistent(db: Path, mentions_per_article: dict[str, int]) -> None:
    """The crash-safety invariants: nothing half-written, nothing orphaned, nothing unlinked."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = "SELECT COUNT(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)"
        assert conn.execute(orphans).fetchone() == (0,)
        dangling = (
            "SELECT COUNT(*) FROM mentions WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events)"
        )
        assert conn.execute(dangling).fetchone() == (0,)
        empty = "SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM mentions WHERE event_id IS NOT NULL)"
        assert conn.execute(empty).fetchone() == (0,)
        unlinked = "SELECT COUNT(*) FROM mentions WHERE event_id IS NULL AND NOT negated AND NOT hypothetical"
        assert conn.execute(unlinked).fetchone() == (0,)
        stored = dict(conn.execute("SELECT a.id, COUNT(m.id) FROM articles a LEFT JOIN mentions m "
                                   "ON m.article_id = a.id GROUP BY a.id").fetchall())  # fmt: skip
        assert {aid: mentions_per_article[aid] for aid in stored} == stored, "an article lost some of its mentions"
    finally:
        conn.close()


def snapshot(db: Path) -> dict[str, object]:
    """What the store holds, without row ids or times: articles, mentions by event key, events."""
    conn = sqlite3.connect(db)
    try:
        articles = conn.execute("SELECT id, source, content_hash, lexicon_version FROM articles ORDER BY id").fetchall()
        mentions = conn.execute("SELECT m.article_id, e.event_key, m.record FROM mentions m LEFT JOIN events e "
                                "ON e.id = m.event_id ORDER BY m.article_id, m.id").fetchall()  # fmt: skip
        events = conn.execute("SELECT event_key, family, event_type, mode, date, date_from, date_to, country_iso3, "
                              "source_count, summary FROM events ORDER BY event_key").fetchall()  # fmt: skip
        return {"articles": articles, "mentions": mentions, "events": events}
    finally:
        conn.close()


def mention_counts(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("SELECT article_id, COUNT(*) FROM mentions GROUP BY article_id").fetchall())


def test_corpus_merges_reports_and_has_non_factual_mentions(tmp_path: Path) -> None:
    reference = tmp_path / "ref.db"
    corpus = write_jsonl(tmp_path / "corpus.jsonl", synthetic_articles(60))
    assert cli.main(["ingest", str(corpus), "--db", str(reference), "--no-progress"]) == 0
    with closing(sqlite3.connect(reference)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone() == (60,)
        assert conn.execute("SELECT MAX(source_count) FROM events").fetchone()[0] >= 2
        assert conn.execute("SELECT COUNT(*) FROM mentions WHERE negated").fetchone()[0] >= 1


def test_kill_9_at_random_points_of_ingest_and_recode_then_rerun_equals_a_clean_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", synthetic_articles(N_ARTICLES))
    reference, crashed = tmp_path / "ref.db", tmp_path / "crash.db"
    assert cli.main(["ingest", str(corpus), "--db", str(reference), "--no-progress"]) == 0
    per_article = mention_counts(reference)

    argv = ["ingest", str(corpus), "--db", str(crashed), "--no-progress"]
    reached = [kill_at(argv, crashed, "SELECT COUNT(*) FROM articles", target, rng, "-")
               for target in kill_points(N_ARTICLES, KILLS, rng)]  # fmt: skip
    assert reached == sorted(reached) and 0 < reached[-1] < N_ARTICLES, reached
    assert_consistent(crashed, per_article)
    capsys.readouterr()
    assert cli.main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["stored"], report["skipped"]) == (N_ARTICLES - reached[-1], {"duplicate": reached[-1]})
    assert_consistent(crashed, per_article)
    assert snapshot(crashed) == snapshot(reference)

    recoded = tmp_path / "ref-recoded.db"
    with closing(sqlite3.connect(reference)) as source, closing(sqlite3.connect(recoded)) as copy:
        source.backup(copy)
    monkeypatch.setattr("marsad.store.commands.lexicon_version", lambda: "recode-v2")
    assert cli.main(["recode", "--db", str(recoded)]) == 0
    argv = ["recode", "--db", str(crashed), "--no-progress"]
    done = "SELECT COUNT(*) FROM articles WHERE lexicon_version = 'recode-v2'"
    reached = [kill_at(argv, crashed, done, target, rng, "recode-v2") for target in kill_points(N_ARTICLES, 3, rng)]
    assert 0 < reached[-1] < N_ARTICLES, reached
    assert_consistent(crashed, per_article)
    capsys.readouterr()
    assert cli.main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stored"] == N_ARTICLES - reached[-1]
    assert_consistent(crashed, per_article)
    assert snapshot(crashed) == snapshot(recoded)
