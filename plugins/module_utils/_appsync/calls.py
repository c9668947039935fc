# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One wrapper per AppSync call on an API's data sources, functions, resolvers and types.

Each takes a plain boto3 AppSync client, retries AppSync's transient errors
and raises AnsibleAppSyncError; Get* wrappers return None for
NotFoundException, List* ones follow nextToken. Calls that pass a role retry
role propagation; the creates retry only refusals, which wrote nothing (see
common.create_once).
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from .api import read_introspection_schema
from .common import AppSyncErrorHandler
from .common import all_pages
from .common import appsync_retry
from .common import create_retry
from .common import role_propagation_retry


@AppSyncErrorHandler.list_error_handler("get AppSync introspection schema")
def get_introspection_schema(client, api_id):
    """The API's schema as an introspection document (dict), None without a schema."""
    try:
        return json.loads(read_introspection_schema(client, api_id, schema_format="JSON", include_directives=False))
    except is_boto3_error_code("GraphQLSchemaException"):
        return None


@AppSyncErrorHandler.list_error_handler("list data sources", default_value=[])
@appsync_retry
def list_data_sources(client, api_id):
    return all_pages(client.list_data_sources, "dataSources", apiId=api_id)


@AppSyncErrorHandler.list_error_handler("list types", default_value=[])
@appsync_retry
def list_types(client, api_id):
    return all_pages(client.list_types, "types", apiId=api_id, format="SDL")


@AppSyncErrorHandler.list_error_handler("list resolvers", default_value=[])
@appsync_retry
def list_resolvers(client, api_id, type_name):
    return all_pages(client.list_resolvers, "resolvers", apiId=api_id, typeName=type_name)


@AppSyncErrorHandler.list_error_handler("get AppSync data source")
@appsync_retry
def get_data_source(client, api_id, name):
    return client.get_data_source(apiId=api_id, name=name)["dataSource"]


@AppSyncErrorHandler.common_error_handler("create AppSync data source")
@create_retry
def create_data_source(client, api_id, request):
    return client.create_data_source(apiId=api_id, **request)["dataSource"]


@AppSyncErrorHandler.common_error_handler("update AppSync data source")
@role_propagation_retry
def update_data_source(client, api_id, request):
    return client.update_data_source(apiId=api_id, **request)["dataSource"]


@AppSyncErrorHandler.deletion_error_handler("delete AppSync data source")
@appsync_retry
def delete_data_source(client, api_id, name):
    client.delete_data_source(apiId=api_id, name=name)
    return True


@AppSyncErrorHandler.list_error_handler("list AppSync functions", default_value=[])
@appsync_retry
def list_functions(client, api_id):
    return all_pages(client.list_functions, "functions", apiId=api_id)


@AppSyncErrorHandler.common_error_handler("create AppSync function")
@create_retry
def create_function(client, api_id, request):
    return client.create_function(apiId=api_id, **request)["functionConfiguration"]


@AppSyncErrorHandler.common_error_handler("update AppSync function")
@appsync_retry
def update_function(client, api_id, function_id, request):
    return client.update_function(apiId=api_id, functionId=function_id, **request)["functionConfiguration"]


@AppSyncErrorHandler.deletion_error_handler("delete AppSync function")
@appsync_retry
def delete_function(client, api_id, function_id):
    client.delete_function(apiId=api_id, functionId=function_id)
    return True


@AppSyncErrorHandler.list_error_handler("get AppSync resolver")
@appsync_retry
def get_resolver(client, api_id, type_name, field_name):
    return client.get_resolver(apiId=api_id, typeName=type_name, fieldName=field_name)["resolver"]


@AppSyncErrorHandler.common_error_handler("create AppSync resolver")
@create_retry
def create_resolver(client, api_id, type_name, request):
    return client.create_resolver(apiId=api_id, typeName=type_name, **request)["resolver"]


@AppSyncErrorHandler.common_error_handler("update AppSync resolver")
@appsync_retry
def update_resolver(client, api_id, type_name, request):
    return client.update_resolver(apiId=api_id, typeName=type_name, **request)["resolver"]


@AppSyncErrorHandler.deletion_error_handler("delete AppSync resolver")
@appsync_retry
def delete_resolver(client, api_id, type_name, field_name):
    client.delete_resolver(apiId=api_id, typeName=type_name, fieldName=field_name)
    return True
