# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import builders
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import common
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import flow
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AnsibleAppSyncError
from ansible_collections.multiregion.appsync.plugins.module_utils import pending

JS = "export function request(ctx) { return {}; }\n"
JS_RUNTIME = {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}
INTROSPECTION = {"__schema": {"types": [
    {"kind": "OBJECT", "name": "Query", "fields": [{"name": "getItem"}, {"name": "listItems"}]},
    {"kind": "INPUT_OBJECT", "name": "ItemInput", "inputFields": [{"name": "id"}], "fields": None},
    {"kind": "SCALAR", "name": "AWSDateTime"},
]}}


def params(**overrides):
    base = dict(api_id="a", type_name="Query", field_name="getItem", state="present", kind="UNIT",
                data_source_name="items", pipeline_functions=None, runtime=None, code=None, code_file=None,
                request_template=None, response_template=None, max_batch_size=None)
    base.update(overrides)
    return base


@pytest.mark.parametrize("document", [INTROSPECTION, {"data": INTROSPECTION}])
def test_check_field_accepts_existing_fields(document):
    assert builders.check_field(document, "Query", "listItems") is None


@pytest.mark.parametrize("type_name, field_name, fragment", [
    ("Query", "nope", "type Query of the API's schema has no field nope"),
    ("Mutation", "putItem", "no object type Mutation"),
    ("ItemInput", "id", "no object type ItemInput"),
])
def test_check_field_names_what_is_missing(type_name, field_name, fragment):
    message = builders.check_field(INTROSPECTION, type_name, field_name)
    assert fragment in message and "\n" not in message


def test_check_field_without_schema():
    assert "no object type Query" in builders.check_field(None, "Query", "getItem")


def test_js_resolver_request_gets_the_default_runtime():
    request = builders.build_resolver_request(params(code=JS), JS)
    assert request == {"fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items",
                       "runtime": JS_RUNTIME, "code": JS}


def test_explicit_runtime_is_used():
    request = builders.build_resolver_request(params(runtime={"name": "APPSYNC_JS", "runtime_version": "2.0.0"}), JS)
    assert request["runtime"] == {"name": "APPSYNC_JS", "runtimeVersion": "2.0.0"}


def test_vtl_request_has_no_runtime():
    request = builders.build_resolver_request(params(request_template="{}", response_template="$x"), None)
    assert request == {"fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items",
                       "requestMappingTemplate": "{}", "responseMappingTemplate": "$x"}


def test_pipeline_request_lists_function_ids_in_order():
    request = builders.build_resolver_request(params(kind="PIPELINE", data_source_name=None, code=JS), JS, ["f2", "f1"])
    assert request["pipelineConfig"] == {"functions": ["f2", "f1"]} and "dataSourceName" not in request


def test_unchanged_resolver_compares_equal():
    current = {"typeName": "Query", "fieldName": "getItem", "resolverArn": "arn", "kind": "UNIT", "dataSourceName": "items",
               "runtime": JS_RUNTIME, "code": JS, "maxBatchSize": 0}
    request = builders.build_resolver_request(params(), JS, current=current)
    before, after = builders.resolver_changes(current, request)
    assert before == after


def test_missing_kind_means_unit():
    current = {"fieldName": "getItem", "dataSourceName": "items", "requestMappingTemplate": "{}"}
    before, after = builders.resolver_changes(current, builders.build_resolver_request(params(request_template="{}"), None))
    assert before == after


@pytest.mark.parametrize("change", [
    dict(code="other"),
    dict(data_source_name="local"),
    dict(runtime={"name": "APPSYNC_JS", "runtime_version": "2.0.0"}),
    dict(max_batch_size=5),
])
def test_each_resolver_change_is_seen(change):
    current = {"fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items", "runtime": JS_RUNTIME, "code": JS}
    code = change.pop("code", JS)
    before, after = builders.resolver_changes(current, builders.build_resolver_request(params(**change), code))
    assert before != after


def test_switch_from_js_to_vtl_is_a_change():
    current = {"fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items", "runtime": JS_RUNTIME, "code": JS}
    before, after = builders.resolver_changes(current, builders.build_resolver_request(params(request_template="{}"), None))
    assert before != after and "runtime" not in after


def test_omitted_max_batch_size_is_kept():
    current = {"fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items", "maxBatchSize": 10}
    assert builders.build_resolver_request(params(), None, current=current)["maxBatchSize"] == 10


