"""The admin endpoint of a live node (docs/operations.md, "Admin API"): health, readiness, Prometheus
metrics that promtool accepts, status and sessions, the bearer token, and requests that are too big or
malformed, after which the node keeps serving."""
import json
import os
import shutil
import socket
import subprocess
import time
import unittest

from admin_client import get_json, raw, request
from ferry_test_support import Node, run, stop_all, temporary_directory, write_config
from stream_support import start_node, transfer, write_file


class AdminApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = temporary_directory()
        cls.received = os.path.join(cls.scratch.name, "received")
        cls.receiver = start_node(cls.scratch.name, "receiver", cls.received)
        cls.peer = Node("--set", "node.name=peer", "--set", f'transport.peers=["{cls.receiver.address()}"]')
        cls.peer.wait_for("connected to 'receiver'")
        cls.receiver.wait_for("connected to 'peer'")
        cls.admin = cls.receiver.admin_address()

    @classmethod
    def tearDownClass(cls):
        for node in (cls.peer, cls.receiver):
            node.kill()
        cls.scratch.cleanup()

    def test_health_and_readiness(self):
        self.assertEqual(request(self.admin, "GET", "/healthz")[0::2], (200, "ok\n"))
        self.assertEqual(request(self.admin, "GET", "/readyz")[0::2], (200, "ready\n"))

    def test_metrics_pass_promtool_and_count_real_traffic(self):
        pinged = run("ping", "--to", self.receiver.address(), "--count", "5")
        self.assertEqual(pinged.returncode, 0, pinged.stderr)
        status, headers, text = request(self.admin, "GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        checked = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True,
                                 timeout=60)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr + text)
        samples = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                samples[name] = float(value)
        self.assertEqual(samples['ferry_build_info{version="' + self.version() + '"}'], 1)
        self.assertGreaterEqual(samples['ferry_connections_open{transport="tcp"}'], 1)
        self.assertGreaterEqual(samples['ferry_handshakes_total{outcome="accepted"}'], 2)
        self.assertGreaterEqual(samples['ferry_messages_total{direction="received"}'], 5)
        self.assertGreaterEqual(samples['ferry_messages_total{direction="sent"}'], 5)  # the pongs
        self.assertGreater(samples['ferry_bytes_total{direction="received"}'], 0)
        self.assertGreaterEqual(samples['ferry_acks_total{direction="sent"}'], 1)
        self.assertGreaterEqual(samples['ferry_plugin_loads_total{kind="transport"}'], 1)
        for state in ("PREPARING", "STREAMING", "COMPLETE", "FAILED"):
            self.assertIn(f'ferry_stream_sessions{{state="{state}"}}', samples)
        for family in ("ferry_messages_total", "ferry_acks_total", "ferry_messages_resent_total",
                       "ferry_queue_messages", "ferry_stream_bytes_total", "ferry_stream_file_retries_total",
                       "ferry_handshake_refusals_total", "ferry_plugin_refusals_total"):
            self.assertIn(f"# TYPE {family} ", text)

    def version(self):
        return run("--version").stdout.split()[1]

    def test_status_shows_the_node_its_peer_connection_and_plugins(self):
        status = get_json(self.admin, "/v1/status")
        self.assertEqual(status["node"]["name"], "receiver")
        self.assertEqual(status["node"]["listen"], self.receiver.address())
        self.assertEqual(status["node"]["admin_listen"], self.admin)
        self.assertTrue(status["node"]["ready"])
        # Only the peer's: a `ferry send` of another test may still be closing its own.
        [connection] = [c for c in status["connections"] if c["peer_name"] == "peer"]
        self.assertEqual(connection["peer_name"], "peer")
        self.assertEqual(connection["transport"], "tcp")
        self.assertFalse(connection["initiated"])
        self.assertRegex(connection["codec_version"], r"^\d+\.\d+$")
        self.assertIn(connection["mode"], ("stable", "rolling"))
        self.assertEqual(connection["tls"], "none")
        self.assertFalse(connection["sendfile"])  # communication.sendfile "auto", and the peer is on this machine
        kinds = {(p["kind"], p["name"]) for p in status["plugins"]}
        self.assertIn(("transport", "tcp"), kinds)
        self.assertIn(("sink", "fs"), kinds)
        peer_status = get_json(self.peer.admin_address(), "/v1/status")
        self.assertEqual(peer_status["peers"], [{"address": self.receiver.address(), "expected_id": "",
                                                 "connected": True}])

    def test_sessions_show_a_finished_transfer_and_metrics_count_its_bytes(self):
        source = os.path.join(self.scratch.name, "to-send", "data.bin")
        write_file(source, os.urandom(300000))
        code, summary, stderr = transfer("send", self.receiver.address(), source)
        self.assertEqual(code, 0, stderr)
        sessions = get_json(self.admin, "/v1/sessions")["sessions"]
        [session] = [s for s in sessions if s["session"] == summary["session"]]
        self.assertEqual(session["role"], "follower")
        self.assertEqual(session["state"], "COMPLETE")
        self.assertEqual(session["files_received"], 1)
        self.assertEqual(session["bytes_received"], 300000)
        self.assertEqual(session["reason"], "")
        text = request(self.admin, "GET", "/metrics")[2]
        line = next(l for l in text.splitlines() if l.startswith('ferry_stream_bytes_total{direction="received"}'))
        self.assertGreaterEqual(float(line.split()[-1]), 300000)
        self.assertIn('ferry_stream_sessions{state="COMPLETE"} ', text)

    def test_post_sessions_starts_a_transfer_to_a_peer_address(self):
        source = os.path.join(self.scratch.name, "posted", "posted.bin")
        data = os.urandom(2 * 1024 * 1024 + 7)
        write_file(source, data)
        sender = self.peer.admin_address()
        body = json.dumps({"to": self.receiver.address(), "paths": [source]})
        status, _, answer = request(sender, "POST", "/v1/sessions", body=body,
                                    headers={"Content-Type": "application/json"})
        self.assertEqual(status, 202, answer)
        session_id = json.loads(answer)["session"]
        deadline = time.monotonic() + 120
        while True:
            sessions = get_json(sender, "/v1/sessions")["sessions"]
            [session] = [s for s in sessions if s["session"] == session_id]
            if session["state"] in ("COMPLETE", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(session["state"], "COMPLETE", session)
        self.assertEqual(session["role"], "initiator")
        self.assertEqual(session["bytes_sent"], len(data))
        with open(os.path.join(self.received, "posted.bin"), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_post_sessions_refuses_a_bad_body_with_the_reason(self):
        for body, needle in (("{", "not JSON"), ('{"paths": ["/x"]}', '"to" is missing'),
                             ('{"to": "127.0.0.1:1", "paths": ["/x"], "extra": 1}', 'unknown member "extra"')):
            status, _, answer = request(self.admin, "POST", "/v1/sessions", body=body)
            self.assertEqual(status, 400, answer)
            self.assertIn(needle, json.loads(answer)["error"])
        missing = os.path.join(self.scratch.name, "no-such-file")
        status, _, answer = request(self.admin, "POST", "/v1/sessions",
                                    body=json.dumps({"to": self.peer.address(), "paths": [missing]}))
        self.assertEqual(status, 422, answer)
        self.assertIn(missing, json.loads(answer)["error"])

    def test_post_sessions_answers_504_when_no_connection_comes_up(self):
        # Nothing listens on a port the OS just gave out and took back; the short timeouts bound the wait.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            nowhere = "127.0.0.1:%d" % probe.getsockname()[1]
        source = os.path.join(self.scratch.name, "unsent.bin")
        write_file(source, b"x")
        node = Node("--set", "node.name=lonely", "--set", "communication.connect_timeout=200ms",
                    "--set", "communication.handshake_timeout=300ms")
        try:
            node.wait_for("node 'lonely' ready")
            started = time.monotonic()
            status, _, answer = request(node.admin_address(), "POST", "/v1/sessions",
                                        body=json.dumps({"to": nowhere, "paths": [source]}))
            waited = time.monotonic() - started
            self.assertEqual(status, 504, answer)
            self.assertIn(f"no connection to {nowhere} within 500 ms", json.loads(answer)["error"])
            self.assertLess(waited, 30)
            self.assertEqual(request(node.admin_address(), "GET", "/healthz")[0], 200)
        finally:
            node.kill()

    def test_ferry_status_prints_tables_and_json(self):
        result = run("status", "--admin", self.admin)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("node receiver (", result.stdout)
        for heading in ("Peers", "Connections", "Sessions", "Plugins"):
            self.assertIn(f"\n{heading}\n", result.stdout)
        connection_line = next(l for l in result.stdout.splitlines() if l.startswith("peer "))
        self.assertIn(" in ", connection_line)
        self.assertIn(" tcp ", connection_line)
        result = run("status", "--admin", self.admin, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        document = json.loads(result.stdout)
        self.assertEqual(document["status"]["node"]["name"], "receiver")
        self.assertIsInstance(document["sessions"]["sessions"], list)

    def test_ferry_status_reads_the_address_and_token_from_the_configuration(self):
        with temporary_directory() as scratch:
            token_file = write_config(scratch, "tok\n", name="admin.token")
            node = Node("--set", f"admin.token_file={token_file}", "--set", "node.name=guarded")
            try:
                admin = node.admin_address()
                config = write_config(scratch, f'[admin]\nlisten = "{admin}"\ntoken_file = "{token_file}"\n')
                result = run("status", "-c", config)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("node guarded (", result.stdout)
                result = run("status", "--admin", admin)
                self.assertEqual(result.returncode, 3)
                self.assertIn("401", result.stderr)
                self.assertIn("missing bearer token", result.stderr)
            finally:
                stop_all(self, node)

    def test_ferry_status_says_when_the_node_cannot_be_reached(self):
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            address = "127.0.0.1:%d" % unused.getsockname()[1]
        result = run("status", "--admin", address, "--timeout", "5")
        self.assertEqual(result.returncode, 3)
        self.assertIn(f"cannot reach the node's admin endpoint at {address}", result.stderr)

    def test_unknown_path_and_wrong_method(self):
        status, _, body = request(self.admin, "GET", "/nowhere")
        self.assertEqual(status, 404)
        self.assertIn("/nowhere", json.loads(body)["error"])
        status, headers, _ = request(self.admin, "DELETE", "/metrics")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET")

    def test_oversized_and_malformed_requests_are_refused_and_the_node_keeps_serving(self):
        big_header = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * 20000 + b"\r\n\r\n"
        self.assertTrue(raw(self.admin, big_header).startswith("HTTP/1.1 431 "))
        big_body = b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + b"{" * 10000
        self.assertTrue(raw(self.admin, big_body).startswith("HTTP/1.1 413 "))
        for garbage in (b"\x00\x01\x02 not http at all\r\n\r\n", b"GET /healthz HTTP/9.x\r\n\r\n",
                        b"GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
            self.assertTrue(raw(self.admin, garbage).startswith("HTTP/1.1 400 "), garbage)
        self.assertEqual(request(self.admin, "GET", "/healthz")[0], 200)
        self.assertEqual(get_json(self.admin, "/v1/status")["node"]["name"], "receiver")
        self.assertIsNone(self.receiver.process.poll())


class AdminToken(unittest.TestCase):
    def test_a_bad_or_missing_token_is_refused_with_the_reason(self):
        with temporary_directory() as scratch:
            token_file = write_config(scratch, "correct-horse\n", name="admin.token")
            node = Node("--set", f"admin.token_file={token_file}")
            try:
                admin = node.admin_address()
                status, headers, body = request(admin, "GET", "/v1/status")
                self.assertEqual(status, 401)
                self.assertIn("missing bearer token", json.loads(body)["error"])
                self.assertTrue(headers["www-authenticate"].startswith("Bearer"))
                status, _, body = request(admin, "GET", "/metrics", token="wrong-horse")
                self.assertEqual(status, 401)
                self.assertIn("wrong bearer token", json.loads(body)["error"])
                self.assertEqual(request(admin, "GET", "/metrics", token="correct-horse")[0], 200)
                # Probes need no token: they reveal only that the node is up.
                self.assertEqual(request(admin, "GET", "/healthz")[0], 200)
                self.assertEqual(request(admin, "GET", "/readyz")[0], 200)
            finally:
                stop_all(self, node)

    def test_an_unreadable_token_file_stops_the_node_at_start(self):
        with temporary_directory() as scratch:
            missing = os.path.join(scratch, "no-such-token")
            node = Node("--set", f"admin.token_file={missing}")
            try:
                line = node.wait_for("admin.token_file")
                self.assertIn(missing, line)
                self.assertNotEqual(node.process.wait(timeout=60), 0)
            finally:
                node.kill()

    def test_disabled_endpoint_is_not_started(self):
        node = Node("--set", "admin.enabled=false")
        try:
            node.wait_for("ready; default sink")
            self.assertFalse(any("admin endpoint on" in line for line in node.lines))
        finally:
            stop_all(self, node)


if __name__ == "__main__":
    if shutil.which("promtool") is None:
        raise SystemExit("promtool is missing: scripts/setup.sh installs it (Debian package prometheus)")
    unittest.main()
