"""Both directions in one session, between real processes: `ferry send --fetch` sends a tree to a node
and fetches another from its export roots in the same session; both arrive byte-identical, and both
sides count what moved each way."""
import os
import unittest

from ferry_test_support import temporary_directory
from stream_support import mixed_tree, node_config, start_node, transfer, tree_digests, write_file


class BothWays(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def test_send_and_fetch_in_one_session(self):
        outgoing = os.path.join(self.dir, "outgoing")
        mixed_tree(outgoing)
        exported = os.path.join(self.dir, "exports")
        write_file(os.path.join(exported, "data", "one"), os.urandom(3 << 20))
        write_file(os.path.join(exported, "data", "sub", "two"), b"fetched in the same session\n")
        node_received = os.path.join(self.dir, "node-received")
        node = start_node(self.dir, "peer", node_received, export_roots=[exported])
        local_received = os.path.join(self.dir, "local-received")
        os.makedirs(local_received)
        config = node_config(self.dir, "local", local_received)
        try:
            status, summary, stderr = transfer("send", node.address(), "--fetch", "data", outgoing, config=config)
            self.assertEqual(status, 0, stderr)
            self.assertEqual(summary["state"], "COMPLETE")
            self.assertEqual((summary["files_sent"], summary["files_received"]), (6, 2))
            self.assertEqual(tree_digests(node_received),
                             {os.path.join("outgoing", p): v for p, v in tree_digests(outgoing).items()})
            self.assertEqual(tree_digests(local_received), tree_digests(exported))
            line = node.wait_for(f"session {summary['session']} with peer ")
            self.assertIn("COMPLETE: 2 files and ", line)
            self.assertIn(" sent, 6 files and ", line)
        finally:
            node.kill()

    def test_send_sink_without_fetch_is_still_refused(self):
        status, summary, stderr = transfer("send", "127.0.0.1:9", "--sink", "in", self.dir)
        self.assertEqual(status, 2, stderr)
        self.assertIsNone(summary)
        self.assertIn("with --fetch, --sink names where fetched files go", stderr)


if __name__ == "__main__":
    unittest.main()
