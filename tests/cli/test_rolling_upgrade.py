"""Acceptance: a rolling protocol upgrade of a live three-node cluster (docs/operations.md, "Rolling upgrade").

Three nodes start on codec-1.0 and exchange burn-in streams (`ferry node --burn-in RATE`) with each other the
whole time. One node at a time then gets codec-1.1: a beside 1.0, reloaded with SIGHUP; b replacing 1.0,
restarted; c replacing 1.0, reloaded (its live connections keep 1.0) and then restarted. Checked:

- traffic never stops: after every step, and while a node is down, every pair of running nodes carries
  more of both burn-in streams;
- no message is lost or duplicated: no receiver ever reports a duplicated or skipped number, and every
  message a sender saw acknowledged was accepted by its receiver (across the receiver's restarts; what
  is counted is defined in host/src/node/burn_in_ledger.hpp);
- in the mixed phase, b (1.1 only) and c (1.0 only) talk in rolling-upgrade mode, each speaking its own;
- at the end every pair speaks 1.1 in stable mode.
"""
import json
import os
import signal
import tempfile
import time
import unittest

import burn_in_log
from ferry_test_support import (PLUGIN_DIR, Node, mapped_plugins, plugin_directory, plugin_dirs_option,
                                temporary_directory)

RATE = 100  # burn-in messages per second, each way on each pair
SETTINGS = ["--set", 'communication.max_connect_timeout="1s"', "--set", 'communication.connect_timeout="1s"']


