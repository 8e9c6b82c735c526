"""Resuming an interrupted `marsad code --out FILE --resume`.

Events are written one article at a time. After an interruption the file may end with a partial
line or with only part of the last article's events, so resuming keeps every complete line,
drops the last article's lines (it is coded again) and skips the articles already done.
Articles without events leave no line and are simply coded again (they add nothing).
"""

from __future__ import annotations

import json
from pathlib import Path


def prepare_resume(path: Path) -> set[str]:
    """Trim `path` to the articles completely written and return their ids."""
    if not path.exists():
        return set()
    kept: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break
            kept.append((str(record.get("article_id")), line))
    last = kept[-1][0] if kept else None
    complete = [(aid, line) for aid, line in kept if aid != last]
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(line for _, line in complete)
    return {aid for aid, _ in complete}
