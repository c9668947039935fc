# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import json
import multiprocessing
import os
import stat
import tempfile
import time
from types import SimpleNamespace

import botocore.exceptions
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.multiregion.appsync.plugins.module_utils import creation


class ServiceError(AnsibleAWSError):
    pass


def fake_client(region="eu-central-1", endpoint="http://127.0.0.1:1", service="appsync"):
    return SimpleNamespace(meta=SimpleNamespace(region_name=region, endpoint_url=endpoint,
                                                service_model=SimpleNamespace(service_name=service)))


def target(name="my-api", **kwargs):
    return creation.CreationTarget(fake_client(**kwargs), "AppSync API", name, error=ServiceError)


def lost(code="InternalFailureException", status=500):
    return ServiceError(message="Failed to create", exception=botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "CreateGraphqlApi"))


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path, monkeypatch):
    """Lock files in this test's tmp_path (forked processes inherit it); no waits between polls."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(creation, "SETTLE_POLL_SECONDS", 0)
    monkeypatch.setattr(creation, "SETTLE_SECONDS", 0.2)


class Store:
    """A fake AWS: create() applies (and may lose the answer), find() lists what was made."""

    def __init__(self, failures=()):
        self.made, self.failures, self.creates = [], list(failures), 0

    def create(self):
        self.creates += 1
        failure = self.failures.pop(0) if self.failures else None
        if failure == "refused":
            raise lost("BadRequestException", 400)
        self.made.append({"id": "api-%d" % self.creates})
        if failure == "lost":
            raise lost()
        return self.made[-1]

    def find(self):
        return list(self.made)


def create_once(store, **kwargs):
    return creation.create_once(store.create, store.find, lambda r: r["id"], target(), delay=0, **kwargs)


# ---- lost answers (what both old helpers proved)

@pytest.mark.parametrize("error", [
    lost().exception,
    lost("ServiceUnavailable", 503).exception,
    botocore.exceptions.ReadTimeoutError(endpoint_url="https://appsync"),
    botocore.exceptions.ConnectionClosedError(endpoint_url="https://appsync"),
])
def test_answers_that_may_hide_an_applied_create(error):
    assert creation.answer_lost(error)


@pytest.mark.parametrize("error", [lost("BadRequestException", 400).exception, lost("TooManyRequestsException", 429).exception,
                                   ValueError("x")])
def test_refusals_are_not_lost_answers(error):
    assert not creation.answer_lost(error)


def test_a_created_resource_is_returned_as_created():
    store = Store()
    assert create_once(store) == creation.Creation([{"id": "api-1"}], True)


def test_a_lost_answer_is_followed_by_a_lookup_not_a_second_create():
    store = Store(["lost"])
    made = create_once(store)
    assert made.resources == [{"id": "api-1"}] and made.created and store.creates == 1


def failing_create(failures, result=None):
    """create() raising failures in turn (nothing applied), then returning result."""
    attempts = []

    def create():
        attempts.append(1)
        if len(attempts) <= len(failures):
            raise failures[len(attempts) - 1]
        return result
    return create, attempts


def test_nothing_found_after_a_lost_answer_creates_again_bounded():
    create, attempts = failing_create([lost()], {"id": "api-2"})
    made = creation.create_once(create, lambda: [], lambda r: r["id"], target(), existing=lambda: [], delay=0)
    assert made.resources == [{"id": "api-2"}] and len(attempts) == 2
    create, attempts = failing_create([lost()] * 9)
    with pytest.raises(ServiceError):
        creation.create_once(create, lambda: [], lambda r: r["id"], target(), delay=0)
    assert len(attempts) == creation.CREATE_ATTEMPTS


def test_attempts_back_off_doubling_up_to_the_cap(monkeypatch):
    sleeps = []
    monkeypatch.setattr(creation.time, "sleep", sleeps.append)
    create, attempts = failing_create([lost()] * 9)
    with pytest.raises(ServiceError):
        creation.create_once(create, lambda: [], lambda r: r["id"], target())
    assert len(attempts) == creation.CREATE_ATTEMPTS == 8
    assert sleeps == [2, 4, 8, 8, 8, 8, 8]


def test_a_refused_create_fails_at_once_without_lookup():
    store = Store(["refused"])
    with pytest.raises(ServiceError):
        creation.create_once(store.create, lambda: pytest.fail("looked up after a refusal"), lambda r: r["id"], target(),
                             existing=lambda: [], delay=0)
    assert store.creates == 1


def test_a_caller_decides_what_is_worth_another_attempt():
    create, attempts = failing_create([lost("TooManyRequestsException", 429)], {"id": "api-1"})
    with pytest.raises(ServiceError):
        creation.create_once(create, lambda: [], lambda r: r["id"], target(), delay=0)  # answer_lost: a refusal
    create, attempts = failing_create([lost("TooManyRequestsException", 429)], {"id": "api-1"})
    made = creation.create_once(create, lambda: [], lambda r: r["id"], target(), delay=0,
                                retryable=lambda cause: cause.response["ResponseMetadata"]["HTTPStatusCode"] == 429)
    assert made.resources == [{"id": "api-1"}] and len(attempts) == 2


def test_a_late_duplicate_of_a_lost_attempt_is_returned_for_removal():
    store = Store(["lost"])
    seen = iter([[], [], None])  # the first attempt's resource shows up only later

    def find():
        listed = next(seen, None)
        return store.find() if listed is None else listed
    made = creation.create_once(store.create, find, lambda r: r["id"], target(), existing=lambda: [], delay=0)
    assert made.created and made.resources == [{"id": "api-2"}, {"id": "api-1"}]


# ---- concurrent runs

def test_what_another_run_made_is_adopted_not_created_again():
    store = Store()
    store.made.append({"id": "theirs"})
    made = create_once(store)
    assert made == creation.Creation([{"id": "theirs"}], False) and store.creates == 0


def test_the_lock_key_names_service_region_endpoint_and_identity():
    assert creation.lock_path(target()) == creation.lock_path(target())
    others = [target(name="other"), target(region="us-east-1"), target(endpoint="https://appsync.aws"),
              target(service="apigatewayv2")]
    assert len({creation.lock_path(t) for t in others + [target()]}) == 5
    assert str(target()) == "AppSync API my-api in eu-central-1"


def test_the_lock_directory_is_private(tmp_path):
    path = creation.lock_directory()
    assert path == str(tmp_path / creation.LOCK_DIRECTORY_NAME)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700


def test_a_lock_directory_others_may_write_in_is_refused(tmp_path):
    (tmp_path / creation.LOCK_DIRECTORY_NAME).mkdir(mode=0o777)
    os.chmod(tmp_path / creation.LOCK_DIRECTORY_NAME, 0o777)
    with pytest.raises(ServiceError, match="cannot lock the creation of AppSync API my-api"):
        create_once(Store())


def hold_lock(ready, release):
    """In another process: hold the lock of target() until release is set."""
    with creation.CreationLock(target(), 5):
        ready.set()
        release.wait(30)


def test_a_held_lock_times_out_with_a_message_naming_the_resource(monkeypatch):
    monkeypatch.setattr(creation, "LOCK_POLL_SECONDS", 0.05)
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=hold_lock, args=(ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        store = Store()
        with pytest.raises(ServiceError, match=r"timed out after 1 s waiting for another run on this controller that is "
                                               r"creating AppSync API my-api in eu-central-1 .*raise wait_timeout"):
            create_once(store, timeout=1)
        assert store.creates == 0
    finally:
        release.set()
        holder.join(30)


def test_a_killed_holder_leaves_no_stale_lock():
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=hold_lock, args=(ready, release))
    holder.start()
    assert ready.wait(30)
    holder.kill()
    holder.join(30)
    assert create_once(Store(), timeout=1).created


def run_in_process(store_file, result_file, started, go):
    """One 'run': find-then-create against a shared store file (the fake AWS, one line per resource made), through the real lock."""
    def read():
        with open(store_file, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def create():
        time.sleep(0.5)  # the create takes a while: the other process arrives meanwhile
        made = {"id": "api-%d" % os.getpid()}
        with open(store_file, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(made) + "\n")
        return made

    started.set()
    go.wait(30)
    made = creation.create_once(create, read, lambda r: r["id"], target())
    with open(result_file, "w", encoding="utf-8") as handle:
        json.dump({"created": made.created, "resources": made.resources}, handle)


def test_two_processes_at_once_make_one_resource_and_the_second_adopts_it(tmp_path):
    store = tmp_path / "aws.json"
    store.write_text("")
    context = multiprocessing.get_context("fork")
    go = context.Event()
    runs = []
    for number in range(2):
        started = context.Event()
        process = context.Process(target=run_in_process, args=(str(store), str(tmp_path / ("run%d.json" % number)), started, go))
        process.start()
        assert started.wait(30)
        runs.append(process)
    go.set()
    for process in runs:
        process.join(60)
        assert process.exitcode == 0
    results = [json.loads((tmp_path / ("run%d.json" % number)).read_text()) for number in range(2)]
    made = [json.loads(line) for line in store.read_text().splitlines()]
    assert len(made) == 1
    assert sorted(r["created"] for r in results) == [False, True]
    assert all(r["resources"] == made for r in results)
    assert os.listdir(tmp_path / creation.LOCK_DIRECTORY_NAME) == [creation.lock_path(target()).rsplit("/", 1)[-1]]
