"""The production static files: collectstatic with the storage production
uses (DEBUG off) succeeds over every installed asset, the way the
Dockerfile runs it, and the pages' assets get hashed names."""

from __future__ import annotations

import json

from django.core.management import call_command


def test_collectstatic_succeeds_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert manifest["css/site.css"] != "css/site.css"
    # The cluster script names a source map its package does not ship: the
    # comment is left as written instead of failing the whole run.
    script = manifest["leaflet-markercluster/leaflet.markercluster.js"]
    assert "sourceMappingURL=leaflet.markercluster.js.map" in (tmp_path / script).read_text()
    assert (tmp_path / f"{script}.gz").exists()
