"""The scorer on a tiny gold set in GSR format (sentences we wrote)."""

import csv
import json

from marsad.evaluate import evaluate_dir
from marsad.pipeline import code_text

ROWS = [
    ("1", "PROTEST", "yes", "تظاهر مئات الطلاب أمام الوزارة."),
    ("2", "PROTEST", "easy no", "ارتفعت أسعار الخبز في الأسواق."),
    ("3", "PROTEST", "difficult no", "دعت النقابة إلى الإضراب يوم الأحد."),
    ("4", "PROTEST", "ambiguous", "المتظاهرون كانوا هناك."),
    ("5", "ASSAULT", "yes", "أطلق مسلحون النار على حافلة للركاب."),
    ("6", "ASSAULT", "easy no", "شن الفريق هجوما في الشوط الثاني من المباراة."),
]


def write_gold(directory):
    for etype in ("protest", "assault"):
        with open(directory / f"{etype}_gsr.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "event_type", "label", "accept", "reject", "total", "text"])
            for rid, t, label, text in ROWS:
                if t.lower() == etype:
                    writer.writerow([rid, t, label, 1, 0, 1, text])
    spans = [
        {"text": "تظاهر مئات الطلاب الإيرانيين أمام السفارة.", "event_type": "PROTEST",
         "spans": [{"source_role": {"main": "IRN", "role": "CVL"}}]},
        {"text": "أطلق مسلحون النار على حافلة.", "event_type": "ASSAULT",
         "spans": [{"source_role": {"main": "None", "role": "UAF"}}]},
    ]  # fmt: skip
    (directory / "protest_spans.json").write_text(json.dumps(spans), encoding="utf-8")


def test_scores_detection_and_actors(tmp_path):
    write_gold(tmp_path)
    result = evaluate_dir(tmp_path, lambda text: code_text(text))
    protest = result["detection"]["PROTEST"]
    assert (protest["tp"], protest["fp"], protest["fn"], protest["tn"]) == (1, 0, 0, 2)
    assault = result["detection"]["ASSAULT"]
    assert (assault["tp"], assault["fp"], assault["fn"], assault["tn"]) == (1, 0, 0, 1)
    assert result["actors"]["PROTEST"]["source_country_accuracy"] == 1.0
    assert result["actors"]["ASSAULT"]["source_country_accuracy"] == 1.0
    assert result["actors"]["ASSAULT"]["source_role_accuracy"] == 1.0


def test_a_missed_event_counts_against_actor_accuracy(tmp_path):
    (tmp_path / "x_gsr.csv").write_text(
        "id,event_type,label,accept,reject,total,text\n1,PROTEST,yes,1,0,1,كلام عادي\n", encoding="utf-8"
    )
    (tmp_path / "x_spans.json").write_text(json.dumps([{"text": "كلام عادي", "event_type": "PROTEST",
        "spans": [{"source_role": {"main": "None", "role": "CVL"}}]}]), encoding="utf-8")  # fmt: skip
    result = evaluate_dir(tmp_path, lambda text: code_text(text))
    assert result["detection"]["PROTEST"]["fn"] == 1
    assert result["actors"]["PROTEST"]["actor_coverage"] == 0.0
    assert result["actors"]["PROTEST"]["source_country_accuracy"] == 0.0
