"""What a receiving node refuses, between real processes: a sink that fails fails the session with the
sink's own message on both sides; names that would leave the receiver's root (`..`, absolute paths) from a
peer that crafts them, and a symlink below the fs sink's root, are refused before any byte is stored; and
a fetch of a path that leaves stream.export_roots through a symlink is refused, while symlinks inside an
exported directory are not followed."""
import os
import unittest
import uuid

import handshake_peer as hp
from ferry_test_support import temporary_directory
from stream_support import node_config, start_node, transfer, tree_digests, write_file


def files_below(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, names in os.walk(root) for f in names)


class SinkFailures(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.source = os.path.join(self.dir, "tree")
        write_file(os.path.join(self.source, "file"), os.urandom(5000))
        self.received = os.path.join(self.dir, "received")
        os.makedirs(self.received)

    def tearDown(self):
        self.scratch.cleanup()

    def send_expecting_failure(self, node, sink_message):
        status, summary, stderr = transfer("send", node.address(), "--set", "stream.max_retries=1", self.source)
        self.assertEqual(status, 3, stderr)
        self.assertEqual(summary["state"], "FAILED")
        sentence = "'tree/file' failed 2 times (max_retries 1); the last time: the sink could not open 'tree/file': "
        self.assertIn("the peer failed the session: " + sentence, summary["reason"])
        self.assertIn(sink_message, summary["reason"])
        self.assertIn("error: the session failed: ", stderr)
        line = node.wait_for("FAILED", timeout=30)
        self.assertIn(sentence, line)
        self.assertIn(sink_message, line)

    def test_a_file_where_the_sink_needs_a_directory_fails_the_session_with_the_sinks_message(self):
        write_file(os.path.join(self.received, "tree"), b"in the way")
        node = start_node(self.dir, "receiver", self.received)
        try:
            self.send_expecting_failure(node, "tree exists and is not a directory")
            self.assertEqual(files_below(self.received), ["tree"])
        finally:
            node.kill()

    def test_a_symlink_below_the_sink_root_is_not_followed_out_of_it(self):
        outside = os.path.join(self.dir, "outside")
        os.makedirs(outside)
        os.symlink(outside, os.path.join(self.received, "tree"))
        node = start_node(self.dir, "receiver", self.received)
        try:
            self.send_expecting_failure(node, "tree is a symbolic link; the fs sink never follows links")
            self.assertEqual(files_below(outside), [])
        finally:
            node.kill()


class CraftedNames(unittest.TestCase):
    """A stand-in peer (handshake_peer.py, codec 1.0) starts sessions whose STREAM_FILE names a path no
    receiver may take; the node fails each session with the reason and tells the peer."""

    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.received = os.path.join(self.dir, "received")
        self.node = start_node(self.dir, "receiver", self.received)

    def tearDown(self):
        self.node.kill()
        self.scratch.cleanup()

    def test_names_that_leave_the_root_are_refused(self):
        cases = (("../evil", "path '../evil' has a '..' component"),
                 ("a/../../evil", "path 'a/../../evil' has a '..' component"),
                 (os.path.join(self.dir, "evil"), f"path '{os.path.join(self.dir, 'evil')}' is absolute"),
                 ("a//evil", "path 'a//evil' has an empty component"))
        peer = hp.Initiator(self.node.address())
        try:
            self.assertIsInstance(peer.request(hp.Request(node_name="crafty")), hp.Accepted)
            messages = hp.MessageReader(peer.sock)
            for path, why in cases:
                session = uuid.uuid4()
                peer.sock.sendall(hp.stream_prepare(session, 1, 1, max_retries=0) +
                                  hp.stream_file(session, 0, 0, path, 1, 0o644, 0))
                self.assertEqual(messages.wait_for(hp.MSG_STREAM_PREPARE_ACK), (session, 0, 0))
                found, reason = messages.wait_for(hp.MSG_STREAM_FAILED)
                self.assertEqual(found, session)
                self.assertEqual(reason, "STREAM_FILE of file 0 attempt 0: " + why)
                line = self.node.wait_for("FAILED: " + reason, timeout=20)
                self.assertIn(f"session {session} with peer ", line)
        finally:
            peer.close()
        self.assertEqual(files_below(self.received), [])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "evil")))


class ExportRootEscapes(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.exported = os.path.join(self.dir, "exports")
        self.secret = os.path.join(self.dir, "secret")
        write_file(os.path.join(self.secret, "key"), b"not for fetching")
        write_file(os.path.join(self.exported, "data", "real"), b"for fetching")
        os.symlink(self.secret, os.path.join(self.exported, "link"))
        os.symlink(self.secret, os.path.join(self.exported, "data", "escape"))
        os.symlink(os.path.join(self.secret, "key"), os.path.join(self.exported, "data", "key-link"))
        self.node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[self.exported])
        self.fetched = os.path.join(self.dir, "fetched")
        os.makedirs(self.fetched)
        self.config = node_config(self.dir, "fetcher", self.fetched)

    def tearDown(self):
        self.node.kill()
        self.scratch.cleanup()

    def test_a_request_through_a_symlink_out_of_the_export_roots_is_refused(self):
        for request in ("link", "link/key", "data/escape/key", "data/key-link"):
            status, summary, stderr = transfer("fetch", self.node.address(), request, config=self.config)
            self.assertEqual(status, 3, stderr)
            self.assertEqual(summary["state"], "FAILED")
            self.assertIn(f"'{request}' is not in any of this node's stream.export_roots", summary["reason"])
        self.assertEqual(files_below(self.fetched), [])

    def test_symlinks_inside_an_exported_directory_are_not_followed(self):
        status, summary, stderr = transfer("fetch", self.node.address(), "data", config=self.config)
        self.assertEqual(status, 0, stderr)
        self.assertEqual(summary["files_received"], 1)
        self.assertEqual(list(tree_digests(self.fetched)), ["data/real"])


if __name__ == "__main__":
    unittest.main()
