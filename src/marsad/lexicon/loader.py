"""Load and validate the lexicon data files, compile them into matchers once per process.

Files (see docs/lexicons.md): triggers/*.tsv, countries.tsv, agents.tsv, actors.tsv,
modality.tsv. Each row names its file and line in any error.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from marsad.errors import LexiconError
from marsad.lexicon.matcher import HeadIndex, PhraseMatcher, compile_pattern
from marsad.memo import load_once
from marsad.ontology import EVENT_TYPES, INTERNATIONAL, MODES, NO_EVENT, ROLES
from marsad.text.tokens import analyse

# Tie-break order between actor entries matching the same words: a stop entry beats all,
# a named actor beats a generic agent, a country name or nisba beats a capital (عمان is Oman
# before it is Amman).
ACTOR_KINDS = ("stop", "person", "org", "agent", "country", "demonym", "nisba", "capital")


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One trigger row: `pattern` signals an event of `event_type` (and `mode`)."""

    event_type: str
    mode: str | None
    pattern: str
    gloss_en: str
    example: str
    where: str
    # A weapon named as a noun (triggers/instruments.tsv): an event only with a verb of use.
    instrument: bool = False


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One actor form: a country name or nisba, a generic agent, or a named actor."""

    pattern: str
    name_en: str
    country: str | None
    role: str | None
    kind: str
    example: str
    where: str


@dataclass(frozen=True, slots=True)
class CueEntry:
    """A modality cue: a word or phrase that negates, defers or filters a nearby trigger."""

    cue: str
    kind: str
    scope: str
    example: str
    where: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All lexicons, validated and compiled."""

    triggers: tuple[TriggerEntry, ...]
    actors: tuple[ActorEntry, ...]
    cues: tuple[CueEntry, ...]
    trigger_matcher: PhraseMatcher[TriggerEntry]
    actor_matcher: PhraseMatcher[ActorEntry]
    cue_matcher: PhraseMatcher[CueEntry]
    heads: HeadIndex  # trigger, cue and actor heads of a token in one lookup (`HeadIndex.scan`)


def data_dir() -> Path:
    """The directory of the bundled lexicon files."""
    return Path(str(resources.files("marsad.lexicon") / "data"))


