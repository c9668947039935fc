# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Creates that AWS does not make idempotent, made once: create_once().

CreateGraphqlApi, CreateApiKey, CreateFunction, CreateApi and CreateIntegration
take no client token, so two things can make a second resource:

- a lost answer: AWS applied the create but the answer never arrived (a 5xx, a
  dropped connection). The SDK must not resend such a create (the callers'
  clients send each create once); create_once() looks with the caller's find()
  for what the attempt may have made before it tries again;
- two runs at once on this controller (two site.yml of one inventory): both
  look, both find nothing, both create. create_once() serialises look-then-create
  across processes with an flock on a lock file named after the resource
  (CreationTarget: service, region, endpoint, kind, identity), looks again once
  it holds the lock and adopts what the other run made; it releases the lock
  only once find() sees what it created, so the next run finds it.

The kernel drops an flock when its process dies, so a killed run never leaves a
stale lock; lock files stay (empty of meaning once unlocked). Runs on different
controllers are not serialised by this: see docs/reliability.md.
"""

import collections
import errno
import fcntl
import hashlib
import os
import stat
import tempfile
import time

try:
    import botocore.exceptions
except ImportError:
    pass  # the modules report a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

LOCK_DIRECTORY_NAME = "multiregion.appsync-locks"
LOCK_TIMEOUT_SECONDS = 300
LOCK_POLL_SECONDS = 0.2
# A create refused (throttled, 5xx) or unanswered is tried again, after a look for its effect:
# 8 attempts, 2 s apart and doubling up to 8 s (46 s in all). At the 25% of calls the
# reliability suite refuses, 4 attempts failed one create in 256, about one cold run in ten.
CREATE_ATTEMPTS = 8
CREATE_RETRY_SECONDS = 2
CREATE_RETRY_MAX_SECONDS = 8
# How long a create keeps the lock for find() to see what it made (listings may lag on AWS).
SETTLE_SECONDS = 30
SETTLE_POLL_SECONDS = 1

# resources: what this call made first (created) or what another run made (adopted),
# then any more find() saw (duplicates of lost answers, for the caller to remove).
Creation = collections.namedtuple("Creation", "resources created")


class CreationTarget:
    """What a create makes, for the lock's key and the messages: the service,
    region and endpoint of client, a kind ('AppSync API'), the identity find()
    uses (name, or api id and purpose, or content); error is the service's
    AnsibleAWSError class, raised when the lock cannot be had."""

    def __init__(self, client, kind, name, details=(), error=AnsibleAWSError):
        meta = client.meta
        self.kind, self.name, self.region, self.error = kind, name, meta.region_name, error
        parts = [meta.service_model.service_name, meta.region_name or "", meta.endpoint_url or "", kind, name]
        self.key = "\n".join(str(part) for part in parts + list(details))

    def __str__(self):
        return "%s %s in %s" % (self.kind, self.name, self.region)


def answer_lost(error):
    """True when a failed call may have been applied all the same: a 5xx
    answer, or a connection dropped or timed out on the way."""
    if isinstance(error, (botocore.exceptions.HTTPClientError, botocore.exceptions.ConnectionError)):
        return True
    status = ((getattr(error, "response", None) or {}).get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    return isinstance(error, botocore.exceptions.ClientError) and status >= 500


def as_list(resource):
    """[resource], or [] for None: a find() from a look-up of one resource."""
    return [] if resource is None else [resource]


def converged(made, differs, update):
    """The one resource of a Creation: as made by this call, or, made by another
    run, brought to what this call wanted (update()) when differs(resource)."""
    resource = made.resources[0]
    if made.created or not differs(resource):
        return resource
    return update()


def unequal(changes):
    """True for a (before, after) pair that differs."""
    before, after = changes
    return before != after


def lock_directory():
    """<tempdir>/multiregion.appsync-locks, made 0700; refused when another user owns it or anyone else may write in it."""
    path = os.path.join(tempfile.gettempdir(), LOCK_DIRECTORY_NAME)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise OSError(errno.EPERM, "not a directory of this user's, writable by this user only", path)
    return path


def lock_path(target):
    return os.path.join(lock_directory(), hashlib.sha256(target.key.encode("utf-8")).hexdigest() + ".lock")


class CreationLock:
    """An exclusive flock on target's lock file, waited for at most timeout seconds
    (the module's wait_timeout when it has one; None: LOCK_TIMEOUT_SECONDS)."""

    def __init__(self, target, timeout=None):
        self.target, self.timeout, self.descriptor = target, timeout or LOCK_TIMEOUT_SECONDS, None
        self.hint = "rerun when it has finished" + (", or raise wait_timeout" if timeout else "")

    def __enter__(self):
        try:
            path = lock_path(self.target)
            self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as error:
            raise self.target.error(message="cannot lock the creation of %s: %s" % (self.target, error)) from error
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.__exit__()
                    raise self.target.error(message=(
                        "timed out after %d s waiting for another run on this controller that is creating %s (lock %s): %s"
                        % (self.timeout, self.target, path, self.hint))) from None
                time.sleep(LOCK_POLL_SECONDS)

    def __exit__(self, *exc_info):
        if self.descriptor is not None:
            os.close(self.descriptor)  # drops the flock
            self.descriptor = None


def create_once(create, find, key, target, retryable=answer_lost, timeout=None,
                attempts=CREATE_ATTEMPTS, delay=CREATE_RETRY_SECONDS, existing=None):
    """Creation(resources, created) of target, made once across lost answers and concurrent runs.

    create() makes it (raising the service's AnsibleAWSError); find() lists what
    a create of this call may have made ([] when none), key(resource) is its id;
    existing() lists what another run may have made (default: find()). After a
    failure retryable(botocore error) accepts (an answer that may hide an
    applied create), find() runs before the next attempt; other failures raise.
    """
    with CreationLock(target, timeout):
        adopted = (existing or find)()
        if adopted:
            return Creation(adopted, False)
        created, found = _create_or_find(create, find, retryable, attempts, delay)
        if created is None:
            return Creation(found, True)
        return Creation([created] + _others_once_found(find, key, created), True)


def _create_or_find(create, find, retryable, attempts, delay):
    """(what create() returned, None), or (None, the list find() saw after a lost answer)."""
    attempt = 0
    while True:
        try:
            return create(), None
        except AnsibleAWSError as error:
            attempt += 1
            if attempt >= attempts or not retryable(error.exception):
                raise
        time.sleep(min(delay * 2 ** (attempt - 1), CREATE_RETRY_MAX_SECONDS))
        found = find()
        if found:
            return None, found


def _others_once_found(find, key, created):
    """What else find() lists once it lists created (a lost earlier attempt's duplicate shows up late)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        found = find()
        if key(created) in [key(resource) for resource in found] or time.monotonic() >= deadline:
            return [resource for resource in found if key(resource) != key(created)]
        time.sleep(SETTLE_POLL_SECONDS)
