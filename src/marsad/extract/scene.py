"""Where an event happened: the scene among the places of its sentence, paragraph and article.

`setting(seg, ...)` computes once per article the places of every sentence, the place each
sentence inherits from its paragraph and the dateline's place (and the article's date anchor).
`scenes(seg, setting, s, trigger)` gives the places of one event mention: the scene of the
sentence chosen by its role, and, as ACLED codes one event per location, the places coordinated
with it ("في برلين وميونيخ وهامبورغ": three places, one event record each).

The scene is chosen by role, not by position alone: a place after a locative word (في، أمام،
قرب) or a dateline comes first, a region (آسيا، الخليج) only when no country or town will do; a place that is the object of a demand or the topic of a talk
("للمطالبة باستقلال كتالونيا", "بحثا الأوضاع في ليبيا"; lexicon/data/place_context.tsv) comes last;
a club or company named after a city and an actor's nisba are never place mentions at all
(`marsad.extract.place_rules`). Among equals the nearest to the trigger wins.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from marsad.extract.actors import relative_between
from marsad.extract.dates import dateline_date, parse_record_date
from marsad.extract.place_rules import context_kind
from marsad.extract.places import DASHES, PlaceMention, find_places
from marsad.geo.gazetteer import Gazetteer
from marsad.model import Place, When
from marsad.text.normalize import normalize
from marsad.text.segment import PUNCT, Segmented

__all__ = [
    "LOCATIVES",
    "TIES",
    "Chooser",
    "Setting",
    "bare_tie",
    "candidates",
    "dateline_place",
    "is_locative",
    "is_object",
    "locate",
    "locative_list",
    "opens_sentence",
    "paragraphs",
    "rule_choice",
    "rule_order",
    "scenes",
    "setting",
    "undecided",
]

LOCATIVES = frozenset(
    {"في", "فى", "امام", "قرب", "وسط", "داخل", "بمدينه", "مدينه", "بلده", "شمال", "جنوب", "شرق", "غرب"}
)
# How near the trigger a more precise place of the same country must be to refine the event's place.
REFINE_REACH = 6
_LIST_COMMAS = frozenset("،,")


@dataclass(frozen=True, slots=True)
class Setting:
    """Article-level context for places and dates, computed once per article.

    `in_sentence[s]` are the place mentions of sentence s; `inherited[s]` is the last place
    named earlier in the same paragraph (or None); `dateline` the place opening the article.
    """

    in_sentence: dict[int, tuple[PlaceMention, ...]]
    inherited: tuple[PlaceMention | None, ...]
    dateline: PlaceMention | None
    anchor: When | None  # the article date (input record or dateline)
    anchor_date: dt.date | None


Chooser = Callable[[Segmented, Setting, int, Sequence[PlaceMention], str], Sequence[float]]
"""A learned scene score: (segmented text, setting, trigger token, candidates, event type) → a score
for each candidate and, optionally, one more for "none of them is the scene"."""


def paragraphs(seg: Segmented) -> tuple[int, ...]:
    """The paragraph number of each sentence (paragraphs are separated by line breaks)."""
    text = seg.norm.text
    breaks: list[int] = []
    at = text.find("\n")
    while at >= 0:
        breaks.append(at)
        at = text.find("\n", at + 1)
    return tuple(bisect_right(breaks, s.start) for s in seg.sentences)


BYLINE_REACH = 8  # tokens: "عوض الفهمي- سبق- مكة المكرمة:" — an author and an outlet before the place
# A place that opens the article followed by a day, a month and a year: "جيزان 25 شوال 1436هـ ... واس".
_DATED = re.compile(r"\d{1,2}\s+\S+\s+\d{4}")


def dateline_place(seg: Segmented, places: Sequence[PlaceMention]) -> PlaceMention | None:
    """The place that opens the article as a dateline: "بغداد - ..."، "طهران (رويترز) -"، "جيزان 25
    شوال 1436هـ ... واس", or ends a byline of dash-separated parts before a colon ("عوض الفهمي- سبق-
    مكة المكرمة: ...") — in the first sentence, or in the second when the first is a line of its
    own (a headline)."""
    text = seg.norm.text
    opening = {0}
    if len(seg.sentences) > 1 and "\n" in text[seg.sentences[0].end : seg.sentences[1].start]:
        opening.add(1)
    for p in places:
        at = p.first_token - seg.sentences[p.sentence].first_token if p.sentence in opening else BYLINE_REACH + 1
        if at > BYLINE_REACH:
            continue
        rest = text[seg.ends[p.last_token - 1] : seg.ends[p.last_token - 1] + 40].lstrip()
        if (at <= 1 and rest[:1] in DASHES + ":(") or (at == 0 and _DATED.match(rest)):
            return p
        before = text[seg.sentences[p.sentence].start : seg.starts[p.first_token]].rstrip()
        if rest[:1] == ":" and before[-1:] in DASHES and "\n" not in before:
            return p
    return None


def setting(
    seg: Segmented, record_date: str | None, gazetteer: Gazetteer, actors: Sequence[tuple[int, str]] = ()
) -> Setting:
    """The article's places (per sentence, inherited per paragraph, dateline) and date anchor;
    `actors` (sentence, iso3) of its named actors help tell namesake places apart (`find_places`)."""
    anchor: When | None = None
    day = parse_record_date(record_date)
    if day is not None:
        anchor = When(day.isoformat(), 1, None, None, None, "article_date")
    else:
        anchor = dateline_date(seg.norm)
        day = dt.date.fromisoformat(anchor.date) if anchor else None
    places = find_places(seg, gazetteer, actors)
    grouped: dict[int, list[PlaceMention]] = {}
    for p in places:
        grouped.setdefault(p.sentence, []).append(p)
    paragraph = paragraphs(seg)
    inherited: list[PlaceMention | None] = []
    last: PlaceMention | None = None
    for s_index, number in enumerate(paragraph):
        if s_index and number != paragraph[s_index - 1]:
            last = None
        inherited.append(last)
        if s_index in grouped:
            last = grouped[s_index][-1]
    in_sentence = {k: tuple(v) for k, v in grouped.items()}
    return Setting(in_sentence, tuple(inherited), dateline_place(seg, places), anchor, day)


def is_locative(seg: Segmented, place: PlaceMention) -> bool:
    """The place follows a locative word ("في برلين") or carries the preposition ب ("ببرلين",
    "وببغداد"); a name that itself begins with ب (برلين، بغداد) does not count."""
    before = seg.tokens.bare[place.first_token - 1] if place.first_token > 0 else ""
    token = seg.tokens.bare[place.first_token]
    first_word = normalize(place.place.name_ar).text.split(" ", 1)[0]
    return before in LOCATIVES or (token.startswith("ب") and token[1:].startswith(first_word))


def opens_sentence(seg: Segmented, place: PlaceMention) -> bool:
    """A dateline inside the text: "واشنطن – فرضت وزارة الخزانة ..." (a name, then a dash or colon)."""
    if place.first_token != seg.sentences[place.sentence].first_token:
        return False
    rest = seg.norm.text[seg.ends[place.last_token - 1] : seg.ends[place.last_token - 1] + 4].lstrip()
    return rest[:1] in "-–—ـ:"


def is_object(seg: Segmented, place: PlaceMention) -> bool:
    """The place is the object of a demand or the topic of a talk: a demand/topic word
    (place_context.tsv) within the two words before it ("باستقلال كتالونيا", "الأوضاع في ليبيا")."""
    lo = max(place.first_token - 2, seg.sentences[place.sentence].first_token)
    return any(context_kind(seg.tokens[k]) in ("demand", "topic") for k in range(lo, place.first_token))


Rank = tuple[bool, bool, int, int, int]
"""How the rules rank a candidate place (lower first): object, region, locative/opening, distance, position."""


def _rank(seg: Segmented, p: PlaceMention, trigger: int) -> Rank:
    return (
        is_object(seg, p),
        p.place.feature == "region",  # "في شرق آسيا" locates an event only when nothing else does
        0 if is_locative(seg, p) else 1 if opens_sentence(seg, p) else 2,
        abs(p.first_token - trigger),
        p.first_token,
    )


def rule_order(seg: Segmented, here: Sequence[PlaceMention], trigger: int) -> list[int]:
    """The indices of `here` in the rules' order: not an object of a demand or talk, not a region,
    locative, then dateline-like opening, then nearest the trigger, then earlier."""
    return _order([_rank(seg, p, trigger) for p in here])


def _order(ranks: Sequence[Rank]) -> list[int]:
    return sorted(range(len(ranks)), key=lambda i: ranks[i])


def rule_choice(seg: Segmented, here: Sequence[PlaceMention], trigger: int) -> tuple[int, str]:
    """The rules' scene among `here` (its index) and why: the first of `rule_order`, refined by a
    more precise place of the same country next to the trigger; the reason is the first ranking
    key that set it apart from the runner-up ("only" when it had none)."""
    return _choice(here, trigger, [_rank(seg, p, trigger) for p in here])


def _choice(here: Sequence[PlaceMention], trigger: int, ranks: Sequence[Rank]) -> tuple[int, str]:
    """`rule_choice` from the candidates' ranks (each computed once)."""
    order = _order(ranks)
    best = here[order[0]]
    # "في ألمانيا، بوابة براندنبورغ تظاهر المئات" happened at the Gate, in Germany.
    finer = [
        i
        for i, p in enumerate(here)
        if p.place.country_iso3 == best.place.country_iso3
        and p.place.precision < best.place.precision
        and abs(p.first_token - trigger) <= REFINE_REACH
    ]
    if finer:
        return min(
            finer, key=lambda i: (here[i].place.precision, abs(here[i].first_token - trigger), here[i].first_token)
        ), "refined"
    if len(order) == 1:
        return order[0], "only"
    return order[0], _why_scene(ranks[order[0]], ranks[order[1]])


