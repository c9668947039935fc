# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import api as api_utils
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import SCHEMA_DIGEST_TAG
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.keys import MANAGED_KEY_DESCRIPTION
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import schema_digest
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import OwnershipError
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import owner_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import select_owned
from ansible_collections.multiregion.appsync.plugins.modules import appsync_api

OURS = owner_tags()


def params(**overrides):
    base = dict(
        name="items",
        state="present",
        authentication_type="API_KEY",
        openid_connect_config=None,
        user_pool_config=None,
        lambda_authorizer_config=None,
        additional_authentication_providers=None,
        xray_enabled=False,
        log_config=None,
        schema=None,
        schema_file=None,
        api_key=True,
        api_key_expiry_days=365,
        api_key_renew_days=30,
        adopt_untagged=False,
        tags=None,
        purge_tags=True,
        wait=True,
        wait_timeout=300,
    )
    base.update(overrides)
    return base


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, check_mode=False, aws=None, **overrides):
        self.params = params(**overrides)
        self.check_mode = check_mode
        self._diff = False
        self.aws = aws  # what module.client() gives: the creates' own client
        self.client_options = []

    def client(self, service, **kwargs):
        self.client_options.append((service, kwargs))
        return self.aws

    def fail_json(self, **kwargs):
        raise Failed(kwargs["msg"])


# ---- identity ----------------------------------------------------------------


def api(api_id, name="items", tags=None, **extra):
    return dict({"apiId": api_id, "name": name, "tags": tags or {}, "authenticationType": "API_KEY"}, **extra)


def test_candidates_are_same_named_only():
    apis = [api("a"), api("b", name="other", tags=OURS), api("c", tags=OURS)]
    candidates = api_utils.candidates_named(apis, "items")
    assert [c["id"] for c in candidates] == ["a", "c"]
    found, adopted = select_owned(candidates, "AppSync API", "items")
    assert found["apiId"] == "c" and adopted is False


class FakeTagClient:
    def __init__(self, tags):
        self.tags = tags
        self.calls = []

    def list_tags_for_resource(self, resourceArn):
        self.calls.append(resourceArn)
        return {"tags": self.tags.get(resourceArn, {})}


def test_tags_missing_from_a_listing_are_read():
    client = FakeTagClient({"arn:b": OURS})
    apis = api_utils.with_tags(client, [dict(api("a"), arn="arn:a"), {"apiId": "b", "name": "items", "arn": "arn:b"}])
    assert client.calls == ["arn:b"]
    assert apis[1]["tags"] == OURS
    found, _adopted = select_owned(api_utils.candidates_named(apis, "items"), "AppSync API", "items")
    assert found["apiId"] == "b"


def test_two_owned_apis_fail_naming_both():
    candidates = api_utils.candidates_named([api("id-2", tags=OURS), api("id-1", tags=OURS)], "items")
    with pytest.raises(OwnershipError, match="id-1, id-2"):
        select_owned(candidates, "AppSync API", "items")


def test_untagged_is_adopted_only_when_asked():
    candidates = api_utils.candidates_named([api("a", tags={"team": "x"})], "items")
    assert select_owned(candidates, "AppSync API", "items") == (None, False)
    found, adopted = select_owned(candidates, "AppSync API", "items", adopt=True)
    assert found["apiId"] == "a" and adopted


def test_adoption_adds_only_the_ownership_tag_when_tags_unset():
    module = FakeModule(tags=None)
    assert appsync_api.tag_changes(module, {"team": "x"}, adopted=True) == (OURS, [])
    assert appsync_api.tag_changes(module, {"team": "x"}, adopted=False) == ({}, [])


def test_tag_purge_never_removes_the_ownership_tag():
    module = FakeModule(tags={"app": "items"})
    to_set, to_remove = appsync_api.tag_changes(module, dict(OURS, old="1"), adopted=False)
    assert to_set == {"app": "items"}
    assert to_remove == ["old"]
    module = FakeModule(tags={"app": "items"}, purge_tags=False)
    assert appsync_api.tag_changes(module, dict(OURS, old="1"), adopted=False) == ({"app": "items"}, [])


# ---- configuration -------------------------------------------------------------


