"""Re-running a transfer skips the files the receiving sink already holds with the same size and SHA-256
(docs/streaming.md, "Skipping files the sink holds"): `ferry send` into a node's fs sink, again unchanged,
then with one file changed in content and one in size; and nothing is skipped when the sender turns
stream.skip_held off or the peer speaks codec 1.0."""
import os
import unittest

from ferry_test_support import plugin_directory, plugin_dirs_option, run, temporary_directory
from stream_support import mixed_tree, start_node, transfer, tree_digests

FILES = 6  # mixed_tree without a sparse file


def identities(root):
    """{relative path: (inode, mtime_ns)}: a file the sink committed again is a new inode (temp + rename)."""
    found = {}
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != ".ferry-tmp"]
        for name in files:
            status = os.stat(os.path.join(directory, name))
            found[os.path.relpath(os.path.join(directory, name), root)] = (status.st_ino, status.st_mtime_ns)
    return found


class SkipHeld(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.source = os.path.join(self.dir, "tree")
        mixed_tree(self.source)
        self.received = os.path.join(self.dir, "received")

    def tearDown(self):
        self.scratch.cleanup()

    def expected(self):
        return {os.path.join("tree", path): value for path, value in tree_digests(self.source).items()}

    def send(self, node, *args):
        status, summary, stderr = transfer("send", node.address(), *args, self.source)
        self.assertEqual(status, 0, stderr)
        self.assertEqual(summary["state"], "COMPLETE", stderr)
        self.assertEqual(tree_digests(self.received), self.expected())
        return summary

    def test_a_rerun_skips_what_the_sink_holds_and_sends_what_changed(self):
        node = start_node(self.dir, "receiver", self.received)
        try:
            first = self.send(node)
            self.assertEqual((first["files"], first["skipped"]), (FILES, 0))
            total = first["bytes"]
            before = identities(self.received)

            again = self.send(node)
            self.assertEqual((again["files"], again["skipped"]), (0, FILES))
            self.assertEqual((again["bytes"], again["bytes_sent"], again["bytes_received"]), (0, 0, 0))
            self.assertEqual(again["bytes_skipped"], total)
            self.assertEqual(identities(self.received), before)
            line = node.wait_for("0 files and 0 bytes received, 0 retries, 6 skipped")
            self.assertIn("COMPLETE", line)

            # The same size with other content, and another size: exactly those two travel.
            text = os.path.join(self.source, "a/b/text.txt")
            with open(text, "r+b") as f:
                f.write(b"J")
            with open(os.path.join(self.source, "one"), "wb") as f:
                f.write(b"xy")
            changed = self.send(node)
            self.assertEqual((changed["files"], changed["skipped"]), (2, FILES - 2))
            self.assertEqual(changed["bytes"], os.path.getsize(text) + 2)
            self.assertLess(changed["bytes"], total)
            after = identities(self.received)
            for path, identity in before.items():
                if path not in ("tree/a/b/text.txt", "tree/one"):
                    self.assertEqual(after[path], identity, path)
            self.assertNotEqual(after["tree/a/b/text.txt"], before["tree/a/b/text.txt"])
            node.wait_for("2 files and 13002 bytes received, 0 retries, 4 skipped")

            result = run("send", "--to", node.address(), self.source)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertRegex(result.stdout, r"COMPLETE: 0 files, 0 B in [0-9.]+ s \(.*\), 0 retries, 6 skipped")
        finally:
            node.kill()

    def test_nothing_is_skipped_when_the_sender_turns_it_off(self):
        node = start_node(self.dir, "receiver", self.received)
        try:
            self.send(node)
            before = identities(self.received)
            summary = self.send(node, "--set", "stream.skip_held=false")
            self.assertEqual((summary["files"], summary["skipped"]), (FILES, 0))
            self.assertNotEqual(identities(self.received)["tree/a/chunk"], before["tree/a/chunk"])
        finally:
            node.kill()

    def test_nothing_is_skipped_with_a_codec_1_0_peer(self):
        plugins = plugin_dirs_option(plugin_directory(self.dir, ["codec-1.0", "sink-fs"]))
        node = start_node(self.dir, "receiver", self.received, args=("--set", plugins))
        try:
            self.send(node)
            summary = self.send(node)
            self.assertEqual((summary["files"], summary["skipped"]), (FILES, 0))
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
