import uuid

import pytest

from tests.unit.store import pg_server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "marsad.db")
    admin = request.getfixturevalue("pg_admin_url")
    return pg_server.create_database(admin, f"marsad_test_{uuid.uuid4().hex[:12]}")