def test_build_config_maps_snake_case_to_appsync_fields():
    config = api_utils.build_api_config(
        params(
            authentication_type="AMAZON_COGNITO_USER_POOLS",
            user_pool_config={"user_pool_id": "pool", "aws_region": "eu-west-1", "default_action": "DENY", "app_id_client_regex": None},
            additional_authentication_providers=[
                {"authentication_type": "API_KEY", "openid_connect_config": None, "user_pool_config": None, "lambda_authorizer_config": None},
                {
                    "authentication_type": "OPENID_CONNECT",
                    "openid_connect_config": {"issuer": "https://idp", "client_id": "c", "iat_ttl": 10},
                    "user_pool_config": None,
                    "lambda_authorizer_config": None,
                },
                {
                    "authentication_type": "AMAZON_COGNITO_USER_POOLS",
                    "user_pool_config": {"user_pool_id": "p2", "aws_region": "us-east-1", "default_action": "ALLOW"},
                },
            ],
            xray_enabled=True,
            log_config={"field_log_level": "ERROR", "cloudwatch_logs_role_arn": "role", "exclude_verbose_content": True},
        )
    )
    assert config == {
        "name": "items",
        "authenticationType": "AMAZON_COGNITO_USER_POOLS",
        "userPoolConfig": {"userPoolId": "pool", "awsRegion": "eu-west-1", "defaultAction": "DENY"},
        "additionalAuthenticationProviders": [
            {"authenticationType": "API_KEY"},
            {"authenticationType": "OPENID_CONNECT", "openIDConnectConfig": {"issuer": "https://idp", "clientId": "c", "iatTTL": 10}},
            # an additional user pool has no default action
            {"authenticationType": "AMAZON_COGNITO_USER_POOLS", "userPoolConfig": {"userPoolId": "p2", "awsRegion": "us-east-1"}},
        ],
        "xrayEnabled": True,
        "logConfig": {"fieldLogLevel": "ERROR", "cloudWatchLogsRoleArn": "role", "excludeVerboseContent": True},
    }


def test_unset_options_keep_current_values():
    current = api(
        "a",
        logConfig={"fieldLogLevel": "ALL", "cloudWatchLogsRoleArn": "r"},
        additionalAuthenticationProviders=[{"authenticationType": "AWS_IAM"}],
        xrayEnabled=False,
    )
    desired = api_utils.build_api_config(params(), current)
    assert desired["logConfig"] == current["logConfig"]
    assert desired["additionalAuthenticationProviders"] == [{"authenticationType": "AWS_IAM"}]
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == []


def test_empty_provider_list_removes_providers():
    current = api("a", additionalAuthenticationProviders=[{"authenticationType": "AWS_IAM"}])
    desired = api_utils.build_api_config(params(additional_authentication_providers=[]), current)
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == ["additionalAuthenticationProviders"]


def test_compare_names_changed_fields_only():
    current = api_utils.api_config_of(api("a", xrayEnabled=False, logConfig={"fieldLogLevel": "ERROR", "cloudWatchLogsRoleArn": "r"}))
    same = api_utils.build_api_config(params(log_config={"field_log_level": "ERROR", "cloudwatch_logs_role_arn": "r", "exclude_verbose_content": False}))
    assert api_utils.fields_to_update(current, same) == []
    changed = api_utils.build_api_config(params(xray_enabled=True, log_config={"field_log_level": "ALL", "cloudwatch_logs_role_arn": "r"}))
    assert api_utils.fields_to_update(current, changed) == ["logConfig", "xrayEnabled"]


def test_appsync_defaults_for_unset_settings_are_not_a_difference():
    oidc = {"issuer": "https://idp", "clientId": "c", "iatTTL": 0, "authTTL": 0}
    lam = {"authorizerUri": "arn:fn", "authorizerResultTtlInSeconds": 300}
    current = api(
        "a",
        authenticationType="OPENID_CONNECT",
        openIDConnectConfig=oidc,
        additionalAuthenticationProviders=[{"authenticationType": "AWS_LAMBDA", "lambdaAuthorizerConfig": lam}],
    )
    desired = api_utils.build_api_config(
        params(
            authentication_type="OPENID_CONNECT",
            openid_connect_config={"issuer": "https://idp", "client_id": "c"},
            additional_authentication_providers=[
                {"authentication_type": "AWS_LAMBDA", "lambda_authorizer_config": {"authorizer_uri": "arn:fn"}},
            ],
        )
    )
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == []
    # an update keeps the live values of settings left unset
    update = api_utils.build_update_params(current, dict(desired, xrayEnabled=True))
    assert update["openIDConnectConfig"] == oidc
    assert update["additionalAuthenticationProviders"][0]["lambdaAuthorizerConfig"] == lam
    # a setting the user does give still counts
    desired["openIDConnectConfig"]["iatTTL"] = 60
    desired["additionalAuthenticationProviders"][0]["lambdaAuthorizerConfig"]["authorizerResultTtlInSeconds"] = 0
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == ["additionalAuthenticationProviders", "openIDConnectConfig"]
    # and so does a removed non-defaulted one
    desired = api_utils.build_api_config(params(authentication_type="OPENID_CONNECT", openid_connect_config={"issuer": "https://idp"}))
    assert "openIDConnectConfig" in api_utils.fields_to_update(api_utils.api_config_of(current), desired)


