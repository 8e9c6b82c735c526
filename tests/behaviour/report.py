"""Print the behaviour suite's pass rates as Markdown: `python -m tests.behaviour.report [--out FILE]`.

One row per construction (construction | capability | type | pass rate k/5), then totals by
capability. `--failures` also lists every failing sentence with what the coder decided; `--out`
writes the per-construction results and the summary as JSON.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tests.behaviour.suite import CAPABILITIES, CASES_PATH, load_cases, run_suite, summarise


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(results: list[dict[str, Any]], summary: dict[str, Any], *, failures: bool = False) -> str:
    lines = ["| construction | capability | type | pass rate |", "|---|---|---|---|"]
    for r in results:
        expect = "" if r["capability"] == "DIR" else (" (expect reported)" if r["expect"] else " (expect not)")
        lines.append(
            f"| {_cell(r['construction'])} | {r['capability']} | {r['type']}{expect} | {r['passed']}/{r['n']} |"
        )
    lines += [
        "",
        "| capability | constructions | variants passed | pass rate | constructions 5/5 |",
        "|---|---|---|---|---|",
    ]
    for cap in CAPABILITIES:
        b = summary["per_capability"][cap]
        lines.append(
            f"| {cap} | {b['constructions']} | {b['passed']}/{b['variants']} | {b['pass_rate']:.1%} | {b['all_pass']} |"
        )
    b = summary["overall"]
    lines.append(
        f"| **all** | {b['constructions']} | {b['passed']}/{b['variants']} | {b['pass_rate']:.1%} | {b['all_pass']} |"
    )
    if summary["invariance"] is not None:
        lines += ["", f"INV invariance (all five decisions agree): {summary['invariance']:.1%}"]
    if failures:
        lines += ["", "## Failures", ""]
        for r in results:
            for v in r["variants"]:
                if v["passed"]:
                    continue
                if r["capability"] == "DIR":
                    lines.append(
                        f"- {r['construction']} [{r['type']}]: base {'reported' if v['base_reported'] else 'MISSED'}"
                        f" «{v['base']}»; transformed {'REPORTED' if v['transformed_reported'] else 'not reported'}"
                        f" «{v['transformed']}»"
                    )
                else:
                    got = "reported" if v["reported"] else "not reported"
                    lines.append(f"- {r['construction']} [{r['type']}]: {got} «{v['sentence']}»")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.behaviour.report", description=__doc__)
    parser.add_argument("--cases", type=Path, default=CASES_PATH, help="the suite (JSON Lines)")
    parser.add_argument("--out", type=Path, help="also write results and summary as JSON to this path")
    parser.add_argument("--failures", action="store_true", help="list every failing sentence")
    args = parser.parse_args(argv)
    results = run_suite(cases=load_cases(args.cases))
    summary = summarise(results)
    print(markdown(results, summary, failures=args.failures))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        payload = {"summary": summary, "results": results}
        args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
