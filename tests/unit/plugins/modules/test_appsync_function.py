# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import botocore.exceptions
import pytest

from ansible_collections.multiregion.appsync.plugins.modules import appsync_function


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, aws):
        self.params = {"api_id": "api", "name": "getItem"}
        self.aws = aws

    def client(self, service, **kwargs):
        assert kwargs["config"].retries["total_max_attempts"] == 1
        return self.aws

    def fail_json(self, **kwargs):
        raise Failed(kwargs["msg"])


class Functions:
    """The functions of one API; the answers of the first `lose` creates are lost after they applied."""

    meta = SimpleNamespace(region_name="eu-central-1", endpoint_url=None, service_model=SimpleNamespace(service_name="appsync"))

    def __init__(self, lose=1):
        self.functions = []
        self.lose = lose
        self.creates = 0

    def list_functions(self, **kwargs):
        return {"functions": list(self.functions)}

    def create_function(self, apiId, **request):
        self.creates += 1
        function = dict(request, functionId="f%d" % self.creates)
        self.functions.append(function)
        if self.creates <= self.lose:
            raise botocore.exceptions.ConnectionClosedError(endpoint_url="https://appsync")
        return {"functionConfiguration": function}


def test_a_lost_create_function_answer_leaves_one_function():
    aws = Functions()
    function = appsync_function.create_function(FakeModule(aws), aws, {"name": "getItem", "dataSourceName": "items"})
    assert function["functionId"] == "f1" and aws.creates == 1 and len(aws.functions) == 1


def test_two_functions_of_the_name_fail_naming_both():
    aws = Functions(lose=0)
    aws.functions = [{"name": "getItem", "functionId": "f1"}, {"name": "getItem", "functionId": "f2"}]
    with pytest.raises(Failed, match="2 AppSync functions are named getItem: f1, f2"):
        appsync_function.find_function(FakeModule(aws), aws)


class Api(Functions):
    """An API ("api") with data source "items"; records the calls."""

    def __init__(self):
        super().__init__(lose=0)
        self.calls = []

    def list_functions(self, **kwargs):
        self.calls.append("list_functions")
        return super().list_functions(**kwargs)

    def create_function(self, apiId, **request):
        self.calls.append("create_function")
        return super().create_function(apiId, **request)

    def get_graphql_api(self, apiId):
        self.calls.append("get_graphql_api")
        return {"graphqlApi": {"apiId": apiId}}

    def get_data_source(self, apiId, name):
        self.calls.append("get_data_source")
        if name != "items":
            raise botocore.exceptions.ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "GetDataSource")
        return {"dataSource": {"name": name}}


JS = "export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }\n"


def test_a_rerun_reads_the_functions_only(run_main):
    aws = Api()
    args = dict(api_id="api", name="getItem", data_source_name="items", code=JS, region="eu-west-1")
    assert run_main(appsync_function, aws, **args)["changed"]
    assert aws.calls[:3] == ["list_functions", "get_graphql_api", "get_data_source"] and aws.calls.count("create_function") == 1
    aws.calls = []
    assert not run_main(appsync_function, aws, **args)["changed"]
    # the function found proves the API; its data source is checked before a write only
    assert aws.calls == ["list_functions"]
    failed = run_main(appsync_function, aws, **dict(args, data_source_name="nosuch"))
    assert failed["failed"] and failed["msg"].startswith("data_source_name=nosuch: no such data source")