@pytest.mark.parametrize("overrides, code, fragment", [
    (dict(data_source_name=None), JS, "kind=UNIT requires data_source_name"),
    (dict(pipeline_functions=["f"]), JS, "pipeline_functions requires kind=PIPELINE"),
    (dict(kind="PIPELINE", pipeline_functions=["f"]), JS, "data_source_name cannot be used with kind=PIPELINE"),
    (dict(kind="PIPELINE", data_source_name=None), JS, "kind=PIPELINE requires pipeline_functions"),
    (dict(request_template="{}"), JS, "mutually exclusive"),
    (dict(runtime={"name": "APPSYNC_JS", "runtime_version": "1.0.0"}), None, "runtime requires code"),
])
def test_bad_resolver_options(overrides, code, fragment):
    assert fragment in builders.check_resolver_options(params(**overrides), code)


def test_good_resolver_options():
    assert builders.check_resolver_options(params(), JS) is None
    assert builders.check_resolver_options(params(kind="PIPELINE", data_source_name=None, pipeline_functions=["f"]), JS) is None


def test_resolve_function_ids():
    functions = [{"functionId": "1", "name": "a"}, {"functionId": "2", "name": "b"}, {"functionId": "3", "name": "b"}]
    assert builders.resolve_function_ids(functions, ["a"]) == (["1"], None)
    ids, error = builders.resolve_function_ids(functions, ["b"])
    assert ids is None and "2 functions are named b (2, 3)" in error
    ids, error = builders.resolve_function_ids(functions, ["c"])
    assert ids is None and "no function named c" in error


def test_code_source_reads_the_file(tmp_path):
    path = tmp_path / "r.js"
    path.write_text(JS)
    assert builders.code_source(None, str(path)) == JS
    assert builders.code_source(JS, None) == JS
    assert builders.code_source(None, None) is None


def test_function_request_and_changes():
    fparams = dict(name="save", description=None, data_source_name="items", runtime=None, request_template=None,
                   response_template=None, function_version=None, max_batch_size=None)
    js = builders.build_function_request(fparams, JS)
    assert js == {"name": "save", "dataSourceName": "items", "runtime": JS_RUNTIME, "code": JS}
    current = dict(js, functionId="f", functionArn="arn", functionVersion="2018-05-29")
    assert builders.function_changes(current, js)[0] == builders.function_changes(current, js)[1]
    vtl = builders.build_function_request(dict(fparams, request_template="{}"), None)
    assert vtl["functionVersion"] == "2018-05-29" and "runtime" not in vtl
    before, after = builders.function_changes(current, vtl)
    assert before != after


def test_unit_resolver_with_an_empty_pipeline_config_from_aws_is_unchanged():
    current = {"typeName": "Query", "fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items",
               "pipelineConfig": {"functions": []}, "runtime": JS_RUNTIME, "code": JS, "maxBatchSize": 0}
    before, after = builders.resolver_changes(current, builders.build_resolver_request(params(), JS, current=current))
    assert before == after


def test_unmanaged_resolver_and_function_settings_survive_an_update():
    caching = {"ttl": 60, "cachingKeys": ["$context.arguments.id"]}
    sync = {"conflictHandler": "OPTIMISTIC_CONCURRENCY", "conflictDetection": "VERSION"}
    current = {"fieldName": "getItem", "kind": "UNIT", "dataSourceName": "items", "runtime": JS_RUNTIME, "code": "old",
               "cachingConfig": caching, "syncConfig": sync, "metricsConfig": "ENABLED"}
    request = builders.build_resolver_request(params(), JS, current=current)
    assert (request["cachingConfig"], request["syncConfig"], request["metricsConfig"]) == (caching, sync, "ENABLED")
    assert "cachingConfig" not in builders.build_resolver_request(params(), JS)
    fparams = dict(name="save", description=None, data_source_name="items", runtime=None, request_template=None,
                   response_template=None, function_version=None, max_batch_size=None)
    assert builders.build_function_request(fparams, JS, current={"syncConfig": sync})["syncConfig"] == sync


def test_code_file_that_is_not_text_fails_naming_the_option(tmp_path):
    path = tmp_path / "r.js"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ValueError, match="code_file=.*r.js"):
        builders.code_source(None, str(path))
    with pytest.raises(ValueError, match="code_file=.*missing.js"):
        builders.code_source(None, str(tmp_path / "missing.js"))


class _Exit(Exception):
    pass


class _Module:
    region = "eu-west-1"
    _diff = False

    def __init__(self, state, check_mode=False, api_id="nope"):
        self.check_mode = check_mode
        self.params = {"api_id": api_id, "state": state}


class _NoApiClient:
    def get_graphql_api(self, apiId):
        raise ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "GetGraphqlApi")


def never(*_args):
    raise AssertionError("the flow went past a missing API")