def test_update_carries_unmanaged_settings_over():
    current = api("a", queryDepthLimit=5, introspectionConfig="DISABLED", ownerContact=None, xrayEnabled=False)
    desired = api_utils.build_api_config(params(xray_enabled=True), current)
    update = api_utils.build_update_params(current, desired)
    assert update["queryDepthLimit"] == 5 and update["introspectionConfig"] == "DISABLED"
    assert "ownerContact" not in update
    assert update["xrayEnabled"] is True
    # they never count as a difference
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == ["xrayEnabled"]


# ---- input validation ----------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        (dict(authentication_type="OPENID_CONNECT", api_key=False), "authentication_type=OPENID_CONNECT needs openid_connect_config"),
        (
            dict(additional_authentication_providers=[{"authentication_type": "AWS_LAMBDA", "lambda_authorizer_config": None}]),
            "additional_authentication_providers[0].authentication_type=AWS_LAMBDA needs additional_authentication_providers[0].lambda_authorizer_config",
        ),
        (dict(additional_authentication_providers=[{"authentication_type": "API_KEY"}]), "repeats the primary authentication_type API_KEY"),
        (
            dict(additional_authentication_providers=[{"authentication_type": "OPENID_CONNECT", "openid_connect_config": {"issuer": "i", "clientid": "c"}}]),
            "additional_authentication_providers[0].openid_connect_config has unknown keys clientid (known: issuer, client_id, iat_ttl, auth_ttl)",
        ),
        (
            dict(additional_authentication_providers=[{"authentication_type": "AMAZON_COGNITO_USER_POOLS", "user_pool_config": {"user_pool_id": "p"}}]),
            "additional_authentication_providers[0].user_pool_config needs aws_region",
        ),
        (dict(authentication_type="AWS_IAM"), "api_key=true needs API_KEY"),
        (dict(api_key_expiry_days=400), "api_key_expiry_days must be between 1 and 365"),
        (dict(api_key_expiry_days=7), "api_key_renew_days must be at least 0 and lower than api_key_expiry_days (7), got 30"),
        (dict(name=""), "name: must not be empty"),
        (dict(name="  ", state="absent"), "name: must not be empty"),
    ],
)
def test_bad_input_fails_before_any_call(overrides, fragment):
    with pytest.raises(Failed) as info:
        appsync_api.validate_options(FakeModule(**overrides))
    assert fragment in str(info.value)


def test_good_input_passes():
    appsync_api.validate_options(FakeModule())
    appsync_api.validate_options(FakeModule(authentication_type="AWS_IAM", api_key=False))
    appsync_api.validate_options(FakeModule(authentication_type="AWS_IAM", additional_authentication_providers=[{"authentication_type": "API_KEY"}]))
    # nothing but the name matters for deletion
    appsync_api.validate_options(FakeModule(state="absent", api_key_expiry_days=0))


def test_invalid_schema_fails_with_line_and_column(tmp_path):
    with pytest.raises(Failed, match=r"schema is not a valid AppSync schema: line 2, column 6: Unknown type 'Strin'"):
        appsync_api.load_schema(FakeModule(schema="type Query {\n  a: Strin\n}"))
    path = tmp_path / "schema.graphql"
    path.write_text("type Query {\n  a: Int!!\n}\n")
    with pytest.raises(Failed, match=r"schema_file .*schema.graphql is not a valid AppSync schema: line 2, column 10"):
        appsync_api.load_schema(FakeModule(schema_file=str(path)))
    with pytest.raises(Failed, match="cannot read schema_file"):
        appsync_api.load_schema(FakeModule(schema_file=str(tmp_path / "missing.graphql")))
    assert appsync_api.load_schema(FakeModule()) is None
    assert appsync_api.load_schema(FakeModule(schema="type Query { a: AWSJSON @aws_api_key }")) is not None


# ---- diff ----------------------------------------------------------------------


def test_diff_view_never_carries_the_key():
    key = {"id": "da2-secret", "value": "da2-secret", "expires": 1, "expires_at": "1970-01-01T00:00:01Z"}
    view = api_utils.build_diff_view({"name": "items", "authenticationType": "API_KEY", "xrayEnabled": True}, {"a": "b"}, "type Query", key)
    assert "da2-secret" not in repr(view)
    assert view["api_key"] == {"expires_at": "1970-01-01T00:00:01Z"}
    assert view["xray_enabled"] is True and view["tags"] == {"a": "b"} and view["schema"] == "type Query"
    assert "schema" not in api_utils.build_diff_view({"name": "x"}, None, None, None)


