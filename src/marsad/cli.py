"""The `marsad` command: one thin function per subcommand over the Python API.

Exit codes: 0 all records coded, 1 some records failed (each reported on stderr with its
location and reason), 2 usage error or unreadable input file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TextIO

from marsad import __version__
from marsad.errors import MarsadError
from marsad.io.readers import BadRecord, read_path
from marsad.io.resume import prepare_resume
from marsad.learn.detector import MIN_CONFIDENCE_HELP
from marsad.model import Article, Event
from marsad.parallel import WORKERS_HELP, ordered_map, worker_count
from marsad.progress import Progress

EXIT_OK, EXIT_RECORD_FAILED, EXIT_USAGE = 0, 1, 2


def _report(bad: BadRecord) -> None:
    rid = f" (id {bad.record_id})" if bad.record_id else ""
    print(f"marsad: skipped {bad.where}{rid}: {bad.reason}", file=sys.stderr)


@contextmanager
def _output(path: str | None, *, append: bool = False) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
    else:
        with open(path, "a" if append else "w", encoding="utf-8") as handle:
            yield handle


def _check_paths(paths: Sequence[str]) -> str | None:
    for path in paths:
        if path != "-" and not Path(path).is_file():
            return f"marsad: cannot read {path}: no such file"
    return None


def _input_paths(args: argparse.Namespace) -> list[str] | None:
    """The input paths (`-` = stdin when none); None, after saying why, if one cannot be read."""
    paths: list[str] = args.paths or ["-"]
    problem = _check_paths(paths)
    if problem:
        print(problem, file=sys.stderr)
        return None
    return paths


def _items(paths: Sequence[str]) -> Iterator[Article | BadRecord]:
    for path in paths:
        yield from read_path(path)


def _code_one(
    item: Article | BadRecord, *, min_confidence: str | None, scenes: str = "learned"
) -> BadRecord | tuple[str | None, str]:
    """One article's events as JSON lines, after the warning to print first (an unreadable date);
    a bad record passes through. Runs in a worker process under `--workers`."""
    from marsad.extract.dates import parse_record_date
    from marsad.pipeline import code_text

    if isinstance(item, BadRecord):
        return item
    date, warning = item.date, None
    if date is not None and parse_record_date(date) is None:
        warning = f"marsad: article {item.id}: unreadable date {date!r}, coded without it"
        date = None
    events = code_text(item.text, article_id=item.id, date=date, min_confidence=min_confidence, scenes=scenes)
    return warning, "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in events)


def cmd_code(args: argparse.Namespace) -> int:
    """Code articles to JSONL events."""
    from marsad.learn.detector import load_detector
    from marsad.learn.scenes import scene_choice

    load_detector().floors(args.min_confidence)  # a bad setting stops here, before any input is read
    scene_choice(args.scenes)  # so does a missing scene model
    workers = worker_count(args.workers)
    paths = _input_paths(args)
    if paths is None:
        return EXIT_USAGE
    if args.resume and not args.out:
        print("marsad: --resume needs --out FILE", file=sys.stderr)
        return EXIT_USAGE
    done = prepare_resume(Path(args.out)) if args.resume else set()
    todo = (item for item in _items(paths) if isinstance(item, BadRecord) or item.id not in done)
    task = partial(_code_one, min_confidence=args.min_confidence, scenes=args.scenes)
    progress = Progress()
    with _output(args.out, append=args.resume) as out:
        for _, result in ordered_map(task, todo, workers=workers):
            if isinstance(result, BadRecord):
                _report(result)
                progress.tick(failed=True)
                continue
            warning, lines = result
            if warning:
                print(warning, file=sys.stderr)
            out.write(lines)
            progress.tick()
    progress.close()
    return EXIT_RECORD_FAILED if progress.failed else EXIT_OK


def _place_lines(item: Article | BadRecord) -> BadRecord | str:
    """One article's place mentions as JSON lines; a bad record passes through."""
    from marsad.extract.places import place_records

    if isinstance(item, BadRecord):
        return item
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in place_records(item.text, item.id))


def cmd_places(args: argparse.Namespace) -> int:
    """Print every place mention recognised in the articles, one JSON object a line."""
    workers = worker_count(args.workers)
    paths = _input_paths(args)
    if paths is None:
        return EXIT_USAGE
    progress = Progress()
    with _output(args.out) as out:
        for _, result in ordered_map(_place_lines, _items(paths), workers=workers):
            if isinstance(result, BadRecord):
                _report(result)
                progress.tick(failed=True)
                continue
            out.write(result)
            progress.tick()
    progress.close()
    return EXIT_RECORD_FAILED if progress.failed else EXIT_OK


