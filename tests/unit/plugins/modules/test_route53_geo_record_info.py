# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import route53 as r53
from ansible_collections.multiregion.appsync.plugins.modules import route53_geo_record_info as mod


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, **params):
        self.params = {"hosted_zone_name": "example.com", "hosted_zone_id": None, "record_name": "api.example.com",
                       "expected_set_identifiers": None}
        self.params.update(params)

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)


def test_zone_id_and_name_given_together_are_taken_as_they_are(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: pytest.fail("ListHostedZonesByName called"))
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: pytest.fail("GetHostedZone called"))
    assert mod.resolve_zone_id(FakeModule(hosted_zone_id="/hostedzone/Z123"), None) == "Z123"


def test_zone_id_given_is_used_without_prefix(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: pytest.fail("no lookup expected"))
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: {"Id": zone_id, "Name": "example.com."})
    assert mod.resolve_zone_id(FakeModule(hosted_zone_id="/hostedzone/Z123", hosted_zone_name=None), None) == "Z123"


def test_zone_by_name(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: [{"Id": "Z1", "Name": "example.com."}])
    assert mod.resolve_zone_id(FakeModule(), None) == "Z1"


def test_zone_name_ambiguous_or_missing(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: [{"Id": "Z2", "Name": "example.com."}, {"Id": "Z1", "Name": "example.com."}])
    with pytest.raises(Failed, match=r"names 2 hosted zones \(Z1, Z2\); give hosted_zone_id"):
        mod.resolve_zone_id(FakeModule(), None)
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: [])
    with pytest.raises(Failed, match="no such hosted zone"):
        mod.resolve_zone_id(FakeModule(), None)


def test_zone_id_that_does_not_exist_names_the_option(monkeypatch):
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: None)
    with pytest.raises(Failed, match="^hosted_zone_id /hostedzone/ZNONE: no such hosted zone$"):
        mod.resolve_zone_id(FakeModule(hosted_zone_id="/hostedzone/ZNONE", hosted_zone_name=None), None)


SPLIT = [{"Id": "PRIV", "Name": "example.com.", "Config": {"PrivateZone": True}},
         {"Id": "PUB", "Name": "example.com.", "Config": {"PrivateZone": False}}]


def test_split_horizon_reads_the_public_zone(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: list(SPLIT))
    assert mod.resolve_zone_id(FakeModule(), None) == "PUB"


def test_a_private_only_zone_fails_naming_it(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: SPLIT[:1])
    with pytest.raises(Failed, match=r"^hosted_zone_name example.com: only a private hosted zone has that name \(PRIV\)"):
        mod.resolve_zone_id(FakeModule(), None)