def undecided(seg: Segmented, here: Sequence[PlaceMention], trigger: int) -> list[int]:
    """The candidates the rules' cues cannot tell apart — where only distance to the trigger would
    decide (`rule_choice` says "nearest"): those equal to the rules' choice on object, region and
    locative/opening. Empty when a cue decided."""
    ranks = [_rank(seg, p, trigger) for p in here]
    return _tied(ranks, *_choice(here, trigger, ranks))


def _tied(ranks: Sequence[Rank], k: int, why: str) -> list[int]:
    """`undecided` given the candidates' ranks, the rules' choice `k` and its reason."""
    if why != "nearest":
        return []
    return [i for i, rank in enumerate(ranks) if rank[:3] == ranks[k][:3]]


def bare_tie(seg: Segmented, here: Sequence[PlaceMention], trigger: int) -> bool:
    """The rules' cues tie (`undecided`) among places none of which follows a locative word or
    opens the sentence, and that are not listed together: bare names such as "إيران تتوصل إلى
    توافق مع الولايات المتحدة" — in real news more often actors, topics or titles than the scene."""
    tied = undecided(seg, here, trigger)
    if len(tied) < 2 or _rank(seg, here[tied[0]], trigger)[2] != 2:
        return False
    # A list ("شمل الإضراب الرباط والدار البيضاء وفاس") names the scenes, one record each.
    return len(coordinated(seg, here, here[tied[0]])) < 2