def finds_nothing(client):
    """read_current under a missing API: AppSync answers NotFoundException, so nothing is found."""
    if isinstance(client, _NoCallClient):
        raise AssertionError("AWS was asked about a resource under the placeholder api_id")
    return None


def test_a_missing_api_fails_naming_api_id_or_is_unchanged_when_absent():
    with pytest.raises(AnsibleAppSyncError) as info:
        flow.converge(_Module("present"), _NoApiClient(), "resolver", finds_nothing, never, never, common.normalize_resolver)
    assert str(info.value).startswith("api_id=nope: ")
    result = flow.converge(_Module("absent"), _NoApiClient(), "resolver", finds_nothing, never, never, common.normalize_resolver)
    assert result == {"changed": False, "resolver": {}}


class _NoCallClient:
    def get_graphql_api(self, apiId):
        raise AssertionError("AWS was asked about the placeholder api_id %s" % apiId)


def _predict_created(client, current, api_exists):
    assert (current, api_exists) == ("nothing", False)
    return True, {"typeName": "Query"}, {}, {"type_name": "Query"}


@pytest.mark.parametrize("api_id, client", [("nope", _NoApiClient()), (pending.PENDING, _NoCallClient())])
def test_check_mode_under_an_api_not_made_yet_predicts_everything_created(api_id, client):
    """A missing API (or appsync_api's check-mode placeholder, not even looked up)
    holds nothing: the module's ensure_present predicts from `nothing`, its
    references unread; removing from it changes nothing."""
    module = _Module("present", check_mode=True, api_id=api_id)
    result = flow.converge(module, client, "resolver", lambda c: finds_nothing(c) or "nothing", _predict_created, never,
                           common.normalize_resolver, nothing="nothing")
    assert result == {"changed": True, "resolver": {"type_name": "Query"}}
    absent = flow.converge(_Module("absent", check_mode=True, api_id=api_id), client, "resolver", finds_nothing, never, never,
                           common.normalize_resolver)
    assert absent == {"changed": False, "resolver": {}}


def test_a_real_run_refuses_a_check_mode_placeholder_before_any_call():
    with pytest.raises(AnsibleAppSyncError) as info:
        flow.converge(_Module("present", api_id=pending.PENDING), _NoCallClient(), "resolver", never, never, never,
                      common.normalize_resolver)
    assert str(info.value).startswith("api_id: pending-creation.invalid is the placeholder")


class _FlowModule:
    def __init__(self, check_mode=False, **params):
        self.check_mode = check_mode
        self.params = dict(dict(state="present", code=None, code_file=None), **params)

    def fail_json(self, **kwargs):
        raise _Exit(("fail", kwargs))


def _flow(current, request, check_mode=False):
    calls = []
    outcome = flow.apply_request(
        _FlowModule(check_mode), current, request, builders.data_source_changes(current, request),
        create=lambda: calls.append("create") or dict(request, dataSourceArn="arn:new"),
        update=lambda: calls.append("update") or dict(request, dataSourceArn="arn:old"),
    )
    return outcome, calls


def test_apply_request_writes_only_what_differs_and_never_in_check_mode():
    request = {"name": "items", "type": "NONE", "description": "d"}
    (changed, resource, before, after), calls = _flow(None, request)
    assert (changed, calls, resource["dataSourceArn"], before) == (True, ["create"], "arn:new", {})
    (changed, resource, before, after), calls = _flow(dict(request, dataSourceArn="arn:old"), request)
    assert (changed, calls, before == after) == (False, [], True)
    (changed, resource, before, after), calls = _flow(dict(request, description="old", dataSourceArn="arn:old"), request)
    assert (changed, calls, before["description"], after["description"]) == (True, ["update"], "old", "d")
    (changed, resource, before, after), calls = _flow(None, request, check_mode=True)
    assert (changed, calls, resource) == (True, [], request)


def test_load_code_checks_the_options_and_skips_absent(tmp_path):
    path = tmp_path / "f.js"
    path.write_text(JS)
    assert flow.load_code(_FlowModule(code_file=str(path)).params, lambda p, c: None) == JS
    with pytest.raises(AnsibleAppSyncError) as info:
        flow.load_code(_FlowModule(code=JS).params, lambda p, c: "bad: %s" % (c == JS))
    assert str(info.value) == "bad: True"
    module = _FlowModule(code_file=str(tmp_path / "missing.js"))
    module.params["state"] = "absent"
    assert flow.load_code(module.params, lambda p, c: "never called") is None


# ---- several resolvers in one call (resolvers:) ----------------------------------------------

import json  # noqa: E402

from ansible_collections.multiregion.appsync.plugins.modules import appsync_resolver  # noqa: E402


