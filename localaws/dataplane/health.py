"""Route53 health checks, evaluated against the local data plane.

A background thread probes every HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH
and TCP check at its RequestInterval (or SETTINGS["interval"] seconds, for
tests) through ``dataplane.dispatch`` in-process, with Host = the check's
FullyQualifiedDomainName (else its IPAddress) and its ResourcePath: healthy on
a 2xx or 3xx answer (and, for *_STR_MATCH, SearchString within the first 5,120
bytes of the body); a host no data-plane handler claims is a failure, as a
name that does not resolve is on AWS. FailureThreshold consecutive results
against the current state flip it; a new check is healthy until then.

CLOUDWATCH_METRIC checks follow their CloudWatch alarm in moto (ALARM
unhealthy, OK healthy, INSUFFICIENT_DATA as InsufficientDataHealthStatus:
Healthy, Unhealthy or LastKnownStatus); CALCULATED checks count their healthy
children against HealthThreshold. Disabled checks are healthy; Inverted ones
are flipped. GetHealthCheckStatus reports the last probe (localaws.extensions.route53).
"""

import datetime
import threading
import time

from localaws import dataplane

PROBED_TYPES = ("HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP")
SEARCHED_BYTES = 5120
USER_AGENT = "Amazon-Route53-Health-Check-Service (localaws)"
# Route53's default checker regions; GetHealthCheckStatus reports one observation per checker region.
CHECKER_REGIONS = ("us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2",
                   "ap-northeast-1", "sa-east-1")
SETTINGS = {"interval": None}  # seconds between probes; None: each check's RequestInterval
IDLE_TICK = 0.5
_LOCK = threading.Lock()
_STATES = {}  # health check id -> CheckState
_THREAD = {}


class CheckState:
    """What the checkers last saw of one health check."""

    def __init__(self):
        self.healthy = True
        self.streak = 0
        self.report = "Success: the health check has not been probed yet"
        self.checked = datetime.datetime.now(datetime.timezone.utc)
        self.due = 0.0

    def record(self, success, report, threshold):
        self.report = report
        self.checked = datetime.datetime.now(datetime.timezone.utc)
        self.streak = 0 if success == self.healthy else self.streak + 1
        if self.streak >= max(int(threshold or 3), 1):
            self.healthy, self.streak = success, 0


def _flag(value):
    return str(value).lower() == "true"


def health_checks():
    """{id: moto HealthCheck} of every account."""
    from moto.route53.models import route53_backends  # pylint: disable=import-outside-toplevel

    found = {}
    for _account, by_partition in list(route53_backends.items()):
        for backend in list(by_partition.values()):
            found.update(backend.health_checks)
    return found


def state_of(check_id):
    with _LOCK:
        return _STATES.setdefault(check_id, CheckState())


def is_healthy(check_id, checks=None, depth=0):
    """Whether Route53 considers the check healthy now (an unknown id counts as healthy)."""
    checks = health_checks() if checks is None else checks
    check = checks.get(check_id)
    if check is None or _flag(check.disabled):
        return True
    if check.type_ == "CALCULATED":
        children = check.children or []
        healthy = sum(1 for c in children if depth < 8 and is_healthy(c, checks, depth + 1))
        result = healthy >= int(check.health_threshold if check.health_threshold is not None else len(children))
    elif check.type_ == "CLOUDWATCH_METRIC":
        result = alarm_healthy(check)
    else:
        result = state_of(check_id).healthy
    return result != _flag(check.inverted)


def alarm_healthy(check):
    """A CLOUDWATCH_METRIC check's state from its alarm's state in moto."""
    from moto.cloudwatch.models import cloudwatch_backends  # pylint: disable=import-outside-toplevel

    identifier = getattr(check, "alarm_identifier", None) or {}
    alarm = None
    for _account, by_region in list(cloudwatch_backends.items()):
        if identifier.get("Region") in by_region:
            alarm = by_region[identifier["Region"]].alarms.get(identifier.get("Name")) or alarm
    state = alarm.state_value if alarm is not None else "INSUFFICIENT_DATA"
    status = state_of(check.id)
    if state == "INSUFFICIENT_DATA":
        fallback = getattr(check, "insufficient_data_health_status", None) or "LastKnownStatus"
        healthy = status.healthy if fallback == "LastKnownStatus" else fallback == "Healthy"
    else:
        healthy = state == "OK"
    status.healthy = healthy
    status.report = "%s: CloudWatch alarm %s is %s" % ("Success" if healthy else "Failure", identifier.get("Name"), state)
    return healthy


def probe(check):
    """(success, status report) of one probe of an HTTP/HTTPS/TCP check through the data plane."""
    host = dataplane.target_host(check.fqdn or check.ip_address or "")
    path, dummy, query = (check.resource_path or "/").partition("?")
    request = dataplane.Request("GET", host, path, query, {"host": host, "user-agent": USER_AGENT})
    try:
        response = dataplane.dispatch(request) if host else None
    except Exception as error:  # pylint: disable=broad-exception-caught
        return False, "Failure: the endpoint failed to answer: %s" % error
    if response is None:
        return False, "Failure: DNS resolution failed: no local endpoint answers %s" % (host or "(no host)")
    if check.type_ == "TCP":
        return True, "Success: TCP connection established"
    if not 200 <= response.status < 400:
        return False, "Failure: HTTP Status Code %d" % response.status
    if check.type_.endswith("_STR_MATCH") and (check.search_string or "").encode() not in response.body[:SEARCHED_BYTES]:
        return False, "Failure: Search string not found in response body"
    return True, "Success: HTTP Status Code %d, OK" % response.status


def interval_of(check):
    return SETTINGS["interval"] if SETTINGS["interval"] else float(check.request_interval or 30)


def run_due_probes(now=None):
    """Probe every HTTP-type check whose interval has passed; returns how many were probed."""
    now = time.monotonic() if now is None else now
    probed = 0
    checks = health_checks()
    for check_id, check in checks.items():
        if check.type_ not in PROBED_TYPES:
            continue
        state = state_of(check_id)
        if state.due > now:
            continue
        success, report = probe(check)
        with _LOCK:
            state.record(success, report, check.failure_threshold)
            state.due = now + interval_of(check)
        probed += 1
    with _LOCK:
        for gone in set(_STATES) - set(checks):
            del _STATES[gone]
    return probed


def reschedule():
    """Make every check due now (after the interval setting changed)."""
    with _LOCK:
        for state in _STATES.values():
            state.due = 0.0


def _loop():
    while True:
        try:
            run_due_probes()
        except Exception:  # pylint: disable=broad-exception-caught
            pass  # a probe must never stop the checkers; the next tick tries again
        interval = SETTINGS["interval"]
        time.sleep(min(IDLE_TICK, interval / 4) if interval else IDLE_TICK)


def start():
    """Start the checkers' thread once per process."""
    with _LOCK:
        if "thread" in _THREAD:
            return
        _THREAD["thread"] = threading.Thread(target=_loop, name="localaws-route53-health", daemon=True)
        _THREAD["thread"].start()


def observations(check):
    """GetHealthCheckStatus's HealthCheckObservations for check."""
    if check.type_ == "CLOUDWATCH_METRIC":
        alarm_healthy(check)
    elif check.type_ == "CALCULATED":
        return []
    state = state_of(check.id)
    return [{"Region": region, "IPAddress": "127.0.0.1",
             "StatusReport": {"Status": state.report, "CheckedTime": state.checked}}
            for region in (check.regions or CHECKER_REGIONS)]
