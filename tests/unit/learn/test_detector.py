"""The detector file: round trip, refusal of bad files, thresholds and presets, retraining."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from marsad.errors import ModelError, UsageError
from marsad.extract.proposals import propose_all
from marsad.learn import detector as model_file
from marsad.learn.data_sources import Item, examples
from marsad.learn.detector import Detector, default_path, load, load_detector
from marsad.learn.features import features, hashed
from marsad.learn.train import fit
from marsad.lexicon.loader import default_lexicon
from marsad.pipeline import code_text

pytest.importorskip("sklearn")

BITS = 12
SENTENCES = [
    ("تظاهر مئات العمال أمس أمام مقر الحكومة في عمان للمطالبة برواتبهم.", "PROTEST", 1.0),
    ("قتل مسلحون ثلاثة جنود في هجوم على حاجز للجيش شمال بغداد صباح اليوم.", "ASSAULT", 1.0),
    ("بدأت المحكمة محاكمة المتهمين بتفجير السوق قبل عامين.", "ASSAULT", 0.0),
    ("دعت النقابة إلى التظاهر الأسبوع المقبل أمام البرلمان.", "PROTEST", 0.0),
    ("أحيا السكان الذكرى العاشرة لمجزرة القرية.", "ASSAULT", 0.0),
    ("أطلقت الشرطة الغاز المسيل للدموع على المحتجين في الساحة مساء الجمعة.", "ASSAULT", 1.0),
]


def _items() -> list[Item]:
    return [
        Item("gsr", f"DOC{n}-0", f"DOC{n}", 0, text, kind, "yes" if y else "easy no", y, frozenset())
        for n, (text, kind, y) in enumerate(SENTENCES)
    ]


def _card(threshold: float = 0.5) -> dict[str, object]:
    cuts = {"PROTEST": threshold, "ASSAULT": threshold, "*": threshold}
    return {"hash_bits": BITS, "thresholds": cuts, "presets": {"default": {"thresholds": cuts},
            "precision": {"thresholds": {"*": 0.9}}, "recall": {"thresholds": {"*": 0.1}}}}  # fmt: skip


def test_a_retrained_model_round_trips_exactly(tmp_path: Path) -> None:
    batch = examples(_items(), default_lexicon(), BITS)
    fitted = fit(batch, 1.0, bits=BITS)
    again = fit(batch, 1.0, bits=BITS)
    assert np.array_equal(fitted.weights, again.weights), "training is deterministic"
    path = tmp_path / "m.npz"
    model_file.save(path, fitted.weights, fitted.bias, _card())
    loaded = load(path)
    assert np.array_equal(loaded.weights, fitted.weights)
    assert loaded.bias == pytest.approx(fitted.bias)
    predicted = fitted.predict(batch)
    for e, p in zip(batch, predicted, strict=True):
        assert loaded.score(list(e.indices)) == pytest.approx(float(p), abs=1e-6)


def test_loaded_weights_are_read_only(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    model_file.save(path, np.zeros(1 << BITS, dtype=np.float32), 0.0, _card())
    with pytest.raises(ValueError):
        load(path).weights[0] = 1.0


def test_a_missing_model_names_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"\[E601\].*nope\.npz.*make model"):
        load(tmp_path / "nope.npz")


def test_a_truncated_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    model_file.save(path, np.zeros(1 << BITS, dtype=np.float32), 0.0, _card())
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ModelError, match=r"unreadable model file.*make model"):
        load(path)


def test_a_model_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    card = {**_card(), "feature_version": 999}
    np.savez(path, weights=np.zeros(1 << BITS, dtype=np.float32), card=np.array(json.dumps(card)))
    with pytest.raises(ModelError, match="model_version|feature_version"):
        load(path)


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(MARKER),))


MARKER = Path("/tmp/marsad-pickle-ran")


def test_a_pickle_planted_as_the_model_never_runs(tmp_path: Path) -> None:
    MARKER.unlink(missing_ok=True)
    path = tmp_path / "detector.npz"
    path.write_bytes(pickle.dumps(_Boom()))
    with pytest.raises(ModelError):
        load(path)
    assert not MARKER.exists()


def test_a_pickled_array_inside_the_npz_never_runs(tmp_path: Path) -> None:
    MARKER.unlink(missing_ok=True)
    path = tmp_path / "detector.npz"
    np.savez(path, weights=np.array([_Boom()], dtype=object), card=np.array("{}"))
    with pytest.raises(ModelError):
        load(path)
    assert not MARKER.exists()


def test_presets_and_probabilities_give_floors() -> None:
    d = Detector(np.zeros(1 << BITS, dtype=np.float32), 0.0, _card(0.4))
    assert d.floors(None) == {"PROTEST": 0.4, "ASSAULT": 0.4, "*": 0.4}
    assert d.floors("precision") == {"*": 0.9}
    assert d.floors("0.75") == {"*": 0.75}
    assert d.threshold("COERCE", "recall") == 0.1
    with pytest.raises(UsageError, match="precision, recall"):
        d.floors("strict")
    with pytest.raises(UsageError, match="between 0 and 1"):
        d.floors(1.5)


def test_feature_hashing_is_stable_across_processes() -> None:
    """CRC-32, not Python's salted hash(): another process with another hash seed agrees."""
    import os
    import subprocess
    import sys

    names = ["bias", "k=قتل", "frame=trial:before:near"]
    code = f"from marsad.learn.features import hashed; print(hashed({names!r}))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == str(hashed(names))


def test_a_trial_frame_is_a_feature_of_the_attack_it_names() -> None:
    (proposal, view, _), *_ = propose_all("بدأت المحكمة محاكمة المتهمين بتفجير السوق.", default_lexicon())
    names = features(proposal.view, view)
    assert "frame=trial" in names and proposal.view.event_type == "ASSAULT"


def test_event_confidence_is_the_shipped_detectors_probability() -> None:
    text = "قتل مسلحون ثلاثة جنود في هجوم على حاجز للجيش شمال بغداد صباح اليوم."
    detector = load_detector(default_path())
    everything = code_text(text, min_confidence=0.0)
    assert everything, "the lexicon proposes this attack"
    kept = code_text(text)
    floors = detector.floors(None)
    assert all(e.confidence >= floors.get(e.event_type, floors["*"]) for e in kept if e.factual)
    assert len(code_text(text, min_confidence="precision")) <= len(kept) <= len(everything)


def test_scoring_a_sentence_at_once_equals_scoring_each_candidate() -> None:
    detector = load_detector(default_path())
    text = "وقال مسؤول إن مسلحين هاجموا حاجزا للشرطة وقتلوا جنديين قبل أن تعتقل قوات الأمن ثلاثة منهم."
    proposals = propose_all(text, default_lexicon())
    assert len(proposals) >= 2
    view = proposals[0][1]
    together = detector.probabilities([p.view for p, v, _ in proposals if v is view], view)
    one_by_one = [detector.probability(p.view, view) for p, v, _ in proposals if v is view]
    assert together == pytest.approx(one_by_one, abs=1e-6)  # float32 sums in another order
