"""Geography: the Arabic gazetteer (`marsad.geo.gazetteer`) that place recognition resolves against."""
