"""One test per handshake refusal that test_ping_command.py does not cover (there: cluster_mismatch,
settings_mismatch, unknown_node): each refusal's code and sentence are logged by the real nodes on both
sides (or read from the wire where the other side is the test's stand-in peer), and the refused node, or
the node that refused, goes on serving others."""
import json
import os
import signal
import socket
import subprocess
import time
import unittest

import handshake_peer as hp
from ferry_test_support import FERRY, PLUGIN_DIR, TEST_PLUGIN_ROOT, Node, run, temporary_directory, write_config

# Fixed ids where a test needs their order (the tie-break) or needs to name them (wrong_node).
LOW_ID = "10000000-0000-4000-8000-000000000001"
HIGH_ID = "f0000000-0000-4000-8000-000000000002"
ABSENT_ID = "30000000-0000-4000-8000-000000000003"


def stop_all(test, *nodes):
    try:
        for node in nodes:
            test.assertEqual(node.stop(), 0, "\n".join(node.lines))
    finally:
        for node in nodes:
            node.kill()


class Refusals(unittest.TestCase):
    def assert_serves(self, address, *extra):
        result = run("ping", "--to", address, "--count", "5", "--json", "--timeout", "30", *extra, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(json.loads(result.stdout)["received"], 5)

    def test_wrong_node_another_node_answers_at_a_peers_address(self):
        b = Node("--set", "node.name=b", "--set", f"node.id={HIGH_ID}")
        a = None
        try:
            b_address = b.address()
            a = Node("--set", "node.name=a", "--set", f'transport.peers=["{ABSENT_ID}@{b_address}"]')
            sentence = f'expected node {ABSENT_ID}, reached node {HIGH_ID} ("b")'
            self.assertIn(sentence, a.wait_for(f"handshake with {b_address} refused (wrong_node)"))
            self.assertIn(sentence, b.wait_for("refused by the peer (wrong_node)"))
            self.assertFalse(any("connected to" in line for line in a.lines + b.lines))
            self.assert_serves(b_address)
            self.assert_serves(a.address())
        finally:
            stop_all(self, *[n for n in (a, b) if n])

    def test_wrong_node_does_not_refuse_the_expected_node(self):
        b = Node("--set", "node.name=b", "--set", f"node.id={HIGH_ID}")
        a = None
        try:
            a = Node("--set", "node.name=a", "--set", f'transport.peers=["{HIGH_ID}@{b.address()}"]')
            a.wait_for(f"connected to 'b' ({HIGH_ID})")
            self.assertFalse(any("wrong_node" in line for line in a.lines + b.lines))
        finally:
            stop_all(self, *[n for n in (a, b) if n])

    def test_wrong_node_a_node_that_reaches_itself(self):
        with temporary_directory() as directory:
            path = os.path.join(directory, "self.sock")
            node = Node("--set", "node.name=narcissus", "--set", "transport.plugin=uds",
                        "--set", f'transport.peers=["{path}"]', "--set", f"node.id={LOW_ID}", listen=path)
            try:
                sentence = f"node {LOW_ID} reached itself: remove its own address from transport.peers"
                # The node is both sides: as initiator it refuses, as responder it is refused.
                self.assertIn(sentence, node.wait_for(f"handshake with {path} refused (wrong_node)"))
                self.assertIn(sentence, node.wait_for("refused by the peer (wrong_node)"))
                self.assert_serves(path, "--set", "transport.plugin=uds")
            finally:
                stop_all(self, node)

    def test_no_common_codec(self):
        node = Node("--set", "node.name=target")
        try:
            address = node.address()
            node.wait_for("node 'target' ready")
            peer = hp.Initiator(address)
            answer = peer.request(hp.Request(node_name="future", offers=((3, 0, 0),)))
            sentence = "no common codec major: local offers 1.0, 1.1, 2.0; peer offers 3.0"
            self.assertEqual(answer, hp.Refusal(7, sentence))
            self.assertEqual(peer.sock.recv(1), b"")  # REFUSE, then the node closes
            peer.close()
            self.assertIn(sentence, node.wait_for("refused (no_common_codec)"))
            self.assert_serves(address)
        finally:
            stop_all(self, node)

    def test_the_stand_in_peer_is_accepted_when_it_offers_codec_1_0(self):
        # The control of the test above: the same peer, offering what the node speaks, is accepted.
        node = Node("--set", "node.name=target")
        try:
            node.wait_for("node 'target' ready")
            peer = hp.Initiator(node.address())
            self.assertEqual(peer.identify.node_name, "target")
            answer = peer.request(hp.Request(node_name="present"))
            self.assertEqual(answer, hp.Accepted(0, (1, 0), (1, 0), 1, 0))
            node.wait_for("connected to 'present'")
            peer.close()
        finally:
            stop_all(self, node)

    def test_already_connected_the_tie_break_loser_is_refused(self):
        # A initiates a connection to B; a second connection claiming to be B (the stand-in peer, with B's
        # id) arrives at A. B's id is the higher one, so A keeps the connection it initiated.
        b = Node("--set", "node.name=b", "--set", f"node.id={HIGH_ID}")
        a = None
        try:
            b_address = b.address()
            a = Node("--set", "node.name=a", "--set", f"node.id={LOW_ID}", "--set", f'transport.peers=["{b_address}"]')
            a.wait_for(f"connected to 'b' ({HIGH_ID})")
            b.wait_for(f"connected to 'a' ({LOW_ID})")
            peer = hp.Initiator(a.address())
            self.assertEqual(peer.identify.node_id, LOW_ID)
            answer = peer.request(hp.Request(node_id=HIGH_ID, node_name="b"))
            sentence = ('node "a" keeps the connection with index 0 that it initiated itself: of two simultaneous '
                        f"connections, the one initiated by the lower node id ({LOW_ID}) survives")
            self.assertEqual(answer, hp.Refusal(4, sentence))
            peer.close()
            self.assertIn(sentence, a.wait_for("refused (already_connected)"))
            self.assert_serves(a.address())
            self.assertFalse(any("connection to 'b'" in line and "closed" in line for line in a.lines), a.lines)
            # The connection A initiated is still the one in use: A's goodbye reaches B through it.
            self.assertEqual(a.stop(), 0)
            b.wait_for("peer 'a' is stopping")
        finally:
            stop_all(self, b)
            if a:
                a.kill()

    def test_node_stopping_while_draining(self):
        # A stand-in peer is sent a PONG it does not acknowledge, so the node, once told to stop, drains
        # (up to connect_timeout) and meanwhile refuses new connections with node_stopping.
        node = Node("--set", "node.name=drainer", "--set", "communication.connect_timeout=30s")
        try:
            address = node.address()
            node.wait_for("node 'drainer' ready")
            peer = hp.Initiator(address)
            self.assertIsInstance(peer.request(hp.Request(node_name="slow-acker")), hp.Accepted)
            peer.sock.sendall(hp.ping(1, 0))
            messages = hp.MessageReader(peer.sock)
            messages.wait_for(hp.MSG_PONG)
            node.process.send_signal(signal.SIGTERM)
            messages.wait_for(hp.MSG_NODE_STOPPING)  # the node is draining now

            refused = run("ping", "--to", address, "--json", "--timeout", "3", timeout=60)
            self.assertEqual(refused.returncode, 3, refused.stdout + refused.stderr)
            sentence = 'node "drainer" is stopping'
            self.assertIn(f"refused by the peer (node_stopping): {sentence}", refused.stderr)
            self.assertIn(sentence, node.wait_for("refused (node_stopping)"))

            # The peer it was draining for is still served: its acknowledgement ends the drain at once.
            acknowledged = time.monotonic()
            peer.sock.sendall(hp.ack(1))
            self.assertEqual(node.process.wait(timeout=20), 0)
            self.assertLess(time.monotonic() - acknowledged, 15)
            peer.close()
        finally:
            node.kill()

    def test_need_wait_while_the_sinks_open(self):
        with temporary_directory() as directory:
            config = write_config(directory, '[[sink]]\nname = "slow"\nplugin = "slow-sink"\n')
            dirs = json.dumps([PLUGIN_DIR, os.path.join(TEST_PLUGIN_ROOT, "slow-sink")])
            # The sink opens once the gate file exists: the node stays "still starting" until then.
            gate = os.path.join(directory, "sink-may-open")
            node = Node("-c", config, "--set", "node.name=sluggish", "--set", f"node.plugin_dirs={dirs}",
                        env={"FERRY_TEST_SINK_GATE": gate})
            try:
                address = node.address()  # it listens before its sink is ready
                patient = subprocess.Popen([FERRY, "ping", "--to", address, "--count", "5", "--json",
                                            "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True)
                impatient = run("ping", "--to", address, "--timeout", "1", timeout=60)
                self.assertEqual(impatient.returncode, 3, impatient.stderr)
                sentence = 'node "sluggish" is still starting; try again shortly'
                self.assertIn(f"refused by the peer (need_wait): {sentence}", impatient.stderr)
                refusal = node.wait_for("refused (need_wait)")
                self.assertIn(sentence, refusal)
                open(gate, "w").close()
                # need_wait is transient: a ping that may wait longer retries and is served once ready.
                stdout, stderr = patient.communicate(timeout=60)
                self.assertEqual(patient.returncode, 0, stderr)
                self.assertEqual(json.loads(stdout)["received"], 5)
                self.assertLess(node.lines.index(refusal), node.lines.index(node.wait_for("node 'sluggish' ready")))
            finally:
                stop_all(self, node)

    def test_handshake_timeout_of_a_silent_initiator(self):
        node = Node("--set", "node.name=patient", "--set", "communication.handshake_timeout=3s")
        try:
            address = node.address()
            node.wait_for("node 'patient' ready")
            silent = hp.connect(address)
            self.assertEqual(hp.read_frame(silent)[0], hp.IDENTIFY)
            self.assert_serves(address)  # while the silent connection waits
            frame_type, body = hp.read_frame(silent)
            sentence = "handshake not finished within 3s (waiting for REQUEST)"
            self.assertEqual((frame_type, hp.decode_refuse(body)), (hp.REFUSE, hp.Refusal(10, sentence)))
            self.assertEqual(silent.recv(1), b"")
            silent.close()
            self.assertIn(sentence, node.wait_for("refused (handshake_timeout)"))
            self.assert_serves(address)
        finally:
            stop_all(self, node)

    def test_handshake_timeout_of_a_silent_responder(self):
        with socket.create_server(("127.0.0.1", 0)) as listener:
            address = "127.0.0.1:%d" % listener.getsockname()[1]
            ping = subprocess.Popen([FERRY, "ping", "--to", address, "--timeout", "2",
                                     "--set", "communication.handshake_timeout=500ms"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            listener.settimeout(20)
            connection, _ = listener.accept()
            with connection:
                connection.settimeout(20)
                frame_type, body = hp.read_frame(connection)  # the listener says nothing; ping gives up
                sentence = "handshake not finished within 500ms (waiting for IDENTIFY)"
                self.assertEqual((frame_type, hp.decode_refuse(body)), (hp.REFUSE, hp.Refusal(10, sentence)))
            _, stderr = ping.communicate(timeout=60)
            self.assertEqual(ping.returncode, 3, stderr)
            self.assertIn(f"handshake with {address} refused (handshake_timeout): {sentence}", stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