class Member:
    """One node of the cluster across its runs: its own data and plugin directories, and a fixed address
    once the first run has bound one, so that a restart comes back where its peers look for it."""

    def __init__(self, test, name, scratch, peers):
        self.test, self.name, self.peers = test, name, peers
        self.data_dir = tempfile.mkdtemp(prefix=name + "-data-", dir=scratch)
        self.plugin_dir = plugin_directory(scratch, ["codec-1.0"])
        self.address = "127.0.0.1:0"
        self.runs = []

    @property
    def node(self):
        return self.runs[-1]

    def start(self):
        peers = json.dumps([peer.address for peer in self.peers])
        node = Node("--set", f"node.name={self.name}", "--set", plugin_dirs_option(self.plugin_dir),
                    "--set", f"transport.peers={peers}", "--burn-in", str(RATE), *SETTINGS,
                    listen=self.address, data_dir=self.data_dir)
        self.test.addCleanup(node.kill)
        self.runs.append(node)
        self.address = node.address()
        node.wait_for("ready")

    def stop(self):
        self.test.assertEqual(self.node.stop(), 0, "\n".join(self.node.lines))

    def install(self, codec, replacing=None):
        os.symlink(os.path.join(PLUGIN_DIR, codec + ".so"), os.path.join(self.plugin_dir, codec + ".so"))
        if replacing:
            os.remove(os.path.join(self.plugin_dir, replacing + ".so"))

    def mark(self):
        return len(self.node.lines)

    def wait_for_after(self, mark, needle, timeout=30):
        """The first line containing needle that the current run logged after mark."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.node.lines[mark:]:
                if needle in line:
                    return line
            self.test.assertLess(time.monotonic(), deadline,
                                 f"{self.name}: no {needle!r} after line {mark}:\n" + "\n".join(self.node.lines))
            time.sleep(0.1)


class RollingUpgrade(unittest.TestCase):
    def setUp(self):
        scratch = temporary_directory()
        self.addCleanup(scratch.cleanup)
        self.a = Member(self, "a", scratch.name, [])
        self.b = Member(self, "b", scratch.name, [self.a])
        self.c = Member(self, "c", scratch.name, [self.a, self.b])
        self.members = [self.a, self.b, self.c]

    def assert_traffic(self, members, messages=20, timeout=20):
        """Waits until, between every two of members, both streams have advanced by messages."""
        pairs = [(r, s) for r in members for s in members if r is not s]

        def position(receiver, sender):
            return burn_in_log.through(receiver.node.lines, sender.name, burn_in_log.stream_of(sender.node.lines))

        start = {(r.name, s.name): position(r, s) for r, s in pairs}
        deadline = time.monotonic() + timeout
        for receiver, sender in pairs:
            while position(receiver, sender) < start[(receiver.name, sender.name)] + messages:
                self.assertLess(time.monotonic(), deadline,
                                f"{sender.name} -> {receiver.name} stalled:\n" + "\n".join(receiver.node.lines))
                time.sleep(0.1)

    def assert_connected(self, member, mark, peer, protocol):
        line = member.wait_for_after(mark, f"connected to '{peer.name}'")
        self.assertIn(f"protocol {protocol},", line)

    def test_a_cluster_upgrades_one_node_at_a_time_without_losing_a_message(self):
        a, b, c = self.members
        for member in self.members:
            member.start()
        for member in self.members:
            for peer in self.members:
                if peer is not member:
                    self.assert_connected(member, 0, peer, "1.0 stable")
        self.assert_traffic(self.members)

        # a: codec-1.1 beside 1.0, reloaded. Its live connections keep 1.0.
        a.install("codec-1.1")
        mark = a.mark()
        a.node.process.send_signal(signal.SIGHUP)
        line = a.wait_for_after(mark, "reloaded: ")
        self.assertIn("offered codec-1.0 (1.0), codec-1.1 (1.1);", line)
        self.assertIn("(2 on 1.0 stable)", line)
        self.assert_traffic(self.members)

        # b: codec-1.1 replacing 1.0, restarted. Meanwhile a and c go on.
        b.install("codec-1.1", replacing="codec-1.0")
        marks = {m.name: m.mark() for m in (a, c)}
        b.stop()
        self.assert_traffic([a, c])
        b.start()
        self.assert_connected(b, 0, a, "1.1 stable")
        self.assert_connected(a, marks["a"], b, "1.1 stable")
        # The mixed phase: b has 1.1 only, c 1.0 only, so each speaks its own in rolling-upgrade mode.
        self.assert_connected(b, 0, c, "1.1 rolling")
        self.assert_connected(c, marks["c"], b, "1.0 rolling")
        self.assert_traffic(self.members)

        # c: codec-1.1 replacing 1.0, reloaded: the live connections keep 1.0 and keep it loaded.
        c.install("codec-1.1", replacing="codec-1.0")
        mark = c.mark()
        c.node.process.send_signal(signal.SIGHUP)
        line = c.wait_for_after(mark, "reloaded: ")
        self.assertIn("offered codec-1.1 (1.1);", line)
        self.assertIn("(1 on 1.0 rolling, 1 on 1.0 stable)", line)
        self.assertIn("codec-1.0.so", mapped_plugins(c.node.process.pid))
        self.assert_traffic(self.members)

        # ... then restarted, so that its connections negotiate again.
        marks = {m.name: m.mark() for m in (a, b)}
        c.stop()
        self.assert_traffic([a, b])
        c.start()
        for peer in (a, b):
            self.assert_connected(c, 0, peer, "1.1 stable")
            self.assert_connected(peer, marks[peer.name], c, "1.1 stable")
        # Every pair speaks 1.1 stable, and keeps doing so: no connection closes while traffic flows.
        marks = {m.name: m.mark() for m in self.members}
        self.assert_traffic(self.members, messages=2 * RATE)
        for member in self.members:
            closed = [line for line in member.node.lines[marks[member.name]:] if "closed:" in line]
            self.assertEqual(closed, [], member.name)

        for member in self.members:
            member.stop()
        self.assert_nothing_lost_or_duplicated()

    def assert_nothing_lost_or_duplicated(self):
        runs = [(member, run) for member in self.members for run in member.runs]
        for member, run in runs:
            self.assertEqual(burn_in_log.faults(run.lines), [], member.name)
        checked = 0
        for sender, sender_run in runs:
            stream = burn_in_log.stream_of(sender_run.lines)
            for receiver_name, report in burn_in_log.sent(sender_run.lines).items():
                receiver = next(m for m in self.members if m.name == receiver_name)
                self.assertTrue(report["at_stop"], sender_run.lines)
                accepted = max(burn_in_log.through(run.lines, sender.name, stream) for run in receiver.runs)
                # Every acknowledged message was accepted; nothing was accepted that was never sent.
                self.assertGreater(report["acknowledged"], 0)
                self.assertGreaterEqual(accepted, report["acknowledged"], (sender.name, receiver_name, report))
                self.assertLessEqual(accepted, report["sent"], (sender.name, receiver_name, report))
                checked += 1
        # Two runs each of b and c, one of a: every run sent to both peers.
        self.assertEqual(checked, 10)


if __name__ == "__main__":
    unittest.main()