class FakeAppSync:
    """One API ("api") with INTROSPECTION as its schema, data source "items" and function "f"; counts calls."""

    meta = SimpleNamespace(region_name="eu-central-1", endpoint_url=None, service_model=SimpleNamespace(service_name="appsync"))

    def __init__(self):
        self.resolvers = {}
        self.calls = []

    def get_graphql_api(self, apiId):
        self.calls.append("get_graphql_api")
        return {"graphqlApi": {"apiId": apiId}}

    def get_introspection_schema(self, apiId, format, includeDirectives):
        self.calls.append("get_introspection_schema")

        class Body:
            def read(self):
                return json.dumps(INTROSPECTION).encode()

        return {"schema": Body()}

    def get_data_source(self, apiId, name):
        self.calls.append("get_data_source")
        if name != "items":
            raise ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "GetDataSource")
        return {"dataSource": {"name": name}}

    def get_resolver(self, apiId, typeName, fieldName):
        self.calls.append("get_resolver")
        if (typeName, fieldName) not in self.resolvers:
            raise ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "GetResolver")
        return {"resolver": self.resolvers[(typeName, fieldName)]}

    def list_resolvers(self, apiId, typeName):
        self.calls.append("list_resolvers")
        return {"resolvers": [r for (type_name, _field), r in self.resolvers.items() if type_name == typeName]}

    def _store(self, typeName, request):
        self.resolvers[(typeName, request["fieldName"])] = dict(request, typeName=typeName)
        return {"resolver": self.resolvers[(typeName, request["fieldName"])]}

    def create_resolver(self, apiId, typeName, **request):
        self.calls.append("create_resolver")
        return self._store(typeName, request)

    def update_resolver(self, apiId, typeName, **request):
        self.calls.append("update_resolver")
        return self._store(typeName, request)

    def delete_resolver(self, apiId, typeName, fieldName):
        self.calls.append("delete_resolver")
        del self.resolvers[(typeName, fieldName)]

    def writes(self):
        return [c for c in self.calls if c.split("_")[0] in ("create", "update", "delete")]


@pytest.fixture
def run(run_main):
    def run_module(client, check_mode=False, diff=False, **args):
        args = dict(dict(api_id="api", region="eu-west-1", _ansible_check_mode=check_mode, _ansible_diff=diff), **args)
        return run_main(appsync_resolver, client, **args)

    return run_module


TWO = [
    {"type_name": "Query", "field_name": "getItem", "data_source_name": "items", "code": JS},
    {"type_name": "Query", "field_name": "listItems", "data_source_name": "items", "code": JS},
]


def test_several_resolvers_in_one_call_read_the_schema_once(run):
    client = FakeAppSync()
    created = run(client, resolvers=TWO, diff=True)
    assert created["changed"] and [r["field_name"] for r in created["resolvers"]] == ["getItem", "listItems"]
    assert sorted(created["diff"]["after"]) == ["Query.getItem", "Query.listItems"] and created["diff"]["before"] == {}
    assert client.writes() == ["create_resolver", "create_resolver"]
    assert client.calls.count("get_introspection_schema") == 1 and client.calls.count("get_data_source") == 1
    rerun = run(client, resolvers=TWO)
    assert not rerun["changed"] and client.writes() == ["create_resolver", "create_resolver"]


def test_several_resolvers_check_mode_update_and_delete(run):
    client = FakeAppSync()
    run(client, resolvers=TWO)
    changed = [TWO[0], dict(TWO[1], code=JS + "// v2\n")]
    predicted = run(client, resolvers=changed, check_mode=True, diff=True)
    assert predicted["changed"] and list(predicted["diff"]["after"]) == ["Query.getItem", "Query.listItems"]
    assert predicted["diff"]["before"]["Query.getItem"] == predicted["diff"]["after"]["Query.getItem"]
    assert client.writes() == ["create_resolver", "create_resolver"]
    assert run(client, resolvers=changed)["changed"]
    assert client.writes()[-1] == "update_resolver" and client.writes().count("update_resolver") == 1
    deleted = run(client, resolvers=TWO, state="absent")
    assert deleted["changed"] and client.resolvers == {} and deleted["resolvers"] == [{}, {}]


