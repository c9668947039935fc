# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module flow appsync_data_source, appsync_function and appsync_resolver share.

The API must exist; the one child resource is read, converged and returned
as the module's result. Problems are raised as AnsibleAppSyncError: the
modules exit.
"""

from ansible_collections.multiregion.appsync.plugins.module_utils.pending import is_pending
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import placeholder_error
from .api import get_graphql_api
from .builders import code_source
from .common import AnsibleAppSyncError
from .common import to_snake


def code_argument_spec():
    """Options of functions and resolvers alike; documented by the multiregion.appsync.appsync_code doc fragment."""
    return dict(
        runtime=dict(type="dict", options=dict(
            name=dict(type="str", default="APPSYNC_JS", choices=["APPSYNC_JS"]),
            runtime_version=dict(type="str", default="1.0.0"),
        )),
        code=dict(type="str"),
        code_file=dict(type="path"),
        request_template=dict(type="str"),
        response_template=dict(type="str"),
        max_batch_size=dict(type="int"),
    )


def load_code(params, check):
    """The code/code_file text (None without, or with state=absent), after
    check(params, code) found nothing wrong; raises AnsibleAppSyncError naming the option."""
    if params["state"] != "present":
        return None
    try:
        code = code_source(params.get("code"), params.get("code_file"))
    except ValueError as e:
        raise AnsibleAppSyncError(message=str(e)) from e
    error = check(params, code)
    if error:
        raise AnsibleAppSyncError(message=error)
    return code


def needs_write(current, changes):
    """True when a resource (None when missing) must be created or updated;
    changes: (before, after) of its managed fields."""
    return current is None or changes[0] != changes[1]


def apply_request(module, current, request, changes, create, update, predicted=None):
    """(changed, resource, diff before, diff after) for one resource.

    changes: (before, after) of the managed fields. create()/update() are called
    only when they differ, and never in check mode, where the resource is
    predicted as current with request (or predicted) applied.
    """
    before, after = changes
    changed = needs_write(current, changes)
    result = current
    if changed and module.check_mode:
        result = dict(current or {}, **(predicted or request))
    elif changed:
        result = create() if current is None else update()
    return changed, result, (to_snake(before) if current else {}), to_snake(after)


def converge(module, client, return_key, read_current, ensure_present, ensure_absent, normalize, nothing=None):
    """The module's result for one child resource of api_id.

    read_current(client), ensure_present(client, current, api_exists) and
    ensure_absent(client, current) are the module's own steps; with
    state=absent and no such API there is nothing to remove. In check mode an
    API that does not exist yet (api_id a placeholder of appsync_api's check
    mode, or not found) holds nothing: current is `nothing` and everything
    under it is predicted created, with api_exists false so that the module
    reads no reference (schema, data source, function) of an API not made yet.
    The API is looked up only when read_current found `nothing` (AppSync
    answers NotFoundException alike for a missing API and a missing child):
    a child that exists proves its API does, so a rerun reads no API.
    """
    params = module.params
    error = placeholder_error(params, ["api_id"], module.check_mode)
    if error:
        raise AnsibleAppSyncError(message=error)
    pending = is_pending(params["api_id"])
    current = nothing if pending else read_current(client)
    if current == nothing and (pending or get_graphql_api(client, params["api_id"]) is None):
        if params["state"] == "absent":
            return result_of(module, return_key, (False, None, {}, {}), normalize)
        if not module.check_mode:
            raise AnsibleAppSyncError(message="api_id=%s: no such AppSync GraphQL API in %s" % (params["api_id"], module.region))
        return result_of(module, return_key, ensure_present(client, nothing, False), normalize)
    if params["state"] == "present":
        outcome = ensure_present(client, current, True)
    else:
        outcome = ensure_absent(client, current)
    return result_of(module, return_key, outcome, normalize)


def result_of(module, return_key, outcome, normalize):
    """The module result for the (changed, resource, before, after) of ensure_present/ensure_absent,
    the resource normalized under return_key."""
    changed, resource, before, after = outcome
    normalized = normalize(resource)
    result = {"changed": changed, return_key: {} if normalized is None else normalized}
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    return result
