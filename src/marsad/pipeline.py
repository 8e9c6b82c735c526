"""The coder: article text → list of `Event`, composing the pure stages.

normalize → segment → (per sentence) triggers, modality cues, actor mentions → events, then
each event gets its places (`marsad.extract.scene`: one record per scene place), date and counts
(`Setting`: article-level context computed once).
Resources come from `default_lexicon()` and `load_gazetteer()`, built once per process.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from marsad.extract.actor_fill import drop_place_actors, fill_actors
from marsad.extract.actors import Mention, Roles, named_countries, relative_between
from marsad.extract.dates import DateMention, find_dates, to_when
from marsad.extract.events import Candidate
from marsad.extract.merge import merge_sentence_events
from marsad.extract.proposals import propose, retype
from marsad.extract.quantities import Quantities, find_quantities
from marsad.extract.scene import Chooser, Setting
from marsad.extract.scene import scenes as scene_places
from marsad.extract.scene import setting as make_setting
from marsad.geo.gazetteer import Gazetteer, load_gazetteer
from marsad.learn.arguments import ArgumentModel, RulesRanker, load_arguments, sources
from marsad.learn.detector import Detector, load_detector
from marsad.learn.scenes import SceneModel, scene_choice
from marsad.lexicon.loader import Lexicon, default_lexicon
from marsad.model import Actor, Event, Evidence, When
from marsad.ontology import QUAD_CLASS
from marsad.text.normalize import normalize
from marsad.text.segment import Segmented, Sentence, segment


def _actor(seg: Segmented, mention: Mention | None) -> Actor | None:
    if mention is None:
        return None
    # The text starts after a conjunction or preposition glued to the name: "لداعش" → "داعش".
    start, end = seg.norm.orig_span(seg.starts[mention.first] + mention.clitic, seg.ends[mention.last - 1])
    return Actor(seg.norm.original[start:end], start, end, mention.country, mention.role, mention.name_en)


def _event(
    seg: Segmented,
    evidence_span: tuple[int, int],
    candidate: Candidate,
    rules: Roles,
    roles: Roles,
    score: float,
    article_id: str | None,
) -> Event:
    """`rules`: the word-order rules' roles, which the detector read and which type the event
    (PLOVER's riot retyping), so that its type is the one the detector judged; `roles`: the
    argument ranker's source and target, which the event reports."""
    trig, entry, original = candidate.trigger, candidate.trigger.payload, seg.norm.original
    s_start, s_end = evidence_span
    t_start, t_end = seg.norm.orig_span(seg.starts[trig.first], seg.ends[trig.last - 1])
    event_type, mode = retype(entry.event_type, entry.mode, rules.source)
    return Event(
        article_id=article_id,
        event_type=event_type,
        mode=mode,
        quad_class=QUAD_CLASS[event_type],
        source=_actor(seg, roles.source),
        target=_actor(seg, roles.target),
        evidence=Evidence(original[s_start:s_end], s_start, s_end, original[t_start:t_end], t_start, t_end),
        negated=candidate.modality.negated,
        hypothetical=candidate.modality.hypothetical,
        confidence=score,
        trigger_gloss=entry.gloss_en,
    )


def _events_of_sentence(
    lexicon: Lexicon,
    detector: Detector,
    arguments: ArgumentModel | RulesRanker,
    seg: Segmented,
    s_index: int,
    article_id: str | None,
    floors: dict[str, float],
) -> tuple[list[tuple[int, Event]], list[str]]:
    """The sentence's events, each with the index of its trigger's first token, and the countries
    of the named people and organisations the sentence's proposals found (`named_countries`).

    The detector's probability becomes `Event.confidence`; a factual candidate under the floor
    of its type (`floors`, "*" for the others) is dropped, a negated or hypothetical one is kept
    with its flag. The argument ranker picks each kept event's source and target.
    """
    sentence = seg.sentences[s_index]
    view, proposals = propose(lexicon, seg, sentence)
    if not proposals:
        return [], []
    named = named_countries(proposals[0].mentions)
    evidence_span = seg.norm.orig_span(sentence.start, sentence.end)
    events: list[tuple[int, Event]] = []
    scores = detector.probabilities([p.view for p in proposals], view)
    for p, probability in zip(proposals, scores, strict=True):
        score = round(probability, 3)
        entry = p.candidate.trigger.payload
        kind = retype(entry.event_type, entry.mode, p.roles.source)[0]  # the type the event is emitted as
        if score >= floors.get(kind, floors["*"]) or not p.candidate.modality.factual:
            roles, pool = arguments.choose(p.frame, p.mentions)
            for source in sources(p.frame, pool, roles.source, roles.target):
                event = _event(seg, evidence_span, p.candidate, p.roles, Roles(source, roles.target), score, article_id)
                events.append((p.candidate.trigger.first, event))
    return events, named


# Words before a place name that make it the scene of the event ("في برلين", "أمام السفارة في ...").
# Event types whose counts are crowd sizes, and those whose counts are casualties.
_SIZED = frozenset({"PROTEST", "MOBILIZE"})
_VIOLENT = frozenset({"ASSAULT", "COERCE", "PROTEST"})
_NO_COUNTS = Quantities(None, None, None)
# Event types coded once per listed scene place, as ACLED codes protests and violence.
_FAN_OUT = frozenset({"PROTEST", "ASSAULT", "COERCE", "MOBILIZE"})


def _same_clause(seg: Segmented, trigger: int, mention: DateMention) -> bool:
    """No relative pronoun between the trigger and the date: "تظاهر المئات تضامنا مع المحتجين
    الذين يواجهون القمع منذ أسبوعين" dates the repression, not the protest."""
    at = bisect_right(seg.starts, mention.start) - 1
    lo, hi = (trigger, at) if at > trigger else (at, trigger)
    return not relative_between(seg.tokens, lo + 1, hi)


def _date(seg: Segmented, setting: Setting, sentence: Sentence, trigger: int) -> When | None:
    """The event's date: the nearest date expression of its clause, else the article date."""
    found = find_dates(seg.norm.text, sentence.start, sentence.end, setting.anchor_date)
    dateline = setting.anchor if setting.anchor and setting.anchor.basis == "dateline" else None
    at = seg.starts[trigger]
    found = [
        m
        for m in found
        if _same_clause(seg, trigger, m) and not (dateline and seg.norm.orig_start(m.start) == dateline.start)
    ]
    if found:
        best = min(found, key=lambda m: (max(m.start - at, at - m.end, 0), m.start))
        return to_when(best, seg.norm)
    if setting.anchor is None:
        return None
    # No date in the sentence: news reports what happened since the last issue, so the event
    # is placed in the week of the article date (ACLED time_precision 2).
    return replace(setting.anchor, time_precision=2)


def _situate(
    seg: Segmented,
    setting: Setting,
    sentence: Sentence,
    s_index: int,
    events: list[tuple[int, Event]],
    chooser: Chooser | None = None,
    ties: str = "nearest",
) -> list[Event]:
    """Add place, date and counts to the events of one sentence: one record per scene place, as
    ACLED codes one event per location ("في برلين وميونيخ"), each with the same evidence."""
    counted = any(e.event_type in _SIZED or e.event_type in _VIOLENT for _, e in events)
    counts = find_quantities(seg, sentence.first_token, sentence.last_token) if counted else _NO_COUNTS
    out: list[Event] = []
    for trigger, event in events:
        where = scene_places(
            seg,
            setting,
            s_index,
            trigger,
            fan_out=event.event_type in _FAN_OUT,
            chooser=chooser,
            ties=ties,
            event_type=event.event_type,
        )
        event = drop_place_actors(
            event, where
        )  # "تظاهرات في ... والولايات المتحدة وكندا": Canada is a scene, no target
        out.extend(
            replace(
                event,
                location=place,
                when=_date(seg, setting, sentence, trigger),
                size=counts.size if event.event_type in _SIZED else None,
                fatalities=counts.fatalities if event.event_type in _VIOLENT else None,
                injuries=counts.injuries if event.event_type in _VIOLENT else None,
            )
            for place in where
        )
    return out


def code_text(
    text: str,
    *,
    article_id: str | None = None,
    date: str | None = None,
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
    detector: Detector | None = None,
    min_confidence: float | str | None = None,
    relevance_gate: bool = True,
    arguments: ArgumentModel | RulesRanker | None = None,
    scenes: str = "learned",
    scene_model: SceneModel | None = None,
) -> list[Event]:
    """Code one article's text into event mentions (all offsets index `text`).

    `date` is the article's publication date (ISO) that relative dates resolve against; without
    it the dateline is used. Each candidate the lexicon proposes gets the detector's probability
    that the sentence reports it as news; factual mentions under `min_confidence` are left out:
    None = the detector's cross-validated F1-optimal threshold of their type, "precision" or
    "recall" = those presets, a probability = that floor for every type (0: every candidate).
    `relevance_gate`: in an article the relevance model judges not political (sports, business,
    weather ...), keep only the events that pass the detector's "precision" threshold.
    `arguments`: the source/target ranker (default: the shipped one; `RulesRanker()`: the
    word-order rules, the baseline). `scenes`: which of a sentence's places is the scene where the
    rules' cues tie — "learned" (the shipped scene model, which may also say none of them),
    "rules" or "cautious" (`learn.scenes.scene_choice`); `scene_model` replaces the shipped model.
    """
    lex = lexicon or default_lexicon()
    model = detector or load_detector()
    ranker = arguments or load_arguments()
    chosen_model, ties = scene_choice(scenes)
    deciding = scene_model or chosen_model
    chooser = deciding.score if deciding is not None else None
    floors = model.floors(min_confidence)
    seg = segment(normalize(text))
    found: list[list[tuple[int, Event]]] = []
    actors: list[tuple[int, str]] = []  # the named actors of the sentences with candidates vote on places
    for s_index in range(len(seg.sentences)):
        sentence_events, named = _events_of_sentence(lex, model, ranker, seg, s_index, article_id, floors)
        found.append(sentence_events)
        actors.extend((s_index, iso3) for iso3 in named)
    events: list[Event] = []
    if any(found):
        setting = make_setting(seg, date, gazetteer or load_gazetteer(), actors)
        for s_index, sentence in enumerate(seg.sentences):
            if found[s_index]:
                situated = _situate(seg, setting, sentence, s_index, found[s_index], chooser, ties)
                events.extend(merge_sentence_events([fill_actors(e) for e in situated]))
    if relevance_gate and events:
        return gate(events, model, seg.tokens)
    return events


def gate(events: list[Event], detector: Detector, tokens: tuple[str, ...]) -> list[Event]:
    """In an article judged not political, the factual events the detector is very sure of
    ("precision" preset) and the flagged negated/hypothetical ones; nothing is removed from an
    article judged political."""
    kept = [e for e in events if not e.factual or e.confidence >= detector.threshold(e.event_type, "precision")]
    if len(kept) == len(events):
        return events  # the gate could remove nothing: the article need not be read
    political = detector.political(tokens)
    if political is None or detector.relevance is None or political >= detector.relevance.threshold:
        return events
    return kept
