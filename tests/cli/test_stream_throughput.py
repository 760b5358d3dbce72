"""stream.throughput_limit between real processes: the bytes a node sends over all its sessions together
stay within 10% of the limit, measured over more than 5 seconds, for one `ferry send` and for two fetches
served at once by one node."""
import concurrent.futures
import datetime
import os
import unittest

from ferry_test_support import temporary_directory
from stream_support import node_config, start_node, transfer, tree_digests, write_file

LIMIT = 4 << 20  # bytes per second
TOLERANCE = 0.10


def logged_at(line):
    return datetime.datetime.fromisoformat(line.split(" ", 1)[0].replace("Z", "+00:00"))


def sending_span(lines):
    """Seconds from the first "session ... from peer" line of a node's log to its last COMPLETE line."""
    starts = [logged_at(line) for line in lines if "[stream] session " in line and " from peer " in line]
    ends = [logged_at(line) for line in lines if "[stream] session " in line and " COMPLETE: " in line]
    return (max(ends) - min(starts)).total_seconds()


class ThroughputLimit(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def assert_within_limit(self, total_bytes, seconds):
        self.assertGreaterEqual(seconds, 5.0)
        rate = total_bytes / seconds
        self.assertLessEqual(rate, LIMIT * (1 + TOLERANCE), f"{rate:.0f} bytes/s over {seconds:.2f} s")
        self.assertGreaterEqual(rate, LIMIT * (1 - TOLERANCE), f"{rate:.0f} bytes/s over {seconds:.2f} s")

    def test_one_session_is_held_to_the_senders_limit(self):
        source = os.path.join(self.dir, "data")
        write_file(os.path.join(source, "big"), os.urandom(24 << 20))
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received)
        try:
            status, summary, stderr = transfer("send", node.address(), "--set",
                                               f"stream.throughput_limit={LIMIT}", source)
            self.assertEqual(status, 0, stderr)
            # The file's size: the summary's bytes count chunks acknowledged, and the last ones may be
            # acknowledged after the session completed.
            self.assert_within_limit(24 << 20, summary["seconds"])
            self.assertEqual(tree_digests(received), {"data/big": tree_digests(source)["big"]})
        finally:
            node.kill()

    def test_sessions_served_at_once_share_the_nodes_limit(self):
        exported = os.path.join(self.dir, "exports")
        for name in ("one", "two"):
            write_file(os.path.join(exported, name, "big"), os.urandom(14 << 20))
        node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[exported],
                          extra=f"throughput_limit = {LIMIT}")
        fetched = {name: os.path.join(self.dir, "fetched-" + name) for name in ("one", "two")}
        configs = {name: node_config(self.dir, "fetcher-" + name, root) for name, root in fetched.items()}
        try:
            address = node.address()
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                results = list(pool.map(lambda name: transfer("fetch", address, name, config=configs[name]),
                                        ("one", "two")))
            for status, summary, stderr in results:
                self.assertEqual(status, 0, stderr)
                self.assertEqual(summary["bytes"], 14 << 20)
                node.wait_for(f"session {summary['session']} with peer ")
            # The node's own log times its sending: from the first session's start to the last COMPLETE (the
            # two fetching processes may start some way apart).
            self.assert_within_limit(2 * (14 << 20), sending_span(node.lines))
            for name, root in fetched.items():
                self.assertEqual(tree_digests(root), {f"{name}/big": tree_digests(exported)[f"{name}/big"]})
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
