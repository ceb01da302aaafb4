"""The analyst's workbench: ``sitroom serve``, a web UI over one workspace.

Every page is rendered on the server and complete without JavaScript (scripts only enhance: the map,
the timeline's zoom, layer toggles, ACH hover); every page is also JSON under ``/api/...`` with an
OpenAPI document at ``/api/openapi.json``. Everything is read through the typed read layer
(``Workspace`` methods answering ``sitroom.views`` records). Security is in ``security.py``.
"""

from sitroom.present.web.app import create_app
from sitroom.present.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
