"""Teach the detector from a store's reviews (`marsad train --with-reviews DB`).

Each reviewed event becomes one annotated sentence in the shape of the team's annotations
(data/annotations/*.jsonl, docs/annotation.md): the reviewed mention's evidence sentence, `doc` =
its article id (so grouped cross-validation keeps each article's reviews in one fold), and

- confirmed → the machine's type and mode, status "reported", its trigger, source and target;
- corrected → the corrected type, mode, source and target (the reviewer's strings), "reported";
- rejected as "not-reported" or "wrong-type" → a negative for the machine's type;
- rejected as "duplicate" or "not-political" → left out: the sentence may well report an event.

A reviewed article counts as political news for the relevance model (domain "politics"): its event
was coded from it and the reviewer did not reject it as not political.

Unlike a team sentence, a review speaks only of the types it names: other candidates of the
sentence get no label (not a silent "no"). The review data stays in the user's store; only the
sentences' fingerprints reach the model card.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.extract.proposals import propose_all
from marsad.learn.data_sources import REPORTED, Example, Item, text_key
from marsad.learn.features import HASH_BITS, features, hashed
from marsad.lexicon.loader import Lexicon

NEGATIVE_REASONS = frozenset({"not-reported", "wrong-type"})
NOT_REPORTED = "not-reported"
CORPUS = "team"  # reviews train like the team's sentences: in every training fold, with the team weight


@dataclass(frozen=True, slots=True)
class ReviewSentence:
    """One reviewed sentence: the annotation record and the types it denies."""

    record: dict[str, Any]
    denied: frozenset[str]


def _text(part: Any) -> str | None:
    return part.get("text") if isinstance(part, dict) and part.get("text") else None


def _annotation(event: dict[str, Any], review: dict[str, Any]) -> ReviewSentence | None:
    """The annotation of one reviewed event, from its anchor mention's record; None if it teaches nothing."""
    anchor = next((m for m in event["mentions"] if m["mention_id"] == review["mention_id"]), None)
    if anchor is None:
        return None
    record, machine = anchor["record"], event["machine"]
    evidence = record["evidence"]
    base = {"id": f"review-{review['id']}", "doc": record.get("article_id") or anchor["article_id"],
            "domain": "politics", "text": evidence["sentence"], "reviewer": review["reviewer"]}  # fmt: skip
    verdict, changes = review["verdict"], review["changes"]
    if verdict == "rejected":
        if review["reason"] not in NEGATIVE_REASONS:
            return None
        denied = {"type": machine["event_type"], "mode": machine["mode"], "status": NOT_REPORTED,
                  "trigger": evidence["trigger"], "source": None, "target": None, "class": "review"}  # fmt: skip
        return ReviewSentence({**base, "events": [denied]}, frozenset({machine["event_type"]}))
    new = {name: change["new"] for name, change in changes.items()}
    kind = new.get("event_type", machine["event_type"])
    reported = {
        "type": kind, "mode": new.get("mode", machine["mode"] if kind == machine["event_type"] else None),
        "status": REPORTED, "trigger": evidence["trigger"],
        "source": _text(new["source"]) if "source" in new else _text(record.get("source")),
        "target": _text(new["target"]) if "target" in new else _text(record.get("target")), "class": "review",
    }  # fmt: skip
    events = [reported]
    if kind != machine["event_type"]:  # a retyped event also says the machine's type was wrong
        events.append({"type": machine["event_type"], "mode": None, "status": NOT_REPORTED,
                       "trigger": evidence["trigger"], "source": None, "target": None, "class": "review"})  # fmt: skip
    wrong = frozenset[str]() if kind == machine["event_type"] else frozenset({machine["event_type"]})
    return ReviewSentence({**base, "events": events}, wrong)


def review_sentences(db: str) -> list[ReviewSentence]:
    """Every event's latest review in the store at `db`, as annotated sentences, in review order."""
    from marsad.store import open_store
    from marsad.store.reviews import latest_event_ids

    out: list[ReviewSentence] = []
    with open_store(db) as store:
        for event_id in latest_event_ids(store.db):
            event = store.event(event_id)
            if event is None or not event["reviews"]:
                continue
            found = _annotation(event, event["reviews"][-1])
            if found is not None:
                out.append(found)
    return sorted(out, key=lambda s: s.record["id"])


def annotation_lines(db: str) -> Iterator[dict[str, Any]]:
    """The reviews as data/annotations records (what `marsad train --with-reviews` learns from)."""
    for sentence in review_sentences(db):
        yield sentence.record


