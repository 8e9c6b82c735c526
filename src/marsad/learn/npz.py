"""Model files as data: float32 arrays and a JSON card in one `.npz`, written atomically and read
with `allow_pickle=False`, so loading a model never runs code."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.errors import ModelError


def write(path: Path, arrays: dict[str, npt.NDArray[np.float32]], card: dict[str, Any]) -> None:
    """Write `arrays` (as float32) and `card` (as JSON text) to `path` via a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    payload: dict[str, Any] = {name: a.astype(np.float32) for name, a in arrays.items()}
    payload["card"] = np.array(json.dumps(card, ensure_ascii=False, sort_keys=True))
    np.savez_compressed(tmp, **payload)
    tmp.replace(path)


def read(path: Path, what: str, fix: str) -> tuple[dict[str, npt.NDArray[np.float32]], dict[str, Any]]:
    """The arrays and the card of a model file; a missing, truncated or foreign file is a
    `ModelError` naming the file, `what` it is and the `fix`."""
    if not path.is_file():
        raise ModelError(f"{path}: {what} not found; {fix}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: np.asarray(data[name], dtype=np.float32) for name in data.files if name != "card"}
            card = json.loads(str(data["card"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable {what} ({type(exc).__name__}: {exc}); {fix}") from None
    if not isinstance(card, dict):
        raise ModelError(f"{path}: {what} card is not a JSON object; {fix}")
    return arrays, card
