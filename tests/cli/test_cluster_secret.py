"""communication.cluster_secret_file (docs/protocol.md §1.11): nodes holding the same secret connect; a peer
without it, with another one, or replaying a recorded handshake is refused with authentication_failed, logged
on both sides; and the node goes on serving peers that hold the secret."""
import json
import os
import unittest

import handshake_peer as hp
from ferry_test_support import Node, run, stop_all, temporary_directory

SECRET = b"a secret long enough for the cluster"


class ClusterSecret(unittest.TestCase):
    def setUp(self):
        scratch = temporary_directory()
        self.addCleanup(scratch.cleanup)
        directory = scratch.name
        self.secret_file = self.write_secret(directory, "secret", SECRET + b"\n")
        self.other_file = self.write_secret(directory, "other", b"another secret, just as long\n")

    @staticmethod
    def write_secret(directory, name, contents):
        path = os.path.join(directory, name)
        with open(path, "wb") as out:
            out.write(contents)
        os.chmod(path, 0o600)
        return path

    def secret_option(self, path=None):
        return ["--set", f"communication.cluster_secret_file={path or self.secret_file}"]

    def assert_serves(self, address):
        result = run("ping", "--to", address, "--count", "3", "--json", "--timeout", "30", *self.secret_option(),
                     timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(json.loads(result.stdout)["received"], 3)

    def test_nodes_with_the_same_secret_connect(self):
        b = Node("--set", "node.name=b", *self.secret_option())
        a = None
        try:
            a = Node("--set", "node.name=a", "--set", f'transport.peers=["{b.address()}"]', *self.secret_option())
            a.wait_for("connected to 'b'")
            b.wait_for("connected to 'a'")
            self.assert_serves(b.address())
        finally:
            stop_all(self, *[n for n in (a, b) if n])

    def test_a_peer_without_the_secret_is_refused(self):
        b = Node("--set", "node.name=b", *self.secret_option())
        a = None
        try:
            a = Node("--set", "node.name=a", "--set", f'transport.peers=["{b.address()}"]')
            sentence = ('node "a" gave no proof of the cluster secret that node "b" requires '
                        "(communication.cluster_secret_file)")
            self.assertIn(sentence, b.wait_for("refused (authentication_failed)"))
            self.assertIn(sentence, a.wait_for("refused by the peer (authentication_failed)"))
            self.assert_serves(b.address())
        finally:
            stop_all(self, *[n for n in (a, b) if n])

    def test_a_peer_with_another_secret_is_refused(self):
        b = Node("--set", "node.name=b", *self.secret_option())
        a = None
        try:
            a = Node("--set", "node.name=a", "--set", f'transport.peers=["{b.address()}"]',
                     *self.secret_option(self.other_file))
            sentence = 'node "a" gave a wrong proof of the cluster secret'
            self.assertIn(sentence, b.wait_for("refused (authentication_failed)"))
            self.assertIn(sentence, a.wait_for("refused by the peer (authentication_failed)"))
            self.assertFalse(any("connected to" in line for line in a.lines + b.lines))
            self.assert_serves(b.address())
        finally:
            stop_all(self, *[n for n in (a, b) if n])

    def test_a_node_with_a_secret_refuses_a_node_without(self):
        b = Node("--set", "node.name=b")
        a = None
        try:
            a = Node("--set", "node.name=a", "--set", f'transport.peers=["{b.address()}"]', *self.secret_option())
            sentence = 'node "b" asks for no proof of a cluster secret, but node "a" holds one'
            self.assertIn(sentence, a.wait_for("refused (authentication_failed)"))
            self.assertIn(sentence, b.wait_for("refused by the peer (authentication_failed)"))
        finally:
            stop_all(self, *[n for n in (a, b) if n])

    def test_a_replayed_handshake_is_refused(self):
        node = Node("--set", "node.name=target", *self.secret_option())
        try:
            address = node.address()
            node.wait_for("node 'target' ready")
            first = hp.Initiator(address)
            self.assertTrue(first.identify.secret_asked)
            request = hp.Request(node_name="recorder")
            request.proof = hp.secret_proof(SECRET, "initiator", first.identify.nonce, request.nonce,
                                            first.identify.node_id, request.node_id)
            self.assertIsInstance(first.request(request), hp.Accepted)
            node.wait_for("connected to 'recorder'")
            first.close()

            replay = hp.Initiator(address)
            answer = replay.request(request)
            self.assertEqual(answer.name, "authentication_failed")
            self.assertIn("or the handshake was replayed", answer.reason)
            self.assertEqual(replay.sock.recv(1), b"")
            replay.close()
            node.wait_for('node "recorder" gave a wrong proof of the cluster secret')
            self.assert_serves(address)
        finally:
            stop_all(self, node)

    def test_a_secret_file_too_short_stops_the_node_with_the_reason(self):
        with temporary_directory() as directory:
            short = self.write_secret(directory, "short", b"tiny\n")
            result = run("ping", "--to", "127.0.0.1:1", "--timeout", "5", *self.secret_option(short), timeout=60)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("holds 4 bytes; at least 16 are needed", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
