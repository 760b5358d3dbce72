"""Many small files in one session: each file's data is acknowledged in the receiver's own time (every
ack_threshold messages or after ack_interval), and the sender must not wait for those acknowledgements
before it announces the next file. The receiving node's ack_interval is set far above what the transfer
may take, so a sender that waits for it times out instead of passing slowly."""
import os
import unittest

from ferry_test_support import temporary_directory
from stream_support import start_node, transfer, tree_digests, write_file

FILES = 60


class ManyFiles(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def test_small_files_do_not_wait_for_the_idle_acknowledgement(self):
        source = os.path.join(self.dir, "small")
        for i in range(FILES):
            write_file(os.path.join(source, f"d{i % 6}", f"f{i}"), os.urandom(1000 + i))
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received, extra='[communication]\nack_interval = "50s"\n')
        try:
            status, summary, stderr = transfer("send", node.address(), source, timeout=40)
            self.assertEqual(status, 0, stderr)
            self.assertEqual((summary["state"], summary["files"]), ("COMPLETE", FILES))
            expected = {os.path.join("small", path): digest for path, digest in tree_digests(source).items()}
            self.assertEqual(tree_digests(received), expected)
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
