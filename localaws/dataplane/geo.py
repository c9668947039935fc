"""One hostname, many locations: the global hostname answered by the region Route53 would pick.

A request whose Host is the name of Route53 alias records (A or AAAA) that
point at API Gateway regional domain names (``d-....execute-api.<region>.amazonaws.com``)
is answered by the region Route53 would send the client to, decided from the
LIVE records at request time:

- geolocation records: the most specific record for the client's location
  (subdivision, then country, then continent, then the ``*`` default), skipping
  records whose health check is unhealthy (localaws.dataplane.health), so the
  next less specific record answers; when every matching record is unhealthy,
  Route53 treats them all as healthy and answers with the most specific one;
  no matching record -> no answer (503 here, naming the location);
- a simple alias record: its target.

The region's custom domain of that name then serves the request (Host kept).

The client says where it is (a DNS resolver's location on AWS) with the header
``x-localaws-location`` (LOCATION_HEADER) or, for browsers (a custom header
would need CORS), the query parameter ``localaws-location`` (LOCATION_QUERY),
stripped before forwarding. Values: ``continent=EU``, ``country=DE``,
``country=US;subdivision=CA`` (a country implies its continent). No location:
the ``*`` record.
"""

import json
import re
from urllib.parse import parse_qsl, urlencode

from localaws import dataplane
from localaws.dataplane import health, http_api
from localaws.dataplane.continents import CONTINENTS, continent_of

LOCATION_HEADER = "x-localaws-location"
LOCATION_QUERY = "localaws-location"
DEFAULT_LOCATION = {"CountryCode": "*"}
AWS_HOSTS = ".amazonaws.com"


class LocationError(ValueError):
    """A location value this layer cannot read."""


def parse_location(text):
    """'country=US;subdivision=CA' -> {'continent': 'NA', 'country': 'US', 'subdivision': 'CA'}."""
    location = {}
    for part in re.split(r"[;,&]", text or ""):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip().upper()
        if not sep or key not in ("continent", "country", "subdivision") or not value:
            raise LocationError("%s %r: expected continent=XX, country=XX or country=XX;subdivision=YY"
                                % (LOCATION_HEADER, text))
        location[key] = value
    if "continent" in location and location["continent"] not in CONTINENTS:
        raise LocationError("%s %r: continent must be one of %s" % (LOCATION_HEADER, text, ", ".join(sorted(CONTINENTS))))
    if "subdivision" in location and "country" not in location:
        raise LocationError("%s %r: a subdivision needs its country" % (LOCATION_HEADER, text))
    if "country" in location and "continent" not in location and continent_of(location["country"]):
        location["continent"] = continent_of(location["country"])
    return location


def request_location(request):
    """(location, request without the location query parameter); raises LocationError."""
    pairs = parse_qsl(request.query, keep_blank_values=True)
    from_query = [v for k, v in pairs if k == LOCATION_QUERY]
    text = request.headers.get(LOCATION_HEADER) or (from_query[0] if from_query else "")
    location = dict(request.location) or parse_location(text)
    headers = {k: v for k, v in request.headers.items() if k != LOCATION_HEADER}
    query = urlencode([(k, v) for k, v in pairs if k != LOCATION_QUERY])
    stripped = dataplane.Request(request.method, request.host, request.path, query, headers, request.body, location)
    return location, stripped


def wanted_locations(location):
    """GeoLocation values a record may carry to answer location, most specific first."""
    wanted = []
    if location.get("country") and location.get("subdivision"):
        wanted.append({"CountryCode": location["country"], "SubdivisionCode": location["subdivision"]})
    if location.get("country"):
        wanted.append({"CountryCode": location["country"]})
    if location.get("continent"):
        wanted.append({"ContinentCode": location["continent"]})
    wanted.append(DEFAULT_LOCATION)
    return wanted


def _geo(record):
    return {k: v for k, v in (record.get("GeoLocation") or {}).items() if v}


def choose_record(records, location, is_healthy):
    """The record Route53 answers location with, or None.

    records: API-form geolocation records of one name and type; is_healthy(check_id) -> bool.
    """
    matching = []
    for wanted in wanted_locations(location):
        matching += [r for r in records if _geo(r) == wanted]
    for record in matching:
        if not record.get("HealthCheckId") or is_healthy(record["HealthCheckId"]):
            return record
    return matching[0] if matching else None


def alias_records(host):
    """API-form A (else AAAA) alias records named host whose target is an API Gateway domain.

    They come from one zone, as DNS delegates a name to one zone: the most
    specific zone holding such records, the newest of equally named ones.
    """
    from moto.route53.models import route53_backends  # pylint: disable=import-outside-toplevel

    from localaws.extensions.route53 import api_form, canonical_name  # pylint: disable=import-outside-toplevel

    name = canonical_name(host)
    by_zone = []
    for _account, by_partition in list(route53_backends.items()):
        for backend in list(by_partition.values()):
            for order, zone in enumerate(list(backend.zones.values())):
                found = [api_form(r) for r in list(zone.rrsets) if r.name == name and _is_gateway_alias(r)]
                if found:
                    by_zone.append(((len(canonical_name(zone.name)), order), found))
    if not by_zone:
        return []
    found = max(by_zone, key=lambda entry: entry[0])[1]
    return [r for r in found if r["Type"] == "A"] or found


def _is_gateway_alias(rrset):
    target = ((rrset.alias_target or {}).get("DNSName") or "").rstrip(".").lower()
    return rrset.type in ("A", "AAAA") and bool(http_api.REGIONAL_DOMAIN_HOST.match(target))


def resolve(host, location):
    """(record Route53 answers with, or None; whether host has API Gateway alias records at all)."""
    records = alias_records(host)
    if not records:
        return None, False
    geo_records = [r for r in records if r.get("GeoLocation")]
    if geo_records:
        return choose_record(geo_records, location, health.is_healthy), True
    return records[0], True


def handle(request):
    """The dataplane handler for hostnames with API Gateway alias records."""
    if request.host.endswith(AWS_HOSTS):
        return None  # AWS's own endpoints are nobody's record names
    try:
        location, forwarded = request_location(request)
    except LocationError as error:
        if not alias_records(request.host):
            return None
        return http_api.message(400, "localaws: %s" % error)
    record, known = resolve(request.host, location)
    if not known:
        return None
    if record is None:
        return dataplane.Response(503, {"content-type": "application/json"}, json.dumps(
            {"message": "localaws: Route53 has no record of %s for location %s (no '*' default record)"
             % (request.host, location or "unknown")}).encode())
    target = record["AliasTarget"]["DNSName"].rstrip(".").lower()
    owner = http_api.gateway_domain_owner(target)
    if owner is None or owner[2].lower() != request.host:
        # DNS sends the client to an endpoint that does not serve this name: API Gateway refuses it.
        return http_api.message(403, "Forbidden")
    region, backend, domain_name = owner
    return http_api.serve_domain(region, backend, domain_name, forwarded)
