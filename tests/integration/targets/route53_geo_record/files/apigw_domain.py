# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test fixture: create or delete an API Gateway v2 custom domain name and print it as JSON.

usage: apigw_domain.py create|delete ENDPOINT_URL REGION DOMAIN_NAME
"""
import json
import sys

import boto3


def main():
    action, endpoint, region, name = sys.argv[1:5]
    client = boto3.client("apigatewayv2", endpoint_url=endpoint, region_name=region,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    if action == "create":
        domain = client.create_domain_name(
            DomainName=name,
            DomainNameConfigurations=[{"EndpointType": "REGIONAL"}])
        domain.pop("ResponseMetadata", None)
        print(json.dumps(domain, default=str))
    else:
        try:
            client.delete_domain_name(DomainName=name)
        except client.exceptions.NotFoundException:
            pass
        print("{}")


if __name__ == "__main__":
    main()
