"""The API tests' small store: six hand-coded articles whose spans are found in their text (so offsets
always slice it), stored through `Store.add_article` on either backend."""

from marsad.model import Article
from marsad.store import open_store

CAIRO = {"name_ar": "القاهرة", "name_en": "Cairo", "geonameid": 360630, "country_iso2": "EG", "country_iso3": "EGY",
         "admin1": "Al Qāhirah", "lat": 30.06, "lon": 31.25, "precision": 1, "feature": "city", "basis": "sentence"}  # fmt: skip
AMMAN = {**CAIRO, "name_ar": "عمان", "name_en": "Amman", "geonameid": 250441, "country_iso2": "JO",
         "country_iso3": "JOR", "admin1": "Amman", "lat": 31.95, "lon": 35.93}  # fmt: skip
BAGHDAD = {**CAIRO, "name_ar": "بغداد", "name_en": "Baghdad", "geonameid": 98182, "country_iso2": "IQ",
           "country_iso3": "IRQ", "admin1": "Baghdād", "lat": 33.34, "lon": 44.40}  # fmt: skip


def span(text, part, **extra):
    start = text.index(part)
    return {"text": part, "start": start, "end": start + len(part), **extra}


def record(text, *, trigger, event_type, mode, place, place_text, date, source=None, target=None, size=None,
           fatalities=None, negated=False):  # fmt: skip
    """An Event.to_dict() record whose spans are found in `text` (so offsets always slice it)."""
    t = span(text, trigger)
    return {
        "article_id": None, "event_type": event_type, "mode": mode, "quad_class": 4,
        "source": source and span(text, source[0], country=source[1], role=source[2], name_en=source[3]),
        "target": target and span(text, target[0], country=target[1], role=target[2], name_en=target[3]),
        "location": {**span(text, place_text), **place}, "date": date, "time_precision": 1,
        "date_source": {"text": None, "start": None, "end": None, "basis": "article_date"},
        "size": size and span(text, size[0], min=size[1], max=size[2]),
        "fatalities": fatalities and span(text, fatalities[0], min=fatalities[1], max=fatalities[2]), "injuries": None,
        "evidence": {"sentence": text, "start": 0, "end": len(text), "trigger": trigger, "trigger_start": t["start"],
                     "trigger_end": t["end"]},
        "trigger_gloss": "test", "negated": negated, "hypothetical": False, "confidence": 0.9,
    }  # fmt: skip


A1 = "تظاهر مئات الطلاب أمام الوزارة في القاهرة أمس."
A2 = "تظاهر آلاف الطلاب في القاهرة يوم الجمعة."
A3 = "اعتصم المعلمون في عمان للمطالبة بزيادة الرواتب."
A4 = "اعتقلت الشرطة عشرة ناشطين في القاهرة."
A5 = "قتل ثلاثة أشخاص في انفجار ببغداد."
A6 = "لم يتظاهر أحد في عمان."
STUDENTS = ("الطلاب", None, "EDU", "students")
SEED = [
    (Article("a1", A1, "2024-03-02", "مظاهرة طلابية", "alwatan", "https://x.example/a1"),
     [record(A1, trigger="تظاهر", event_type="PROTEST", mode="demo", place=CAIRO, place_text="القاهرة",
             date="2024-03-01", source=STUDENTS, size=("مئات", 200, 999))]),
    (Article("a2", A2, "2024-03-02", "احتجاج في القاهرة", "alahram", "https://x.example/a2"),
     [record(A2, trigger="تظاهر", event_type="PROTEST", mode="demo", place=CAIRO, place_text="القاهرة",
             date="2024-03-01", source=STUDENTS, size=("آلاف", 2000, 9999))]),
    (Article("a3", A3, "2024-03-06", "اعتصام المعلمين", "alghad", None),
     [record(A3, trigger="اعتصم", event_type="PROTEST", mode="demo", place=AMMAN, place_text="عمان",
             date="2024-03-05", source=("المعلمون", None, "EDU", "teachers"))]),
    (Article("a4", A4, "2024-02-11", "اعتقالات", "alwatan", "https://x.example/a4"),
     [record(A4, trigger="اعتقلت", event_type="COERCE", mode="arrest", place=CAIRO, place_text="القاهرة",
             date="2024-02-10", source=("الشرطة", "EGY", "COP", "police"), target=("ناشطين", None, "ACT", "activists"))]),
    (Article("a5", A5, "2024-01-21", "انفجار", "alsumaria", "https://x.example/a5"),
     [record(A5, trigger="انفجار", event_type="ASSAULT", mode="bomb", place=BAGHDAD, place_text="بغداد",
             date="2024-01-20", fatalities=("ثلاثة", 3, 3))]),
    (Article("a6", A6, "2024-03-07", "هدوء", "alghad", None),
     [record(A6, trigger="يتظاهر", event_type="PROTEST", mode="demo", place=AMMAN, place_text="عمان",
             date="2024-03-07", negated=True)]),
]  # fmt: skip


def seed(url):
    with open_store(url) as store:
        for article, records in SEED:
            records = [{**r, "article_id": article.id} for r in records]
            assert store.add_article(article, records, lexicon_version="test").outcome == "stored"
