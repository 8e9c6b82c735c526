"""How many: crowd size, fatalities and injuries read from one sentence (issue 3).

`parse_count` reads one number phrase from normalised tokens ("أكثر من ألفي" → 2000–None,
"عشرات الآلاف" → 20000–99999); `find_quantities` decides what a count counts from the words
around it: a crowd noun or protest verb (size), a casualty noun or cue (fatalities, injuries),
or a measure, a sum of money, a weapon (no quantity). Number words and cues are data files
(numbers.tsv, quantity_cues.tsv); the conventions are in docs/quantities.md.

    >>> parse_count(("تظاهر", "عشرات", "الالاف"), 1)
    (20000, 99999, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.errors import LexiconError
from marsad.lexicon.loader import data_dir, read_tsv
from marsad.memo import load_once
from marsad.model import Quantity
from marsad.text.morph import lemma_key
from marsad.text.normalize import normalize
from marsad.text.segment import PUNCT, Segmented
from marsad.text.tokens import Tokens, analyse

__all__ = ["MAX_DIGITS", "Quantities", "find_quantities", "parse_count"]

# A longer digit run is an identifier (a phone number, a case number), not a count.
MAX_DIGITS = 12
NUMBER_KINDS = frozenset(
    {"unit", "teen_unit", "ten", "hundred", "multiplier", "plural_multiplier", "dual", "vague", "few", "half"}
)
MODIFIER_KINDS = frozenset({"approx", "at_least", "at_most", "between", "approx_post", "at_least_post"})
CUE_KINDS = frozenset({"noun", "dual", "before", "after", "context", "block"})
CUE_TYPES = frozenset({"size", "fatalities", "injuries", "people", "none"})
# Stronger first when one token's stems hit several rows of a kind.
_PRIORITY = ("fatalities", "injuries", "none", "size", "people")
_CONJ_PREP = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
_ARTICLE_KINDS = frozenset({"vague", "plural_multiplier", "dual"})  # المئات، الآلاف، قرابة الألفين
# Prefixed forms that are other words: لست "I am not", بعده "after it", وعده "his promise".
_COLLISIONS = frozenset({"لست", "بعده", "وعده", "فعده", "لعده", "كعده"})
_TEEN = frozenset({"عشر", "عشره"})
_PERCENT = frozenset({"%", "٪"})
# After a bare count ("المئات في ...") the next word is a particle, not a counted noun.
_PARTICLES = frozenset(
    {"في", "علي", "الي", "امام", "عند", "خلال", "داخل", "خارج", "وسط", "قرب", "حول", "ضد", "مع", "بعد", "قبل", "من"}
)
_BACK_WINDOW = 3
_AMONG = frozenset({"بين", "ومن", "من"})  # "بين الضحايا طفلين": a part of a toll, not the toll
_YEARS = (1300, 2100)
_BARE_MIN = 20  # "المئات في ..." counts people; "بلدان عدة في ..." does not
_SEPARATORS = frozenset("/-:")  # Hijri and Gregorian
_AFTER_WINDOW = 3


@dataclass(frozen=True, slots=True)
class NumberWord:
    """A number word: exact (`lo == hi`), a range (عشرات 20–99), or a multiplier (`base`)."""

    lo: int
    hi: int
    base: int
    kind: str


@dataclass(frozen=True, slots=True)
class _NumberLexicon:
    words: dict[str, NumberWord]
    modifiers: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → (rest, kind), longest first


@dataclass(frozen=True, slots=True)
class _CueLexicon:
    tables: dict[str, dict[str, tuple[str, ...]]]  # kind → key → types
    hits: dict[str, tuple[tuple[str, str], ...]]  # key → (kind, type) over all kinds


@dataclass(frozen=True, slots=True)
class Quantities:
    """The counts of one sentence; None where the sentence gives none."""

    size: Quantity | None
    fatalities: Quantity | None
    injuries: Quantity | None


def _norm(form: str) -> str:
    return normalize(form).text.strip()


def _number_word(where: str, value: str, kind: str) -> NumberWord:
    try:
        lo, _, hi = value.partition("-")
        low, high = int(lo), int(hi or lo)
    except ValueError as exc:
        raise LexiconError(f"{where}: value {value!r} must be an integer or lo-hi") from exc
    if kind == "plural_multiplier":
        return NumberWord(2 * low, 10 * low - 1, low, kind)
    if kind == "dual":
        return NumberWord(low, low, low // 2, kind)
    if kind == "vague":
        return NumberWord(low, high, 10 ** (len(str(low)) - 1), kind)
    return NumberWord(low, high, low if kind == "multiplier" else 1, kind)


@load_once
def number_lexicon() -> _NumberLexicon:
    """numbers.tsv, validated and indexed by normalised form (loaded once per process)."""
    words: dict[str, NumberWord] = {}
    modifiers: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for where, row in read_tsv(data_dir() / "numbers.tsv", ("forms", "value", "kind", "example")):
        kind = row["kind"]
        if kind not in NUMBER_KINDS | MODIFIER_KINDS:
            raise LexiconError(f"{where}: kind {kind!r} must be one of {sorted(NUMBER_KINDS | MODIFIER_KINDS)}")
        for form in filter(None, (_norm(f) for f in row["forms"].split("|"))):
            if kind in MODIFIER_KINDS:
                first, *rest = form.split()
                modifiers.setdefault(first, []).append((tuple(rest), kind))
            elif kind == "half":
                words[form] = NumberWord(0, 0, 1, kind)
            else:
                words[form] = _number_word(where, row["value"], kind)
    ordered = {k: tuple(sorted(v, key=lambda m: -len(m[0]))) for k, v in modifiers.items()}
    return _NumberLexicon(words, ordered)


@load_once
def cue_lexicon() -> _CueLexicon:
    """quantity_cues.tsv, validated and indexed by kind and light stem (loaded once per process)."""
    tables: dict[str, dict[str, tuple[str, ...]]] = {kind: {} for kind in CUE_KINDS}
    for where, row in read_tsv(data_dir() / "quantity_cues.tsv", ("forms", "kind", "type", "example")):
        kind, types = row["kind"], tuple(row["type"].split("|"))
        if kind not in CUE_KINDS:
            raise LexiconError(f"{where}: kind {kind!r} must be one of {sorted(CUE_KINDS)}")
        if not set(types) <= CUE_TYPES:
            raise LexiconError(f"{where}: type {row['type']!r} must be among {sorted(CUE_TYPES)}")
        for form in filter(None, (_norm(f) for f in row["forms"].split("|"))):
            key = form if kind == "dual" else lemma_key(form)
            tables[kind][key] = tuple(dict.fromkeys(tables[kind].get(key, ()) + types))
    hits: dict[str, list[tuple[str, str]]] = {}
    for kind, table in tables.items():
        for key, types in table.items():
            hits.setdefault(key, []).extend((kind, t) for t in types)
    return _CueLexicon(tables, {k: tuple(v) for k, v in hits.items()})


# ---------------------------------------------------------------- number phrases


@lru_cache(maxsize=65_536)
def _lookup_number(token: str) -> tuple[NumberWord, int] | None:
    """The number word in `token` and the length of its clitic prefix: "وثلاثه" → (3, 1)."""
    if token in _COLLISIONS:
        return None
    words = number_lexicon().words
    for prefix in _CONJ_PREP:
        if not token.startswith(prefix):
            continue
        rest = token[len(prefix) :]
        word = words.get(rest)
        if word is not None and (not prefix or rest != "عده"):
            return word, len(prefix)
        for article in ("ال", "ل"):
            if rest.startswith(article) and (article == "ال" or prefix.endswith("ل")):
                word = words.get(rest[len(article) :])
                if word is not None and word.kind in _ARTICLE_KINDS:
                    return word, len(prefix)
    return None


def is_number_word(token: str) -> bool:
    """A (normalised) token that is a number word of numbers.tsv, behind its clitics and, for the
    vague and plural words, the article: "ثلاثه"، "مائه"، "العشرات"، "وبالمئات" (not "عدد", "الامن")."""
    return _lookup_number(token) is not None


def _digits(token: str) -> tuple[str, int] | None:
    """ASCII digits in `token`, after at most two clitic letters: "و5" → ("5", 1)."""
    for skip in range(3):
        rest = token[skip:]
        if rest.isascii() and rest.isdigit():
            return (rest, skip) if all(c in "وفبل" for c in token[:skip]) else None
    return None


def _plain(tokens: Tokens, j: int) -> NumberWord | None:
    """A number word at `j` with no clitic (an article only on آلاف/مئات): a continuation."""
    if j >= len(tokens):
        return None
    found = _lookup_number(tokens[j])
    return found[0] if found is not None and found[1] == 0 else None


def _scale(tokens: Tokens, j: int, lo: int, hi: int) -> tuple[int, int, int]:
    """Vague counts times a following آلاف/مئات: عشرات الآلاف → 20000–99999."""
    for _ in range(2):
        word = _plain(tokens, j)
        if word is None or word.kind not in ("vague", "plural_multiplier", "multiplier"):
            break
        lo, hi, j = lo * word.base, (hi + 1) * word.base - 1, j + 1
    return lo, hi, j


def _digit_count(tokens: Tokens, i: int, digits: str) -> tuple[int, int, int] | None:
    if len(digits) > MAX_DIGITS or (len(digits) > 1 and digits[0] == "0"):
        return None
    value, j, n = int(digits), i + 1, len(tokens)
    while len(digits) <= MAX_DIGITS - 3 and j + 1 < n and tokens[j] == "," and _is_group(tokens[j + 1]):
        value, digits, j = value * 1000 + int(tokens[j + 1]), digits + tokens[j + 1], j + 2
    fraction = ""
    if j + 1 < n and tokens[j] == "." and tokens[j + 1].isascii() and tokens[j + 1].isdigit():
        fraction, j = tokens[j + 1][:3], j + 2
    word = _plain(tokens, j)
    if word is not None and word.kind in ("multiplier", "plural_multiplier", "dual"):
        base = word.base
        value = value * base + (int(fraction) * base // 10 ** len(fraction) if fraction else 0)
        return value, value, j + 1
    return None if fraction else (value, value, j)


def _is_group(token: str) -> bool:
    return len(token) == 3 and token.isascii() and token.isdigit()


def _exact(tokens: Tokens, i: int, first: NumberWord) -> tuple[int, int, int] | None:
    """Compound number words: "خمسة وعشرون ألفا" → 25000, "ألف وخمسمئة" → 1500."""
    total, group, last, limit, j = 0, 0, "", 0, i
    word: NumberWord | None = first
    while word is not None:
        kind, value = word.kind, word.lo
        if kind == "teen_unit" and (j + 1 >= len(tokens) or tokens[j + 1] not in _TEEN):
            break
        if kind == "multiplier":
            total, group, limit = total + max(group, 1) * value, 0, value
        elif kind == "dual" and group:
            total, group, limit = total + group * word.base, 0, word.base
        elif kind == "dual":
            total, limit = total + value, word.base
        elif kind == "half":
            total += limit // 2
        elif kind == "times_hundred":
            group, limit = group * 100, 100
        elif kind in ("unit", "teen_unit", "ten", "hundred"):
            group, limit = group + value, 100 if kind == "hundred" else 0
        else:
            break
        last, j = kind, j + 1
        if kind == "teen_unit" or (kind == "unit" and value < 10 and j < len(tokens) and tokens[j] in _TEEN):
            group, last, limit, j = group + 10, "teen", 0, j + 1
        word, j = _next_part(tokens, j, group, last, limit)
    if j == i or total + group == 0:
        return None
    return total + group, total + group, j


def _next_part(tokens: Tokens, j: int, group: int, last: str, limit: int) -> tuple[NumberWord | None, int]:
    """The next part of a compound number at `j`: a direct multiplier or a smaller و-part."""
    direct = _plain(tokens, j)
    if direct is not None:
        if direct.kind in ("multiplier", "dual") and group:
            return direct, j
        if direct.kind == "plural_multiplier" and 3 <= group <= 10:
            return NumberWord(direct.base, direct.base, direct.base, "multiplier"), j
        if direct.kind == "hundred" and direct.lo == 100 and last == "unit" and 3 <= group <= 9:
            return NumberWord(100, 100, 100, "times_hundred"), j
        return None, j
    if j >= len(tokens) or not tokens[j].startswith("و"):
        return None, j
    part = _plain(Tokens((tokens[j][1:],)), 0)
    if part is None or part.kind not in ("unit", "ten", "hundred", "multiplier", "dual", "half"):
        return None, j
    if (part.kind == "ten" and last == "unit") or (part.kind == "half" and limit >= 1000) or part.lo < limit:
        return part, j
    return None, j


def _core(tokens: Tokens, i: int) -> tuple[int, int, int] | None:
    digits = _digits(tokens[i])
    if digits is not None:
        return _digit_count(tokens, i, digits[0])
    found = _lookup_number(tokens[i])
    if found is None:
        return None
    word = found[0]
    if word.kind in ("vague", "few", "plural_multiplier"):
        return _scale(tokens, i + 1, word.lo, word.hi)
    if word.kind == "half":
        return None
    return _exact(tokens, i, word)


@lru_cache(maxsize=65_536)
def _modifier_head(token: str) -> tuple[str, int] | None:
    """The modifier word `token` starts (clitics stripped: "بنحو" → نحو) and its prefix length."""
    modifiers = number_lexicon().modifiers
    return next(
        ((token[len(p) :], len(p)) for p in _CONJ_PREP if token[len(p) :] in modifiers and token.startswith(p)), None
    )


def _modifier_at(tokens: Tokens, i: int) -> tuple[str, int] | None:
    head = _modifier_head(tokens[i])
    if head is None:
        return None
    for rest, kind in number_lexicon().modifiers[head[0]]:
        if tuple(tokens[i + 1 : i + 1 + len(rest)]) == rest:
            return kind, i + 1 + len(rest)
    return None


def parse_count(tokens: Tokens, i: int) -> tuple[int, int | None, int] | None:
    """The number phrase at token `i`: (min, max, index after it), or None.

    Tokens are normalised (أ→ا, ة→ه, digits ASCII) with clitics attached. A leading modifier
    is part of the phrase: "اكثر من الفي" → (2000, None, 3).

    >>> parse_count("قتل خمسه وعشرون شخصا".split(), 1)
    (25, 25, 3)
    >>> parse_count(("نحو", "3", "الاف"), 0)
    (3000, 3000, 3)
    """
    if not 0 <= i < len(tokens):
        return None
    modifier = _modifier_at(tokens, i)
    kind, j = modifier if modifier is not None else ("", i)
    if j >= len(tokens):
        return None
    core = _core(tokens, j)
    if core is None:
        return None
    lo, hi, end = core
    if kind == "between":
        return _between(tokens, lo, end)
    post = _modifier_at(tokens, end) if end < len(tokens) else None
    if post is not None and post[0] in ("approx_post", "at_least_post"):
        kind = kind or post[0]
        end = post[1]
    if kind in ("at_least", "at_least_post"):
        return lo, None, end
    if kind == "at_most":
        return 1, hi, end
    return lo, hi, end


def _between(tokens: Tokens, lo: int, j: int) -> tuple[int, int | None, int] | None:
    """ "بين 200 و300" → (200, 300): the second number carries the و."""
    if j >= len(tokens) or not tokens[j].startswith("و"):
        return None
    second = _core(tokens, j)
    if second is None or second[1] < lo:
        return None
    return lo, second[1], second[2]


# ---------------------------------------------------------------- what a count counts


@dataclass(frozen=True, slots=True)
class _TokenCues:
    noun: str | None
    dual: str | None
    before: str | None
    after: str | None
    context: bool
    block: frozenset[str]


def _pick(types: set[str]) -> str | None:
    return next((t for t in _PRIORITY if t in types), None)


@lru_cache(maxsize=262_144)
def _cues(token: str) -> _TokenCues:
    """What the quantity cue lexicon says about one token (exact forms before light stems)."""
    hits = cue_lexicon().hits
    row = analyse(token)
    exact = [h for k in {token, row.bare, row.word} for h in hits.get(k, ())]
    stems = [h for k in row.keys for h in hits.get(k, ())]
    if not exact and not stems:
        return _NO_CUES

    def found(kind: str, stemmed: bool = True) -> str | None:
        for group in (exact, stems if stemmed else []):
            types = {t for k, t in group if k == kind}
            if types:
                return _pick(types)
        return None

    after = found("after", stemmed=False)
    return _TokenCues(
        noun=None if after else found("noun"),  # "قتلوا" is a verb, not a form of قتلى
        dual=found("dual", stemmed=False),
        before=found("before"),
        after=after,
        context=any(k == "context" for k, _ in exact + stems),
        block=frozenset(t for k, t in exact + stems if k == "block"),
    )


_NO_CUES = _TokenCues(None, None, None, None, False, frozenset())


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: str
    first: int
    end: int
    lo: int
    hi: int | None


def _counted(tokens: Tokens, j: int, last: int) -> tuple[str | None, bool]:
    """The class of the counted noun at `j` (people, fatalities, injuries, none) and whether
    the count is bare (no noun follows: "المئات في ...")."""
    if j >= last or tokens[j] in PUNCT:
        return None, True
    word = tokens.bare[j]
    if word == "في" and j + 1 < last and _cues(tokens[j + 1]).noun == "none":
        return "none", False
    if word == "من" and j + 1 < last:
        noun = _cues(tokens[j + 1]).noun or _nisba_plural(tokens[j + 1])
        return (noun, False) if noun else (None, True)
    noun = _cues(tokens[j]).noun
    return noun, noun is None and word in _PARTICLES


def _nisba_plural(token: str) -> str | None:
    """ "الفرنسيين", "والإيرانيون": a plural of a nisba names people."""
    return "people" if len(token) >= 6 and token.endswith(("يين", "يون")) else None


def _cue_before(tokens: Tokens, first: int, i: int) -> str | None:
    """The nearest cue among the few tokens before a number, not across punctuation."""
    for k in range(i - 1, max(first, i - _BACK_WINDOW) - 1, -1):
        if tokens[k] in PUNCT:
            return None
        cues = _cues(tokens[k])
        if (
            cues.before == "injuries"
            and k > first
            and tokens[k][0] == "و"
            and _cues(tokens[k - 1]).before == "fatalities"
        ):
            return "none"  # "مقتل وإصابة 7": killed and wounded together, neither count alone
        if cues.before is not None:
            return cues.before
        if cues.noun in ("fatalities", "injuries") and _definite(tokens.bare[k]):
            among = k > first and tokens.bare[k - 1] in _AMONG
            return "none" if among else cues.noun  # "حصيلة القتلى إلى 30", not "بين الضحايا طفلين"
    return None


def _definite(word: str) -> bool:
    """`word` (a token's bare form) carries the article."""
    return word.startswith(("ال", "لل", "بال", "كال"))


def _classify(tokens: Tokens, cand: _Candidate, first: int, last: int, protest: bool) -> str | None:
    """size, fatalities, injuries or None for one count, from the words around it."""
    if cand.kind == "dual":  # a definite dual points back ("أقارب الشهيدين"): it needs a cue
        noun, is_bare = "people" if _definite(tokens.bare[cand.first]) else _cues(tokens[cand.first]).dual, False
    else:
        noun, is_bare = _counted(tokens, cand.end, last)
    if noun == "none" or (cand.kind == "year" and noun is None):
        return None
    if noun in ("fatalities", "injuries"):
        return noun
    if (
        cand.kind == "exact" and cand.lo == cand.hi and cand.lo <= 2 and cand.first > first
    ):  # 1 and 2 follow their noun: "قتيل واحد"
        head = _cues(tokens[cand.first - 1]).noun
        if head in ("fatalities", "injuries") and not _definite(tokens.bare[cand.first - 1]):
            return head
    before = _cue_before(tokens, first, cand.first)
    if before == "none":
        return None
    after = next((c for t in tokens[cand.end : min(last, cand.end + _AFTER_WINDOW + 1)] if (c := _cues(t).after)), None)
    if after is not None:
        return after
    if before in ("fatalities", "injuries", "size"):
        return before
    if before == "people" and noun is None and not is_bare:
        return None  # "مشاركة أكثر من 500 قطاع": a weak cue needs people or a bare count
    if noun == "people" or before == "people" or (is_bare and cand.kind == "range" and cand.lo >= _BARE_MIN):
        return "size" if protest else None
    return None


def _not_a_count(seg: Segmented, first: int, end: int) -> bool:
    """ "20%", "4/1", "1-4", "15:19": signs are not tokens, so read the text around the number."""
    text = seg.norm.text
    after, before = seg.ends[end - 1], seg.starts[first]
    tail = text[after : after + 2]
    if any(sign in tail for sign in _PERCENT):
        return True
    if tail[:1] in _SEPARATORS and tail[1:2].isdigit():
        return True
    return before >= 2 and text[before - 1] in _SEPARATORS and text[before - 2].isdigit()


@lru_cache(maxsize=65_536)
def _may_start(token: str) -> bool:
    """Cheap gate: can a number phrase start at this token (digits, a number word, a modifier)?"""
    return _digits(token) is not None or _lookup_number(token) is not None or _modifier_head(token) is not None


def _post_at_least(tokens: Tokens, j: int) -> bool:
    modifier = _modifier_at(tokens, j)
    return modifier is not None and modifier[0] == "at_least_post"


def _candidates(tokens: Tokens, first: int, last: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    i = first
    while i < last:
        parsed = parse_count(tokens, i) if _may_start(tokens[i]) else None
        if parsed is not None:
            lo, hi, end = parsed
            kind = "exact" if lo == hi else "range"
            if hi is not None and end + 1 < last and _post_at_least(tokens, end + 1):
                hi = None  # "قتل خمسة أشخاص على الأقل": the modifier follows the counted noun
            if end == i + 1 and kind == "exact" and _YEARS[0] <= lo <= _YEARS[1] and tokens[i].isdigit():
                kind = "year"  # "منذ 2009", "1436 هـ": a year unless a counted noun follows
            found.append(_Candidate(kind, i, end, lo, hi))
            i = end
        elif _cues(tokens[i]).dual is not None:
            found.append(_Candidate("dual", i, i + 1, 2, 2))
            i += 1
        else:
            i += 1
    return found


def find_quantities(seg: Segmented, first: int, last: int) -> Quantities:
    """Crowd size, fatalities and injuries in the tokens [first, last) of one sentence.

    >>> from marsad.text.normalize import normalize
    >>> from marsad.text.segment import segment
    >>> seg = segment(normalize("قتل 3 أشخاص وأصيب العشرات."))
    >>> q = find_quantities(seg, 0, len(seg.tokens))
    >>> (q.fatalities.text, q.fatalities.min, q.injuries.text, q.injuries.min, q.injuries.max)
    ('3', 3, 'العشرات', 20, 99)
    """
    last = min(last, len(seg.tokens))
    tokens = seg.tokens.upto(last)
    sentence = [_cues(t) for t in tokens[first:last]]
    protest = any(c.context or c.before == "size" for c in sentence)
    blocked = {t for c in sentence for t in c.block}
    best: dict[str, _Candidate] = {}
    for cand in _candidates(tokens, first, last):
        kind = _classify(tokens, cand, first, last, protest)
        if kind is None or kind in blocked or _not_a_count(seg, cand.first, cand.end):
            continue
        if kind not in best or cand.lo > best[kind].lo:
            best[kind] = cand
    return Quantities(*(_quantity(seg, best.get(kind)) for kind in ("size", "fatalities", "injuries")))


def _quantity(seg: Segmented, cand: _Candidate | None) -> Quantity | None:
    if cand is None:
        return None
    head = seg.tokens[cand.first]
    found = _lookup_number(head) if cand.kind != "dual" else None
    digits = _digits(head)
    modifier = _modifier_head(head)
    skip = found[1] if found is not None else (digits[1] if digits is not None else modifier[1] if modifier else 0)
    start, end = seg.norm.orig_span(seg.starts[cand.first] + skip, seg.ends[cand.end - 1])
    return Quantity(seg.norm.original[start:end], start, end, cand.lo, cand.hi)