TIES = ("nearest", "inherit")
"""What a bare tie (`bare_tie`) gives: the nearest of the tied places, or no place of the
sentence — the place inherited from the paragraph or the dateline, else none."""


LIST_REACH = 6  # how far before a list of places a locative word may govern it ("في عدد من الدول الأوروبية و...")


def locative_list(seg: Segmented, here: Sequence[PlaceMention], p: PlaceMention) -> bool:
    """`p` is one of a list of places governed by a locative word a few words before the list, in
    the same clause: "في عدد من الدول الأوروبية والولايات المتحدة وكندا" names scenes, where
    "رحبت السعودية والإمارات" names actors."""
    group = coordinated(seg, here, p)
    if len(group) < 2:
        return False
    first = group[0].first_token
    lo = max(seg.sentences[p.sentence].first_token, first - LIST_REACH)
    for k in range(first - 1, lo - 1, -1):
        if seg.tokens[k] in PUNCT:
            return False
        if seg.tokens.bare[k] in LOCATIVES:
            return True
    return False


def _scene(
    seg: Segmented,
    setting: Setting,
    here: Sequence[PlaceMention],
    trigger: int,
    chooser: Chooser | None = None,
    event_type: str = "",
) -> PlaceMention | None:
    """The sentence's scene: the rules' (`rule_choice`); where the rules' cues cannot decide
    (`undecided`) and a `chooser` (the learned scene model) is given, the best-scored of the tied
    candidates — `chosen_by` "learned" when that is not the nearest — or None when the chooser
    scores "none of them" higher (the scene is not named in the sentence) and the pick is not in a
    list governed by a locative word (`locative_list`)."""
    ranks = [_rank(seg, p, trigger) for p in here]
    k, why = _choice(here, trigger, ranks)
    tied = _tied(ranks, k, why) if chooser is not None else []
    if len(tied) > 1 and chooser is not None:
        scores = chooser(seg, setting, trigger, here, event_type)
        pick = max(tied, key=lambda i: (scores[i], i == k))
        if len(scores) > len(here) and scores[len(here)] > scores[pick] and not locative_list(seg, here, here[pick]):
            return None
        if pick != k:
            return _chosen(here[pick], "learned")
    return _chosen(here[k], why)