def cmd_gazetteer(args: argparse.Namespace) -> int:
    """Show (or rebuild) the cached Arabic gazetteer index."""
    from marsad.geo.gazetteer import build_gazetteer, cache_path, load_gazetteer

    path = cache_path()
    if args.rebuild or not path.exists():
        report = build_gazetteer(path)
        load_gazetteer.cache_clear()
        print(f"built {report.path}: {report.entries} places, {report.names} names, "
              f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s from {report.city_file}")  # fmt: skip
    else:
        print(f"{path} ({path.stat().st_size / 1e6:.1f} MB); rebuild with: marsad gazetteer --rebuild")
    return EXIT_OK


def samples_dir() -> Path:
    """The bundled sample articles (our own writing) used by `make run` and the tests."""
    return Path(str(resources.files("marsad") / "samples"))


def _summary_line(event: Event) -> str:
    """One event as read (HTML entities decoded, whitespace collapsed), with its probability."""
    from marsad.web.spans import readable

    src = event.source
    who = f"{readable(src.text)} [{src.name_en or '?'}|{src.country or '-'}|{src.role or '-'}]" if src else "—"
    flags = "".join(f" ({f})" for f, on in (("negated", event.negated), ("hypothetical", event.hypothetical)) if on)
    trigger = readable(event.evidence.trigger)
    return f"  {event.event_type:<9} {event.mode or '':<14} p={event.confidence:.2f} «{trigger}» by {who}{flags}"


def cmd_demo(args: argparse.Namespace) -> int:
    """Code the bundled sample articles and print a readable summary."""
    from marsad.pipeline import code_text

    directory = Path(args.directory) if args.directory else samples_dir()
    files = sorted(directory.glob("*.txt"))
    if not files:
        print(f"marsad: no .txt articles in {directory}", file=sys.stderr)
        return EXIT_USAGE
    totals: Counter[str] = Counter()
    for file in files:
        events = code_text(file.read_text(encoding="utf-8"), article_id=file.stem)
        print(f"\n{file.stem}: {len(events)} events")
        for event in events:
            totals[event.event_type] += event.factual
            print(_summary_line(event))
    print("\nfactual events by type: " + ", ".join(f"{t} {n}" for t, n in totals.most_common()))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of an event record."""
    print((resources.files("marsad") / "schema" / "event.schema.json").read_text(encoding="utf-8"))
    return EXIT_OK


def cmd_lexicon(args: argparse.Namespace) -> int:
    """Validate the lexicons and print their sizes."""
    from marsad.lexicon.loader import default_lexicon

    lex = default_lexicon()
    by_type = Counter(t.event_type for t in lex.triggers)
    by_kind = Counter(a.kind for a in lex.actors)
    print(json.dumps({"triggers": len(lex.triggers), "triggers_by_type": dict(sorted(by_type.items())),
                      "actor_forms": len(lex.actors), "actor_forms_by_kind": dict(sorted(by_kind.items())),
                      "named_actors": len({a.name_en for a in lex.actors if a.kind in ("person", "org")}),
                      "modality_cues": len(lex.cues)}, ensure_ascii=False, indent=1))  # fmt: skip
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marsad", description="Arabic news → PLOVER event records.")
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("code", help="code articles into JSONL events",
                       epilog="Example: marsad code articles.jsonl --out events.jsonl [--resume]")  # fmt: skip
    p.add_argument("paths", nargs="*", help=".jsonl (one article a line) or text files; - or none = stdin")
    p.add_argument("--out", help="write events here instead of stdout")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: keep the articles already in --out, code the rest",
    )
    p.add_argument("--min-confidence", metavar="P", help=MIN_CONFIDENCE_HELP)
    p.add_argument(
        "--scenes",
        choices=("learned", "rules", "cautious"),
        default="learned",
        help="which of a sentence's places is the event's scene where the rules' cues tie: the learned "
        "model, which may also say none of them (default); 'rules': the nearest to the trigger; "
        "'cautious': none when they tie among bare names (docs/places.md)",
    )
    p.add_argument("--workers", type=int, metavar="N", help=WORKERS_HELP)
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("places", help="print every place mention recognised, one JSON object a line",
                       epilog="Example: marsad places articles.jsonl --out places.jsonl")  # fmt: skip
    p.add_argument("paths", nargs="*", help=".jsonl (one article a line) or text files; - or none = stdin")
    p.add_argument("--out", help="write here instead of stdout")
    p.add_argument("--workers", type=int, metavar="N", help=WORKERS_HELP)
    p.set_defaults(func=cmd_places)

    p = sub.add_parser("gazetteer", help="show or rebuild the cached Arabic gazetteer index",
                       epilog="Example: marsad gazetteer --rebuild")  # fmt: skip
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from the installed data")
    p.set_defaults(func=cmd_gazetteer)

    p = sub.add_parser("demo", help="code the bundled sample articles and print a summary",
                       epilog="Example: marsad demo")  # fmt: skip
    p.add_argument("directory", nargs="?", help="a directory of .txt articles (default: the bundled samples)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "schema", help="print the event JSON Schema", epilog="Example: marsad schema > event.schema.json"
    )
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("lexicon", help="validate the lexicons and print their sizes", epilog="Example: marsad lexicon")
    p.set_defaults(func=cmd_lexicon)

    from marsad.learn.commands import add_commands as add_learn_commands  # train, eval
    from marsad.spark.commands import add_commands as add_spark_commands  # spark-code, ingest-events
    from marsad.store.commands import add_commands  # ingest, recode, events, export
    from marsad.web.commands import add_commands as add_web_commands  # serve

    add_commands(sub)
    add_learn_commands(sub)
    add_web_commands(sub)
    add_spark_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except MarsadError as exc:
        print(f"marsad: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
