# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write and read items of one table in several regions, as a client would.

usage: item.py ENDPOINT TABLE STEP...   with STEP = put:REGION:KEY:VALUE or get:REGION:KEY
Prints a JSON list: for each get, the value read (null when the item is missing).
Credentials come from the environment.
"""

import json
import sys

import boto3


def main(endpoint, table, *steps):
    clients = {}
    values = []
    for step in steps:
        action, region, key, value = (step.split(":", 3) + [None])[:4]
        if region not in clients:
            clients[region] = boto3.client("dynamodb", region_name=region, endpoint_url=endpoint)
        if action == "put":
            clients[region].put_item(TableName=table, Item={"pk": {"S": key}, "value": {"S": value}})
        else:
            item = clients[region].get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True).get("Item")
            values.append(item["value"]["S"] if item else None)
    print(json.dumps(values))


if __name__ == "__main__":
    main(*sys.argv[1:])
