import pytest

from marsad.lexicon.loader import Lexicon, default_lexicon


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return default_lexicon()
