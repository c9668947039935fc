"""What the data-plane tests share: an upstream that echoes what reached it, a client, the deployed shape."""

import http.client
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest


class Upstream:
    """An HTTP server on loopback that answers every request with what it received, as JSON."""

    def __init__(self):
        self.seen = []
        self.status = {}  # path -> status to answer with (default 200)
        self.delay = {}  # path -> seconds to wait before answering
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                url = urlsplit(self.path)
                echo = {"method": self.command, "path": url.path, "query": url.query,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length).decode() if length else ""}
                upstream.seen.append(echo)
                time.sleep(upstream.delay.get(url.path, 0))
                data = json.dumps(echo).encode()
                self.send_response(upstream.status.get(url.path, 200))
                self.send_header("Content-Type", "application/json")
                self.send_header("Access-Control-Allow-Origin", "https://from-the-backend.example.com")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = _answer

            def log_message(self, *args):  # pylint: disable=arguments-differ
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.server.server_address[1], path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def upstream():
    """An Upstream for the tests of one module."""
    server = Upstream()
    yield server
    server.close()


def call(endpoint, method, host, path="/", headers=None, body=None):
    """(status, {header: value} lower case, body) of one request to the local AWS with that Host."""
    target = urlsplit(endpoint)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}, Host=host))
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def echoed(answer):
    """What the upstream received, from a 200 answer's body."""
    status, _headers, body = answer
    assert status == 200, body
    return json.loads(body)


def deploy_http_api(client_factory, region, name, upstream_url, routes=("POST /",), cors=None, parameters=None,
                    domain=None, mapping_key="graphql", timeout_ms=None):
    """The proxy a deployment builds: HTTP API, HTTP_PROXY integration, routes, $default stage, domain, mapping.

    Returns {"api_id", "host" (execute-api host), "target" (ApiGatewayDomainName), "zone" (its hosted zone)}.
    """
    client = client_factory("apigatewayv2", region)
    api = {"Name": name, "ProtocolType": "HTTP"}
    if cors:
        api["CorsConfiguration"] = cors
    api_id = client.create_api(**api)["ApiId"]
    integration_id = client.create_integration(
        ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="ANY", IntegrationUri=upstream_url,
        PayloadFormatVersion="1.0", RequestParameters=parameters or {},
        **({"TimeoutInMillis": timeout_ms} if timeout_ms else {}))["IntegrationId"]
    for key in routes:
        client.create_route(ApiId=api_id, RouteKey=key, Target="integrations/" + integration_id)
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    deployed = {"api_id": api_id, "host": "%s.execute-api.%s.amazonaws.com" % (api_id, region), "region": region}
    if domain:
        config = client.create_domain_name(DomainName=domain, DomainNameConfigurations=[{
            "CertificateArn": "arn:aws:acm:%s:123456789012:certificate/local" % region, "EndpointType": "REGIONAL"}]
        )["DomainNameConfigurations"][0]
        client.create_api_mapping(DomainName=domain, ApiId=api_id, Stage="$default", ApiMappingKey=mapping_key)
        deployed.update(target=config["ApiGatewayDomainName"], zone=config["HostedZoneId"])
    return deployed


def route53_configure(endpoint, payload):
    """The Route53 extension's control hook (change_delay, health_check_interval)."""
    target = urlsplit(endpoint)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    try:
        connection.request("POST", "/2013-04-01/localaws/configure", body=json.dumps(payload), headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/route53/aws4_request, "
                             "SignedHeaders=host, Signature=0", "Content-Type": "application/json"})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body
        return json.loads(body)
    finally:
        connection.close()