# ---- API key decisions with a fake client ----------------------------------------------


class FakeClient:
    meta = SimpleNamespace(region_name="eu-central-1", endpoint_url=None, service_model=SimpleNamespace(service_name="appsync"))

    def __init__(self, keys):
        self.keys = keys
        self.calls = []

    def list_api_keys(self, **kwargs):
        self.calls.append(("list_api_keys", kwargs))
        return {"apiKeys": self.keys}

    def update_api_key(self, **kwargs):
        self.calls.append(("update_api_key", kwargs))
        return {"apiKey": {"id": kwargs["id"], "description": kwargs["description"], "expires": kwargs["expires"]}}

    def create_api_key(self, **kwargs):
        self.calls.append(("create_api_key", kwargs))
        return {"apiKey": {"id": "da2-new", "description": kwargs["description"], "expires": kwargs["expires"]}}


def writes(client):
    return [call[0] for call in client.calls if not call[0].startswith("list")]


def test_fresh_key_is_left_alone():
    import time

    client = FakeClient([{"id": "da2-k", "description": MANAGED_KEY_DESCRIPTION, "expires": int(time.time()) + 300 * 86400}])
    changed, before, after = appsync_api.ensure_key(FakeModule(), client, "api")
    assert not changed and before == after and after["value"] == "da2-k"
    assert writes(client) == []


def test_expiring_key_is_renewed_in_place_and_check_mode_writes_nothing():
    import time

    keys = [{"id": "da2-k", "description": MANAGED_KEY_DESCRIPTION, "expires": int(time.time()) + 2 * 86400}]
    client = FakeClient(keys)
    changed, before, after = appsync_api.ensure_key(FakeModule(check_mode=True), client, "api")
    assert changed and writes(client) == [] and after["id"] == "da2-k" and after["expires"] > before["expires"]
    changed, before, after = appsync_api.ensure_key(FakeModule(), client, "api")
    assert changed and writes(client) == ["update_api_key"]
    assert after["id"] == "da2-k" and after["expires"] >= int(time.time()) + 364 * 86400


def test_missing_key_is_created_once():
    client = FakeClient([{"id": "da2-theirs", "description": "not ours", "expires": 1}])
    changed, before, after = appsync_api.ensure_key(FakeModule(aws=client), client, "api")
    assert changed and before is None and after["id"] == "da2-new"
    assert writes(client) == ["create_api_key"]
    assert [call for call in client.calls if call[0] == "create_api_key"][-1][1]["description"] == MANAGED_KEY_DESCRIPTION


# ---- schema upload decisions with a fake client -----------------------------------------------

LIVE = "type Query {\n  a: Int\n}\n"


class FakeStream:
    def __init__(self, text):
        self.text = text

    def read(self):
        return self.text.encode("utf-8")


class FakeSchemaClient:
    def __init__(self, live, statuses=("SUCCESS",), details=None):
        self.live = live
        self.statuses = list(statuses)
        self.details = details
        self.calls = []

    def get_introspection_schema(self, **kwargs):
        import botocore.exceptions

        self.calls.append("get_introspection_schema")
        if self.live is None:
            raise botocore.exceptions.ClientError(
                {"Error": {"Code": "GraphQLSchemaException", "Message": "no schema"}}, "GetIntrospectionSchema"
            )
        return {"schema": FakeStream(self.live)}

    def get_schema_creation_status(self, **kwargs):
        self.calls.append("get_schema_creation_status")
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"status": status, "details": self.details}

    def start_schema_creation(self, **kwargs):
        self.calls.append("start_schema_creation")
        self.live = kwargs["definition"].decode("utf-8")
        return {"status": "PROCESSING"}


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr(appsync_api.time, "sleep", lambda seconds: None)


def test_same_schema_differently_written_is_not_uploaded(no_sleep):
    client = FakeSchemaClient(LIVE)
    changed, status, live, desired, _drift = appsync_api.ensure_schema(FakeModule(), client, "api", "# c\ntype Query { a: Int }")
    assert not changed and status == "SUCCESS" and live == desired
    assert "start_schema_creation" not in client.calls


def test_changed_schema_is_uploaded_and_waited_for(no_sleep):
    client = FakeSchemaClient(LIVE, statuses=("SUCCESS", "PROCESSING", "PROCESSING", "SUCCESS"))
    changed, status, live, desired, _drift = appsync_api.ensure_schema(FakeModule(), client, "api", "type Query { a: Int b: Int }")
    assert changed and status == "SUCCESS" and live != desired
    assert client.calls.count("start_schema_creation") == 1


