"""Streaming when a side dies: a receiver killed with SIGKILL in the middle of a file fails the sender's
session with a reason within the keep-alive bound, and leaves no partial file once it restarts; a sender
killed the same way fails the receiver's session, which leaves nothing visible in its sink."""
import json
import os
import signal
import subprocess
import time
import unittest

from ferry_test_support import FERRY, temporary_directory
from stream_support import start_node, tree_digests

FILE_SIZE = 768 << 20
KEEPALIVE = 'keepalive_interval = "1s"'
# keepalive_interval is 1 s in these nodes' configuration, and the transient sender's; a silent peer fails
# a session within 4 intervals, and reconnect attempts may end it sooner. The bound allows a loaded machine.
FAILURE_BOUND_S = 30


def write_big_file(path):
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for i in range(FILE_SIZE >> 20):
            f.write(block[i % 251:] + block[:i % 251])


def visible_files(root):
    return set(tree_digests(root)) if os.path.isdir(root) else set()


class StreamFaults(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.source = os.path.join(self.dir, "big.bin")
        write_big_file(self.source)
        self.received = os.path.join(self.dir, "received")

    def tearDown(self):
        self.scratch.cleanup()

    def start_sender(self, address):
        return subprocess.Popen([FERRY, "send", "--to", address, "--json", "--set", "stream.keepalive_interval=1s",
                                 "--set", "communication.reconnect_attempts=2", self.source],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_receiver_killed_mid_file(self):
        node = start_node(self.dir, "receiver", self.received, extra=KEEPALIVE)
        try:
            mark = node.mark()
            sender = self.start_sender(node.address())
            node.wait_for("session ", since=mark)
            time.sleep(0.1)
            node.kill()
            killed_at = time.monotonic()
            out, err = sender.communicate(timeout=FAILURE_BOUND_S + 30)
            elapsed = time.monotonic() - killed_at
            self.assertEqual(sender.returncode, 3, err)
            summary = json.loads(out)
            self.assertEqual(summary["state"], "FAILED")
            self.assertNotEqual(summary["reason"], "")
            self.assertIn("error: the session failed: ", err)
            self.assertLess(elapsed, FAILURE_BOUND_S)
        finally:
            node.kill()
        restarted = start_node(self.dir, "receiver", self.received, extra=KEEPALIVE)
        try:
            self.assertEqual(visible_files(self.received), set())
        finally:
            restarted.kill()

    def test_sender_killed_mid_file(self):
        node = start_node(self.dir, "receiver", self.received, extra=KEEPALIVE)
        try:
            mark = node.mark()
            sender = self.start_sender(node.address())
            node.wait_for("session ", since=mark)
            time.sleep(0.1)
            sender.kill()
            sender.communicate(timeout=20)
            line = node.wait_for("FAILED", timeout=FAILURE_BOUND_S, since=mark)
            self.assertRegex(line, r"session \S+ with peer \S+ FAILED: .+")
            self.assertEqual(visible_files(self.received), set())
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
