# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import importlib.util
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location("graphql_query", os.path.join(HERE, "..", "..", "..", "examples", "client", "graphql_query.py"))
graphql_query = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(graphql_query)


def test_on_aws_the_request_goes_to_the_url_itself():
    request = graphql_query.build_request("https://api.example.com/graphql", "{ __typename }")
    assert request.full_url == "https://api.example.com/graphql" and request.get_method() == "POST"
    assert json.loads(request.data) == {"query": "{ __typename }", "variables": {}}
    assert not request.has_header("Host") and not request.has_header("X-api-key")


def test_on_the_local_aws_the_host_and_the_location_go_in_headers():
    request = graphql_query.build_request("https://api.example.com/graphql", "{ __typename }", {"a": 1}, "da2-k",
                                          "http://127.0.0.1:5500/", "country=US;subdivision=CA")
    assert request.full_url == "http://127.0.0.1:5500/graphql"
    headers = {k.lower(): v for k, v in request.header_items()}
    assert headers["host"] == "api.example.com"
    assert headers["x-localaws-location"] == "country=US;subdivision=CA"
    assert headers["x-api-key"] == "da2-k"
    assert json.loads(request.data)["variables"] == {"a": 1}
