# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import builders


def params(**overrides):
    base = dict(api_id="a", name="items", state="present", type=None, description=None, service_role_arn=None,
                dynamodb_config=None, http_config=None, lambda_config=None)
    base.update(overrides)
    return base


DDB = dict(table_name="items", table_region=None, versioned=False, use_caller_credentials=False)
CURRENT = {"name": "items", "type": "AMAZON_DYNAMODB", "dataSourceArn": "arn:x", "description": "kept",
           "serviceRoleArn": "arn:role", "dynamodbConfig": {"tableName": "items", "awsRegion": "eu-west-1"}}


@pytest.mark.parametrize("given, expected", [
    (params(dynamodb_config=DDB), "AMAZON_DYNAMODB"),
    (params(http_config={"endpoint": "https://x"}), "HTTP"),
    (params(lambda_config={"lambda_function_arn": "arn:f"}), "AWS_LAMBDA"),
    (params(), "NONE"),
    (params(type="NONE"), "NONE"),
])
def test_data_source_type_is_implied_by_config(given, expected):
    assert builders.data_source_type(given) == expected


def test_build_request_defaults_table_region_to_connection_region():
    request = builders.build_data_source_request(params(dynamodb_config=DDB, service_role_arn="arn:role"), "eu-west-1")
    assert request == {"name": "items", "type": "AMAZON_DYNAMODB", "serviceRoleArn": "arn:role",
                       "dynamodbConfig": {"tableName": "items", "awsRegion": "eu-west-1",
                                          "useCallerCredentials": False, "versioned": False}}


def test_build_request_keeps_omitted_description_and_role():
    request = builders.build_data_source_request(params(dynamodb_config=DDB), "eu-west-1", CURRENT)
    assert request["description"] == "kept" and request["serviceRoleArn"] == "arn:role"


def test_none_data_source_drops_the_role():
    request = builders.build_data_source_request(params(type="NONE"), "eu-west-1", CURRENT)
    assert request == {"name": "items", "type": "NONE", "description": "kept"}


def test_unchanged_data_source_compares_equal_with_aws_defaults_missing():
    request = builders.build_data_source_request(params(dynamodb_config=DDB), "eu-west-1", CURRENT)
    before, after = builders.data_source_changes(CURRENT, request)
    assert before == after


@pytest.mark.parametrize("change", [
    dict(dynamodb_config=dict(DDB, versioned=True)),
    dict(dynamodb_config=dict(DDB, table_region="us-east-1")),
    dict(dynamodb_config=dict(DDB, table_name="other")),
    dict(dynamodb_config=DDB, description="new"),
    dict(dynamodb_config=DDB, service_role_arn="arn:other"),
    dict(type="NONE"),
])
def test_each_managed_change_is_seen(change):
    request = builders.build_data_source_request(params(**change), "eu-west-1", CURRENT)
    before, after = builders.data_source_changes(CURRENT, request)
    assert before != after


def test_unmanaged_fields_are_ignored():
    current = dict(CURRENT, metricsConfig="ENABLED",
                   dynamodbConfig=dict(CURRENT["dynamodbConfig"], deltaSyncConfig={"baseTableTTL": 1}))
    request = builders.build_data_source_request(params(dynamodb_config=DDB), "eu-west-1", current)
    before, after = builders.data_source_changes(current, request)
    assert before == after


@pytest.mark.parametrize("given, fragment", [
    (params(type="AMAZON_DYNAMODB"), "type=AMAZON_DYNAMODB requires dynamodb_config"),
    (params(type="NONE", dynamodb_config=DDB), "dynamodb_config cannot be used with type=NONE"),
    (params(type="HTTP", lambda_config={"lambda_function_arn": "f"}), "lambda_config cannot be used with type=HTTP"),
    (params(name="bad-name"), "name='bad-name'"),
    (params(name="1st"), "name='1st'"),
])
def test_bad_options_fail_naming_the_option(given, fragment):
    assert fragment in builders.check_data_source_options(given)


def test_good_options_pass():
    assert builders.check_data_source_options(params(dynamodb_config=DDB)) is None
    assert builders.check_data_source_options(params(type="NONE", name="_local2")) is None


def test_unmanaged_data_source_settings_survive_an_update():
    signing = {"authorizationType": "AWS_IAM", "awsIamConfig": {"signingRegion": "eu-west-1", "signingServiceName": "es"}}
    current = {"name": "items", "type": "HTTP", "httpConfig": {"endpoint": "https://old", "authorizationConfig": signing},
               "metricsConfig": "ENABLED"}
    request = builders.build_data_source_request(params(http_config={"endpoint": "https://new"}), "eu-west-1", current)
    assert request["httpConfig"] == {"endpoint": "https://new", "authorizationConfig": signing}
    assert request["metricsConfig"] == "ENABLED"
    before, after = builders.data_source_changes(dict(current, httpConfig={"endpoint": "https://new", "authorizationConfig": signing}), request)
    assert before == after
