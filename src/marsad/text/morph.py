"""Light morphology: the lookup keys a normalised token can stand for.

Arabic attaches conjunctions, prepositions, the article, verb prefixes and pronoun suffixes to
the word. Instead of a full analyser we enumerate the light stems a token could have and look
each up in the lexicon; the lexicon stores its patterns under `lemma_key(word)`.

    >>> "تظاهر" in stem_keys("وتظاهروا")
    True
    >>> "متظاهر" in stem_keys("المتظاهرون")
    True
    >>> "مظاهره" in stem_keys("مظاهرات")
    True
"""

from __future__ import annotations

_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
_VERB = ("ي", "ت", "ن", "ا")
# Suffixes stripped as such; a stem must keep at least `_MIN_STEM` letters.
_SUFFIXES = (
    "ون",
    "ين",
    "ان",
    "وا",
    "تم",
    "تن",
    "نا",
    "ها",
    "هم",
    "هما",
    "هن",
    "كم",
    "كما",
    "كن",
    "ه",
    "ي",
    "ت",
    "ا",
    "ن",
)
# Feminine endings where the ta marbuta reappears as ت (or is dropped): stem + ه.
_FEMININE = ("ات", "تين", "تان", "ته", "تها", "تهم", "تهما", "تهن", "تي", "تنا", "تكم", "تك", "تا")
# Defective verbs lose their final ى/ا before these: أخلت → أخلى، دعوا → دعا، نفت → نفى.
_DEFECTIVE = ("ت", "وا", "تا", "ون", "ين")
# Sound masculine plurals are one word in two cases: مسلحون = مسلحين.
_PLURAL_CASE = {"ون": "ين", "ين": "ون"}
_MIN_STEM = 3


def _by_last_letter(suffixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Suffixes grouped by their last letter: a word is only tested against those it can end with."""
    groups: dict[str, list[str]] = {}
    for suffix in suffixes:
        groups.setdefault(suffix[-1], []).append(suffix)
    return {letter: tuple(group) for letter, group in groups.items()}


_FEMININE_BY_END = _by_last_letter(_FEMININE)
_DEFECTIVE_BY_END = _by_last_letter(_DEFECTIVE)
_SUFFIXES_BY_END = _by_last_letter(_SUFFIXES)


def lemma_key(word: str) -> str:
    """The key a lexicon word is stored under: normalised, without a leading article.

    >>> lemma_key("الحكومه")
    'حكومه'
    """
    if word.startswith("ال") and len(word) >= 5:
        return word[2:]
    return word


def _proclitic_bases(token: str) -> list[str]:
    bases = [token]
    if len(token) > _MIN_STEM and token[0] in _CONJ:
        bases.append(token[1:])
    for base in list(bases):
        if base.startswith("لل") and len(base) > _MIN_STEM + 1:
            bases.append(base[2:])
        if len(base) > _MIN_STEM and base[0] in _PREP:
            bases.append(base[1:])
    for base in list(bases):
        if base.startswith("ال") and len(base) > _MIN_STEM + 1:
            bases.append(base[2:])
        if base.startswith("س") and len(base) > _MIN_STEM + 1 and base[1] in _VERB:
            bases.append(base[1:])
    for base in list(bases):
        if len(base) > _MIN_STEM and base[0] in _VERB:
            bases.append(base[1:])
            if base[0] != "ا":
                bases.append("ا" + base[1:])  # يعتصمون → اعتصم، ينسحب → انسحب (forms VII, VIII, X)
    return bases


def _suffix_forms(base: str) -> list[str]:
    forms = [base]
    end = base[-1:]
    for suffix in _FEMININE_BY_END.get(end, ()):
        if base.endswith(suffix) and len(base) - len(suffix) >= _MIN_STEM - 1:
            stem = base[: -len(suffix)]
            forms.append(stem + "ه")
            if len(stem) >= _MIN_STEM:
                forms.append(stem)
    if base[-2:] in _PLURAL_CASE and len(base) > _MIN_STEM + 1:
        forms.append(base[:-2] + _PLURAL_CASE[base[-2:]])
    for suffix in _DEFECTIVE_BY_END.get(end, ()):
        if base.endswith(suffix) and len(base) - len(suffix) >= _MIN_STEM - 1:
            stem = base[: -len(suffix)]
            forms.extend((stem + "ي", stem + "ا"))
    for suffix in _SUFFIXES_BY_END.get(end, ()):
        if base.endswith(suffix) and len(base) - len(suffix) >= _MIN_STEM:
            stem = base[: -len(suffix)]
            forms.append(stem)
            if stem[-1] in "هي" and len(stem) > _MIN_STEM:
                forms.append(stem[:-1])
    return forms


def stem_keys(token: str) -> frozenset[str]:
    """Every light stem `token` may stand for (the token itself included)."""
    keys: set[str] = set()
    for base in _proclitic_bases(token):
        keys.update(_suffix_forms(base))
    return frozenset(k for k in keys if len(k) >= _MIN_STEM or k == token)


def bare(token: str) -> str:
    """The token without a leading conjunction و/ف (for exact particle matches: وإلى → الى)."""
    if len(token) > 2 and token[0] in _CONJ:
        return token[1:]
    return token
