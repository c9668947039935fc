# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local AWS's test hooks and a region breaker, for the dataplane scenario.

  dataplane.py route53-configure ENDPOINT JSON    health_check_interval, change_delay (Route53 hook)
  dataplane.py appsync-clock ENDPOINT SECONDS     the AppSync data plane's clock offset (key expiry)
  dataplane.py break-key ENDPOINT REGION API_NAME STATE_FILE
      give REGION's proxy a wrong x-api-key on every integration (its AppSync API refuses it: the
      region is broken for clients and for its health check); the parameters are saved to STATE_FILE
  dataplane.py restore-key ENDPOINT REGION API_NAME STATE_FILE    put them back
Credentials come from the environment.
"""

import json
import sys
import urllib.request

import boto3

SIGV4 = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/%s/aws4_request, SignedHeaders=host, Signature=0"
BROKEN_KEY = "da2-brokenbrokenbrokenbroken"


def hook(url, service, payload):
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Authorization": SIGV4 % service, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        print(response.read().decode())


def integrations(endpoint, region, name):
    client = boto3.client("apigatewayv2", region_name=region, endpoint_url=endpoint)
    (api,) = [a for a in client.get_apis()["Items"] if a["Name"] == name]
    return client, api["ApiId"], client.get_integrations(ApiId=api["ApiId"])["Items"]


def break_key(endpoint, region, name, state_file):
    client, api_id, items = integrations(endpoint, region, name)
    saved = {i["IntegrationId"]: i.get("RequestParameters") or {} for i in items}
    with open(state_file, "w", encoding="utf-8") as state:
        json.dump(saved, state)
    for integration_id, parameters in saved.items():
        client.update_integration(ApiId=api_id, IntegrationId=integration_id,
                                  RequestParameters=dict(parameters, **{"overwrite:header.x-api-key": BROKEN_KEY}))


def restore_key(endpoint, region, name, state_file):
    client, api_id, dummy = integrations(endpoint, region, name)
    with open(state_file, encoding="utf-8") as state:
        for integration_id, parameters in json.load(state).items():
            client.update_integration(ApiId=api_id, IntegrationId=integration_id, RequestParameters=parameters)


def main(command, *args):
    if command == "route53-configure":
        hook(args[0] + "/2013-04-01/localaws/configure", "route53", json.loads(args[1]))
    elif command == "appsync-clock":
        hook(args[0] + "/v1/localaws/dataplane", "appsync", {"clock_offset": float(args[1])})
    elif command == "break-key":
        break_key(*args)
    elif command == "restore-key":
        restore_key(*args)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:])
