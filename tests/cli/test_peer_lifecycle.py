"""A peer that stops or restarts while messages are in flight: every pending send fails with a reason
(never silence), and the stopping node exits cleanly."""
import signal
import subprocess
import time
import unittest

from ferry_test_support import FERRY, Node


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


if __name__ == "__main__":
    unittest.main(verbosity=2)