def test_a_bad_resolver_in_the_list_fails_naming_it_before_any_write(run):
    client = FakeAppSync()
    failed = run(client, resolvers=[TWO[0], dict(TWO[1], field_name="nope")])
    assert failed["failed"] and failed["msg"].startswith("resolvers[1]: type_name/field_name Query.nope: cannot be resolved")
    failed = run(client, resolvers=[TWO[0], dict(TWO[1], data_source_name="nosuch")])
    assert failed["failed"] and failed["msg"].startswith("resolvers[1]: data_source_name=nosuch: no such data source")
    failed = run(client, resolvers=[dict(TWO[0], request_template="{}")])
    assert failed["failed"] and failed["msg"].startswith("resolvers[0]: code/code_file (APPSYNC_JS) and request_template")
    assert client.writes() == []


def test_resolvers_and_the_single_form_exclude_each_other(run):
    failed = run(FakeAppSync(), resolvers=TWO, type_name="Query", field_name="getItem")
    assert failed["failed"] and "mutually exclusive" in failed["msg"]
    failed = run(FakeAppSync(), data_source_name="items")
    assert failed["failed"] and "one of the following is required: resolvers, type_name" in failed["msg"]


def test_the_single_form_is_unchanged(run):
    client = FakeAppSync()
    created = run(client, type_name="Query", field_name="getItem", data_source_name="items", code=JS)
    assert created["changed"] and created["resolver"]["field_name"] == "getItem" and "resolvers" not in created
    assert client.writes() == ["create_resolver"]


def test_reordered_pipeline_functions_are_a_change():
    # the list is the execution order: unlike the API's additional providers, it is compared in order
    current = {"fieldName": "getItem", "kind": "PIPELINE", "pipelineConfig": {"functions": ["f1", "f2"]}, "runtime": JS_RUNTIME, "code": JS}
    request = builders.build_resolver_request(params(kind="PIPELINE", data_source_name=None), JS, ["f2", "f1"], current=current)
    before, after = builders.resolver_changes(current, request)
    assert before != after and after["pipelineConfig"] == {"functions": ["f2", "f1"]}


# ---- a rerun reads the resolvers only ------------------------------------------------------------

MIXED = TWO + [{"type_name": "Mutation", "field_name": "putItem", "data_source_name": "items", "code": JS}]


class WithMutations(FakeAppSync):
    """The API's schema also has Mutation.putItem."""

    def get_introspection_schema(self, apiId, format, includeDirectives):
        self.calls.append("get_introspection_schema")
        types = INTROSPECTION["__schema"]["types"] + [{"kind": "OBJECT", "name": "Mutation", "fields": [{"name": "putItem"}]}]

        class Body:
            def read(self):
                return json.dumps({"__schema": {"types": types}}).encode()

        return {"schema": Body()}


def test_a_rerun_reads_one_list_per_type_and_nothing_else(run):
    client = WithMutations()
    run(client, resolvers=MIXED)
    client.calls = []
    rerun = run(client, resolvers=MIXED)
    assert not rerun["changed"] and [r["field_name"] for r in rerun["resolvers"]] == ["getItem", "listItems", "putItem"]
    # no GetGraphqlApi (a resolver found proves the API), no schema, no data source: nothing is written
    assert sorted(client.calls) == ["get_resolver", "list_resolvers"]


def test_a_check_mode_rerun_reads_as_little(run):
    client = FakeAppSync()
    run(client, resolvers=TWO)
    client.calls = []
    assert not run(client, resolvers=TWO, check_mode=True)["changed"]
    assert client.calls == ["list_resolvers"]


def test_only_the_resolvers_to_write_are_checked_before_the_first_write(run):
    client = FakeAppSync()
    run(client, resolvers=TWO)
    client.calls = []
    changed = [TWO[0], dict(TWO[1], code=JS + "// v2\n")]
    assert run(client, resolvers=changed)["changed"]
    assert client.calls == ["list_resolvers", "get_introspection_schema", "get_data_source", "update_resolver"]
    failed = run(client, resolvers=[TWO[0], dict(TWO[1], data_source_name="nosuch")])
    assert failed["failed"] and failed["msg"].startswith("resolvers[1]: data_source_name=nosuch: no such data source")
    assert client.writes() == ["update_resolver"]


def test_a_new_resolver_under_a_missing_api_is_looked_up_once(run):
    class NoApi(FakeAppSync):
        def get_graphql_api(self, apiId):
            self.calls.append("get_graphql_api")
            raise ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "GetGraphqlApi")

    client = NoApi()
    failed = run(client, api_id="nope", type_name="Query", field_name="getItem", data_source_name="items", code=JS)
    assert failed["failed"] and failed["msg"].startswith("api_id=nope: no such AppSync GraphQL API")
    assert client.calls == ["get_resolver", "get_graphql_api"]
    predicted = run(client, api_id="nope", type_name="Query", field_name="getItem", data_source_name="items", code=JS, check_mode=True)
    assert predicted["changed"] and client.writes() == []
