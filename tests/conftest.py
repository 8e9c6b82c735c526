import os

import pytest

from marsad.lexicon.loader import Lexicon, default_lexicon
from tests.unit.store import pg_server


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return default_lexicon()


@pytest.fixture(scope="session")
def pg_admin_url():
    """A PostgreSQL server: $MARSAD_TEST_PG, else a throwaway one, else the test is skipped."""
    if os.environ.get("MARSAD_TEST_PG"):
        yield os.environ["MARSAD_TEST_PG"]
        return
    reason = pg_server.why_not()
    if reason:
        pytest.skip(reason)
    server = pg_server.start()
    yield server.url
    server.stop()