def _why_scene(best: Rank, other: Rank) -> str:
    """The first ranking key on which the scene beats the runner-up."""
    if best[0]:
        return "object"  # every place is the object of a demand or a talk: the best of them
    if best[0] != other[0]:
        return "not-object"
    if best[1] != other[1]:
        return "not-region"
    if best[2] != other[2]:
        return "locative" if best[2] == 0 else "opening"
    return "nearest"


def _chosen(p: PlaceMention, why: str) -> PlaceMention:
    return replace(p, place=replace(p.place, chosen_by=why))


def _joined(seg: Segmented, left: PlaceMention, right: PlaceMention) -> bool:
    """`right` is coordinated with `left`: "برلين وميونيخ", "برلين، ميونيخ وهامبورغ"."""
    if right.first_token == left.last_token:
        return seg.tokens[right.first_token].startswith("و")
    gap = seg.tokens[left.last_token : right.first_token]
    return len(gap) == 1 and gap[0] in _LIST_COMMAS


def coordinated(seg: Segmented, here: Sequence[PlaceMention], best: PlaceMention) -> list[PlaceMention]:
    """The scene and the places listed with it, in text order: "في تونس والجزائر والمغرب"."""
    ordered = sorted(here, key=lambda p: p.first_token)
    k = next(i for i, p in enumerate(ordered) if p.first_token == best.first_token)
    lo, hi = k, k
    while lo > 0 and _joined(seg, ordered[lo - 1], ordered[lo]):
        lo -= 1
    while hi + 1 < len(ordered) and _joined(seg, ordered[hi], ordered[hi + 1]):
        hi += 1
    group = ordered[lo : hi + 1]
    if group[0].first_token > 0 and seg.tokens.bare[group[0].first_token - 1] == "بين":
        return [best]  # "الطريق بين الناصرية والبصرة": one place between two towns
    # A list of scenes, not a place and its own country or region ("في برلين، ألمانيا").
    if len({(p.place.geonameid, p.place.name_en) for p in group}) < len(group):
        return [best]
    if any(
        a.place.country_iso3 == b.place.country_iso3 and a.place.precision != b.place.precision
        for a in group
        for b in group
    ):
        return [best]
    return group


def _scene_of(
    seg: Segmented,
    setting: Setting,
    s_index: int,
    trigger: int,
    here: Sequence[PlaceMention],
    chooser: Chooser | None = None,
    event_type: str = "",
) -> PlaceMention | None:
    """The scene among the candidates `here` (`_scene`), its `chosen_by` saying why when it was the
    only candidate because the sentence's other places were set aside: objects of a demand or talk
    ("not-object") or places in a relative clause after the trigger ("not-relative")."""
    best = _scene(seg, setting, here, trigger, chooser, event_type)
    if best is None or best.place.chosen_by != "only":
        return best
    kept = {p.first_token for p in here}
    dropped = [p for p in setting.in_sentence.get(s_index, ()) if p.first_token not in kept]
    if not dropped:
        return best
    return _chosen(best, "not-object" if any(is_object(seg, p) for p in dropped) else "not-relative")


