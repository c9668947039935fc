"""What moto lacks for this deployment, added in one place.

Each module in this package exposes ``install()``, which patches moto
in-process (new URL routes, response handlers, backend state). ``install_all()``
runs them in name order; it must run before the server builds its per-service
apps (localaws.__main__.build_app does so).
"""

import importlib
import pkgutil


def extension_names():
    return sorted(info.name for info in pkgutil.iter_modules(__path__))


def install_all():
    """Install every extension; returns their names."""
    names = extension_names()
    for name in names:
        importlib.import_module("%s.%s" % (__name__, name)).install()
    return names
