# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from ansible_collections.multiregion.appsync.plugins.modules import appsync_api_info


def test_object_types_are_recognised_from_sdl():
    assert appsync_api_info.is_object_type({"name": "Item", "definition": "type Item {\n  id: ID!\n}"})
    assert appsync_api_info.is_object_type({"name": "Item", "definition": '"""An item"""\ntype Item @aws_iam {\n  id: ID!\n}'})
    assert appsync_api_info.is_object_type({"name": "Query", "definition": "extend type Query {\n  a: Int\n}"})
    assert not appsync_api_info.is_object_type({"name": "ItemInput", "definition": "input ItemInput {\n  id: ID!\n}"})
    assert not appsync_api_info.is_object_type({"name": "Color", "definition": "enum Color {\n  RED\n}"})
    assert not appsync_api_info.is_object_type({"name": "Item", "definition": "type Items {\n  id: ID!\n}"})


def test_select_apis_by_name_and_id():
    apis = [{"apiId": "1", "name": "a"}, {"apiId": "2", "name": "a"}, {"apiId": "3", "name": "b"}]
    assert [a["apiId"] for a in appsync_api_info.select_apis(apis, name="a")] == ["1", "2"]
    assert [a["apiId"] for a in appsync_api_info.select_apis(apis, api_id="3")] == ["3"]
    assert appsync_api_info.select_apis(apis, name="a", api_id="3") == []
    assert len(appsync_api_info.select_apis(apis)) == 3
