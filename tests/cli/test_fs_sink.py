"""`ferry node` with fs sinks: the sink starts from its [[sink]] table, deletes files a killed node left in
progress, and a bad value or a shared root stops the node with the sink's own message."""
import os
import signal
import unittest

from ferry_test_support import Node, run, temporary_directory, write_config


def fs_sinks(*roots, fsync="file+dir"):
    return "".join(f'[[sink]]\nname = "s{i}"\nplugin = "fs"\nroot = "{root}"\nfsync = "{fsync}"\n'
                   for i, root in enumerate(roots))


class FsSinkInANode(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.root = os.path.join(self.scratch.name, "received")

    def tearDown(self):
        self.scratch.cleanup()

    def run_node(self, config_text):
        """Runs a node that is expected to stop by itself, on an OS-chosen port."""
        path = write_config(self.scratch.name, config_text)
        return run("node", "-c", path, "--set", "transport.listen=127.0.0.1:0", "--set", "admin.listen=127.0.0.1:0",
                   "--set", f"node.data_dir={self.scratch.name}")

    def test_starts_and_deletes_leftovers_of_a_killed_node(self):
        staging = os.path.join(self.root, ".ferry-tmp")
        os.makedirs(staging)
        for name in ("4242-0.part", "4242-1.part"):
            with open(os.path.join(staging, name), "wb") as f:
                f.write(b"half a file")
        with open(os.path.join(self.root, "committed.bin"), "wb") as f:
            f.write(b"whole")
        node = Node("-c", write_config(self.scratch.name, fs_sinks(self.root)))
        try:
            self.assertIn(f"deleted 2 uncommitted file(s) left in {staging}",
                          node.wait_for("uncommitted file(s)"))
            node.wait_for("sink 's0' ready (plugin fs)")
            self.assertEqual(os.listdir(staging), [])
            self.assertTrue(os.path.exists(os.path.join(self.root, "committed.bin")))
            self.assertEqual(node.stop(signal.SIGTERM), 0)
        finally:
            node.kill()

    def test_an_fsync_value_it_does_not_know_stops_the_node(self):
        path = write_config(self.scratch.name, fs_sinks(self.root, fsync="sometimes"))
        self.assertEqual(run("config", "check", path).returncode, 0)
        result = self.run_node(fs_sinks(self.root, fsync="sometimes"))
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("sink 's0' (plugin fs) could not start: fs sink: fsync: expected one of \"none\", \"file\", "
                      "\"file+dir\", got \"sometimes\"", result.stderr)

    def test_two_sinks_on_one_root_stop_the_node(self):
        result = self.run_node(fs_sinks(self.root, self.root))
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("sink 's1' (plugin fs) could not start: fs sink: "
                      f"{self.root}/.ferry-tmp: is in use by another fs sink", result.stderr)


if __name__ == "__main__":
    unittest.main()
