"""Talking to a node's admin endpoint from tests: requests through http.client, and raw bytes for the
requests a well-behaved client would never send."""
import http.client
import json
import socket


def request(address, method, path, token=None, body=None, headers=None, timeout=20):
    """Returns (status, headers as a dict with lower-case names, body text)."""
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")
    finally:
        connection.close()


def get_json(address, path, token=None):
    status, _, body = request(address, "GET", path, token)
    assert status == 200, (status, body)
    return json.loads(body)


def raw(address, data, timeout=20):
    """Sends bytes as they are and returns everything the endpoint answers until it closes."""
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it may answer and close before taking everything
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
