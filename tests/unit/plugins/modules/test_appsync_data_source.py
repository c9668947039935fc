# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""appsync_data_source run as Ansible runs it (main(), module arguments in,
JSON out), against a fake AppSync client that counts its write calls."""

from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.multiregion.appsync.plugins.modules import appsync_data_source

ROLE = "arn:aws:iam::123456789012:role/items"
TABLE = {"table_name": "items"}


def client_error(code, message, status=400):
    return ClientError({"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "CreateDataSource")


class FakeAppSync:
    """One API (id "api") and its data sources; failures[operation] are raised first, in order."""

    meta = SimpleNamespace(region_name="eu-central-1", endpoint_url=None, service_model=SimpleNamespace(service_name="appsync"))

    def __init__(self, sources=None, failures=None):
        self.sources = dict(sources or {})
        self.failures = dict(failures or {})
        self.calls = []

    def _call(self, operation):
        self.calls.append(operation)
        if self.failures.get(operation):
            raise self.failures[operation].pop(0)

    def get_graphql_api(self, apiId):
        self._call("get_graphql_api")
        if apiId != "api":
            raise client_error("NotFoundException", "no API", 404)
        return {"graphqlApi": {"apiId": "api"}}

    def get_data_source(self, apiId, name):
        self._call("get_data_source")
        if name not in self.sources:
            raise client_error("NotFoundException", "no data source", 404)
        return {"dataSource": self.sources[name]}

    def create_data_source(self, apiId, **request):
        self._call("create_data_source")
        self.sources[request["name"]] = dict(request, dataSourceArn="arn:ds/" + request["name"])
        return {"dataSource": self.sources[request["name"]]}

    def update_data_source(self, apiId, **request):
        self._call("update_data_source")
        self.sources[request["name"]] = dict(request, dataSourceArn="arn:ds/" + request["name"])
        return {"dataSource": self.sources[request["name"]]}

    def delete_data_source(self, apiId, name):
        self._call("delete_data_source")
        del self.sources[name]

    def writes(self):
        return [c for c in self.calls if not c.startswith("get_")]


@pytest.fixture
def run(run_main, monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)

    def run_module(client, check_mode=False, diff=False, **args):
        args = dict(dict(api_id="api", name="items", region="eu-west-1", _ansible_check_mode=check_mode, _ansible_diff=diff), **args)
        return run_main(appsync_data_source, client, **args)

    return run_module


def test_create_then_rerun_writes_once(run):
    client = FakeAppSync()
    created = run(client, service_role_arn=ROLE, dynamodb_config=TABLE, diff=True)
    assert created["changed"] and created["data_source"]["data_source_arn"] == "arn:ds/items"
    assert created["diff"]["before"] == {} and created["diff"]["after"]["dynamodb_config"]["aws_region"] == "eu-west-1"
    assert client.writes() == ["create_data_source"]
    rerun = run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    assert not rerun["changed"] and client.writes() == ["create_data_source"]


def test_check_mode_predicts_and_writes_nothing(run):
    client = FakeAppSync()
    predicted = run(client, check_mode=True, service_role_arn=ROLE, dynamodb_config=TABLE)
    assert predicted["changed"] and client.writes() == [] and client.sources == {}


def test_update_and_delete(run):
    client = FakeAppSync()
    run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    updated = run(client, service_role_arn=ROLE, dynamodb_config=dict(TABLE, table_name="other"))
    assert updated["changed"] and client.sources["items"]["dynamodbConfig"]["tableName"] == "other"
    deleted = run(client, state="absent")
    assert deleted["changed"] and client.sources == {}
    assert not run(client, state="absent")["changed"]
    assert client.writes() == ["create_data_source", "update_data_source", "delete_data_source"]


def test_bad_input_fails_before_any_call(run):
    client = FakeAppSync()
    failed = run(client, type="AMAZON_DYNAMODB")
    assert failed["failed"] and failed["msg"] == "type=AMAZON_DYNAMODB requires dynamodb_config"
    assert client.calls == []


def test_a_missing_api_fails_naming_it_or_is_nothing_to_remove(run):
    client = FakeAppSync()
    failed = run(client, api_id="nope", dynamodb_config=TABLE, service_role_arn=ROLE)
    assert failed["failed"] and failed["msg"].startswith("api_id=nope: no such AppSync GraphQL API")
    absent = run(client, api_id="nope", state="absent")
    assert absent["changed"] is False and absent["data_source"] == {} and "failed" not in absent
    assert client.writes() == []


@pytest.mark.parametrize("refusal", [
    client_error("AccessDeniedException", "Failed to assume service-linked role %s, please retry." % ROLE, 403),
    client_error("BadRequestException", "Role %s cannot be assumed by AppSync." % ROLE),
    client_error("AccessDeniedException", "User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: iam:PassRole on resource: %s" % ROLE, 403),
])
def test_a_role_iam_has_not_propagated_yet_is_retried(run, refusal):
    client = FakeAppSync(failures={"create_data_source": [refusal, refusal]})
    created = run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    assert created["changed"] and "items" in client.sources
    assert client.writes() == ["create_data_source"] * 3


def test_update_retries_role_propagation_too(run):
    refusal = client_error("BadRequestException", "Role %s cannot be assumed by AppSync." % ROLE)
    client = FakeAppSync(sources={"items": {"name": "items", "type": "NONE"}}, failures={"update_data_source": [refusal]})
    assert run(client, service_role_arn=ROLE, dynamodb_config=TABLE)["changed"]
    assert client.writes() == ["update_data_source", "update_data_source"]


@pytest.mark.parametrize("error", [
    client_error("BadRequestException", "Service role arn not specified."),
    client_error("BadRequestException", "Invalid table name."),
])
def test_other_refusals_fail_at_once(run, error):
    client = FakeAppSync(failures={"create_data_source": [error]})
    failed = run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    assert failed["failed"] and error.response["Error"]["Message"] in failed["msg"]
    assert client.writes() == ["create_data_source"]


def test_role_propagation_retries_are_bounded(run):
    refusal = client_error("BadRequestException", "Role %s cannot be assumed by AppSync." % ROLE)
    client = FakeAppSync(failures={"create_data_source": [refusal] * 20})
    failed = run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    assert failed["failed"] and "cannot be assumed" in failed["msg"]
    assert client.writes() == ["create_data_source"] * 8


def test_a_lost_create_answer_is_read_back_not_repeated(run):
    import botocore.exceptions

    class LosingAppSync(FakeAppSync):
        def create_data_source(self, apiId, **request):
            created = FakeAppSync.create_data_source(self, apiId, **request)
            if self.writes().count("create_data_source") == 1:
                raise botocore.exceptions.ConnectionClosedError(endpoint_url="https://appsync")
            return created

    client = LosingAppSync()
    created = run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    assert created["changed"] and created["data_source"]["name"] == "items"
    assert client.writes() == ["create_data_source"]


def test_a_rerun_reads_the_data_source_only(run):
    client = FakeAppSync()
    run(client, service_role_arn=ROLE, dynamodb_config=TABLE)
    # a data source still to create: the API is looked up to tell its absence from the API's
    assert client.calls[:2] == ["get_data_source", "get_graphql_api"] and client.writes() == ["create_data_source"]
    for check_mode in (False, True):
        client.calls = []
        assert not run(client, check_mode=check_mode, service_role_arn=ROLE, dynamodb_config=TABLE)["changed"]
        # the data source found proves the API: no GetGraphqlApi
        assert client.calls == ["get_data_source"]
