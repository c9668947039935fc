# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""graphql_schema_errors: the problems AppSync would find in a GraphQL schema.

Documentation: graphql_schema_errors.yml next to this file.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import GRAPHQL_IMPORT_ERROR
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import HAS_GRAPHQL
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import schema_errors


def graphql_schema_errors(sdl):
    """List of "line L, column C: message" strings; empty when the schema is valid."""
    if not HAS_GRAPHQL:
        raise AnsibleFilterError("graphql_schema_errors needs the graphql-core Python library: %s" % GRAPHQL_IMPORT_ERROR)
    if not isinstance(sdl, str):
        raise AnsibleFilterError("graphql_schema_errors expects the schema text (a string), got %s" % type(sdl).__name__)
    return schema_errors(str(sdl))


class FilterModule:
    def filters(self):
        return {"graphql_schema_errors": graphql_schema_errors}