def in_relative_clause(seg: Segmented, trigger: int, place: PlaceMention) -> bool:
    """The place is after the trigger, past a relative pronoun: "وردد المتظاهرون شعارات ضد
    الميليشيات التي تقتل المدنيين في سوريا" does not place the protest in Syria."""
    return place.first_token > trigger and relative_between(seg.tokens, trigger + 1, place.first_token)


def scenes(
    seg: Segmented,
    setting: Setting,
    s_index: int,
    trigger: int,
    *,
    fan_out: bool = True,
    chooser: Chooser | None = None,
    ties: str = "nearest",
    event_type: str = "",
) -> list[Place | None]:
    """The places of an event mention, one event record each: the sentence's scene and (with
    `fan_out`) the places coordinated with it, else the nearest earlier place of its paragraph,
    else the dateline's place, else [None]; `basis` says which. `chooser`: see `_scene`; `ties`:
    see `TIES`. When the sentence's places were judged not the scene (a bare tie under "inherit",
    or the chooser's "none"), the inherited place's `chosen_by` is "none-here"."""
    here = candidates(seg, setting, s_index, trigger)
    skipped = False
    if here:
        skipped = ties == "inherit" and bare_tie(seg, here, trigger)
        best = None if skipped else _scene_of(seg, setting, s_index, trigger, here, chooser, event_type)
        if best is not None:
            if not fan_out:
                return [best.place]
            listed = coordinated(seg, here, best)
            return [
                best.place if p.first_token == best.first_token else replace(p.place, chosen_by="listed")
                for p in listed
            ]
        skipped = True
    return [_inherited(setting, s_index, "none-here" if skipped else None)]


def candidates(seg: Segmented, setting: Setting, s_index: int, trigger: int) -> tuple[PlaceMention, ...]:
    """The sentence's places that may be the scene of the trigger's event: not in a relative
    clause after it, and no object of a demand or a talk, unless the sentence names no other place
    and inherits none ("خرجت مسيرة للمطالبة باستقلال كتالونيا" is in Catalonia for want of better)."""
    here = tuple(p for p in setting.in_sentence.get(s_index, ()) if not in_relative_clause(seg, trigger, p))
    scenes_ = tuple(p for p in here if not is_object(seg, p))
    if scenes_ or setting.inherited[s_index] is not None or _dateline_applies(setting, s_index):
        return scenes_
    return here


def _dateline_applies(setting: Setting, s_index: int) -> bool:
    """The dateline's place may stand for sentence `s_index`: any sentence after the first, and a
    headline above a dateline that opens the next line ("آلاف الأردنيين يتظاهرون تضامناً مع غزة" over
    "عمّان - 20 تشرين الأول ..."): the headline tells the story the dateline locates."""
    return setting.dateline is not None and (s_index > 0 or setting.dateline.sentence > 0)


def locate(
    seg: Segmented,
    setting: Setting,
    s_index: int,
    trigger: int,
    chooser: Chooser | None = None,
    ties: str = "nearest",
    event_type: str = "",
) -> Place | None:
    """The event's one place: in its sentence the scene (`_scene`), else the nearest earlier place
    of its paragraph, else the dateline's place; `basis` says which."""
    return scenes(seg, setting, s_index, trigger, fan_out=False, chooser=chooser, ties=ties, event_type=event_type)[0]


def _inherited(setting: Setting, s_index: int, why: str | None) -> Place | None:
    """The nearest earlier place of the sentence's paragraph, else the dateline's place (after the
    first sentence, or for a headline above it), else None; `chosen_by` = `why`."""
    earlier = setting.inherited[s_index]
    if earlier is not None:
        return replace(earlier.place, basis="paragraph", chosen_by=why)
    if setting.dateline is not None and _dateline_applies(setting, s_index):
        return replace(setting.dateline.place, basis="dateline", chosen_by=why)
    return None
