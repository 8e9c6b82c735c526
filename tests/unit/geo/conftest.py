import pytest

from marsad.geo import gazetteer
from marsad.geo.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """The real gazetteer, built once into a temporary cache (about a second)."""
    cache = tmp_path_factory.mktemp("marsad-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MARSAD_CACHE", str(cache))
        gazetteer.load_gazetteer.cache_clear()
        loaded = gazetteer.load_gazetteer()
    gazetteer.load_gazetteer.cache_clear()
    return loaded
