"""Resuming an interrupted `marsad code --out FILE --resume`.

Events are written one article at a time. After an interruption the file may end with a partial
line or with only part of the last article's events, so resuming keeps every complete line,
drops the last article's lines (it is coded again) and skips the articles already done.
Articles without events leave no line and are simply coded again (they add nothing).

The trim never rewrites FILE in place: the kept lines go to a temporary file beside it, which is
flushed, fsynced and renamed over FILE (`os.replace`, then the directory is fsynced). A crash or a
full disk at any moment leaves either the old file or the trimmed one, never less.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

# Where `prepare_resume` reports its progress to `checkpoint` (the crash tests stop it there).
CHECKPOINTS = ("read", "temp-opened", "temp-half-written", "temp-written", "temp-synced", "replaced", "dir-synced")
Checkpoint = Callable[[str], None]


def _no_checkpoint(point: str) -> None:
    """The default checkpoint: carry on."""


def complete_lines(path: Path) -> list[tuple[str, bytes]]:
    """(article id, line) of every complete JSON line of `path`, up to the first broken one."""
    kept: list[tuple[str, bytes]] = []
    with path.open("rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(line)
            except ValueError:  # a torn or foreign line (JSONDecodeError, UnicodeDecodeError)
                break
            kept.append((str(record.get("article_id")) if isinstance(record, dict) else "", line))
    return kept


def temp_path(path: Path) -> Path:
    """The temporary file a trim of `path` is written to: hidden, beside it (same file system)."""
    return path.with_name(f".{path.name}.resume-tmp")


def prepare_resume(path: Path, *, checkpoint: Checkpoint = _no_checkpoint) -> set[str]:
    """Trim `path` to the articles completely written and return their ids."""
    if not path.exists():
        return set()
    kept = complete_lines(path)
    checkpoint("read")
    last = kept[-1][0] if kept else None
    complete = [(aid, line) for aid, line in kept if aid != last]
    _replace_atomically(path, [line for _, line in complete], checkpoint)
    return {aid for aid, _ in complete}


def _replace_atomically(path: Path, lines: list[bytes], checkpoint: Checkpoint) -> None:
    """Write `lines` to a temporary file, fsync it and rename it over `path`; fsync the directory."""
    tmp = temp_path(path)
    try:
        with tmp.open("wb") as handle:
            checkpoint("temp-opened")
            half = len(lines) // 2
            handle.writelines(lines[:half])
            handle.flush()
            checkpoint("temp-half-written")
            handle.writelines(lines[half:])
            handle.flush()
            checkpoint("temp-written")
            os.fsync(handle.fileno())
            checkpoint("temp-synced")
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # the original is untouched; do not leave a stray copy
        raise
    checkpoint("replaced")
    _fsync_directory(path.parent)
    checkpoint("dir-synced")


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a platform without directory fds (Windows) skips it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
