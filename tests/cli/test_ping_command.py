"""`ferry ping` against a real `ferry node`: the whole stack (transport, handshake, codec, delivery)."""
import json
import unittest

from ferry_test_support import Node, run


class Ping(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = Node("--set", "node.name=target")
        cls.address = cls.node.address()
        cls.node.wait_for("node 'target' ready")

    @classmethod
    def tearDownClass(cls):
        try:
            assert cls.node.stop() == 0, cls.node.lines
        finally:
            cls.node.kill()

    def ping(self, *args):
        result = run("ping", "--to", self.address, "--json", *args, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return json.loads(result.stdout)

    def test_round_trips_report_the_negotiated_stack(self):
        summary = self.ping("--count", "200")
        for key in ("sent", "received", "lost", "duplicated", "rtt_p50_us", "rtt_p99_us", "rtt_max_us",
                    "msgs_per_s", "transport", "version", "mode", "features", "tls"):
            self.assertIn(key, summary)
        self.assertEqual((summary["sent"], summary["received"]), (200, 200))
        self.assertEqual((summary["lost"], summary["duplicated"]), (0, 0))
        self.assertEqual(summary["transport"], "tcp")
        self.assertEqual(summary["version"], "2.0")  # both offer 1.0, 1.1 and 2.0: the highest, in stable mode
        self.assertEqual(summary["mode"], "stable")
        self.assertEqual(summary["tls"], "none")
        self.assertEqual(summary["peer"], "target")
        self.assertGreater(summary["rtt_p50_us"], 0)
        self.assertLessEqual(summary["rtt_p50_us"], summary["rtt_p99_us"])
        self.assertLessEqual(summary["rtt_p99_us"], summary["rtt_max_us"])

    def test_a_window_keeps_many_pings_in_flight(self):
        summary = self.ping("--count", "20000", "--window", "500", "--size", "1024")
        self.assertEqual((summary["received"], summary["lost"], summary["duplicated"]), (20000, 0, 0))
        self.assertGreater(summary["msgs_per_s"], 0)

    def test_one_way_counts_acknowledged_messages(self):
        summary = self.ping("--one-way", "--count", "20000", "--window", "500", "--size", "1024")
        self.assertEqual((summary["sent"], summary["received"], summary["completions"]), (20000, 20000, 20000))
        self.assertEqual((summary["lost"], summary["duplicated"], summary["reordered"]), (0, 0, 0))
        self.assertGreater(summary["msgs_per_s"], 0)
        self.assertGreater(summary["rtt_p50_us"], 0)
        self.assertEqual(summary["peer"], "target")

    def test_one_way_window_stays_within_the_queue_limit(self):
        # Every message in flight may wait in the link's queue: a larger window would be parked or refused.
        result = run("ping", "--to", self.address, "--one-way", "--window", "2000", "--count", "3", timeout=60)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("communication.message_queue_limit (1024)", result.stderr)

    def test_one_way_text_output(self):
        result = run("ping", "--to", self.address, "--one-way", "--count", "3", timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("3 sent, 3 received, 0 lost, 0 duplicated", result.stdout)
        self.assertIn("send to acknowledgement p50", result.stdout)

    def test_text_output(self):
        result = run("ping", "--to", self.address, "--count", "3", timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("3 sent, 3 received, 0 lost, 0 duplicated", result.stdout)
        self.assertIn("protocol 2.0 stable", result.stdout)

    def test_nobody_listening_fails_with_the_reason(self):
        result = run("ping", "--to", "127.0.0.1:1", "--count", "1", "--timeout", "5", timeout=60)
        self.assertEqual(result.returncode, 3)
        self.assertIn("127.0.0.1:1", result.stderr)

    def test_another_cluster_is_refused_with_the_reason(self):
        result = run("ping", "--to", self.address, "--set", "node.cluster=other", "--timeout", "5", timeout=60)
        self.assertEqual(result.returncode, 3)
        self.assertIn("cluster", result.stderr)
        self.node.wait_for("refused")

    def test_a_settings_mismatch_names_the_setting_and_both_values(self):
        result = run("ping", "--to", self.address, "--set", "communication.connections_per_peer=4",
                     "--timeout", "5", timeout=60)
        self.assertEqual(result.returncode, 3)
        self.assertIn("connections_per_peer", result.stderr)
        self.assertIn("4", result.stderr)
        self.node.wait_for("connections_per_peer")
        self.assertEqual(self.ping("--count", "10")["received"], 10)  # and the node serves others

    def test_a_node_not_in_allowed_nodes_is_refused(self):
        node = Node("--set", "node.name=picky", "--set", 'communication.allowed_nodes=["friend"]')
        try:
            address = node.address()
            refused = run("ping", "--to", address, "--set", "node.name=stranger", "--timeout", "5", timeout=60)
            self.assertEqual(refused.returncode, 3)
            self.assertIn("stranger", refused.stderr)
            node.wait_for("stranger")
            allowed = run("ping", "--to", address, "--set", "node.name=friend", "--count", "5", "--json", timeout=60)
            self.assertEqual(allowed.returncode, 0, allowed.stderr)
            self.assertEqual(node.stop(), 0)
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
