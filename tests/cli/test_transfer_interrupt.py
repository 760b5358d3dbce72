"""SIGINT and SIGTERM stop `ferry send` and `ferry fetch` at once: the session fails on both sides with
"interrupted by SIGINT" (or SIGTERM), the receiving sink keeps nothing of the file, the command exits with
128 + the signal's number, and the node goes on serving."""
import json
import os
import signal
import socket
import subprocess
import time
import unittest

from ferry_test_support import FERRY, temporary_directory
from stream_support import node_config, start_node, transfer, tree_digests, write_file

LIMIT = 2 << 20  # bytes per second: the 16 MiB file takes 8 s, time enough to interrupt it


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Interrupt(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def start_command(self, *args):
        return subprocess.Popen([FERRY, *args, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def interrupt(self, command, sig):
        """Sends sig; returns (exit status, seconds until the exit, stdout, stderr)."""
        sent = time.monotonic()
        command.send_signal(sig)
        try:
            stdout, stderr = command.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            command.kill()
            stdout, stderr = command.communicate()
            self.fail(f"still running 20 s after signal {sig}; stderr:\n{stderr}")
        return command.returncode, time.monotonic() - sent, stdout, stderr

    def assert_interrupted(self, node, sig, status, stdout, stderr):
        name = signal.Signals(sig).name
        self.assertEqual(status, 128 + sig, stderr)
        summary = json.loads(stdout)
        self.assertEqual(summary["state"], "FAILED")
        self.assertEqual(summary["reason"], f"interrupted by {name}")
        self.assertIn(f"error: the session failed: interrupted by {name}", stderr)
        self.assertIn(f"FAILED: the peer failed the session: interrupted by {name}",
                      node.wait_for(f"session {summary['session']} with peer "))

    def test_sigint_fails_a_send_on_both_sides_and_the_node_keeps_nothing(self):
        source = os.path.join(self.dir, "data")
        write_file(os.path.join(source, "big"), os.urandom(16 << 20))
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received)
        try:
            mark = node.mark()
            command = self.start_command("send", "--to", node.address(), "--set", f"stream.throughput_limit={LIMIT}",
                                         source)
            node.wait_for(" from peer ", since=mark)
            time.sleep(1)  # some chunks in the sink's temporary file
            status, seconds, stdout, stderr = self.interrupt(command, signal.SIGINT)
            self.assertLess(seconds, 5)
            self.assert_interrupted(node, signal.SIGINT, status, stdout, stderr)
            self.assertEqual(tree_digests(received), {})
            # The node serves the next transfer.
            small = os.path.join(self.dir, "small")
            write_file(os.path.join(small, "one"), b"x")
            status, summary, stderr = transfer("send", node.address(), small)
            self.assertEqual(status, 0, stderr)
            self.assertEqual(tree_digests(received), {"small/one": tree_digests(small)["one"]})
        finally:
            node.kill()

    def test_sigterm_fails_a_fetch_and_its_own_sink_keeps_nothing(self):
        exported = os.path.join(self.dir, "exports")
        write_file(os.path.join(exported, "big"), os.urandom(16 << 20))
        node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[exported],
                          extra=f"throughput_limit = {LIMIT}")
        fetched = os.path.join(self.dir, "fetched")
        os.makedirs(fetched)
        try:
            mark = node.mark()
            command = self.start_command("fetch", "--from", node.address(), "-c",
                                         node_config(self.dir, "fetcher", fetched), "big")
            node.wait_for(" from peer ", since=mark)
            time.sleep(1)
            status, seconds, stdout, stderr = self.interrupt(command, signal.SIGTERM)
            self.assertLess(seconds, 5)
            self.assert_interrupted(node, signal.SIGTERM, status, stdout, stderr)
            self.assertEqual(tree_digests(fetched), {})
        finally:
            node.kill()

    def test_sigint_ends_the_wait_for_a_node_that_does_not_answer(self):
        command = subprocess.Popen([FERRY, "send", "--to", f"127.0.0.1:{closed_port()}", self.dir],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        status, seconds, _, stderr = self.interrupt(command, signal.SIGINT)
        self.assertLess(seconds, 5)
        self.assertEqual(status, 128 + signal.SIGINT, stderr)
        self.assertIn("error: cannot reach", stderr)
        self.assertIn("interrupted by SIGINT", stderr)


if __name__ == "__main__":
    unittest.main()