def test_check_mode_never_uploads(no_sleep):
    client = FakeSchemaClient(LIVE)
    changed, status, _live, _desired, _drift = appsync_api.ensure_schema(FakeModule(check_mode=True), client, "api", "type Query { b: Int }")
    assert changed and status == "PROCESSING"
    assert "start_schema_creation" not in client.calls
    changed, status, live, _desired, _drift = appsync_api.ensure_schema(FakeModule(check_mode=True), None, None, "type Query { b: Int }")
    assert changed and status == "NOT_APPLICABLE" and live is None


def test_api_without_schema_gets_one(no_sleep):
    client = FakeSchemaClient(None)
    changed, status, live, _desired, _drift = appsync_api.ensure_schema(FakeModule(), client, "api", LIVE)
    assert changed and live is None and status == "SUCCESS"
    assert client.calls[:2] == ["get_introspection_schema", "start_schema_creation"]


def test_failed_schema_creation_reports_appsync_details(no_sleep):
    client = FakeSchemaClient(LIVE, statuses=("SUCCESS", "FAILED"), details="Type Foo not found")
    with pytest.raises(Failed, match="AppSync rejected the schema of API api: Type Foo not found"):
        appsync_api.ensure_schema(FakeModule(), client, "api", "type Query { b: Int }")


def test_schema_wait_is_bounded(no_sleep, monkeypatch):
    clock = iter(range(0, 10000, 100))
    monkeypatch.setattr(appsync_api.time, "time", lambda: next(clock))
    client = FakeSchemaClient(LIVE, statuses=("PROCESSING",))
    with pytest.raises(Failed, match="timed out after 300s"):
        appsync_api.wait_for_schema(FakeModule(), client, "api")


class FakeListingClient:
    """An account holding one API; any call but the listing is recorded as a write."""

    def __init__(self, apis):
        self.apis = apis
        self.calls = []

    def list_graphql_apis(self, **kwargs):
        self.calls.append("list_graphql_apis")
        return {"graphqlApis": self.apis}

    def __getattr__(self, name):
        def call(**kwargs):
            self.calls.append(name)
            return {}

        return call


