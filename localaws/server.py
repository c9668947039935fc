"""WSGI layer in front of moto: request log, fault injection, control endpoint.

Control endpoint (JSON, never logged):
  GET  /_localaws/config            current settings
  POST /_localaws/config            merge settings: faults (a list of rules, below), seed,
                                    delays {"service:Operation": seconds}; the older
                                    single rule fault_rate (0..1), fault_kind,
                                    fault_services, fault_operations still works
  GET  /_localaws/requests?since=N  request log entries from index N
  GET  /_localaws/faults?since=N    faults injected from log index N:
                                    {"total": n, "by_service": {service: {kind: n}}}

A fault rule is {"kind": K, "rate": 0..1, "services": [...], "operations": [...],
"limit": N} (empty lists = all; limit: at most N faults from this rule, counted
from the POST that set the rules; none = no limit). Kinds:
  throttle   the call is refused with the service's real throttling error
  5xx        the call is refused with a 500 InternalFailure
  lost-5xx   a successful WRITE call is applied by moto, then its answer is replaced
             by a 500 (the client retries a write AWS already made)
  lost-drop  the same, but the connection is closed without an answer
Every request draws once per phase: the refusing kinds share one draw (so 20%
throttle + 5% 5xx refuse exactly 25% of the calls), the lost kinds another,
made only for writes that succeeded.
"""

import io
import ipaddress
import json
import random
import socket
import threading
import time
from urllib.parse import parse_qs

from localaws import dataplane
from localaws.faults import LOST_KINDS, REFUSING_KINDS, fault_response, lost_answer_response, validate_rules
from localaws.operations import access_of, describe

CONTROL_PREFIX = "/_localaws/"
DEFAULT_CONFIG = {
    "fault_rate": 0.0,
    "fault_kind": "throttle",
    "fault_services": [],
    "fault_operations": [],
    "faults": [],
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
        self.rule_hits = {}
        self.update_config(config or {})

    def update_config(self, changes):
        unknown = set(changes) - set(DEFAULT_CONFIG)
        if unknown:
            raise ValueError("unknown localaws settings: %s" % ", ".join(sorted(unknown)))
        if "faults" in changes:
            validate_rules(changes["faults"])
        with self.lock:
            self.config.update(changes)
            if "faults" in changes:
                self.rule_hits = {}
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
        fault = self._fault_for(service, operation, REFUSING_KINDS)
        if fault:
            self._log(service, region, operation, None, fault)
            status, headers, payload = fault_response(service, fault)
            start_response("%d Fault" % status, headers + [("Content-Length", str(len(payload)))])
            return [payload]
        seen = {}
        held = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            if access_of(operation) == "write" and seen["status"] < 300:
                held["args"] = (status, headers, exc_info)
                return lambda _data: None  # a lost answer's body must not reach the client
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        if "args" not in held:
            self._log(service, region, operation, seen.get("status"), None)
            return result
        body = b"".join(result)  # moto has applied the write; its answer may still get lost
        if hasattr(result, "close"):
            result.close()
        lost = self._fault_for(service, operation, LOST_KINDS)
        self._log(service, region, operation, seen["status"], lost)
        if lost == "lost-drop":
            return _drop_connection(environ)
        if lost:
            status, headers, payload = lost_answer_response(service)
            start_response("%d Fault" % status, headers + [("Content-Length", str(len(payload)))])
            return [payload]
        status, headers, exc_info = held["args"]
        start_response(status, headers, exc_info)
        return [body]

    def _delay_for(self, service, operation):
        delays = self.config["delays"]
        return delays.get("%s:%s" % (service, operation)) or delays.get("%s:*" % service) or 0

    def _rules(self):
        """The fault rules in force: the list, plus the older single rule if it is set."""
        cfg = self.config
        rules = list(cfg["faults"])
        if cfg["fault_rate"]:
            rules.append({"kind": cfg["fault_kind"], "rate": cfg["fault_rate"],
                          "services": cfg["fault_services"], "operations": cfg["fault_operations"]})
        return rules

    def _fault_for(self, service, operation, kinds):
        """The kind of fault (among kinds) this call gets, or None: one draw over the rules' rates."""
        rules = [(number, rule) for number, rule in enumerate(self._rules())
                 if rule["kind"] in kinds and rule.get("rate")
                 and (not rule.get("services") or service in rule["services"])
                 and (not rule.get("operations") or operation in rule["operations"])]
        if not rules:
            return None
        with self.lock:
            draw = self.random.random()
            for number, rule in rules:
                if rule.get("limit") is not None and self.rule_hits.get(number, 0) >= rule["limit"]:
                    continue
                if draw < rule["rate"]:
                    self.rule_hits[number] = self.rule_hits.get(number, 0) + 1
                    return rule["kind"]
                draw -= rule["rate"]
        return None

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
            elif path == "faults":
                payload = self._fault_counts(_since(environ))
            elif path == "requests":
                since = _since(environ)
                with self.lock:
                    payload = {"count": len(self.entries), "entries": self.entries[since:]}
            else:
                return _json(start_response, 404, {"message": "no such control path: %s" % path})
        except (ValueError, TypeError) as error:
            return _json(start_response, 400, {"message": str(error)})
        return _json(start_response, 200, payload)

    def _fault_counts(self, since):
        """Faults injected from log index since: {"total": n, "by_service": {service: {kind: n}}}."""
        with self.lock:
            faults = [(entry["service"], entry["fault"]) for entry in self.entries[since:] if entry["fault"]]
        by_service = {}
        for service, kind in faults:
            kinds = by_service.setdefault(service, {})
            kinds[kind] = kinds.get(kind, 0) + 1
        return {"total": len(faults), "by_service": by_service}


def _since(environ):
    return int(parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0])


def _drop_connection(environ):
    """Close the client's connection without an answer (werkzeug then sees it dropped)."""
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return []


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
