"""The data plane's router: host naming and handler order (no server needed)."""

import pytest

from localaws import dataplane


@pytest.mark.parametrize("header, host", [
    ("abc.appsync-api.us-east-1.amazonaws.com", "abc.appsync-api.us-east-1.amazonaws.com"),
    ("API.example.com.localhost:5500", "api.example.com"),
    ("api.example.com.:443", "api.example.com"),
    ("127.0.0.1:5500", "127.0.0.1"),
    ("", ""),
])
def test_target_host_strips_port_case_and_localhost(header, host):
    assert dataplane.target_host(header) == host


def test_dispatch_asks_handlers_by_priority_and_stops_at_the_first_answer(monkeypatch):
    monkeypatch.setattr(dataplane, "_HANDLERS", [])
    asked = []

    def claiming(name):
        def handler(request):
            asked.append(name)
            return dataplane.Response(200, body=name.encode()) if request.host == name else None
        return handler

    dataplane.register(claiming("late"), priority=90)
    dataplane.register(claiming("early"), priority=10)
    dataplane.register(claiming("middle"))
    answer = dataplane.dispatch(dataplane.Request("POST", "middle"))
    assert answer.body == b"middle"
    assert asked == ["early", "middle"]
    assert dataplane.dispatch(dataplane.Request("POST", "nobody")) is None
