"""Streaming between real processes: `ferry send` and `ferry fetch` against a `ferry node` with an fs sink
move a tree of mixed files (empty, 1 byte, chunk-sized, a multi-GiB sparse file) byte for byte, and many
sessions run at once."""
import concurrent.futures
import os
import unittest

from ferry_test_support import Node, temporary_directory
from stream_support import mixed_tree, node_config, start_node, transfer, tree_digests, write_file

SPARSE_SIZE = 2 << 30


class Streaming(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def test_send_a_mixed_tree_arrives_byte_identical(self):
        source = os.path.join(self.dir, "tree")
        mixed_tree(source, SPARSE_SIZE)
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received)
        try:
            status, summary, stderr = transfer("send", node.address(), source)
            self.assertEqual(status, 0, stderr)
            self.assertIn("sendfile no", stderr)  # "auto", and the peer is on this machine
            self.assertEqual(summary["state"], "COMPLETE")
            self.assertEqual(summary["files"], 7)
            self.assertEqual(summary["reason"], "")
            expected = {os.path.join("tree", path): value for path, value in tree_digests(source).items()}
            self.assertEqual(tree_digests(received), expected)
            # Only the sparse file's data travelled, not its holes.
            self.assertLess(summary["bytes"], 64 << 20)
            node.wait_for("COMPLETE")
        finally:
            node.kill()

    def test_send_a_mixed_tree_with_sendfile_arrives_byte_identical(self):
        """communication.sendfile "always": the chunks go from the page cache to the socket, even on loopback
        (where "auto" sends the bytes read for the checks)."""
        source = os.path.join(self.dir, "tree")
        mixed_tree(source, SPARSE_SIZE)
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received)
        try:
            status, summary, stderr = transfer("send", node.address(), source,
                                               "--set", "communication.sendfile=always")
            self.assertEqual(status, 0, stderr)
            self.assertIn("sendfile yes", stderr)
            self.assertEqual((summary["state"], summary["files"]), ("COMPLETE", 7))
            expected = {os.path.join("tree", path): value for path, value in tree_digests(source).items()}
            self.assertEqual(tree_digests(received), expected)
        finally:
            node.kill()

    def test_send_over_unix_sockets_arrives_byte_identical(self):
        """The uds transport allows sendfile too: with communication.sendfile "always", chunks go from the
        source files to the Unix socket; with "auto", the bytes read for the checks do."""
        source = os.path.join(self.dir, "tree")
        mixed_tree(source)
        expected = {os.path.join("tree", path): value for path, value in tree_digests(source).items()}
        for choice, logged in (("always", "sendfile yes"), ("auto", "sendfile no")):
            with self.subTest(sendfile=choice):
                received = os.path.join(self.dir, f"received-{choice}")
                os.makedirs(received)
                socket_path = os.path.join(self.dir, f"receiver-{choice}.sock")
                node = Node("-c", node_config(self.dir, "receiver", received), "--set", "transport.plugin=uds",
                            listen=socket_path)
                try:
                    node.wait_for("node 'receiver' ready")
                    status, summary, stderr = transfer("send", socket_path, source, "--set", "transport.plugin=uds",
                                                       "--set", f"communication.sendfile={choice}")
                    self.assertEqual(status, 0, stderr)
                    self.assertIn(logged, stderr)
                    self.assertEqual((summary["state"], summary["files"]), ("COMPLETE", 6))
                    self.assertEqual(tree_digests(received), expected)
                finally:
                    node.kill()

    def test_the_summary_counts_every_byte_sent(self):
        source = os.path.join(self.dir, "one.bin")
        write_file(source, os.urandom((1 << 20) + 1))
        node = start_node(self.dir, "receiver", os.path.join(self.dir, "received"))
        try:
            # The last chunks' acknowledgements may come after the peer's COMPLETE: they still count.
            status, summary, stderr = transfer("send", node.address(), source)
            self.assertEqual(status, 0, stderr)
            self.assertEqual((summary["bytes"], summary["bytes_sent"]), ((1 << 20) + 1, (1 << 20) + 1))
        finally:
            node.kill()

    def test_fetch_from_export_roots_arrives_byte_identical(self):
        exported = os.path.join(self.dir, "exports")
        mixed_tree(os.path.join(exported, "data"), SPARSE_SIZE)
        node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[exported])
        fetched = os.path.join(self.dir, "fetched")
        os.makedirs(fetched)
        config = node_config(self.dir, "fetcher", fetched)
        try:
            status, summary, stderr = transfer("fetch", node.address(), "data", config=config)
            self.assertEqual(status, 0, stderr)
            self.assertEqual(summary["state"], "COMPLETE")
            self.assertEqual(summary["files_received"], 7)
            expected = {os.path.join("data", path): value
                        for path, value in tree_digests(os.path.join(exported, "data")).items()}
            self.assertEqual(tree_digests(fetched), expected)
        finally:
            node.kill()

    def test_fetch_outside_the_export_roots_fails_with_the_reason(self):
        exported = os.path.join(self.dir, "exports")
        os.makedirs(exported)
        secret = os.path.join(self.dir, "secret")
        os.makedirs(secret)
        with open(os.path.join(secret, "key"), "w") as f:
            f.write("no")
        node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[exported])
        fetched = os.path.join(self.dir, "fetched")
        os.makedirs(fetched)
        config = node_config(self.dir, "fetcher", fetched)
        try:
            for request in ("../secret", secret, "missing"):
                status, summary, stderr = transfer("fetch", node.address(), request, config=config)
                self.assertEqual(status, 3, stderr)
                self.assertEqual(summary["state"], "FAILED")
                self.assertIn("is not in any of this node's stream.export_roots", summary["reason"])
            self.assertEqual(tree_digests(fetched), {})
        finally:
            node.kill()

    def test_a_hundred_concurrent_small_sessions(self):
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received)
        sources = []
        for i in range(100):
            source = os.path.join(self.dir, "sources", f"s{i:03}")
            os.makedirs(source)
            with open(os.path.join(source, "file"), "wb") as f:
                f.write(os.urandom(1000 + i))
            sources.append(source)
        try:
            address = node.address()
            with concurrent.futures.ThreadPoolExecutor(max_workers=100) as pool:
                results = list(pool.map(lambda s: transfer("send", address, s, timeout=280), sources))
            for status, summary, stderr in results:
                self.assertEqual(status, 0, stderr)
                self.assertEqual(summary["state"], "COMPLETE")
            self.assertEqual(len({summary["session"] for _, summary, _ in results}), 100)
            expected = {}
            for source in sources:
                for path, value in tree_digests(source).items():
                    expected[os.path.join(os.path.basename(source), path)] = value
            self.assertEqual(tree_digests(received), expected)
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
