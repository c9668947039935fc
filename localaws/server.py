"""WSGI layer in front of moto: request log, fault injection, control endpoint.

Control endpoint (JSON, never logged):
  GET  /_localaws/config            current settings
  POST /_localaws/config            merge settings: fault_rate (0..1), fault_kind
                                    ('throttle' | '5xx'), fault_services, fault_operations
                                    (empty = all), seed, delays {"service:Operation": seconds}
  GET  /_localaws/requests?since=N  request log entries from index N
"""

import io
import ipaddress
import json
import random
import threading
import time
from urllib.parse import parse_qs

from localaws import dataplane
from localaws.faults import fault_response
from localaws.operations import access_of, describe

CONTROL_PREFIX = "/_localaws/"
DEFAULT_CONFIG = {
    "fault_rate": 0.0,
    "fault_kind": "throttle",
    "fault_services": [],
    "fault_operations": [],
    "seed": None,
    "delays": {},
}


class LocalAwsMiddleware:
    """Wraps moto's WSGI app; one instance per server."""

    def __init__(self, app, request_log=None, config=None):
        self.app = app
        self.request_log_path = request_log
        self.lock = threading.Lock()
        self.entries = []
        self.config = dict(DEFAULT_CONFIG)
        self.random = random.Random()
        self.update_config(config or {})

    def update_config(self, changes):
        unknown = set(changes) - set(DEFAULT_CONFIG)
        if unknown:
            raise ValueError("unknown localaws settings: %s" % ", ".join(sorted(unknown)))
        with self.lock:
            self.config.update(changes)
            if "seed" in changes:
                self.random.seed(changes["seed"])

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return self._control(environ, start_response)
        body = _read_body(environ)
        answer = _data_plane(environ, body)
        if answer is not None:
            return _respond(start_response, answer)
        service, region, operation = describe(environ, body)
        if service is None:
            return self.app(environ, start_response)
        delay = self._delay_for(service, operation)
        if delay:
            time.sleep(delay)
        fault = self._fault_for(service, operation)
        if fault:
            self._log(service, region, operation, None, fault)
            status, headers, payload = fault_response(service, fault)
            start_response("%d Fault" % status, headers + [("Content-Length", str(len(payload)))])
            return [payload]
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        self._log(service, region, operation, seen.get("status"), None)
        return result

    def _delay_for(self, service, operation):
        delays = self.config["delays"]
        return delays.get("%s:%s" % (service, operation)) or delays.get("%s:*" % service) or 0

    def _fault_for(self, service, operation):
        cfg = self.config
        if not cfg["fault_rate"]:
            return None
        if cfg["fault_services"] and service not in cfg["fault_services"]:
            return None
        if cfg["fault_operations"] and operation not in cfg["fault_operations"]:
            return None
        with self.lock:
            hit = self.random.random() < cfg["fault_rate"]
        return cfg["fault_kind"] if hit else None

    def _log(self, service, region, operation, status, fault):
        entry = {
            "time": round(time.time(), 3),
            "service": service,
            "region": region,
            "operation": operation,
            "access": access_of(operation),
            "status": status,
            "fault": fault,
        }
        with self.lock:
            self.entries.append(entry)
            if self.request_log_path:
                with open(self.request_log_path, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry) + "\n")

    def _control(self, environ, start_response):
        path = environ["PATH_INFO"][len(CONTROL_PREFIX):]
        method = environ.get("REQUEST_METHOD")
        try:
            if path == "config" and method == "POST":
                self.update_config(json.loads(_read_body(environ) or b"{}"))
                payload = self.config
            elif path == "config":
                payload = self.config
            elif path == "requests":
                since = int(parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0])
                with self.lock:
                    payload = {"count": len(self.entries), "entries": self.entries[since:]}
            else:
                return _json(start_response, 404, {"message": "no such control path: %s" % path})
        except (ValueError, TypeError) as error:
            return _json(start_response, 400, {"message": str(error)})
        return _json(start_response, 200, payload)


def _data_plane(environ, body):
    """The data plane's answer when the Host header names a deployed endpoint, else None."""
    host = dataplane.target_host(environ.get("HTTP_HOST"))
    if not host or host == "localhost" or _is_ip_address(host):
        return None
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    request = dataplane.Request(method=environ.get("REQUEST_METHOD", "GET"), host=host,
                                path=environ.get("PATH_INFO") or "/", query=environ.get("QUERY_STRING", ""),
                                headers=headers, body=body)
    return dataplane.dispatch(request)


def _is_ip_address(host):
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _respond(start_response, response):
    headers = [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]
    start_response("%d" % response.status, headers + [("Content-Length", str(len(response.body)))])
    return [response.body]


def _json(start_response, status, payload):
    data = json.dumps(payload).encode()
    start_response("%d" % status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _read_body(environ):
    """Read the request body and put it back for the wrapped app."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body
