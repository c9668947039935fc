"""The local AWS: moto in server mode plus the small layer this project adds.

Pinned to one moto version (see MOTO_VERSION); everything moto lacks for the
deployment lives in ``localaws.extensions`` and nowhere else.
"""

MOTO_VERSION = "5.2.5"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5500
