"""What moto lacks for this deployment, added in one place.

Each module here exposes ``install()``, which patches moto in-process (new URL
routes, response handlers, backend state). ``install_all()`` runs them in order;
it must be called before the
server builds its per-service apps.
"""

import importlib

EXTENSIONS = ()


def install_all():
    """Install every extension; returns their names."""
    for name in EXTENSIONS:
        importlib.import_module("localaws.extensions." + name).install()
    return list(EXTENSIONS)
