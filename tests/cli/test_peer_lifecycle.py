"""A peer that stops or restarts while messages are in flight: every pending send fails with a reason
(never silence), and the stopping node exits cleanly."""
import signal
import subprocess
import time
import unittest

from cutting_proxy import TO_CLIENT, CuttingProxy
from ferry_test_support import FERRY, Node, run


def start_ping(address, *extra):
    return subprocess.Popen([FERRY, "ping", "--to", address, "--count", "100000000", "--window", "200",
                             "--timeout", "120", "--json", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class PeerLifecycle(unittest.TestCase):
    def test_graceful_stop_with_messages_in_flight(self):
        node = Node("--set", "node.name=target")
        try:
            ping = start_ping(node.address())
            node.wait_for("connected to")
            time.sleep(0.5)  # pings are flowing
            self.assertEqual(node.stop(signal.SIGTERM), 0)
            _, stderr = ping.communicate(timeout=60)
            self.assertEqual(ping.returncode, 3, stderr)
            self.assertRegex(stderr, r"peer 'target' (stopped|is stopping)|stopping")
            self.assertTrue(any("stopping" in line for line in node.lines), node.lines)
        finally:
            node.kill()

    def test_messages_to_a_restarted_peer_fail_with_a_reason(self):
        first = Node("--set", "node.name=target")
        try:
            address = first.address()
            ping = start_ping(address, "--set", "communication.reconnect_attempts=1000")
            first.wait_for("connected to")
            time.sleep(0.3)
            first.process.kill()  # no goodbye: the process dies with messages in flight
            first.process.wait(timeout=20)
            # The same node (its id is kept in its data directory), restarted at the same address.
            second = Node("--set", "node.name=target", listen=address, data_dir=first.data_dir)
            try:
                second.wait_for("ready")
                _, stderr = ping.communicate(timeout=60)
                self.assertEqual(ping.returncode, 3, stderr)
                self.assertIn("peer 'target' restarted", stderr)
                self.assertEqual(second.stop(), 0)
            finally:
                second.kill()
        finally:
            first.kill()

    def test_messages_to_a_peer_that_vanished_fail_once_it_cannot_return(self):
        # The pinging process does not listen, so the node cannot reconnect to it; it gives the peer
        # reconnect_attempts x max_connect_timeout (2 x 500 ms here) to come back, then fails what waits.
        node = Node("--set", "node.name=target", "--set", "communication.reconnect_attempts=2",
                    "--set", "communication.connect_timeout=500ms", "--set", "communication.max_connect_timeout=500ms")
        try:
            host, port = node.address().rsplit(":", 1)
            with CuttingProxy(host, int(port)) as proxy:
                ping = start_ping(f"127.0.0.1:{proxy.port}")
                node.wait_for("connected to")
                # The node logs "connected" before its last handshake bytes reach the pinger; pausing then
                # would leave the pinger unconnected and the node with nothing pending. Wait for pongs.
                for _ in range(200):
                    if proxy.forwarded(TO_CLIENT) > 8192:
                        break
                    time.sleep(0.05)
                self.assertGreater(proxy.forwarded(TO_CLIENT), 8192, "no pongs flowed to the pinger within 10 s")
                proxy.pause_reading(TO_CLIENT)  # pongs from now on stay unacknowledged at the node
                time.sleep(0.5)
                ping.kill()  # no goodbye
                ping.communicate(timeout=20)
                proxy.cut_now(reset=True)
                line = node.wait_for("has not connected again within 1 s", timeout=20)
                self.assertRegex(line, r"\d+ messages to '[^']+' failed: peer '[^']+' has not connected again "
                                       r"within 1 s, and this node cannot reach it \(it gave no listen address\)")
            result = run("ping", "--to", node.address(), "--count", "3", "--json")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(node.stop(), 0)
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
