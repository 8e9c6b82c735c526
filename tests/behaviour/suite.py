"""CheckList-style behaviour suite (Ribeiro et al. 2020) for Marsad's event detection.

The cases live in `cases.jsonl`, one construction per line, each with five variants. A coder is any
callable `text -> iterable of events`; an event needs `.event_type` and `.factual`. "The coder
reports event T" means at least one event of type T with `factual` true.

Capabilities and what passes:

- MFT (minimum functionality): a variant passes when the decision equals `expect`.
- INV (invariance): the five variants differ only by names, places, numbers and dates. A variant
  passes when the decision equals `expect`; a construction is *invariant* when its five decisions agree
  (whatever they are).
- DIR (directional): each variant is a pair [base, transformed]. The only direction supported is
  `expect: false`: a pair passes when the base is reported and the transformed sentence is not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CASES_PATH = Path(__file__).with_name("cases.jsonl")
FLOORS_PATH = Path(__file__).with_name("floors.json")
CAPABILITIES = ("MFT", "INV", "DIR")
VARIANTS_PER_CONSTRUCTION = 5
MIN_CONSTRUCTIONS = 40
FIELDS = ("construction", "capability", "type", "expect", "variants")

Coder = Callable[[str], Iterable[Any]]


def load_cases(path: Path = CASES_PATH) -> list[dict[str, Any]]:
    """The constructions in `path` (JSON Lines; blank lines are skipped)."""
    cases = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc})") from None
            case["_line"] = number
            cases.append(case)
    return cases


def sentences(case: dict[str, Any]) -> list[str]:
    """Every sentence of a construction (both members of each DIR pair)."""
    out: list[str] = []
    for variant in case["variants"]:
        out.extend(variant if isinstance(variant, list) else [variant])
    return out


def validate(cases: list[dict[str, Any]], *, min_constructions: int = MIN_CONSTRUCTIONS) -> list[str]:
    """Every problem with the suite, as readable strings (empty when it is well-formed)."""
    problems: list[str] = []
    if len(cases) < min_constructions:
        problems.append(f"{len(cases)} constructions < {min_constructions}")
    names: set[str] = set()
    seen: dict[str, str] = {}
    for case in cases:
        where = f"line {case.get('_line', '?')} ({case.get('construction', '?')!r})"
        missing = [f for f in FIELDS if f not in case]
        if missing:
            problems.append(f"{where}: missing {missing}")
            continue
        extra = set(case) - set(FIELDS) - {"_line", "note"}
        if extra:
            problems.append(f"{where}: unknown fields {sorted(extra)}")
        if not isinstance(case["construction"], str) or not case["construction"].strip():
            problems.append(f"{where}: empty construction name")
        elif case["construction"] in names:
            problems.append(f"{where}: duplicate construction name")
        names.add(case["construction"])
        if case["capability"] not in CAPABILITIES:
            problems.append(f"{where}: capability {case['capability']!r} not in {CAPABILITIES}")
        if not isinstance(case["type"], str) or not case["type"].isupper():
            problems.append(f"{where}: type {case['type']!r} is not a PLOVER type name")
        if not isinstance(case["expect"], bool):
            problems.append(f"{where}: expect must be true or false")
        if case["capability"] == "DIR" and case["expect"] is not False:
            problems.append(f"{where}: DIR supports only expect false (base reported, transformed not)")
        variants = case["variants"]
        if not isinstance(variants, list) or len(variants) != VARIANTS_PER_CONSTRUCTION:
            problems.append(f"{where}: needs exactly {VARIANTS_PER_CONSTRUCTION} variants")
            continue
        for variant in variants:
            if case["capability"] == "DIR":
                ok = isinstance(variant, list) and len(variant) == 2 and all(isinstance(s, str) for s in variant)
                if not ok:
                    problems.append(f"{where}: DIR variant must be a [base, transformed] pair: {variant!r}")
                    continue
                if variant[0] == variant[1]:
                    problems.append(f"{where}: DIR pair has identical sentences: {variant[0]!r}")
            elif not isinstance(variant, str):
                problems.append(f"{where}: variant must be a sentence: {variant!r}")
                continue
            for sentence in variant if isinstance(variant, list) else [variant]:
                if not sentence.strip():
                    problems.append(f"{where}: empty sentence")
                elif sentence in seen:
                    problems.append(f"{where}: sentence also in {seen[sentence]}: {sentence!r}")
                else:
                    seen[sentence] = where
    return problems


def default_coder() -> Coder:
    import marsad

    return marsad.code


def reports(events: Iterable[Any], event_type: str) -> bool:
    """True when some event of `event_type` is reported as having happened."""
    return any(e.event_type == event_type and e.factual for e in events)


def run_suite(coder: Coder | None = None, cases: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Score `coder` (default `marsad.code`) on every construction; one result dict per construction.

    Each result has construction, capability, type, expect, n, passed, pass_rate, invariant (INV only:
    all five decisions agree; None otherwise) and variants: per variant its sentence(s), decision(s)
    and whether it passed.
    """
    coder = coder or default_coder()
    cases = load_cases() if cases is None else cases
    results = []
    for case in cases:
        typ, expect = case["type"], case["expect"]
        rows = []
        for variant in case["variants"]:
            if case["capability"] == "DIR":
                base, transformed = variant
                got_base, got_transformed = reports(coder(base), typ), reports(coder(transformed), typ)
                ok = got_base and got_transformed == expect
                rows.append(
                    {
                        "base": base,
                        "transformed": transformed,
                        "base_reported": got_base,
                        "transformed_reported": got_transformed,
                        "passed": ok,
                    }
                )
            else:
                got = reports(coder(variant), typ)
                rows.append({"sentence": variant, "reported": got, "passed": got == expect})
        passed = sum(r["passed"] for r in rows)
        invariant = len({r["reported"] for r in rows}) == 1 if case["capability"] == "INV" else None
        results.append(
            {
                "construction": case["construction"],
                "capability": case["capability"],
                "type": typ,
                "expect": expect,
                "n": len(rows),
                "passed": passed,
                "pass_rate": passed / len(rows) if rows else 0.0,
                "invariant": invariant,
                "variants": rows,
            }
        )
    return results


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-capability pass rates (share of variants passing), plus INV invariance.

    `invariance` is the share of INV constructions whose five decisions all agree; None without INV.
    """

    def block(rs: list[dict[str, Any]]) -> dict[str, Any]:
        n = sum(r["n"] for r in rs)
        passed = sum(r["passed"] for r in rs)
        return {
            "constructions": len(rs),
            "variants": n,
            "passed": passed,
            "pass_rate": passed / n if n else 0.0,
            "all_pass": sum(r["passed"] == r["n"] for r in rs),
        }

    inv = [r for r in results if r["capability"] == "INV"]
    return {
        "overall": block(results),
        "per_capability": {cap: block([r for r in results if r["capability"] == cap]) for cap in CAPABILITIES},
        "invariance": sum(bool(r["invariant"]) for r in inv) / len(inv) if inv else None,
    }


def load_floors(path: Path = FLOORS_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        floors: dict[str, Any] = json.load(f)
    return floors
