"""Reviews as training data: the annotation records they become, and a retrain with them that
changes the model, the same way every time (a tiny synthetic gold and store: seconds, not minutes)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from marsad import cli
from marsad.learn.build import train
from marsad.learn.detector import load
from marsad.learn.reviews import annotation_lines
from marsad.store import EventFilter, open_store
from marsad.store.reviews import ReviewIn

pytest.importorskip("sklearn")
GOLD = [  # (doc, type, label, sentence): invented sentences in the GSR layout
    ("g1", "PROTEST", "yes", "تظاهر مئات العمال أمس أمام مقر الحكومة في عمان للمطالبة برواتبهم."),
    ("g2", "PROTEST", "easy no", "دعت النقابة إلى التظاهر الأسبوع المقبل أمام البرلمان."),
    ("g3", "PROTEST", "yes", "اعتصم عشرات المعلمين أمام وزارة التربية في الرباط يوم الاثنين."),
    ("g4", "PROTEST", "easy no", "لم يتظاهر الطلاب في تونس أمس رغم الدعوات."),
    ("g5", "ASSAULT", "yes", "قتل مسلحون ثلاثة جنود في هجوم على حاجز للجيش شمال بغداد صباح اليوم."),
    ("g6", "ASSAULT", "easy no", "بدأت المحكمة محاكمة المتهمين بتفجير السوق قبل عامين."),
    ("g7", "ASSAULT", "yes", "أطلقت الشرطة الغاز المسيل للدموع على المحتجين في الساحة مساء الجمعة."),
    ("g8", "ASSAULT", "easy no", "أحيا السكان الذكرى العاشرة لمجزرة القرية."),
    ("g9", "PROTEST", "yes", "خرج آلاف المحتجين إلى شوارع الخرطوم أمس مطالبين برحيل الحكومة."),
    ("g10", "PROTEST", "easy no", "قال الوزير إن حق التظاهر مكفول بالقانون."),
    ("g11", "PROTEST", "yes", "نظم الأطباء وقفة احتجاجية أمام المستشفى في بيروت صباح الثلاثاء."),
    ("g12", "PROTEST", "easy no", "تستعد المعارضة لمظاهرات حاشدة الشهر المقبل."),
    ("g13", "ASSAULT", "yes", "قصفت طائرات حربية مواقع للمسلحين قرب الحدود فجر اليوم."),
    ("g14", "ASSAULT", "easy no", "نفى الجيش أن يكون قد استهدف المدنيين في أي وقت."),
    ("g15", "ASSAULT", "yes", "هاجم مسلحون مركزا للشرطة في الموصل ليلة الأحد وقتلوا شرطيين."),
    ("g16", "ASSAULT", "easy no", "حذر التقرير من خطر هجمات محتملة في المنطقة."),
]
TEAM = [
    {"id": "t1", "doc": "d1", "domain": "politics", "text": "تظاهر آلاف السائقين في القاهرة أمس احتجاجا على رفع الأسعار.",
     "events": [{"type": "PROTEST", "mode": "demo", "status": "reported", "trigger": "تظاهر", "source": "آلاف السائقين",
                 "target": None, "class": "plain"}]},
    {"id": "t2", "doc": "d2", "domain": "sports", "text": "فاز الفريق بالمباراة أمس في عمان.", "events": []},
    {"id": "t3", "doc": "d3", "domain": "sports", "text": "سجل اللاعب هدفين في الشوط الثاني من المباراة.", "events": []},
    {"id": "t4", "doc": "d4", "domain": "economy", "text": "ارتفعت أسعار النفط في الأسواق العالمية أمس.", "events": []},
    {"id": "t5", "doc": "d5", "domain": "sports", "text": "تأهل المنتخب إلى نهائي البطولة بعد فوزه على منافسه.",
     "events": []},
    {"id": "t7", "doc": "d7", "domain": "conflict", "text": "قصفت الطائرات مواقع للمسلحين قرب الحدود فجر اليوم.",
     "events": [{"type": "ASSAULT", "mode": "aerial", "status": "reported", "trigger": "قصفت", "source": "الطائرات",
                 "target": "مواقع للمسلحين", "class": "plain"}]},
    {"id": "t8", "doc": "d8", "domain": "politics", "text": "اعتصم المئات أمام البرلمان في بيروت أمس.",
     "events": [{"type": "PROTEST", "mode": "demo", "status": "reported", "trigger": "اعتصم", "source": "المئات",
                 "target": None, "class": "plain"}]},
    {"id": "t6", "doc": "d6", "domain": "economy", "text": "أعلن البنك المركزي خفض سعر الفائدة نصف نقطة.", "events": []},
]  # fmt: skip
ARTICLES = [
    "تظاهر مئات الطلاب أمام مبنى البلدية في عمان يوم 3 مارس احتجاجا على رفع أسعار الخبز.",
    "اعتقلت الشرطة خمسة من العمال خلال احتجاج في بغداد يوم 4 مارس.",
    "أضرب المعلمون في تونس عن العمل يوم 5 مارس للمطالبة بزيادة الأجور.",
    "قتل أربعة أشخاص في انفجار سيارة مفخخة في حلب يوم 2 مارس.",
    "أطلقت قوات الأمن الغاز المسيل للدموع على المحتجين في البصرة يوم 6 مارس.",
    "تظاهر العشرات من المزارعين في الرباط يوم 1 مارس ضد قرار الحكومة.",
]


def write_gold(directory: Path) -> Path:
    directory.mkdir()
    for kind in ("PROTEST", "ASSAULT"):
        with (directory / f"{kind.lower()}_gsr.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "event_type", "label", "accept", "reject", "total", "text"])
            for doc, k, label, text in GOLD:
                if k == kind:
                    writer.writerow(
                        [f"{doc}-0", k, label, 3 if label == "yes" else 0, 0 if label == "yes" else 3, 3, text]
                    )
    return directory


def write_team(directory: Path) -> Path:
    directory.mkdir()
    (directory / "team.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in TEAM), "utf-8")
    return directory


@pytest.fixture
def reviewed_store(tmp_path: Path) -> str:
    """A store of the six articles in which a reviewer confirmed, rejected and corrected events."""
    feed = tmp_path / "articles.jsonl"
    feed.write_text("".join(json.dumps({"id": f"a{n}", "text": t, "date": "2024-03-07", "source": "alghad"},
                                       ensure_ascii=False) + "\n" for n, t in enumerate(ARTICLES)), "utf-8")  # fmt: skip
    db = str(tmp_path / "reviews.db")
    assert cli.main(["ingest", str(feed), "--db", db, "--no-progress"]) == 0
    with open_store(db) as store:
        events = sorted(store.iter_events(EventFilter()), key=lambda e: e["event_id"])
        assert len(events) >= 5
        decisions = [
            ReviewIn("amal", "confirmed"),
            ReviewIn("amal", "rejected", reason="not-reported"),
            ReviewIn(
                "amal", "corrected", changes={"event_type": "PROTEST", "mode": "strike", "source": {"text": "المعلمون"}}
            ),
            ReviewIn("amal", "rejected", reason="duplicate"),  # teaches nothing: left out
            ReviewIn("amal", "rejected", reason="wrong-type"),
        ]
        for event, decision in zip(events, decisions, strict=False):
            if decision.changes.get("event_type") == event["event_type"]:
                decision = ReviewIn("amal", "corrected", changes={"source": {"text": "المعلمون"}})
            store.review(event["event_id"], store.event(event["event_id"])["version"], decision)
    return db


def test_reviews_become_annotation_records_grouped_by_article(reviewed_store: str) -> None:
    records = list(annotation_lines(reviewed_store))
    assert len(records) == 4  # the duplicate teaches nothing
    assert all(set(r) == {"id", "doc", "domain", "text", "reviewer", "events"} for r in records)
    with open_store(reviewed_store) as store:
        for r in records:
            review_id = int(r["id"].removeprefix("review-"))
            (article_id,) = store.db.read("SELECT article_id FROM reviews WHERE id = ?", (review_id,))[0]
            assert r["doc"] == article_id and r["text"] in store.article(article_id)["text"]
    statuses = [[(e["type"], e["status"]) for e in r["events"]] for r in records]
    assert statuses[0][0][1] == "reported" and statuses[1] == [(statuses[1][0][0], "not-reported")]
    corrected = records[2]["events"][0]
    assert (corrected["status"], corrected["source"]) == ("reported", "المعلمون")
    assert statuses[3][0][1] == "not-reported"


def test_a_retrain_with_reviews_changes_the_model_the_same_way_every_time(reviewed_store: str, tmp_path: Path) -> None:
    gold, team = write_gold(tmp_path / "gold"), write_team(tmp_path / "team")

    def weights(name: str, reviews: str | None) -> tuple[np.ndarray, dict]:
        out = tmp_path / f"{name}.npz"
        card = train(gold, team, out, folds=2, cross_validation=False, reviews=reviews)
        return load(out).weights, card

    plain, _ = weights("plain", None)
    first, card = weights("first", reviewed_store)
    again, _ = weights("again", reviewed_store)
    assert np.array_equal(first, again)  # deterministic
    assert not np.array_equal(plain, first)  # the reviews changed the model
    assert (card["reviews"]["sentences"], card["reviews"]["by_label"]) == (4, {"negative": 2, "positive": 2})
    assert card["reviews"]["examples"] >= 4 and "effect" not in card["reviews"]


def test_with_cross_validation_the_card_reports_the_figures_before_and_after(
    reviewed_store: str, tmp_path: Path
) -> None:
    gold, team = write_gold(tmp_path / "gold"), write_team(tmp_path / "team")
    card = train(gold, team, tmp_path / "cv.npz", folds=2, reviews=reviewed_store)
    effect = card["reviews"]["effect"]
    assert {(r["preset"], r["type"]) for r in effect} == {(p, t) for p in card["cv"]["presets"]
                                                         for t in card["cv"]["presets"][p]}  # fmt: skip
    row = effect[0]
    before = card["reviews"]["cv_before"]["presets"][row["preset"]][row["type"]]["f1"]
    assert row["f1_before"] == before and row["f1_change"] == round(row["f1_after"] - before, 3)
