"""`marsad train` and `marsad eval`: the detector's training and its honest evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from marsad.learn.build import default_annotations
from marsad.learn.detector import default_path

EXIT_OK = 0
DEFAULT_GOLD = "../shared/eval/gsr_dev"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _annotations(args: argparse.Namespace) -> Path | None:
    if args.no_team:
        return None
    return Path(args.annotations) if args.annotations else default_annotations()


def cmd_train(args: argparse.Namespace) -> int:
    """Train the detector on the gold and the team's sentences; write the model and its card."""
    from marsad.learn.build import train

    out = Path(args.out) if args.out else default_path()
    card = train(Path(args.gold), _annotations(args), out, folds=args.folds, cross_validation=not args.no_cv,
                 progress=_say, reviews=args.with_reviews)  # fmt: skip
    _say(f"wrote {out}")
    if "cv" in card:
        print_cv(card)
    if "reviews" in card:
        from marsad.learn.reviews import print_review_effect

        print_review_effect(card)
    return EXIT_OK


def _row(name: str, t: str, c: dict[str, Any]) -> str:
    return (f"{name:<22} {t:<8} {c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f} "
            f"{c['tp']:>4} {c['fp']:>4} {c['fn']:>4}")  # fmt: skip


def print_cv(figures: dict[str, Any]) -> None:
    """The cross-validated tables as `make eval` shows them."""
    for key, title in (("cv", "with the team set"), ("cv_without_team", "gold only (ablation)")):
        if key not in figures:
            continue
        cv = figures[key]
        print(f"\ncross-validated ({cv['folds']}-fold grouped by document, thresholds chosen inside the "
              f"training folds), {title}:")  # fmt: skip
        print(f"{'preset':<22} {'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for preset, found in cv["presets"].items():
            for t, c in found.items():
                print(_row(preset, t, c))
        print(f"Brier score {cv['brier']}; reliability (bin: n, mean p, observed):")
        print("  " + "; ".join(f"{r['bin']}: {r['n']}, {r['mean_p']}, {r['observed']}" for r in cv["reliability"]))
        if "arguments" in cv:
            print_arguments(cv["arguments"], f"cross-validated, {title}")
            print_arguments(cv["arguments_rules"], f"baseline: the word-order rules' roles, same folds, {title}")
        print("precision-recall curve (threshold: PROTEST P/R, ASSAULT P/R):")
        print("  " + "; ".join(f"{p['threshold']}: {p['PROTEST']['precision']}/{p['PROTEST']['recall']}, "
                               f"{p['ASSAULT']['precision']}/{p['ASSAULT']['recall']}" for p in cv["pr_curve"]))  # fmt: skip
    held = figures.get("team_heldout")
    if held:
        print("\nteam set, held-out folds: decision right per status:class (right/n):")
        print("  " + "; ".join(f"{k} {v['right']}/{v['n']}" for k, v in held["classes"].items()))
        print(
            "  sentences without any event, none coded, per domain: "
            + "; ".join(f"{k} {v['right']}/{v['n']}" for k, v in held["no_event_sentences"].items())
        )


def _in_sample(gold: Path) -> tuple[int, int]:
    """How many of the gold sentences the shipped model was trained on, of how many."""
    from marsad.learn.data_sources import load_gsr, text_key
    from marsad.learn.detector import load_detector

    trained = set(load_detector().card.get("data", {}).get("gsr", {}).get("text_keys", []))
    keys = [text_key(item.text) for item in load_gsr(gold)]
    return sum(k in trained for k in keys), len(keys)


def cmd_eval(args: argparse.Namespace) -> int:
    """Score the coder on a GSR-format gold directory (and, with --cv, cross-validate the detector)."""
    from marsad.evaluate import evaluate_dir
    from marsad.pipeline import code_text

    gold = Path(args.directory)
    result = evaluate_dir(gold, lambda text: code_text(text))
    seen, total = _in_sample(gold)
    sample = "in-sample" if seen else "held-out"
    if args.errors:
        errors = {"mistakes": result["mistakes"], "argument_errors": result["argument_errors"]}
        Path(args.errors).write_text(json.dumps(errors, ensure_ascii=False, indent=1), encoding="utf-8")
    summary: dict[str, Any] = {"detection": result["detection"], "arguments": result["arguments"],
                               "sample": sample, "trained_on": seen, "sentences": total}  # fmt: skip
    if args.cv:
        from marsad.learn.argument_training import argument_data
        from marsad.learn.build import argument_items, evaluate, load_items
        from marsad.learn.data_sources import examples
        from marsad.lexicon.loader import default_lexicon

        lex = default_lexicon()
        items = load_items(gold, _annotations(args))
        summary.update(evaluate(items, examples(items, lex), lex, folds=args.folds, progress=_say,
                                arguments=argument_data(gold, items, lex, argument_items(_annotations(args)))))  # fmt: skip
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return EXIT_OK
    _print_detection(summary, sample, seen, total)
    if args.cv:
        print_cv(summary)
    return EXIT_OK


def _print_detection(summary: dict[str, Any], sample: str, seen: int, total: int) -> None:
    note = (f"IN-SAMPLE: the shipped model was trained on {seen} of these {total} sentences; "
            "these figures flatter it — the honest ones are `marsad eval --cv` (make eval)")  # fmt: skip
    print(note if seen else f"held-out: none of these {total} sentences were in the shipped model's training data")
    print(f"{'detection (' + sample + ')':<22} {'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for etype, c in summary["detection"].items():
        print(_row("shipped model", etype, c))
    print_arguments(summary["arguments"], f"shipped models, {sample}")


def print_arguments(figures: dict[str, Any], title: str) -> None:
    """The strict who-did-it table (evaluate.score_arguments)."""
    print(f"\nsource and target ({title}; production thresholds; country/role over sentences whose gold has one):")
    print(f"{'type':<8} {'country':>13} {'role':>13} {'source P/R/F1':>20} {'target P/R/F1':>20}")
    for etype, a in figures.items():
        c, r, s, t = a["source_country"], a["source_role"], a["source_span"], a["target_span"]
        print(f"{etype:<8} {c['accuracy']:>6.3f} {c['right']:>3}/{c['n']:<3} {r['accuracy']:>6.3f} {r['right']:>3}/{r['n']:<3}"
              f" {s['precision']:>6.3f}/{s['recall']:.3f}/{s['f1']:.3f} {t['precision']:>6.3f}/{t['recall']:.3f}/{t['f1']:.3f}")  # fmt: skip


def add_commands(sub: Any) -> None:
    p = sub.add_parser("train", help="train the event detector (needs scikit-learn: marsad[train])",
                       epilog="Example: marsad train --gold ../shared/eval/gsr_dev")  # fmt: skip
    p.add_argument("--gold", default=DEFAULT_GOLD, help=f"GSR-format gold directory (default: {DEFAULT_GOLD})")
    p.add_argument("--annotations", help="the team's annotated sentences (default: data/annotations)")
    p.add_argument("--no-team", action="store_true", help="train on the gold only")
    p.add_argument("--out", help="model file to write (default: the shipped one in the package)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    p.add_argument("--no-cv", action="store_true", help="skip the cross-validated figures (faster)")
    p.add_argument("--with-reviews", metavar="DB", help="also learn from the reviews in this store (docs/review.md)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="score against GSR-format gold data (--cv: cross-validated figures)",
                       epilog="Example: marsad eval ../shared/eval/gsr_dev --cv")  # fmt: skip
    p.add_argument("directory", help="directory with *_gsr.csv and *_spans.json")
    p.add_argument("--cv", action="store_true", help="also cross-validate the detector (trains; needs marsad[train])")
    p.add_argument("--annotations", help="--cv: the team's annotated sentences (default: data/annotations)")
    p.add_argument("--no-team", action="store_true", help="--cv: gold only")
    p.add_argument("--folds", type=int, default=5, help="--cv: folds (default: 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--errors", metavar="FILE", help="write misclassified sentences to FILE (JSON)")
    p.set_defaults(func=cmd_eval)
