"""Fixtures for the local AWS's own tests: clients of the running server.

scripts/test.sh starts the server on $LOCALAWS_PORT before pytest runs.
"""

import json
import os
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config


@pytest.fixture(scope="session")
def endpoint():
    return "http://127.0.0.1:%s" % os.environ.get("LOCALAWS_PORT", "5500")


@pytest.fixture(scope="session")
def client_factory(endpoint):
    def make(service, region="us-east-1", retries=1):
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": retries, "mode": "standard"}),
        )

    return make


@pytest.fixture
def control(endpoint):
    """Read or change the server's settings; restores the defaults afterwards."""

    def call(path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(endpoint + "/_localaws/" + path, data=data, method="POST" if data else "GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    yield call
    call("config", {"fault_rate": 0.0, "fault_kind": "throttle", "fault_services": [],
                    "fault_operations": [], "faults": [], "seed": None, "delays": {}})


@pytest.fixture
def unique():
    return "t" + uuid.uuid4().hex[:10]
