"""The check-mode placeholders (module_utils/pending.py)."""

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import pending


def test_every_placeholder_is_recognised_and_no_real_value_is():
    for value in (pending.PENDING, pending.PENDING_SECRET, pending.pending_url(), pending.pending_url("wss", "/graphql")):
        assert pending.is_pending(value), value
    for value in (None, "", "abcdefghij0123456789klmnop", "https://abc.appsync-api.eu-west-1.amazonaws.com/graphql",
                  "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b", 12):
        assert not pending.is_pending(value), value


def test_the_secret_placeholder_is_not_a_part_of_the_others():
    """Ansible masks a no_log value wherever it appears: the key's placeholder must not hide the URLs and ids."""
    for value in (pending.PENDING, pending.pending_url(), pending.pending_url("wss", "/graphql")):
        assert pending.PENDING_SECRET not in value


@pytest.mark.parametrize("check_mode, params, expected", [
    (True, {"api_id": pending.PENDING}, None),
    (False, {"api_id": "abc"}, None),
    (False, {"api_id": pending.PENDING}, "api_id: pending-creation.invalid is the placeholder"),
    (False, {"target_url": pending.pending_url(path="/graphql"), "certificate_arn": pending.PENDING, "api_id": "x"},
     "target_url, certificate_arn: pending-creation.invalid is the placeholder"),
])
def test_a_real_run_is_refused_a_placeholder_naming_the_options(check_mode, params, expected):
    error = pending.placeholder_error(params, ["api_id", "target_url", "certificate_arn"], check_mode)
    assert (error if expected is None else error[:len(expected)]) == expected
