# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""graphql_schema_errors: the problems AppSync would find in a GraphQL schema.

Documentation: graphql_schema_errors.yml next to this file.
"""

from ansible.errors import AnsibleFilterError


def graphql_schema_errors(sdl):
    """List of "line L, column C: message" strings; empty when the schema is valid."""
    # Imported on use: ansible-core loads every filter of the collection in each
    # task worker that uses one, and graphql-core takes a tenth of a second to import.
    from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import schema  # pylint: disable=import-outside-toplevel

    if not schema.HAS_GRAPHQL:
        raise AnsibleFilterError("graphql_schema_errors needs the graphql-core Python library: %s" % schema.GRAPHQL_IMPORT_ERROR)
    if not isinstance(sdl, str):
        raise AnsibleFilterError("graphql_schema_errors expects the schema text (a string), got %s" % type(sdl).__name__)
    return schema.schema_errors(str(sdl))


class FilterModule:
    def filters(self):
        return {"graphql_schema_errors": graphql_schema_errors}