def test_unchanged_api_shows_no_difference_in_diff_for_appsync_defaults():
    oidc = {"issuer": "https://idp", "clientId": "c", "iatTTL": 0, "authTTL": 0}
    current = api("a", tags=OURS, arn="arn:api", authenticationType="OPENID_CONNECT", openIDConnectConfig=oidc, xrayEnabled=False)
    module = FakeModule(authentication_type="OPENID_CONNECT", openid_connect_config={"issuer": "https://idp", "client_id": "c"},
                        api_key=False)
    module._diff = True
    client = FakeListingClient([current])
    result = appsync_api.ensure_present(module, client, None)
    assert result["changed"] is False
    assert client.calls == ["list_graphql_apis"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_changing_the_primary_type_drops_the_old_types_settings():
    lam = {"authorizerUri": "arn:fn", "authorizerResultTtlInSeconds": 300}
    current = api("a", authenticationType="AWS_LAMBDA", lambdaAuthorizerConfig=lam)
    desired = api_utils.build_api_config(params(), current)
    assert "lambdaAuthorizerConfig" not in desired
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == ["authenticationType", "lambdaAuthorizerConfig"]
    # kept while the primary type stays AWS_LAMBDA
    same = api_utils.build_api_config(params(authentication_type="AWS_LAMBDA"), current)
    assert same["lambdaAuthorizerConfig"] == lam


def test_a_primary_settings_block_for_another_type_is_refused():
    module = FakeModule(lambda_authorizer_config={"authorizer_uri": "arn:fn"})
    with pytest.raises(Failed, match="lambda_authorizer_config is only used with authentication_type=AWS_LAMBDA, got authentication_type=API_KEY"):
        appsync_api.validate_options(module)


# ---- idempotence whatever the service's SDL printer ------------------------------------

DESIRED = '"""A number"""\ntype Query { a: Int @aws_api_key }\n'
BARE = "type Query {\n  a: Int\n}\n"


def test_a_bare_printer_with_a_matching_record_uploads_nothing(no_sleep):
    client = FakeSchemaClient(BARE)
    changed, _status, before, after, drift = appsync_api.ensure_schema(
        FakeModule(), client, "api", DESIRED, stored_digest=schema_digest(DESIRED))
    assert not changed and before == after and drift == []
    assert "start_schema_creation" not in client.calls


def test_a_bare_printer_still_shows_drift_made_outside(no_sleep):
    client = FakeSchemaClient("type Query {\n  a: Int\n  b: Int\n}\n")
    changed, _status, before, after, drift = appsync_api.ensure_schema(
        FakeModule(), client, "api", DESIRED, stored_digest=schema_digest(DESIRED))
    assert changed and drift == ["Query"] and "b: Int" in before and "b: Int" not in after
    assert client.calls.count("start_schema_creation") == 1


def test_a_failed_last_creation_makes_the_record_untrusted(no_sleep):
    client = FakeSchemaClient(BARE, statuses=("FAILED", "SUCCESS"))
    changed, _status, _before, _after, _drift = appsync_api.ensure_schema(
        FakeModule(), client, "api", DESIRED, stored_digest=schema_digest(DESIRED))
    assert changed and client.calls.count("start_schema_creation") == 1


class FakeTaggingClient:
    def __init__(self):
        self.calls = []

    def tag_resource(self, **kwargs):
        self.calls.append(("tag_resource", kwargs))


def test_the_digest_is_recorded_once_and_never_in_check_mode():
    api = {"arn": "arn:api", "tags": dict(OURS)}
    client = FakeTaggingClient()
    assert appsync_api.record_schema_digest(FakeModule(check_mode=True), client, dict(api), "d1")
    assert client.calls == []
    assert appsync_api.record_schema_digest(FakeModule(), client, api, "d1")
    assert client.calls == [("tag_resource", {"resourceArn": "arn:api", "tags": {SCHEMA_DIGEST_TAG: "d1"}})]
    assert not appsync_api.record_schema_digest(FakeModule(), client, api, "d1")
    assert len(client.calls) == 1


def test_user_tags_never_purge_the_schema_digest():
    module = FakeModule(tags={"app": "items"})
    to_set, to_remove = appsync_api.tag_changes(module, dict(OURS, **{SCHEMA_DIGEST_TAG: "d1", "old": "1"}), adopted=False)
    assert to_set == {"app": "items"} and to_remove == ["old"]


class FakeAccountClient(FakeSchemaClient):
    """One API tagged with the digest of its schema; the service prints SDL bare."""

    def __init__(self, live, digest):
        super().__init__(live)
        self.api = api("a", tags=dict(OURS, **{SCHEMA_DIGEST_TAG: digest}), arn="arn:api", xrayEnabled=False)

    def list_graphql_apis(self, **kwargs):
        self.calls.append("list_graphql_apis")
        return {"graphqlApis": [self.api]}

    def tag_resource(self, **kwargs):
        self.calls.append("tag_resource")


def test_rerun_against_a_bare_printer_writes_nothing(no_sleep):
    client = FakeAccountClient(BARE, schema_digest(DESIRED))
    result = appsync_api.ensure_present(FakeModule(api_key=False), client, DESIRED)
    assert result["changed"] is False and result["schema_drift"] == []
    assert client.calls == ["list_graphql_apis", "get_introspection_schema", "get_schema_creation_status"]
    assert result["api"]["tags"] == OURS and result["api"]["schema_digest"] == schema_digest(DESIRED)


def test_a_new_schema_is_uploaded_then_recorded(no_sleep):
    client = FakeAccountClient(BARE, schema_digest(DESIRED))
    wanted = DESIRED.replace("A number", "The number")
    result = appsync_api.ensure_present(FakeModule(api_key=False), client, wanted)
    assert result["changed"] and result["schema_changed"]
    assert client.calls.index("start_schema_creation") < client.calls.index("tag_resource")
    assert result["api"]["schema_digest"] == schema_digest(wanted)


# ---- lost answers: creates AWS applied but whose answer never arrived ------------------------


def lost_answer():
    import botocore.exceptions

    return botocore.exceptions.ClientError(
        {"Error": {"Code": "InternalFailureException", "Message": "lost"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "Create")


class LostAnswerAccount:
    """AppSync that applies every create but loses the answer of the first one."""

    meta = SimpleNamespace(region_name="eu-central-1", endpoint_url=None, service_model=SimpleNamespace(service_name="appsync"))

    def __init__(self):
        self.apis = []
        self.keys = []
        self.creates = []

    def list_graphql_apis(self, **kwargs):
        return {"graphqlApis": list(self.apis)}

    def list_api_keys(self, **kwargs):
        return {"apiKeys": list(self.keys)}

    def _applied(self, operation, resource):
        self.creates.append(operation)
        if len(self.creates) == 1:
            raise lost_answer()
        return resource

    def create_graphql_api(self, **kwargs):
        api = {"apiId": "a%d" % len(self.apis), "name": kwargs["name"], "tags": kwargs["tags"], "arn": "arn:a%d" % len(self.apis)}
        self.apis.append(api)
        return {"graphqlApi": self._applied("create_graphql_api", api)}

    def create_api_key(self, **kwargs):
        key = {"id": "da2-%d" % len(self.keys), "description": kwargs["description"], "expires": kwargs["expires"]}
        self.keys.append(key)
        return {"apiKey": self._applied("create_api_key", key)}


def test_a_lost_create_graphql_api_answer_leaves_one_api():
    account = LostAnswerAccount()
    module = FakeModule(aws=account)
    made = appsync_api.create_api(module, account, {"name": "items", "authenticationType": "API_KEY"}, dict(OURS))
    api = made.resources[0]
    assert made.created and api["apiId"] == "a0" and account.creates == ["create_graphql_api"] and len(account.apis) == 1
    # the creates' client never lets the SDK repeat a call
    assert module.client_options[0][1]["config"].retries["total_max_attempts"] == 1


def test_a_lost_create_api_key_answer_leaves_one_key():
    account = LostAnswerAccount()
    changed, _before, after = appsync_api.ensure_key(FakeModule(aws=account), account, "api")
    assert changed and after["id"] == "da2-0"
    assert account.creates == ["create_api_key"] and len(account.keys) == 1


def test_drift_made_outside_is_warned_about(no_sleep, warnings_seen):
    client = FakeAccountClient("type Query {\n  a: Int\n  b: Int\n}\n", schema_digest(DESIRED))
    module = FakeModule(api_key=False)
    result = appsync_api.ensure_present(module, client, DESIRED)
    assert result["schema_changed"] and result["schema_drift"] == ["Query"]
    assert warnings_seen == ["the live schema of API a was changed outside this module (types Query); the desired schema was uploaded again"]


# ---- wait=false: the next run while AppSync still processes the upload -----------------------


def test_a_rerun_while_our_upload_is_processing_uploads_nothing(no_sleep):
    # AppSync still serves the previous schema while it processes the upload of DESIRED
    client = FakeSchemaClient("type Query {\n  old: Int\n}\n", statuses=("PROCESSING",))
    changed, status, before, after, drift = appsync_api.ensure_schema(
        FakeModule(wait=False), client, "api", DESIRED, stored_digest=schema_digest(DESIRED))
    assert not changed and status == "PROCESSING" and before == after and drift == []
    assert "start_schema_creation" not in client.calls


def test_a_rerun_while_the_first_upload_is_processing_uploads_nothing(no_sleep):
    # a new API: no live schema to read yet, but the recorded digest says an upload was started
    client = FakeSchemaClient(None, statuses=("PROCESSING",))
    changed, status, _before, _after, _drift = appsync_api.ensure_schema(
        FakeModule(wait=False), client, "api", DESIRED, stored_digest=schema_digest(DESIRED))
    assert not changed and status == "PROCESSING"
    assert "start_schema_creation" not in client.calls


def test_another_schema_is_uploaded_even_while_one_is_processing(no_sleep):
    client = FakeSchemaClient("type Query {\n  old: Int\n}\n", statuses=("PROCESSING",))
    changed, _status, _before, _after, _drift = appsync_api.ensure_schema(
        FakeModule(wait=False), client, "api", DESIRED, stored_digest=schema_digest("type Query { old: Int }"))
    assert changed and client.calls.count("start_schema_creation") == 1


def test_a_wait_false_rerun_writes_nothing_and_reports_processing(no_sleep):
    client = FakeAccountClient("type Query {\n  old: Int\n}\n", schema_digest(DESIRED))
    client.statuses = ["PROCESSING"]
    for check_mode in (True, False):
        client.calls = []
        result = appsync_api.ensure_present(FakeModule(check_mode=check_mode, wait=False, api_key=False), client, DESIRED)
        assert result["changed"] is False and result["schema_changed"] is False
        assert result["schema_status"] == "PROCESSING" and result["schema_drift"] == []
        assert client.calls == ["list_graphql_apis", "get_introspection_schema", "get_schema_creation_status"]


def test_a_schema_creation_appsync_does_not_know_has_no_status():
    import botocore.exceptions

    class NoCreation:
        def get_schema_creation_status(self, **kwargs):
            raise botocore.exceptions.ClientError({"Error": {"Code": "NotFoundException", "Message": "no"}}, "GetSchemaCreationStatus")

    assert api_utils.get_schema_creation_status(NoCreation(), "api") == {}


# ---- additional providers: a set, whatever the order AppSync returns ------------------------

IAM = {"authentication_type": "AWS_IAM"}
LAMBDA_TTL = {"authorizerUri": "arn:fn", "authorizerResultTtlInSeconds": 300}


def provider(auth_type, **blocks):
    return dict({"authentication_type": auth_type, "openid_connect_config": None, "user_pool_config": None,
                 "lambda_authorizer_config": None}, **blocks)


def pool(pool_id, regex=None):
    return provider("AMAZON_COGNITO_USER_POOLS", user_pool_config={"user_pool_id": pool_id, "aws_region": "eu-west-1",
                                                                   "app_id_client_regex": regex})


def test_reordered_providers_are_no_difference_and_keep_their_live_defaults():
    current = api("a", additionalAuthenticationProviders=[
        {"authenticationType": "AWS_IAM"}, {"authenticationType": "AWS_LAMBDA", "lambdaAuthorizerConfig": LAMBDA_TTL}])
    desired = api_utils.build_api_config(params(additional_authentication_providers=[
        provider("AWS_LAMBDA", lambda_authorizer_config={"authorizer_uri": "arn:fn"}), provider("AWS_IAM")]))
    assert api_utils.fields_to_update(api_utils.api_config_of(current), desired) == []
    update = api_utils.build_update_params(current, dict(desired, xrayEnabled=True))
    lam = [p for p in update["additionalAuthenticationProviders"] if p["authenticationType"] == "AWS_LAMBDA"]
    assert lam == [{"authenticationType": "AWS_LAMBDA", "lambdaAuthorizerConfig": LAMBDA_TTL}]


def test_providers_of_one_type_are_told_apart_by_identity():
    live = [{"authenticationType": "AMAZON_COGNITO_USER_POOLS", "userPoolConfig": {"userPoolId": p, "awsRegion": "eu-west-1"}}
            for p in ("pool-b", "pool-a")]
    current = api_utils.api_config_of(api("a", additionalAuthenticationProviders=live))
    same = api_utils.build_api_config(params(additional_authentication_providers=[pool("pool-a"), pool("pool-b")]))
    assert api_utils.fields_to_update(current, same) == []
    changed = api_utils.build_api_config(params(additional_authentication_providers=[pool("pool-a", regex="app.*"), pool("pool-b")]))
    assert api_utils.fields_to_update(current, changed) == ["additionalAuthenticationProviders"]
    other = api_utils.build_api_config(params(additional_authentication_providers=[pool("pool-a"), pool("pool-c")]))
    assert api_utils.fields_to_update(current, other) == ["additionalAuthenticationProviders"]


def test_reordered_providers_write_nothing_and_diff_nothing():
    live = [{"authenticationType": "AWS_LAMBDA", "lambdaAuthorizerConfig": LAMBDA_TTL}, {"authenticationType": "AWS_IAM"}]
    client = FakeListingClient([api("a", tags=OURS, arn="arn:api", xrayEnabled=False, additionalAuthenticationProviders=live)])
    module = FakeModule(api_key=False, additional_authentication_providers=[
        provider("AWS_IAM"), provider("AWS_LAMBDA", lambda_authorizer_config={"authorizer_uri": "arn:fn"})])
    module._diff = True
    result = appsync_api.ensure_present(module, client, None)
    assert result["changed"] is False and result["changes"] == []
    assert client.calls == ["list_graphql_apis"]
    assert result["diff"]["before"] == result["diff"]["after"]


class ConcurrentAccount(LostAnswerAccount):
    """AppSync where another run creates the API and its key while this one waits for the lock:
    this run's first look finds nothing, its look inside the lock finds theirs."""

    def __init__(self):
        super().__init__()
        self.looks = 0

    def list_graphql_apis(self, **kwargs):
        self.looks += 1
        if self.looks == 2:
            self.apis.append(api("theirs", tags=dict(OURS), arn="arn:theirs"))
        return super().list_graphql_apis(**kwargs)

    def get_graphql_api(self, **kwargs):
        return {"graphqlApi": dict(self.apis[0])}

    def tag_resource(self, resourceArn, tags):
        self.tagged = (resourceArn, tags)
        self.apis[0]["tags"].update(tags)


def test_an_api_another_run_made_meanwhile_is_adopted_and_converged_not_created():
    account = ConcurrentAccount()
    account.keys.append({"id": "da2-theirs", "description": MANAGED_KEY_DESCRIPTION, "expires": 4102444800})
    module = FakeModule(aws=account, api_key=False, tags={"app": "x"})
    result = appsync_api.ensure_present(module, account, None)
    assert account.creates == [] and result["api"]["api_id"] == "theirs"
    # converged like an API found: its missing tag set, reported as a change of tags, not a create
    assert result["changes"] == [] and result["changed"] and result["api"]["tags"] == dict(OURS, app="x")
    assert account.tagged == ("arn:theirs", {"app": "x"})