def review_items(sentences: list[ReviewSentence]) -> list[Item]:
    """Items of the reviewed sentences; the group is the article, so its reviews share a fold."""
    seen: dict[str, int] = {}
    items = []
    for s in sentences:
        r = s.record
        index = seen[r["doc"]] = seen.get(r["doc"], -1) + 1
        reported = frozenset(e["type"] for e in r["events"] if e["status"] == REPORTED)
        items.append(Item(CORPUS, r["id"], f"review:{r['doc']}", index, r["text"], None, None, 1.0, reported,
                          tuple(r["events"]), r["domain"]))  # fmt: skip
    return items


def review_examples(
    items: list[Item], sentences: list[ReviewSentence], first: int, lexicon: Lexicon, bits: int = HASH_BITS
) -> list[Example]:
    """Candidates of the reviewed sentences whose type a review confirms (target 1) or denies (0);
    `first` is the index of the first review item in the full items list."""
    out: list[Example] = []
    for n, (item, sentence) in enumerate(zip(items, sentences, strict=True)):
        for proposal, view, final_type in propose_all(item.text, lexicon):
            if final_type in item.reported:
                target = 1.0
            elif final_type in sentence.denied:
                target = 0.0
            else:
                continue
            indices = tuple(hashed(features(proposal.view, view), bits))
            out.append(Example(first + n, final_type, proposal.candidate.modality.factual, indices, target, 1.0))
    return out


def with_reviews(
    items: list[Item],
    batch: list[Example],
    db: str,
    lexicon: Lexicon,
    *,
    bits: int = HASH_BITS,
    folds: int | None = None,
) -> tuple[list[Item], list[Example], dict[str, Any]]:
    """`items` and `batch` extended with the store's reviews, and the model card's account of them;
    with `folds`, also the gold cross-validation without the reviews ("cv_before", see `review_card`)."""
    sentences = review_sentences(db)
    added = review_items(sentences)
    extra = review_examples(added, sentences, len(items), lexicon, bits)
    labels: dict[str, int] = {}
    for s in sentences:
        key = "positive" if any(e["status"] == REPORTED for e in s.record["events"]) else "negative"
        labels[key] = labels.get(key, 0) + 1
    card: dict[str, Any] = {
        "sentences": len(sentences), "articles": len({s.record["doc"] for s in sentences}), "examples": len(extra),
        "by_label": dict(sorted(labels.items())), "text_keys": sorted({text_key(s.record["text"]) for s in sentences}),
    }  # fmt: skip
    if folds:
        from marsad.learn.evaluation import cross_validate

        card["cv_before"] = cross_validate(items, batch, lexicon, k=folds, bits=bits)
    return [*items, *added], [*batch, *extra], card


def review_card(reviewed: dict[str, Any], after: dict[str, Any] | None) -> dict[str, Any]:
    """The model card's "reviews": what was added and, with both CV runs, what it changed."""
    before = reviewed.pop("cv_before", None)
    if before is None or after is None:
        return reviewed
    return {**reviewed, "cv_before": before, "effect": review_effect(before, after)}


def review_effect(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Per preset and type, the cross-validated P/R/F1 without and with the reviews, and the change."""
    rows = []
    for preset, found in after["presets"].items():
        for kind, now in found.items():
            was = before["presets"].get(preset, {}).get(kind)
            if was is None:
                continue
            rows.append({"preset": preset, "type": kind, **{f"{m}_before": was[m] for m in ("precision", "recall", "f1")},
                         **{f"{m}_after": now[m] for m in ("precision", "recall", "f1")},
                         "f1_change": round(now["f1"] - was["f1"], 3)})  # fmt: skip
    return rows


def print_review_effect(card: dict[str, Any]) -> None:
    """What the reviews changed, as `marsad train --with-reviews` prints it."""
    reviews = card["reviews"]
    print(f"\nreviews: {reviews['sentences']} sentences from {reviews['articles']} articles "
          f"({reviews['by_label']}), {reviews['examples']} candidate examples")  # fmt: skip
    if "effect" not in reviews:
        return
    print("cross-validated on the gold, without → with the reviews:")
    print(f"{'preset':<10} {'type':<8} {'P':>13} {'R':>13} {'F1':>13} {'ΔF1':>6}")
    for r in reviews["effect"]:
        print(f"{r['preset']:<10} {r['type']:<8} {r['precision_before']:>5.3f} → {r['precision_after']:<5.3f} "
              f"{r['recall_before']:>5.3f} → {r['recall_after']:<5.3f} {r['f1_before']:>5.3f} → {r['f1_after']:<5.3f} "
              f"{r['f1_change']:>+6.3f}")  # fmt: skip
