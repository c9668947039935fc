# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read a table's own settings in each region, as AWS keeps them (per replica).

usage: replica_settings.py ENDPOINT TABLE REGION...
Prints a JSON object: {region: {"deletion_protection": bool, "point_in_time_recovery": bool}}, null for a region
without the table. Credentials come from the environment.
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError


def read(client, table):
    try:
        description = client.describe_table(TableName=table)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise
    backups = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    return {
        "deletion_protection": bool(description.get("DeletionProtectionEnabled")),
        "point_in_time_recovery": backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED",
    }


def main(endpoint, table, *regions):
    print(json.dumps(dict(
        (region, read(boto3.client("dynamodb", region_name=region, endpoint_url=endpoint), table)) for region in regions)))


if __name__ == "__main__":
    main(*sys.argv[1:])
