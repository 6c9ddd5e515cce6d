"""The production static files storage: WhiteNoise's compressed, hashed
manifest, with one change. Django rewrites a script's `//# sourceMappingURL=`
comment to the hashed name of the map, and fails the whole collectstatic
when the map is missing; XStatic-Leaflet-MarkerCluster ships its script
naming a .map it does not include. Source maps are for developers'
tools, so scripts keep the comment as written (a browser asks for the map
only with its developer tools open, and gets a 404); stylesheets' url()
and source maps are still hashed."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (extension, rules)
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
        if extension != "*.js"
    )