def read_tsv(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (`file:line`, row) for each data row; reject a wrong header or field count."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, 1) if line.strip() and not line.startswith("#")]
    if not lines:
        raise LexiconError(f"{path}: empty lexicon file")
    header = tuple(lines[0][1].rstrip("\r\n").split("\t"))
    if header != columns:
        raise LexiconError(f"{path}:{lines[0][0]}: header {header} should be {columns}")
    for number, line in lines[1:]:
        where = f"{path.name}:{number}"
        fields = next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(fields) != len(columns):
            raise LexiconError(f"{where}: {len(fields)} fields, expected {len(columns)} ({', '.join(columns)})")
        yield where, {c: f.strip() for c, f in zip(columns, fields, strict=True)}


def _check_pattern(where: str, pattern: str) -> tuple[str, ...]:
    try:
        words = compile_pattern(pattern)
    except ValueError as exc:
        raise LexiconError(f"{where}: {exc}") from exc
    if len(words) == 1 and not words[0].startswith("=") and len(words[0]) < 3:
        raise LexiconError(
            f"{where}: single-word pattern {pattern!r} is shorter than 3 letters; use =word for an exact particle"
        )
    return words


def load_triggers(directory: Path) -> list[TriggerEntry]:
    columns = ("event_type", "mode", "pattern", "gloss_en", "example")
    entries: list[TriggerEntry] = []
    for path in sorted((directory / "triggers").glob("*.tsv")):
        for where, row in read_tsv(path, columns):
            etype, mode = row["event_type"], row["mode"] or None
            if etype not in EVENT_TYPES and etype != NO_EVENT:
                raise LexiconError(f"{where}: unknown event_type {etype!r}")
            if mode is not None and mode not in MODES.get(etype, ()):
                raise LexiconError(f"{where}: mode {mode!r} is not a PLOVER mode of {etype}")
            _check_pattern(where, row["pattern"])
            instrument = path.stem == "instruments"
            entries.append(
                TriggerEntry(etype, mode, row["pattern"], row["gloss_en"], row["example"], where, instrument)
            )
    return entries


def _check_actor_codes(where: str, country: str | None, role: str | None) -> None:
    if country is not None and not (len(country) == 3 and country.isupper()):
        raise LexiconError(f"{where}: country {country!r} must be ISO alpha-3 or one of {sorted(INTERNATIONAL)}")
    if role is not None and role not in ROLES:
        raise LexiconError(f"{where}: unknown role {role!r}; known: {' '.join(ROLES)}")


def load_countries(directory: Path) -> list[ActorEntry]:
    columns = ("iso3", "name_en", "names", "nisba_m", "nisba_f", "nisba_pl", "capital", "capital_en", "example")
    entries: list[ActorEntry] = []
    for where, row in read_tsv(directory / "countries.tsv", columns):
        iso3 = row["iso3"]
        _check_actor_codes(where, iso3, None)
        forms = (
            ("country", row["names"]),
            ("nisba", row["nisba_m"]),
            ("nisba", row["nisba_f"]),
            ("demonym", row["nisba_pl"]),
            ("capital", row["capital"]),
        )
        for kind, cell in forms:
            for form in filter(None, (f.strip() for f in cell.split("|"))):
                _check_pattern(where, form)
                entries.append(ActorEntry(form, row["name_en"], iso3, None, kind, row["example"], where))
    return entries


def load_agents(directory: Path) -> list[ActorEntry]:
    entries: list[ActorEntry] = []
    for where, row in read_tsv(directory / "agents.tsv", ("pattern", "name_en", "role", "country", "example")):
        country, role = row["country"] or None, row["role"] or None
        _check_actor_codes(where, country, role)
        _check_pattern(where, row["pattern"])
        entries.append(ActorEntry(row["pattern"], row["name_en"], country, role, "agent", row["example"], where))
    return entries


def load_named_actors(directory: Path) -> list[ActorEntry]:
    columns = ("pattern", "name_en", "country", "role", "kind", "example")
    entries: list[ActorEntry] = []
    for where, row in read_tsv(directory / "actors.tsv", columns):
        country, role = row["country"] or None, row["role"] or None
        _check_actor_codes(where, country, role)
        if row["kind"] not in ("person", "org"):
            raise LexiconError(f"{where}: kind {row['kind']!r} must be person or org")
        _check_pattern(where, row["pattern"])
        entries.append(ActorEntry(row["pattern"], row["name_en"], country, role, row["kind"], row["example"], where))
    return entries


def load_stoplist(directory: Path) -> list[ActorEntry]:
    entries: list[ActorEntry] = []
    for where, row in read_tsv(directory / "actor_stoplist.tsv", ("form", "reason", "example")):
        _check_pattern(where, row["form"])
        entries.append(ActorEntry(row["form"], row["reason"], None, None, "stop", row["example"], where))
    return entries


def _actor_rank(entry: ActorEntry) -> int:
    return ACTOR_KINDS.index(entry.kind)


CUE_KINDS = (
    "negation",
    "future",
    "call",
    "condition",
    "sports",
    "anchor",
    "reference",
    "report",
    "support",
    "protester",
)


def load_cues(directory: Path) -> list[CueEntry]:
    entries: list[CueEntry] = []
    for where, row in read_tsv(directory / "modality.tsv", ("cue", "kind", "scope", "example")):
        if row["kind"] not in CUE_KINDS:
            raise LexiconError(f"{where}: cue kind {row['kind']!r} must be one of {CUE_KINDS}")
        if row["scope"] not in ("before", "after", "sentence"):
            raise LexiconError(f"{where}: scope {row['scope']!r} must be before, after or sentence")
        _check_pattern(where, row["cue"])
        entries.append(CueEntry(row["cue"], row["kind"], row["scope"], row["example"], where))
    return entries


def build_lexicon(directory: Path) -> Lexicon:
    """Read and compile every lexicon file in `directory`."""
    triggers = tuple(load_triggers(directory))
    found = load_stoplist(directory) + load_named_actors(directory) + load_agents(directory) + load_countries(directory)
    actors = tuple(sorted(found, key=_actor_rank))
    cues = tuple(load_cues(directory))
    trigger_matcher = PhraseMatcher([(compile_pattern(t.pattern), t) for t in triggers])
    actor_matcher = PhraseMatcher([(compile_pattern(a.pattern), a) for a in actors])
    cue_matcher = PhraseMatcher([(compile_pattern(c.cue), c) for c in cues])
    return Lexicon(
        triggers=triggers,
        actors=actors,
        cues=cues,
        trigger_matcher=trigger_matcher,
        actor_matcher=actor_matcher,
        cue_matcher=cue_matcher,
        heads=HeadIndex(trigger_matcher, cue_matcher, actor_matcher),
    )


@load_once
def default_lexicon() -> Lexicon:
    """The bundled lexicons, compiled once per process and shared read-only."""
    return build_lexicon(data_dir())


class StemKinds:
    """A light stem → kind table from a `kind key gloss_en example` TSV (frames.tsv, domains.tsv),
    read on first use; `kind_of(token)` is memoised per token (bounded, thread-safe)."""

    def __init__(self, name: str, kind_column: str) -> None:
        self.name, self.columns = name, (kind_column, "key", "gloss_en", "example")
        self._index: dict[str, str] | None = None
        self._lock = threading.Lock()
        self.kind_of = lru_cache(maxsize=131_072)(self._kind_of)

    def index(self) -> dict[str, str]:
        with self._lock:
            if self._index is None:
                found: dict[str, str] = {}
                for _, row in read_tsv(data_dir() / self.name, self.columns):
                    found.setdefault(row["key"], row[self.columns[0]])
                self._index = found
            return self._index

    def _kind_of(self, token: str) -> str | None:
        index = self.index()
        row = analyse(token)
        if row.bare in index:
            return index[row.bare]
        for key in sorted(row.keys):  # sorted: a frozenset's order changes with PYTHONHASHSEED
            if key in index:
                return index[key]
        return None
