# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import botocore.exceptions
import pytest

from ansible_collections.amazon.aws.plugins.module_utils import cloud

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import api
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import common
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import keys
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import calls


def client_error(code, operation="GetResolver"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, operation)


def flaky(codes):
    """A callable that raises the given error codes in turn, then returns 'ok'."""
    calls = []

    def call():
        calls.append(1)
        if len(calls) <= len(codes):
            raise client_error(codes[len(calls) - 1])
        return "ok"

    return call, calls


@pytest.mark.parametrize("code", ["ConcurrentModificationException", "TooManyRequestsException", "LimitExceededException"])
def test_retry_retries_appsync_transient_errors(code):
    call, calls = flaky([code, code])
    assert common.appsync_retry_decorator(delay=0, max_delay=0)(call)() == "ok"
    assert len(calls) == 3


@pytest.mark.parametrize("code", ["BadRequestException", "InternalFailureException"])
def test_retry_does_not_retry_other_errors(code):
    call, calls = flaky([code])
    with pytest.raises(botocore.exceptions.ClientError):
        common.appsync_retry_decorator(delay=0, max_delay=0)(call)()
    assert len(calls) == 1


def test_error_handler_maps_not_found_to_default():
    @common.AppSyncErrorHandler.list_error_handler("get thing", default_value="missing")
    def get():
        raise client_error("NotFoundException")

    assert get() == "missing"


def test_error_handler_raises_ansible_error_with_description():
    @common.AppSyncErrorHandler.common_error_handler("create thing")
    def create():
        raise client_error("BadRequestException")

    with pytest.raises(common.AnsibleAppSyncError, match="Failed to create thing"):
        create()


def test_deletion_handler_returns_false_when_missing():
    @common.AppSyncErrorHandler.deletion_error_handler("delete thing")
    def delete():
        raise client_error("NotFoundException")

    assert delete() is False


def test_the_schema_digest_is_listed_apart_from_the_tags():
    api = {"apiId": "abc", "tags": {"CostCenter": "42", common.SCHEMA_DIGEST_TAG: "d1"}}
    normalized = common.normalize_api(api)
    assert normalized["tags"] == {"CostCenter": "42"}
    assert normalized["schema_digest"] == "d1"


def test_normalize_api_keeps_tag_keys_and_snakes_the_rest():
    api = {"apiId": "abc", "uris": {"GRAPHQL": "https://g", "REALTIME": "wss://r"},
           "xrayEnabled": False, "tags": {"CostCenter": "42"}}
    assert common.normalize_api(api) == {"api_id": "abc", "uris": {"graphql": "https://g", "realtime": "wss://r"},
                                         "xray_enabled": False, "tags": {"CostCenter": "42"}}
    assert common.normalize_api({"apiId": "x"})["tags"] == {}
    assert common.normalize_api(None) is None


def test_normalize_api_key_hides_value_unless_asked():
    key = {"id": "da2-secret", "expires": 1767225600, "description": "d"}
    plain = common.normalize_api_key(key)
    assert "value" not in plain
    assert plain["expires_at"] == "2026-01-01T00:00:00Z"
    assert common.normalize_api_key(key, include_value=True)["value"] == "da2-secret"


def test_normalize_data_source_and_resolver():
    ds = {"name": "items", "dataSourceArn": "arn", "dynamodbConfig": {"tableName": "t", "awsRegion": "eu-west-1"}}
    assert common.normalize_data_source(ds) == {"name": "items", "data_source_arn": "arn",
                                                "dynamodb_config": {"table_name": "t", "aws_region": "eu-west-1"}}
    res = {"typeName": "Query", "pipelineConfig": {"functions": ["f1"]}, "runtime": {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}}
    assert common.normalize_resolver(res) == {"type_name": "Query", "pipeline_config": {"functions": ["f1"]},
                                              "runtime": {"name": "APPSYNC_JS", "runtime_version": "1.0.0"}}


class PagedClient:
    """Answers every List* call in pages of one item, as AWS may (moto never pages)."""

    def __init__(self, items):
        self.items = items
        self.calls = []

    def __getattr__(self, operation):
        def call(**params):
            self.calls.append((operation, dict(params)))
            index = int(params.get("nextToken") or 0)
            page = {self.items[0]: [self.items[1][index]]}
            if index + 1 < len(self.items[1]):
                page["nextToken"] = str(index + 1)
            return page

        return call


def test_every_appsync_listing_follows_next_token():
    listings = [
        (api.list_graphql_apis, "graphqlApis"),
        (lambda c: calls.list_data_sources(c, "a"), "dataSources"),
        (lambda c: calls.list_types(c, "a"), "types"),
        (lambda c: calls.list_resolvers(c, "a", "Query"), "resolvers"),
        (lambda c: keys.list_api_keys(c, "a"), "apiKeys"),
        (lambda c: calls.list_functions(c, "a"), "functions"),
    ]
    for listing, key in listings:
        client = PagedClient((key, [{"n": 1}, {"n": 2}, {"n": 3}]))
        assert listing(client) == [{"n": 1}, {"n": 2}, {"n": 3}], key
        assert [params.get("nextToken") for _op, params in client.calls] == [None, "1", "2"], key


# ---- creates AWS does not make idempotent ------------------------------------------------


def lost(code="InternalFailureException", status=500):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": "try again"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "CreateGraphqlApi")


def test_creation_target_raises_appsync_errors_and_names_the_resource():
    client = SimpleNamespace(meta=SimpleNamespace(region_name="eu-central-1", endpoint_url="https://appsync.eu-central-1.amazonaws.com",
                                                  service_model=SimpleNamespace(service_name="appsync")))
    target = common.creation_target(client, "AppSync function", "getItem", "api-1")
    assert target.error is common.AnsibleAppSyncError and str(target) == "AppSync function getItem in eu-central-1"
    assert target.key.endswith("AppSync function\ngetItem\napi-1")


@pytest.mark.parametrize("code", ["InternalFailure", "ServiceUnavailable", "InternalFailureException"])
def test_create_retry_never_repeats_a_5xx(code, monkeypatch):
    monkeypatch.setattr(common.AWSRetry, "found", staticmethod(lambda *a: pytest.fail("AWSRetry's defaults used")))
    attempts = []

    def create():
        attempts.append(1)
        raise lost(code, 500)

    with pytest.raises(botocore.exceptions.ClientError):
        common.create_retry(create)()
    assert len(attempts) == 1


def test_create_retry_repeats_refusals(monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda s: None)
    call, attempts = flaky(["TooManyRequestsException", "ConcurrentModificationException"])
    assert common.create_retry(call)() == "ok" and len(attempts) == 3


class RecordingModule:
    def __init__(self):
        self.options = []

    def client(self, service, **kwargs):
        self.options.append((service, kwargs))
        return "client"


def test_the_creation_client_never_retries_in_the_sdk():
    module = RecordingModule()
    assert common.creation_client(module) == "client"
    (service, kwargs), = module.options
    assert service == "appsync" and kwargs["config"].retries == {"mode": "standard", "total_max_attempts": 1}
