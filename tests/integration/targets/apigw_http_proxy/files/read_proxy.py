# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print, as JSON, the HTTP APIs named NAME and the custom domain DOMAIN as API Gateway reports them.

Usage: read_proxy.py ENDPOINT REGION NAME DOMAIN [untag-domain KEY] (credentials from the environment);
untag-domain first removes the tag KEY from the domain, as someone outside the module would.
"""
import json
import sys

import boto3


def main(endpoint, region, name, domain, action=None, key=None):
    client = boto3.client("apigatewayv2", region_name=region, endpoint_url=endpoint)
    if action == "untag-domain":
        client.untag_resource(ResourceArn=client.get_domain_name(DomainName=domain)["DomainNameArn"], TagKeys=[key])
    apis = []
    for api in client.get_apis()["Items"]:
        if api["Name"] != name:
            continue
        api_id = api["ApiId"]
        stages = client.get_stages(ApiId=api_id)["Items"]
        apis.append({
            "api_id": api_id,
            "tags": api.get("Tags", {}),
            "cors": api.get("CorsConfiguration"),
            "integrations": client.get_integrations(ApiId=api_id)["Items"],
            "routes": client.get_routes(ApiId=api_id)["Items"],
            "stages": stages,
        })
    domains = [d for d in client.get_domain_names()["Items"] if d["DomainName"] == domain]
    mappings = client.get_api_mappings(DomainName=domain)["Items"] if domains else []
    print(json.dumps({"apis": apis, "domain": domains[0] if domains else None, "mappings": mappings}, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:7])
