"""The ASGI application: ``uvicorn server:app``.

Configuration comes from the environment (``KG_STORE``, ``KG_UPDATE_TOKEN``);
an empty store is given the bundled sample article on start-up.
"""

from kg.config import Settings
from kg.serve import build_app

app = build_app(Settings.from_env())
