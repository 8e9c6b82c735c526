import os
import uuid

import pytest

from tests.unit.store import pg_server


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


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "marsad.db")
    admin = request.getfixturevalue("pg_admin_url")
    return pg_server.create_database(admin, f"marsad_test_{uuid.uuid4().hex[:12]}")
