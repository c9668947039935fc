# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The values a module returns, in check mode, for what it would create.

A check-mode run creates nothing, so a resource it would create has no id,
ARN or URL yet, while the tasks after it need one to predict their own
change. Every such value holds PENDING, a name under the reserved top-level
domain .invalid (RFC 2606) that never names a real resource: a module given
one in check mode knows, without asking AWS, that the parent does not exist
yet and that everything under it would be created; a real run given one
fails naming the option.
"""

PENDING = "pending-creation.invalid"
# A secret's placeholder (an API key) goes to no_log options, whose value Ansible
# masks wherever it appears in a result: it must not be a part of the others.
PENDING_SECRET = "secret." + PENDING


def pending_url(scheme="https", path=""):
    """A URL of a resource check mode would create (scheme://PENDING/path)."""
    return "%s://%s%s" % (scheme, PENDING, path)


def is_pending(value):
    """Whether value is (or holds) a check-mode placeholder."""
    return isinstance(value, str) and PENDING in value


def placeholder_error(params, names, check_mode):
    """A one-line error when a real run (not check mode) is given a check-mode
    placeholder in one of the options names, else None."""
    given = [name for name in names if is_pending(params.get(name))]
    if not given or check_mode:
        return None
    return "%s: %s is the placeholder of a resource a check-mode run did not create, not a real value" % (
        ", ".join(given), PENDING)
