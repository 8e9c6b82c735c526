"""Readers for csv, html and feeds, directory walking and language id (marsad.io.readers)."""

from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.io.readers import BadRecord, CsvColumns, iter_files, language_of, read_path

DATA = Path(__file__).parent / "data"


def test_csv_with_mapped_columns_reads_every_row():
    columns = CsvColumns(text="body", id="story", date="published")
    articles = list(read_path(str(DATA / "articles.csv"), csv_columns=columns))
    assert [(a.id, a.date) for a in articles] == [("khartoum-1", "2024-03-07"), ("tunis-1", "2024-03-08")]
    assert articles[0].text.startswith("قصفت قوات الدعم السريع")


def test_csv_with_wrong_columns_names_them_and_the_header():
    with pytest.raises(InputError, match=r"\[E201\].*no column 'text'.*\['story', 'headline', 'published', 'body'\]"):
        list(read_path(str(DATA / "articles.csv")))


def test_csv_without_id_column_numbers_rows(tmp_path):
    file = tmp_path / "plain.csv"
    file.write_text('text\nتظاهر الطلاب.\n""\n', encoding="utf-8")
    items = list(read_path(str(file)))
    assert items[0].id == "plain:1"
    assert items[1] == BadRecord("plain.csv:row2", "plain:2", "empty text")


def test_html_page_gives_body_title_date_and_canonical_url():
    (article,) = read_path(str(DATA / "page.html"))
    assert article.id == article.url == "https://news.example/libya/tripoli-clashes"
    assert (article.title, article.date) == ("اشتباكات في طرابلس", "2024-03-04")
    assert "اندلعت اشتباكات مسلحة" in article.text and "ثلاثة مدنيين أصيبوا" in article.text
    assert "الرئيسية" not in article.text and "جميع الحقوق" not in article.text


def test_feed_entries_become_articles_and_a_broken_entry_is_reported():
    items = list(read_path(str(DATA / "feed.rss")))
    assert items[1] == BadRecord("feed.rss#entry2", "gulf-2", "entry has no text")
    first, third = items[0], items[2]
    assert (first.id, first.date, first.url) == ("gulf-1", "2024-03-05", "https://gulf.example/rabat")
    assert first.text == "نظم عشرات المعلمين وقفة احتجاجية أمام البرلمان في الرباط للمطالبة بتحسين أجورهم."
    assert third.title == "زيارة وزير"


def test_a_file_that_is_not_a_feed_is_one_bad_record(tmp_path):
    file = tmp_path / "broken.xml"
    file.write_text("هذا ليس ملف XML", encoding="utf-8")
    (bad,) = read_path(str(file))
    assert isinstance(bad, BadRecord) and bad.reason.startswith("not a readable RSS/Atom feed")


def test_a_truncated_feed_reports_its_broken_entry(tmp_path):
    file = tmp_path / "cut.rss"
    file.write_text("<rss><channel><item><title>x</item>", encoding="utf-8")
    assert list(read_path(str(file))) == [BadRecord("cut.rss#entry1", None, "entry has no id or link")]


def test_directories_are_walked_recursively_skipping_hidden_and_unknown_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.jsonl", "a/b/notes.md", ".hidden/x.txt", "a/.y.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([str(tmp_path)])]
    assert found == ["a/b/two.jsonl", "a/one.txt"]


def test_language_of_tells_arabic_from_english():
    assert language_of((DATA / "amman_fuel_protest.txt").read_text(encoding="utf-8")) == "ar"
    assert language_of((DATA / "english.txt").read_text(encoding="utf-8")) == "en"
