"""Corrupted chunks between real processes. The sender corrupts chunks on purpose through the test-only
FERRY_TEST_CORRUPT_CHUNKS (docs/streaming.md, "Fault injection"): one corrupted chunk makes the receiver
retry the file, which then arrives byte-identical, with the files after it, on the same connection;
corruption on every try fails the session after max_retries with the reason on both sides. With codec 2.0
the chunk's own XXH3-128 (chunk_xxh3) catches it, with codec 1.1 its CRC32C; a 1.0 sender computes neither,
and the file digest catches it."""
import os
import unittest

from ferry_test_support import plugin_directory, plugin_dirs_option, temporary_directory
from stream_support import CHUNK, start_node, transfer, tree_digests, write_file

CORRUPT = "FERRY_TEST_CORRUPT_CHUNKS"


class StreamCorruption(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.source = os.path.join(self.dir, "tree")
        # Name order is send order: the corrupted first chunk belongs to a file of several chunks, whose
        # later chunks are in flight when the retry arrives, and files follow it.
        write_file(os.path.join(self.source, "a-several"), os.urandom(5 * CHUNK + 333))
        write_file(os.path.join(self.source, "b-one"), b"x")
        write_file(os.path.join(self.source, "c/text"), b"after the retry\n" * 5000)
        self.received = os.path.join(self.dir, "received")
        self.node = start_node(self.dir, "receiver", self.received)

    def tearDown(self):
        self.node.kill()
        self.scratch.cleanup()

    def expected(self):
        return {os.path.join("tree", path): value for path, value in tree_digests(self.source).items()}

    def codec_only(self, codec):
        return ["--set", plugin_dirs_option(plugin_directory(self.dir, [codec]))]

    def codec_1_0_only(self):
        return self.codec_only("codec-1.0")

    def send(self, corrupt, *args):
        return transfer("send", self.node.address(), *args, self.source, env={CORRUPT: str(corrupt)})

    def check_retried_once(self, status, summary, stderr):
        self.assertEqual(status, 0, stderr)
        self.assertEqual(summary["state"], "COMPLETE")
        self.assertEqual(summary["retries"], 1)
        self.assertEqual(summary["files"], 3)
        self.assertIn(f"{CORRUPT}: corrupted a chunk", stderr)
        self.assertEqual(tree_digests(self.received), self.expected())
        line = self.node.wait_for("COMPLETE", timeout=30)
        self.assertIn("1 retries", line)
        self.assertIn(" asks for file 0 again after attempt 0 failed", stderr)

    def test_a_corrupted_chunk_is_caught_by_its_hash_and_the_file_retried(self):
        status, summary, stderr = self.send(1)
        self.check_retried_once(status, summary, stderr)
        self.assertIn("has XXH3-128 check ", self.node.wait_for("file 0 attempt 0 failed, asking peer "))

    def test_a_corrupted_chunk_from_a_1_1_sender_is_caught_by_its_crc_and_the_file_retried(self):
        status, summary, stderr = self.send(1, *self.codec_only("codec-1.1"))
        self.check_retried_once(status, summary, stderr)
        self.assertIn("has CRC32C ", self.node.wait_for("file 0 attempt 0 failed, asking peer "))

    def test_a_corrupted_chunk_from_a_1_0_sender_is_caught_by_the_digest_and_retried(self):
        status, summary, stderr = self.send(1, *self.codec_1_0_only())
        self.check_retried_once(status, summary, stderr)
        self.assertIn("'tree/a-several' arrived with SHA-256 ",
                      self.node.wait_for("file 0 attempt 0 failed, asking peer "))

    def check_fails_after_max_retries(self, status, summary, stderr, caught_by):
        self.assertEqual(status, 3, stderr)
        self.assertEqual(summary["state"], "FAILED")
        # Without chunk checks a file's failure shows at its FILE_DONE, after the next file went out: whichever
        # runs out of retries first fails the session.
        sentence = r"'tree/(a-several|b-one|c/text)' failed 3 times \(max_retries 2\); the last time: "
        self.assertRegex(summary["reason"], "^the peer failed the session: " + sentence)
        self.assertIn(caught_by, summary["reason"])
        self.assertIn("error: the session failed: " + summary["reason"], stderr)
        line = self.node.wait_for("FAILED", timeout=30)
        self.assertIn("FAILED: " + summary["reason"].removeprefix("the peer failed the session: "), line)
        self.assertEqual(tree_digests(self.received), {})

    def test_corruption_on_every_try_fails_the_session_after_max_retries(self):
        status, summary, stderr = self.send(1000, "--set", "stream.max_retries=2")
        self.check_fails_after_max_retries(status, summary, stderr, "has XXH3-128 check ")

    def test_corruption_on_every_try_from_a_1_0_sender_fails_after_max_retries(self):
        status, summary, stderr = self.send(1000, "--set", "stream.max_retries=2", *self.codec_1_0_only())
        self.check_fails_after_max_retries(status, summary, stderr, "arrived with SHA-256 ")


if __name__ == "__main__":
    unittest.main()
