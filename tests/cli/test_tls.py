"""TLS under the node handshake (docs/protocol.md §1.12), with certificates made at run time: nodes with good
certificates connect over TLS; an expired certificate, one signed by another CA, one naming another node,
a self-signed one and none at all are refused with the reason logged on both sides, while the node goes on
serving good peers; tls.required refuses a peer in the clear; a TLS node reaching a node without TLS fails
at once with the reason; and `openssl s_client` completes a TLS handshake with a client certificate and is
refused without one."""
import json
import socket
import subprocess
import unittest

from ferry_test_support import Node, run, stop_all, temporary_directory
from tls_certificates import Certificates, tls_options

# What the node that finds a bad certificate says, and what its peer hears in the TLS alert.
EXPIRED = ("certificate has expired", "alert certificate expired")
OTHER_CA = ("unable to get local issuer certificate", "alert unknown ca")
SELF_SIGNED = ("self-signed certificate", "alert unknown ca")


class Tls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = temporary_directory()
        pki = Certificates(cls.scratch.name)
        cls.ca = pki.authority("cluster-ca")
        pki.authority("stranger-ca")
        cls.files = {name: pki.leaf(name, "cluster-ca") for name in ("server", "client", "pinger")}
        cls.files["expired"] = pki.leaf("expired", "cluster-ca", dns=["client"], days=-1)
        cls.files["other-ca"] = pki.leaf("other-ca", "stranger-ca", dns=["client"])
        cls.files["self-signed"] = pki.leaf("self-signed", None, dns=["client"])
        cls.files["someone-else"] = pki.leaf("someone-else", "cluster-ca")

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def tls(self, files, *extra):
        cert, key = self.files[files]
        return tls_options(cert, key, self.ca, *extra)

    def server(self, *extra):
        return Node("--set", "node.name=server", *self.tls("server", *extra))

    def client(self, server, files="client", name="client"):
        return Node("--set", f"node.name={name}", "--set", f'transport.peers=["{server.address()}"]',
                    "--set", "communication.reconnect_attempts=1000", *self.tls(files))

    def assert_serves_over_tls(self, address):
        result = run("ping", "--to", address, "--count", "3", "--json", "--timeout", "30",
                     "--set", "node.name=pinger", *self.tls("pinger"), timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        summary = json.loads(result.stdout)
        self.assertEqual(summary["received"], 3)
        self.assertTrue(summary["tls"].startswith("TLSv1.3 "), summary["tls"])
        # Every record's authentication tag already checks the bytes: no CRC32C per chunk inside TLS.
        self.assertNotIn("data_crc32c", summary["features"].split(","))
        self.assertIn("xxh3_digest", summary["features"].split(","))
        self.assertIn("chunk_xxh3", summary["features"].split(","))

    def test_nodes_with_good_certificates_connect_over_tls(self):
        server = self.server()
        client = None
        try:
            client = self.client(server)
            for node, peer in ((client, "server"), (server, "client")):
                self.assertIn("tls TLSv1.3 TLS_", node.wait_for(f"connected to '{peer}'"))
            self.assert_serves_over_tls(server.address())
        finally:
            stop_all(self, *[n for n in (client, server) if n])

    def check_refused_certificate(self, files, finder_says, peer_hears, client_finds):
        """A client holding the certificate `files` is refused; client_finds: the client is the side whose check
        fails (it judges the server), else the server judges the client."""
        server = self.server()
        client = None
        try:
            client = self.client(server, files)
            finder, peer = (client, server) if client_finds else (server, client)
            self.assertIn(finder_says, finder.wait_for("refused (tls_failed)"))
            self.assertIn(peer_hears, peer.wait_for("(tls_failed)"))
            self.assertFalse(any("connected to" in line for line in client.lines + server.lines))
            self.assert_serves_over_tls(server.address())
            self.assertEqual(server.process.poll(), None)
        finally:
            stop_all(self, *[n for n in (client, server) if n])

    def test_an_expired_certificate_is_refused(self):
        self.check_refused_certificate("expired", *EXPIRED, client_finds=False)

    def test_a_certificate_of_another_ca_is_refused(self):
        self.check_refused_certificate("other-ca", *OTHER_CA, client_finds=False)

    def test_a_self_signed_certificate_is_refused(self):
        self.check_refused_certificate("self-signed", *SELF_SIGNED, client_finds=False)

    def test_a_client_trusting_another_ca_refuses_the_server(self):
        server = Node("--set", "node.name=server", *tls_options(*self.files["other-ca"], self.ca))
        client = None
        try:
            client = self.client(server)
            self.assertIn("unable to get local issuer certificate", client.wait_for("refused (tls_failed)"))
            self.assertIn("alert unknown ca", server.wait_for("(tls_failed)"))
        finally:
            stop_all(self, *[n for n in (client, server) if n])

    def test_a_certificate_naming_another_node_is_refused(self):
        server = self.server()
        client = None
        try:
            client = self.client(server, "someone-else")
            sentence = "is not the node its TLS certificate names"
            line = server.wait_for("refused (identity_mismatch)")
            self.assertIn('node "client"', line)
            self.assertIn(sentence, line)
            self.assertIn(sentence, client.wait_for("refused by the peer (identity_mismatch)"))
            self.assert_serves_over_tls(server.address())
        finally:
            stop_all(self, *[n for n in (client, server) if n])

    def test_a_server_certificate_naming_another_node_is_refused_by_the_client(self):
        server = Node("--set", "node.name=server", *tls_options(*self.files["someone-else"], self.ca))
        client = None
        try:
            client = self.client(server)
            line = client.wait_for("refused (identity_mismatch)")
            self.assertIn('node "server"', line)
            self.assertIn("is not the node its TLS certificate names", server.wait_for("(identity_mismatch)"))
        finally:
            stop_all(self, *[n for n in (client, server) if n])

    def test_a_peer_in_the_clear_is_refused_when_tls_is_required(self):
        server = self.server("tls.required=true")
        client = None
        try:
            client = Node("--set", "node.name=client", "--set", f'transport.peers=["{server.address()}"]')
            sentence = 'node "server" takes only TLS connections (tls.required), and the peer connected in the clear'
            self.assertIn(sentence, server.wait_for("refused (tls_required)"))
            self.assertIn(sentence, client.wait_for("refused by the peer (tls_required)"))
            self.assert_serves_over_tls(server.address())
        finally:
            stop_all(self, *[n for n in (client, server) if n])

    def test_a_peer_in_the_clear_is_served_in_the_clear_when_tls_is_not_required(self):
        server = self.server()
        try:
            result = run("ping", "--to", server.address(), "--count", "3", "--json", "--timeout", "30", timeout=60)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertEqual(json.loads(result.stdout)["tls"], "none")
            self.assertIn("data_crc32c", json.loads(result.stdout)["features"].split(","))
        finally:
            stop_all(self, server)

    def test_a_node_that_requires_data_crc32c_keeps_it_inside_tls(self):
        required = 'protocol.require_features=["data_crc32c"]'
        server = self.server(required)
        try:
            result = run("ping", "--to", server.address(), "--count", "3", "--json", "--timeout", "30",
                         "--set", "node.name=pinger", *self.tls("pinger", required), timeout=60)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            summary = json.loads(result.stdout)
            self.assertTrue(summary["tls"].startswith("TLSv1.3 "), summary["tls"])
            self.assertIn("data_crc32c", summary["features"].split(","))
        finally:
            stop_all(self, server)

    def test_a_tls_node_reaching_a_node_without_tls_fails_with_the_reason(self):
        plain = Node("--set", "node.name=plain")
        try:
            result = run("ping", "--to", plain.address(), "--count", "1", "--timeout", "10",
                         "--set", "node.name=pinger", *self.tls("pinger"), timeout=30)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("the peer answered with the node handshake in the clear: it does not have TLS enabled",
                          result.stderr)
            self.assertIn("look like TLS", plain.wait_for("refused (protocol_error)"))
        finally:
            stop_all(self, plain)

    def test_garbage_and_truncated_records_close_only_that_connection(self):
        server = self.server()
        try:
            host, port = server.address().rsplit(":", 1)
            # A whole handshake record of noise; and a ClientHello cut short.
            for payload in (b"\x16\x03\x01\x00\x40" + b"\xff" * 64, b"\x16\x03\x01\x02\x00\x01\x00"):
                with socket.create_connection((host, int(port)), timeout=10) as peer:
                    peer.sendall(payload)
                    peer.shutdown(socket.SHUT_WR)
                    while peer.recv(4096):
                        pass
            self.assertIn("TLS", server.wait_for("refused (tls_failed)"))
            self.assertIn("the connection ended in the TLS handshake", server.wait_for("refused (protocol_error)"))
            self.assert_serves_over_tls(server.address())
        finally:
            stop_all(self, server)

    def s_client(self, address, *certificate):
        """openssl s_client against address, keeping its input open for a second so that it reads what the
        node sends after the TLS handshake; returns its output."""
        command = ["openssl", "s_client", "-connect", address, "-CAfile", self.ca, "-brief", *certificate]
        result = subprocess.run(["sh", "-c", 'sleep 1 | "$@"', "s_client", *command], capture_output=True,
                                timeout=30)
        return result.stdout + result.stderr

    def test_openssl_s_client_completes_a_handshake_with_a_client_certificate(self):
        server = self.server("tls.required=true")
        try:
            cert, key = self.files["client"]
            output = self.s_client(server.address(), "-cert", cert, "-key", key)
            self.assertIn(b"Protocol version: TLSv1.3", output)
            self.assertIn(b"Verification: OK", output)
            # The node's IDENTIFY, sent inside TLS once the handshake is done (magic "FERY").
            self.assertIn(b"FERY", output)
        finally:
            stop_all(self, server)

    def test_openssl_s_client_without_a_certificate_is_refused(self):
        server = self.server()
        try:
            output = self.s_client(server.address())
            self.assertIn(b"alert certificate required", output)
            self.assertNotIn(b"FERY", output)
            self.assertIn("peer did not return a certificate", server.wait_for("refused (tls_failed)"))
            self.assert_serves_over_tls(server.address())
        finally:
            stop_all(self, server)

    def test_without_require_client_cert_a_client_without_certificate_is_served(self):
        server = self.server("tls.require_client_cert=false")
        try:
            output = self.s_client(server.address())
            self.assertIn(b"Verification: OK", output)
            self.assertIn(b"FERY", output)
        finally:
            stop_all(self, server)


if __name__ == "__main__":
    unittest.main(verbosity=2)
