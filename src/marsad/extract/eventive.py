"""Eventiveness: does a trigger report an event that took place, or only name one?

News talks about events far more often than it reports them: "بتهمة اغتيال"، "منذ اغتيال
الحريري"، "أعمال القتل" name assassinations and killings without reporting one. A verb
("اغتال مسلحون ...") or a noun pinned in time ("انفجار أمس") reports one. The score combines
such cues into the event's confidence; `MIN_CONFIDENCE` is where the coder stops calling a
mention an event.
"""

from __future__ import annotations

from marsad.extract.modality import Modality
from marsad.text.tokens import Tokens

MIN_CONFIDENCE = 0.6
# A trigger this many tokens into its sentence is usually in a subordinate clause about
# something else (news puts the reported event first).
DEEP = 15
# Words after which a trigger is a noun in a phrase, not a verb: "في الاغتيال", "بعد التفجير".
_GOVERNORS = frozenset(
    {"في", "من", "علي", "بعد", "قبل", "خلال", "حول", "بشان", "ضد", "مع", "لدي", "عقب", "جراء", "بسبب", "اثر"}
)
DEFINITE = ("ال", "بال", "لل", "كال")  # the article, alone or after بـ/لـ/كـ
_NUMBER_WORDS = frozenset(
    {"عشرات", "مئات", "الاف", "الالاف", "الف", "الفي", "مئه", "مائه", "مئتي", "مائتي", "ملايين", "مليون"}
)


_VERB_SUFFIXES = ("ت", "وا", "تا", "ن", "تم", "نا", "ا")
_IMPERFECT = ("ي", "ت", "ن")
# How much the grammatical form of a trigger says "this happened".
FORM_WEIGHT = {"past": 0.3, "bare": 0.2, "imperfect": 0.15, "noun": 0.0}


def noun_shaped(key: str) -> bool:
    """Masdar and participle shapes: مظاهره، مقتل، تفجير، اغتيال، اعتقال، هجوم، حصار."""
    if key.endswith("ه") or (key.startswith("م") and len(key) >= 4):
        return True
    if len(key) >= 5 and key[0] in "ات" and key[-2] in "اي":
        return True
    if len(key) >= 5 and key[-2] in "وي":
        return True  # صواريخ، تفجير، اغتيال
    return len(key) == 4 and (key[2] == "و" or key[2] == "ا")


def trigger_form(tokens: Tokens, index: int, key: str) -> str:
    """'past' (اغتالوا), 'imperfect' (يقتلون), 'noun' (الاغتيال، بعد التفجير) or 'bare' (قتل)."""
    word = tokens.bare[index]
    if word.startswith(DEFINITE) or word.endswith("ات") or noun_shaped(key):
        return "noun"
    if index > 0 and tokens.bare[index - 1] in _GOVERNORS:
        return "noun"
    if word != key and word[:1] in _IMPERFECT and (word[1:].startswith(key) or word[1:].startswith(key[1:])):
        return "imperfect"
    if word != key and word.startswith(key) and word[len(key) :] in _VERB_SUFFIXES:
        return "past"
    return "bare" if word == key else "noun"


CLAUSE_OPENERS = frozenset({"حيث", "اذ", "فيما", "بينما", "كما", "ثم"})


def clause_depth(tokens: Tokens, first: int, index: int) -> int:
    """Tokens between the start of the trigger's clause (sentence start or حيث، إذ، فيما ...)
    and the trigger."""
    start = first
    for k in range(index - 1, first - 1, -1):
        if tokens[k] in CLAUSE_OPENERS or tokens.bare[k] in CLAUSE_OPENERS:  # فيما is not ف + يما
            start = k + 1
            break
    return index - start


def names_a_year(tokens: Tokens, first: int, last: int) -> bool:
    """The sentence names a year ("عام 2005", "في 1986"): background more often than news."""
    return any(len(t) == 4 and t.isdigit() and 1900 <= int(t) <= 2100 for t in tokens[first:last])


def is_anaphoric(tokens: Tokens, first: int, role: str | None, counted: bool) -> bool:
    """A definite civilian actor with no count ("المتظاهرون", not "مئات المتظاهرين")."""
    return role == "CVL" and not counted and tokens.bare[first].startswith(("ال", "لل", "بال"))


# Number words as they appear as tokens: bare, with the article, and behind و/ف/ب.
_NUMBER_TOKENS = frozenset(
    f"{clitic}{article}{word}" for word in _NUMBER_WORDS for clitic in ("", "و", "ف", "ب") for article in ("", "ال")
)


def is_counted(tokens: Tokens, first: int, last: int) -> bool:
    """The sentence gives a number (digits or a number word): a size or a toll."""
    return any(t.isdigit() or t in _NUMBER_TOKENS for t in tokens[first:last])


def is_number_word(word: str) -> bool:
    """ "مئات", "المئات", "الاف" (آلاف: its alef is not an article)."""
    return word in _NUMBER_WORDS or (word.startswith("ال") and word[2:] in _NUMBER_WORDS)


def confidence(
    *,
    form: str,
    mod: Modality,
    counted: bool,
    has_source: bool,
    multiword: bool,
    historical: bool = False,
    depth: int = 0,
    statement: bool = False,
    anaphoric: bool = False,
    instrument: bool = False,
) -> float:
    """Combine the cues: a past verb with an actor scores 0.7; a noun needs time or numbers.

    `historical`: the sentence names a year and no recent time; `depth`: tokens before the trigger;
    `anaphoric`: the actor points back to an event already told ("وهتف المتظاهرون" after the
    protest was reported): the sentence elaborates that event rather than reporting a new one;
    `instrument`: the trigger is a weapon named as a noun ("الصواريخ"), an event only when a verb
    of use supports it ("سقطت صواريخ"، "ألقى قنبلة");
    `statement`: a verbal event (quad classes 1 and 3: meetings, demands, condemnations), which
    news reports with nouns as often as with verbs ("في اتصال هاتفي", "إدانة المجلس").
    """
    weight = FORM_WEIGHT[form]
    if form == "noun" and mod.supported:
        weight = FORM_WEIGHT["past"]  # "نظم المعلمون وقفة احتجاجية" reports a protest
    if statement:
        weight = max(weight, FORM_WEIGHT["bare"])
        depth = 0
    score = 0.3 + weight
    score += 0.2 if mod.anchored else 0.0
    score += 0.1 if counted else 0.0
    score += 0.1 if has_source and not anaphoric else 0.0
    score -= 0.1 if anaphoric else 0.0
    score += 0.1 if multiword else 0.0
    score -= 0.3 if mod.reference else 0.0
    score -= 0.3 if instrument and not mod.supported else 0.0
    score -= 0.2 if historical and not mod.anchored else 0.0
    score -= 0.1 if depth > DEEP else 0.0
    return round(min(max(score, 0.05), 0.95), 2)
