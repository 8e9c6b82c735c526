"""The scorer on a tiny gold set in GSR format (sentences we wrote)."""

import csv
import json

from marsad.evaluate import evaluate_dir, gold_arguments, locate_tokens, score_arguments, total_arguments
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


def test_scores_detection(tmp_path):
    write_gold(tmp_path)
    result = evaluate_dir(tmp_path, lambda text: code_text(text))
    protest = result["detection"]["PROTEST"]
    assert (protest["tp"], protest["fp"], protest["fn"], protest["tn"]) == (1, 0, 0, 2)
    assault = result["detection"]["ASSAULT"]
    assert (assault["tp"], assault["fp"], assault["fn"], assault["tn"]) == (1, 0, 0, 1)


def _span_record(text, event_type, main, role, source=(), target=()):
    return {"text": text, "event_type": event_type,
            "spans": [{"source_actor": list(source), "target_actor": list(target), "verb": [],
                       "source_role": {"main": main, "role": role}, "target_role": {}}]}  # fmt: skip


def test_a_coder_that_never_names_a_source_scores_zero(tmp_path):
    """The issue's complaint about the old metric: a silent coder scored ~0.85. Strictly, a source
    country is right only when an event of the type has that country."""
    records = [_span_record("تظاهر مئات الطلاب الإيرانيين أمام السفارة.", "PROTEST", "IRN", "CVL", ["الطلاب", "الإيرانيين"]),
               _span_record("أطلق مسلحون النار على حافلة.", "ASSAULT", "None", "UAF", ["مسلحون"], ["حافلة"])]  # fmt: skip
    coded = [(gold_arguments(r, str(n)), []) for n, r in enumerate(records)]
    figures = total_arguments(score_arguments(coded))
    assert figures["ALL"]["source_country"] == {"n": 1, "right": 0, "accuracy": 0.0, "no_event": 1}
    assert figures["ALL"]["source_role"]["accuracy"] == 0.0
    assert figures["ALL"]["source_span"]["recall"] == 0.0


def test_strict_arguments_of_the_real_coder(tmp_path):
    records = [_span_record("تظاهر مئات الطلاب الإيرانيين أمام السفارة.", "PROTEST", "IRN", "CVL", ["الطلاب", "الإيرانيين"]),
               _span_record("أطلق مسلحون النار على حافلة.", "ASSAULT", "None", "UAF", ["مسلحون"], ["حافلة"])]  # fmt: skip
    (tmp_path / "x_gsr.csv").write_text("id,event_type,label,accept,reject,total,text\n", encoding="utf-8")
    figures = total_arguments(score_arguments((gold_arguments(r, str(n)), code_text(r["text"]))
                                              for n, r in enumerate(records)))  # fmt: skip
    protest, assault = figures["PROTEST"], figures["ASSAULT"]
    assert protest["source_country"]["right"] == 1
    assert assault["source_country"]["n"] == 0  # "None" is no country: not in the denominator
    assert assault["source_role"]["right"] == 1
    assert assault["source_span"]["f1"] == 1.0


def test_gold_majority_and_spans():
    text = "هاجم مسلحون مجهولون دورية للشرطة."
    record = {"text": text, "event_type": "ASSAULT", "spans": [
        {"source_actor": ["مسلحون", "مجهولون"], "target_actor": ["دورية"], "source_role": {"main": "IRQ", "role": "UAF"}},
        {"source_actor": ["مسلحون"], "target_actor": [], "source_role": {"main": "IRQ", "role": "REB"}},
        {"source_actor": [], "target_actor": [], "source_role": {"main": "None", "role": "UAF"}}]}  # fmt: skip
    gold = gold_arguments(record, "r")
    assert gold.country == "IRQ" and gold.role == "UAF"
    assert gold.has_source and not gold.has_target
    assert [text[a:b] for a, b in gold.source_spans] == ["مسلحون", "مسلحون مجهولون"]
    assert locate_tokens(text, ["غير", "موجود"]) is None


def test_not_a_country_is_left_out():
    for code in ("IGO", "NGO", "IMG", "None", "UNKNOWN"):
        assert gold_arguments(_span_record("نص", "PROTEST", code, "CVL"), "r").country is None


def test_a_missed_event_counts_against_argument_accuracy(tmp_path):
    (tmp_path / "x_gsr.csv").write_text(
        "id,event_type,label,accept,reject,total,text\n1,PROTEST,yes,1,0,1,كلام عادي\n", encoding="utf-8"
    )
    (tmp_path / "x_spans.json").write_text(json.dumps([_span_record("كلام عادي", "PROTEST", "EGY", "CVL", ["كلام"])]),
                                           encoding="utf-8")  # fmt: skip
    result = evaluate_dir(tmp_path, lambda text: code_text(text))
    assert result["detection"]["PROTEST"]["fn"] == 1
    assert result["arguments"]["PROTEST"]["source_country"]["accuracy"] == 0.0
    assert result["arguments"]["PROTEST"]["source_span"]["recall"] == 0.0
