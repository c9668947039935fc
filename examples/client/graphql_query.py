#!/usr/bin/env python3
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send one GraphQL request to the global hostname (or any URL) and print who answered.

  graphql_query.py URL QUERY [--variables JSON] [--key API_KEY]
                   [--local-endpoint http://127.0.0.1:5500 --location continent=EU]

On AWS, URL is the global URL (https://api.example.com/graphql) and DNS picks the
region. On the local AWS, --local-endpoint sends the request to the local AWS's
port with URL's host in the Host header, and --location says where the client
is (continent=EU, country=DE, country=US;subdivision=CA). Prints one JSON line:
{"status", "region", "answer"}; region is the local AWS's x-localaws-region
header (None on AWS, which names no region). Exit status 1 when the answer is
not HTTP 200 or holds GraphQL errors. Standard library only.
"""

import argparse
import json
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

LOCATION_HEADER = "x-localaws-location"
REGION_HEADER = "x-localaws-region"


def build_request(url, query, variables=None, key=None, local_endpoint=None, location=None):
    """The urllib Request for one GraphQL POST (pure: no I/O)."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["x-api-key"] = key
    target = url
    if local_endpoint:
        parts = urlsplit(url)
        headers["Host"] = parts.netloc
        target = local_endpoint.rstrip("/") + (parts.path or "/") + ("?" + parts.query if parts.query else "")
        if location:
            headers[LOCATION_HEADER] = location
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return urllib.request.Request(target, data=body, method="POST", headers=headers)


def send(request, timeout=30):
    """(status, region, answer as parsed JSON or text)."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = raw.decode("utf-8", "replace")
    return status, headers.get(REGION_HEADER), answer


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("query")
    parser.add_argument("--variables", type=json.loads, default={})
    parser.add_argument("--key")
    parser.add_argument("--local-endpoint")
    parser.add_argument("--location")
    args = parser.parse_args(argv)
    status, region, answer = send(build_request(args.url, args.query, args.variables, args.key, args.local_endpoint, args.location))
    print(json.dumps({"status": status, "region": region, "answer": answer}, sort_keys=True))
    return 0 if status == 200 and isinstance(answer, dict) and not answer.get("errors") else 1


if __name__ == "__main__":
    sys.exit(main())
