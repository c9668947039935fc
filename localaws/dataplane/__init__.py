"""The data plane: requests a client sends to what a deployment built, not to AWS's APIs.

A client reaches it on the local AWS's own port and names its target in the Host
header, as it would on AWS (``<id>.appsync-api.<region>.amazonaws.com``,
``<id>.execute-api.<region>.amazonaws.com``, a custom domain, the global
hostname). ``<name>.localhost`` is accepted as ``<name>``: browsers and curl
resolve any ``*.localhost`` to loopback, so no /etc/hosts edit is needed.

Each service's data plane registers one handler; ``dispatch`` asks them in
priority order and the first that claims the request answers it. An HTTP_PROXY
integration forwards through ``dispatch`` too, in-process, so a request follows
the same path it takes on AWS without leaving this server.
"""

from dataclasses import dataclass, field

LOCALHOST_SUFFIX = ".localhost"
_HANDLERS = []


@dataclass
class Request:
    """One data-plane request; header names are lower case."""

    method: str
    host: str
    path: str = "/"
    query: str = ""
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    # Where the client is (global hostname routing): {"continent": "EU", "country": "DE", ...}.
    location: dict = field(default_factory=dict)


@dataclass
class Response:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""


def target_host(host_header):
    """The host a request names: lower case, no port, no ``.localhost`` suffix."""
    host = (host_header or "").strip().lower()
    if host.startswith("["):
        return host
    host = host.rsplit(":", 1)[0] if ":" in host else host
    host = host.rstrip(".")
    if host.endswith(LOCALHOST_SUFFIX):
        host = host[: -len(LOCALHOST_SUFFIX)]
    return host


def register(handler, priority=50):
    """Add ``handler(request) -> Response | None``; lower priority is asked first."""
    _HANDLERS.append((priority, len(_HANDLERS), handler))
    _HANDLERS.sort(key=lambda entry: entry[:2])


def dispatch(request):
    """The first registered handler's answer, or None when no handler claims the host."""
    for _priority, _order, handler in _HANDLERS:
        response = handler(request)
        if response is not None:
            return response
    return None
