"""The token table: one analysis per token, read as columns by every extractor."""

import ast
import copy
from pathlib import Path

import pytest

import marsad
from marsad.text.morph import bare, lemma_key, stem_keys
from marsad.text.normalize import normalize
from marsad.text.segment import segment
from marsad.text.tokens import Tokens, analyse

SRC = Path(marsad.__file__).parent


def test_columns_are_parallel_and_agree_with_the_morphology():
    seg = segment(normalize("وتظاهر المئات أمام السفارة، وطالبوا بالإفراج عن المعتقلين."))
    tokens = seg.tokens
    assert isinstance(tokens, Tokens)
    assert len(tokens.bare) == len(tokens.word) == len(tokens.keys) == len(tokens) == len(seg.starts)
    for k, token in enumerate(tokens):
        assert tokens.bare[k] == bare(token)
        assert tokens.word[k] == lemma_key(bare(token))
        assert tokens.keys[k] == stem_keys(token)
    assert tokens.bare[0] == "تظاهر" and "طالب" in tokens.keys[tokens.index("وطالبوا")]


def test_the_table_is_still_the_tuple_of_surfaces():
    tokens = Tokens(("قال", ":", "«", "لا", "»"))
    assert tokens == ("قال", ":", "«", "لا", "»") and tokens[1:3] == (":", "«") and hash(tokens) == hash(tuple(tokens))
    assert Tokens(()) == () and Tokens(()).bare == () and Tokens(()).keys == ()


def test_the_table_is_read_only():
    tokens = Tokens(("والحكومه",))
    with pytest.raises(AttributeError, match="read-only"):
        tokens.bare = ("x",)  # type: ignore[misc]
    with pytest.raises(TypeError):
        tokens.bare[0] = "x"  # type: ignore[index]


def test_a_prefix_keeps_its_columns():
    tokens = Tokens(("وقتل", "3", "اشخاص", "وأصيب", "العشرات"))
    head = tokens.upto(3)
    assert isinstance(head, Tokens) and head == tokens[:3]
    assert head.bare == tokens.bare[:3] and head.word == tokens.word[:3] and head.keys == tokens.keys[:3]
    assert tokens.upto(99) is tokens


def test_copies_keep_the_columns():
    tokens = Tokens(("وتظاهروا", "في", "بغداد"))
    for twin in (copy.copy(tokens), copy.deepcopy(tokens)):
        assert twin == tokens and twin.bare == tokens.bare and twin.keys == tokens.keys


def test_each_distinct_token_is_analysed_once():
    analyse.cache_clear()
    table = Tokens(("تظاهر", "المئات", "تظاهر", "المئات", "تظاهر"))
    info = analyse.cache_info()
    assert (info.misses, info.hits) == (2, 3) and table.bare[4] == "تظاهر"
    assert analyse("المئات").word == "مئات" and analyse.cache_info().misses == 2


def _morph_names(path: Path) -> set[str]:
    """The per-token analysers a module imports from marsad.text.morph."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "marsad.text.morph":
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.Import) and any(a.name == "marsad.text.morph" for a in node.names):
            names.add("*")
    return names & {"bare", "stem_keys", "*"}


@pytest.mark.parametrize("package", ["extract", "learn", "lexicon", "geo", "store", "web"])
def test_extractors_read_the_table_instead_of_analysing_tokens_again(package):
    """Only text/ analyses a token (`text.tokens`); everything above reads the columns or the
    memoised row (`analyse`), so the data goes down from text/ once."""
    offenders = {p.name: names for p in sorted((SRC / package).rglob("*.py")) if (names := _morph_names(p))}
    assert offenders == {}
