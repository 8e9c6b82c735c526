"""Crowd size, fatalities and injuries on sentences we wrote: rules, conventions, hard negatives."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import LexiconError
from marsad.extract import quantities as q
from marsad.extract.eventive import _NUMBER_WORDS
from marsad.extract.quantities import MAX_DIGITS, Quantities, find_quantities, parse_count
from marsad.lexicon.loader import data_dir, read_tsv
from marsad.text.normalize import normalize
from marsad.text.segment import segment


def tokens(text: str) -> tuple[str, ...]:
    return segment(normalize(text)).tokens


def find(text: str) -> Quantities:
    seg = segment(normalize(text))
    return find_quantities(seg, 0, len(seg.tokens))


def span(text: str, field: str) -> tuple[str, int, int | None] | None:
    found = getattr(find(text), field)
    return None if found is None else (found.text, found.min, found.max)


# ---------------------------------------------------------------- parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2000", (2000, 2000, 1)),
        ("2,000", (2000, 2000, 3)),
        ("1,200,000", (1200000, 1200000, 5)),
        ("٣ آلاف", (3000, 3000, 2)),
        ("2.5 ألف", (2500, 2500, 4)),
        ("1.5 مليون", (1500000, 1500000, 4)),
        ("200 ألف", (200000, 200000, 2)),
        ("خمسة", (5, 5, 1)),
        ("وثلاثة", (3, 3, 1)),
        ("أحد عشر", (11, 11, 2)),
        ("اثني عشر", (12, 12, 2)),
        ("ثلاثة عشر ألفا", (13000, 13000, 3)),
        ("خمسة وعشرون", (25, 25, 2)),
        ("عشرين ألفا", (20000, 20000, 2)),
        ("مئة", (100, 100, 1)),
        ("مائتي", (200, 200, 1)),
        ("ثلاث مئة", (300, 300, 2)),
        ("ثلاثمئة ألف", (300000, 300000, 2)),
        ("مئة وخمسين", (150, 150, 2)),
        ("ألف", (1000, 1000, 1)),
        ("ألفي", (2000, 2000, 1)),
        ("ألف وخمسمئة", (1500, 1500, 2)),
        ("خمسة آلاف", (5000, 5000, 2)),
        ("عشرة آلاف", (10000, 10000, 2)),
        ("مليون ونصف", (1500000, 1500000, 2)),
        ("مليونا", (2000000, 2000000, 1)),
        ("عشرات", (20, 99, 1)),
        ("العشرات", (20, 99, 1)),
        ("مئات", (200, 999, 1)),
        ("المئات", (200, 999, 1)),
        ("آلاف", (2000, 9999, 1)),
        ("الآلاف", (2000, 9999, 1)),
        ("بالآلاف", (2000, 9999, 1)),
        ("للآلاف", (2000, 9999, 1)),
        ("ألوف", (2000, 9999, 1)),
        ("عشرات الآلاف", (20000, 99999, 2)),
        ("مئات الآلاف", (200000, 999999, 2)),
        ("ملايين", (2000000, 9999999, 1)),
        ("بضعة", (3, 9, 1)),
        ("عدة", (3, 9, 1)),
        ("بضعة آلاف", (3000, 9999, 2)),
        ("عدة مئات", (300, 999, 2)),
        ("بضع عشرات", (30, 99, 2)),
        ("نحو 2000", (2000, 2000, 2)),
        ("بنحو 5000", (5000, 5000, 2)),
        ("حوالي مئة", (100, 100, 2)),
        ("قرابة الألفين", (2000, 2000, 2)),
        ("زهاء ثلاثمائة", (300, 300, 2)),
        ("أكثر من ألفي", (2000, None, 3)),
        ("ما يزيد عن 500", (500, None, 4)),
        ("ما لا يقل عن 300", (300, None, 5)),
        ("أقل من مئة", (1, 100, 3)),
        ("ما يصل إلى 40", (1, 40, 4)),
        ("بين 200 و300", (200, 300, 3)),
        ("ما بين ثلاثمئة وأربعمئة", (300, 400, 4)),
        ("5 على الأقل", (5, None, 3)),
        ("عشرون تقريبا", (20, 20, 2)),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(tokens(text), 0) == expected


@pytest.mark.parametrize(
    "text",
    [
        "الاثنين",  # Monday
        "الثلاثة",  # number words other than عشرات/مئات/آلاف take no article
        "بعده",  # "after it", not ب + عدة
        "وعده",  # "his promise"
        "لست",  # "I am not"
        "2.5",  # a decimal with no multiplier is not a count
        "0501234567",  # a leading zero: a phone number
        "1" * (MAX_DIGITS + 1),  # an identifier
        "أكثر من الساعة",  # a modifier without a number
        "نحو الساحة",
        "الجولة الثالثة",  # ordinals are not counts
    ],
)
def test_not_a_count(text):
    assert parse_count(tokens(text), 0) is None


def test_two_units_stop_after_the_first():
    assert parse_count(tokens("ثلاثة وخمسة"), 0) == (3, 3, 1)


def test_out_of_range_index_is_none():
    assert parse_count(("5",), 3) is None
    assert parse_count(("5",), -1) is None


def test_huge_arabic_indic_number_does_not_raise():
    assert parse_count(tokens("١٠٠٠٠٠٠٠٠٠٠٠٠"), 0) is None
    assert parse_count(tokens("٩" * 5000), 0) is None
    assert find("تظاهر ١٠٠٠٠٠٠٠٠٠٠٠٠ شخص.").size is None


def test_every_number_word_of_eventive_is_parsed():
    for word in _NUMBER_WORDS:
        assert parse_count((word,), 0) is not None, word


# ---------------------------------------------------------------- find_quantities


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("تظاهر مئات الطلاب أمام وزارة التعليم.", "size", ("مئات", 200, 999)),
        ("خرج أكثر من ألفي متظاهر في شوارع المدينة.", "size", ("أكثر من ألفي", 2000, None)),
        ("احتشد ٣ آلاف شخص في الساحة.", "size", ("٣ آلاف", 3000, 3000)),
        ("شارك خمسة آلاف متظاهر في المسيرة.", "size", ("خمسة آلاف", 5000, 5000)),
        ("نظمت النقابة مسيرة شارك فيها الآلاف.", "size", ("الآلاف", 2000, 9999)),
        ("تظاهر عشرات الآلاف في العاصمة.", "size", ("عشرات الآلاف", 20000, 99999)),
        ("خرج مئات الآلاف إلى الشوارع احتجاجا على الغلاء.", "size", ("مئات الآلاف", 200000, 999999)),
        ("تظاهر نحو 2000 شخص أمام البرلمان.", "size", ("نحو 2000", 2000, 2000)),
        ("تظاهر 2,000 شخص أمام البرلمان.", "size", ("2,000", 2000, 2000)),
        ("تظاهر المئات أمام السفارة.", "size", ("المئات", 200, 999)),
        ("اعتصم العشرات من طلاب الجامعة احتجاجا على الرسوم.", "size", ("العشرات", 20, 99)),
        ("شارك المئات من الفرنسيين في مظاهرة أمام السفارة.", "size", ("المئات", 200, 999)),
        ("المئات في عدد من العواصم تظاهروا ضد الحكومة.", "size", ("المئات", 200, 999)),
        ("بلغ عدد المتظاهرين بحوالي 5000 في ساحة التحرير.", "size", ("حوالي 5000", 5000, 5000)),
        ("تظاهر ما بين ثلاثمئة وأربعمئة شخص أمام البلدية.", "size", ("ما بين ثلاثمئة وأربعمئة", 300, 400)),
        ("شارك آلاف الأشخاص في مسيرة ضد الحرب.", "size", ("آلاف", 2000, 9999)),
        ("أسفر الهجوم عن مقتل 5 أشخاص.", "fatalities", ("5", 5, 5)),
        ("أسفر الانفجار عن سقوط قتيلين.", "fatalities", ("قتيلين", 2, 2)),
        ("أعلن الدفاع المدني مصرع ثلاثة في الحريق.", "fatalities", ("ثلاثة", 3, 3)),
        ("أعلنت الوزارة استشهاد 4 فلسطينيين.", "fatalities", ("4", 4, 4)),
        ("قتل 12 شخصا في الاشتباكات.", "fatalities", ("12", 12, 12)),
        ("ارتفعت حصيلة القتلى إلى 30.", "fatalities", ("30", 30, 30)),
        ("سقط 3 قتلى في الاشتباكات.", "fatalities", ("3", 3, 3)),
        ("لقي 5 حتفهم في الحادث.", "fatalities", ("5", 5, 5)),
        ("لقي ثلاثة أشخاص مصرعهم في انهيار المبنى.", "fatalities", ("ثلاثة", 3, 3)),
        ("قالت الوكالة إن جنديين قتلا في الهجوم.", "fatalities", ("جنديين", 2, 2)),
        ("قتل 30 شخصا بينهم 5 أطفال.", "fatalities", ("30", 30, 30)),
        ("قتل خمسة أشخاص على الأقل في التفجير.", "fatalities", ("خمسة", 5, None)),
        ("قتل خمسة على الأقل في التفجير.", "fatalities", ("خمسة على الأقل", 5, None)),
        ("سقط قتيل واحد في الاشتباكات.", "fatalities", ("واحد", 1, 1)),
        ("نتج عن الحريق مصابان اثنان.", "injuries", ("مصابان", 2, 2)),
        ("أدت المواجهات إلى إصابة العشرات.", "injuries", ("العشرات", 20, 99)),
        ("جرح 12 في الاشتباكات.", "injuries", ("12", 12, 12)),
        ("أسفرت المواجهات عن 5 جرحى.", "injuries", ("5", 5, 5)),
        ("أصيب 7 متظاهرين بالرصاص المطاطي.", "injuries", ("7", 7, 7)),
        ("خلفت المواجهات عشرات الإصابات.", "injuries", ("عشرات", 20, 99)),
        ("قال شهود إن 12 متظاهرا أصيبوا خلال تفريق الاعتصام.", "injuries", ("12", 12, 12)),
        ("اعتقلت الشرطة 20 متظاهرا وأصيب 7 آخرون.", "injuries", ("7", 7, 7)),
    ],
)
def test_counts_in_our_sentences(text, field, expected):
    assert span(text, field) == expected


def test_killed_and_wounded_in_one_sentence():
    found = find("سقط قتيلان و5 جرحى في الاشتباكات.")
    assert (found.fatalities.text, found.fatalities.min) == ("قتيلان", 2)
    assert (found.injuries.text, found.injuries.min, found.injuries.max) == ("5", 5, 5)


def test_compound_number_words_for_both_tolls():
    found = find("مقتل خمسة وعشرين شخصا وإصابة مئة وخمسين آخرين.")
    assert (found.fatalities.text, found.fatalities.min, found.fatalities.max) == ("خمسة وعشرين", 25, 25)
    assert (found.injuries.text, found.injuries.min, found.injuries.max) == ("مئة وخمسين", 150, 150)


def test_killed_and_wounded_together_is_neither():
    assert find("أسفرت الاشتباكات عن مقتل وإصابة 7 جنود.") == Quantities(None, None, None)


def test_the_largest_count_of_a_kind_wins():
    assert span("قتل 5 أشخاص في الصباح، ثم ارتفعت حصيلة القتلى إلى 30.", "fatalities") == ("30", 30, 30)


@pytest.mark.parametrize(
    "text",
    [
        "عشرات السنين مرت على الحرب الأهلية.",
        "تظاهر الطلاب في الساحة منذ 40 عاما.",
        "قتل الوقت في الانتظار أمام السفارة.",
        "خسر المتظاهرون 3 ملايين دولار من صندوق الإضراب.",
        "شارك 20 في المئة من السكان في الاحتجاجات.",
        "تظاهر 20% من سكان البلدة.",
        "تنص المادة 5 من الدستور على حق التظاهر.",
        "شارك المتظاهرون في الجولة الثالثة من الاحتجاجات.",
        "أصيب متظاهر عمره 25 عاما في المواجهات.",
        "للاستفسار حول المظاهرة اتصل على 0501234567.",
        "فشل المهاجم في إصابة الهدف.",
        "أصاب اللاعب الكرة بقوة.",
        "بلغت حصيلة الأهداف 30 هدفا.",
        "أطلقت القوات مئات الصواريخ على المتظاهرين.",
        "لم تسجل أي إصابات في المظاهرة.",
        "اعتقلت الشرطة 20 متظاهرا خلال المظاهرة.",
        "أكد البيان أن الفرقة 30 شاركت في قمع المظاهرة.",
        "سقط الفريق سقوطا كبيرا 4/1 في المباراة.",
        "توفي الزعيم عام 2009 بعد مظاهرات حاشدة.",
        "قالت الوزارة إن موجة الحر تضرب بلدانا عدة في المنطقة.",
        "سجلت وزارة الصحة 5 إصابات جديدة بفيروس كورونا.",
        "أصيب 3 لاعبين خلال المباراة.",
        "شارك أكثر من 500 قطاع في التظاهرة السياحية.",
        "حضر أقارب الشهيدين العزاء في القرية.",
        "قالت مصادر طبية إن بين الضحايا طفلين وامرأة.",
        "وقع الحادث في الساعة 15:19 وأصيب سائق.",
    ],
)
def test_hard_negatives_give_no_quantity(text):
    assert find(text) == Quantities(None, None, None)


def test_a_count_of_people_outside_a_protest_is_not_a_crowd():
    assert find("استقبل المستشفى 200 مريض أمس.").size is None
    assert find("تخرج 500 طالب من الجامعة.").size is None


def test_quantity_text_skips_a_clitic_and_keeps_the_article():
    assert span("أسفرت المواجهات عن قتيلين و5 جرحى.", "injuries") == ("5", 5, 5)
    assert span("تظاهر المواطنون وشارك بالآلاف في المسيرة.", "size") == ("الآلاف", 2000, 9999)


def test_offsets_slice_the_original_with_diacritics_and_tatweel():
    text = "وتظاهـــرَ المِئَاتُ أمام السفارة، وأُصِيبَ ٣ آلافٍ بجروح."
    seg = segment(normalize(text))
    found = find_quantities(seg, 0, len(seg.tokens))
    for quantity in (found.size, found.injuries):
        assert quantity is not None
        assert text[quantity.start : quantity.end] == quantity.text
    assert (found.size.min, found.injuries.min) == (200, 3000)


def test_only_the_given_token_range_is_read():
    seg = segment(normalize("قتل 5 أشخاص. تظاهر المئات أمام السفارة."))
    first, second = seg.sentences
    assert find_quantities(seg, first.first_token, first.last_token).size is None
    assert find_quantities(seg, second.first_token, second.last_token).fatalities is None
    assert find_quantities(seg, second.first_token, second.last_token).size.text == "المئات"


# ---------------------------------------------------------------- the data files


def _rows(name: str, columns: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    return list(read_tsv(data_dir() / name, columns))


NUMBER_ROWS = _rows("numbers.tsv", ("forms", "value", "kind", "example"))
CUE_ROWS = _rows("quantity_cues.tsv", ("forms", "kind", "type", "example"))


def _expected_value(kind: str, value: str) -> tuple[int, int] | None:
    if kind in ("teen_unit", "half") or kind in q.MODIFIER_KINDS:
        return None
    lo, _, hi = value.partition("-")
    if kind == "plural_multiplier":
        return 2 * int(lo), 10 * int(lo) - 1
    return int(lo), int(hi or lo)


@pytest.mark.parametrize(("where", "row"), NUMBER_ROWS, ids=[w for w, _ in NUMBER_ROWS])
def test_every_number_form_reads_as_its_value(where, row):
    expected = _expected_value(row["kind"], row["value"])
    if expected is None:
        return
    for form in row["forms"].split("|"):
        parsed = parse_count(tokens(form), 0)
        assert parsed is not None and parsed[:2] == expected, f"{where}: {form}"


@pytest.mark.parametrize(("where", "row"), NUMBER_ROWS, ids=[w for w, _ in NUMBER_ROWS])
def test_every_number_row_fires_in_its_example(where, row):
    forms = {normalize(f).text.split()[0] for f in row["forms"].split("|")}
    toks = tokens(row["example"])
    hits = [k for k, t in enumerate(toks) if _row_word(t) in forms]
    assert hits, f"{where}: no form of the row in its example"
    k = hits[0]
    covered = [p for p in range(max(0, k - 4), k + 1) if (r := parse_count(toks, p)) is not None and r[2] > k]
    assert covered, f"{where}: {toks[k]!r} is not read as part of a number"


def _row_word(token: str) -> str | None:
    """The number word or modifier in `token` without clitics or article: "بالالاف" → الاف."""
    found = q._lookup_number(token)
    if found is not None:
        rest = token[found[1] :]
        if rest in q.number_lexicon().words:
            return rest
        return rest[2:] if rest.startswith("ال") else rest[1:]
    head = q._modifier_head(token)
    return head[0] if head is not None else None


@pytest.mark.parametrize(("where", "row"), CUE_ROWS, ids=[w for w, _ in CUE_ROWS])
def test_every_cue_row_fires_in_its_example(where, row):
    kind, types = row["kind"], row["type"].split("|")
    toks = tokens(row["example"])
    cues = [q._cues(t) for t in toks]
    if kind == "block":
        assert any(set(types) <= c.block for c in cues), where
        assert all(getattr(find(row["example"]), t) is None for t in types), where
        return
    if kind == "context":
        assert any(c.context for c in cues), where
    else:
        assert any(getattr(c, kind) == types[0] for c in cues), where
    found = find(row["example"])
    if types[0] == "none":
        assert found == Quantities(None, None, None), where
    elif types[0] == "people":
        assert found != Quantities(None, None, None), where
    else:
        assert getattr(found, types[0]) is not None, where


def test_a_bad_kind_in_a_data_file_names_the_line(tmp_path, monkeypatch):
    (tmp_path / "numbers.tsv").write_text("forms\tvalue\tkind\texample\nخمسة\t5\tfive\tمثال.\n", encoding="utf-8")
    monkeypatch.setattr(q, "data_dir", lambda: tmp_path)
    with pytest.raises(LexiconError, match=r"numbers.tsv:2: kind 'five'"):
        q.number_lexicon.__wrapped__()


# ---------------------------------------------------------------- the shared example

SAMPLE = Path("/work/shared/examples/iran_solidarity_protests.txt")


@pytest.mark.skipif(not SAMPLE.is_file(), reason="../shared/examples is not on this machine")
def test_european_protests_are_hundreds():
    text = SAMPLE.read_text(encoding="utf-8")
    seg = segment(normalize(text))
    sizes = {}
    for s in seg.sentences:
        size = find_quantities(seg, s.first_token, s.last_token).size
        if size is not None:
            sizes[text[size.start - 20 : size.end]] = (size.text, size.min, size.max)
    assert set(sizes.values()) == {("المئات", 200, 999)}
    assert any("تظاهر المئات" in k for k in sizes) and any("شارك المئات" in k for k in sizes)


# ---------------------------------------------------------------- properties

WORDS = [
    "تظاهر", "المئات", "مئات", "الآلاف", "عشرات", "أكثر", "من", "نحو", "بين", "و300", "ثلاثة",
    "وعشرون", "ألفا", "قتيلين", "جرحى", "مقتل", "إصابة", "أصيب", "5", "2", ",", "000", ".", "%",
    "١٠٠٠٠٠٠٠٠٠٠٠٠", "ـــ", "ً", "ُ", "\u200f", "&quot;", "#ولاية_الفقيه", "،", "\n", "عاما",
    "شخصا", "متظاهر", "حتفهم", "على", "الأقل", "ونصف", "مليون", "بضعة", "عدة", "/", "-", "4",
]  # fmt: skip
arabicish = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def _check(text: str) -> None:
    seg = segment(normalize(text))
    for s in seg.sentences or ():
        found = find_quantities(seg, s.first_token, s.last_token)
        for quantity in (found.size, found.fatalities, found.injuries):
            if quantity is not None:
                assert text[quantity.start : quantity.end] == quantity.text
                assert quantity.max is None or quantity.min <= quantity.max
    find_quantities(seg, 0, len(seg.tokens) + 5)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(arabicish)
def test_spans_slice_the_original_on_arabic_like_text(text):
    _check(text)


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_never_fails_on_arbitrary_unicode(text):
    _check(text)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.integers(-2, 14))
def test_parse_count_never_fails_and_ends_after_its_start(words, i):
    toks = tokens(" ".join(words))
    parsed = parse_count(toks, i)
    if parsed is not None:
        assert i < parsed[2] <= len(toks)
        assert parsed[1] is None or parsed[0] <= parsed[1]
