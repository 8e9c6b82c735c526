"""The shipped model's card records cross-validated figures; rerunning the cross-validation on
the same data reproduces them (within noise). Skipped where the gold is not beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.learn.argument_training import argument_data
from marsad.learn.arguments import load_arguments
from marsad.learn.build import argument_items, default_annotations, load_items
from marsad.learn.data_sources import examples, text_key
from marsad.learn.detector import load_detector
from marsad.learn.evaluation import cross_validate
from marsad.lexicon.loader import default_lexicon

GOLD = Path(__file__).resolve().parents[3] / ".." / "shared" / "eval" / "gsr_dev"
pytestmark = pytest.mark.skipif(not GOLD.is_dir(), reason=f"no gold at {GOLD}")
pytest.importorskip("sklearn")


def test_the_card_was_trained_on_this_gold() -> None:
    card = load_detector().card
    items = load_items(GOLD, None)
    assert set(card["data"]["gsr"]["text_keys"]) == {text_key(i.text) for i in items}
    assert card["data"]["team"]["sentences"] == len(load_items(GOLD, default_annotations())) - len(items)


def test_cross_validation_reproduces_the_recorded_figures() -> None:
    card = load_detector().card
    items = load_items(GOLD, default_annotations())
    lexicon = default_lexicon()
    figures = cross_validate(items, examples(items, lexicon), lexicon, k=card["cv"]["folds"],
                             arguments=argument_data(GOLD, items, lexicon, argument_items(default_annotations())))  # fmt: skip
    for event_type, recorded in card["cv"]["presets"]["default"].items():
        assert figures["presets"]["default"][event_type]["f1"] == pytest.approx(recorded["f1"], abs=0.02)
    assert figures["brier"] == pytest.approx(card["cv"]["brier"], abs=0.01)
    # The argument ranker's strict figures, recorded in both model cards.
    shipped = load_arguments().card["cv"]["cv"]
    for event_type, recorded in card["cv"]["arguments"].items():
        again = figures["arguments"][event_type]
        assert shipped[event_type] == recorded
        assert again["source_country"]["accuracy"] == pytest.approx(recorded["source_country"]["accuracy"], abs=0.03)
        assert again["source_span"]["f1"] == pytest.approx(recorded["source_span"]["f1"], abs=0.03)
        assert again["target_span"]["f1"] == pytest.approx(recorded["target_span"]["f1"], abs=0.03)
