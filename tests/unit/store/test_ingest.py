"""Ingestion on both backends: every format, language skip, idempotent rerun, recode."""

import shutil
from pathlib import Path

from marsad.io.readers import CsvColumns, iter_files, read_path
from marsad.model import Article
from marsad.store import open_store
from marsad.store.ingest import Progress, ingest, recode

DATA = Path(__file__).parent / "data"
COLUMNS = CsvColumns(text="body", id="story", date="published")


def items():
    for file in iter_files([str(DATA)]):
        yield from read_path(str(file), csv_columns=COLUMNS)


def test_ingest_every_format_then_rerun_stores_nothing_twice(store_url):
    with open_store(store_url) as store:
        first = ingest(store, items(), source="fixtures", version="v1")
        assert (first.read, first.stored) == (10, 8)
        assert dict(first.skipped) == {"language:en": 1}
        assert first.failed == [("feed.rss#entry2", "gulf-2", "entry has no text")]
        counts = store.counts()
        again = ingest(store, items(), source="fixtures", version="v1")
        assert (again.stored, dict(again.skipped)) == (0, {"duplicate": 8, "language:en": 1})
        assert store.counts() == counts
        sources = dict(store.db.read("SELECT id, source FROM articles"))
        assert sources["cairo-arrests"] == "almasry" and sources["amman_fuel_protest"] == "fixtures"
        assert counts["mentions"] >= 8 and counts["events"] >= 6


def test_a_coder_error_fails_that_article_only(store_url):
    def coder(article):
        if article.id == "bad":
            raise ValueError("boom")
        return []

    arts = [Article("good", "تظاهر الطلاب في عمان."), Article("bad", "اعتقلت الشرطة ناشطين في القاهرة.")]
    with open_store(store_url) as store:
        report = ingest(store, arts, coder=coder, version="v1")
        assert report.stored == 1
        assert report.failed == [("bad", "bad", "coding failed: ValueError: boom")]


def test_recode_replaces_mentions_and_keeps_articles(store_url):
    with open_store(store_url) as store:
        ingest(store, items(), version="old")
        articles = store.counts()["articles"]
        report = recode(store, coder=lambda article: [], version="new")
        assert (report.read, report.stored, report.failed) == (articles, articles, [])
        assert store.counts() == {"articles": articles, "mentions": 0, "events": 0}
        assert recode(store, version="new").read == 0  # resumable: nothing left at another version


def test_progress_line_shows_rate_and_eta():
    class Tty:
        text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    stream = Tty()
    progress = Progress(4, stream=stream)
    progress.tick()
    progress.close()
    assert "1/4" in stream.text and "/s" in stream.text and "ETA" in stream.text and "[######" in stream.text
    assert "failed" not in stream.text
    unknown = Progress(stream=stream)  # `marsad code` streams: no total, failures counted
    unknown.tick()
    unknown.tick(failed=True)
    unknown.close()
    assert "2 articles" in stream.text and "1 failed" in stream.text


def test_a_copy_with_other_whitespace_is_a_duplicate(tmp_path, store_url):
    shutil.copy(DATA / "amman_fuel_protest.txt", tmp_path / "a.txt")
    text = (DATA / "amman_fuel_protest.txt").read_text(encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "copy", "text": ' + __import__("json").dumps("\n\n" + text + "  ") + "}\n", encoding="utf-8"
    )
    with open_store(store_url) as store:
        report = ingest(store, (a for f in iter_files([str(tmp_path)]) for a in read_path(str(f))), version="v1")
        assert (report.stored, dict(report.skipped)) == (1, {"duplicate": 1})


def test_egyptian_arabic_is_not_skipped_as_a_foreign_language(store_url, monkeypatch):
    monkeypatch.setattr("marsad.store.ingest.language_of", lambda text: "arz")
    with open_store(store_url) as store:
        report = ingest(store, [Article("eg", "الناس اتظاهروا قدام الوزارة امبارح.")], coder=lambda a: [], version="v1")
        assert (report.stored, dict(report.skipped)) == (1, {})
