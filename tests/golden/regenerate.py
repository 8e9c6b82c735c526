"""Regenerate the golden files of the bundled sample articles: `make golden`, then review the diff."""

from __future__ import annotations

import json
from pathlib import Path

from marsad.cli import samples_dir
from marsad.pipeline import code_text

HERE = Path(__file__).parent


def golden_events(path: Path) -> list[dict[str, object]]:
    return [e.to_dict() for e in code_text(path.read_text(encoding="utf-8"), article_id=path.stem)]


def main() -> None:
    for path in sorted(samples_dir().glob("*.txt")):
        out = HERE / f"{path.stem}.json"
        out.write_text(json.dumps(golden_events(path), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out.name}")


if __name__ == "__main__":
    main()
