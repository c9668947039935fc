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
