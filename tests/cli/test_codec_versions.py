"""Protocol versions between real processes: a node and `ferry ping` that load different codec plugins
negotiate the version and mode docs/protocol.md §1.6 specifies (or refuse, naming both sides' versions), and
messages flow in rolling-upgrade mode (1.0 on one side, 1.1 on the other) as they do in stable mode."""
import json
import unittest

from ferry_test_support import Node, plugin_directory, run, temporary_directory

CODECS = ("codec-1.0", "codec-1.1", "codec-2.0")


class CodecVersions(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.addCleanup(self.scratch.cleanup)

    def ping(self, node_codecs, ping_codecs, count=500):
        node_dir = plugin_directory(self.scratch.name, node_codecs)
        ping_dir = plugin_directory(self.scratch.name, ping_codecs)
        node = Node("--set", "node.name=target", "--set", f"node.plugin_dirs={json.dumps([node_dir])}")
        try:
            address = node.address()
            result = run("ping", "--to", address, "--json", "--count", str(count), "--size", "256",
                         "--set", f"node.plugin_dirs={json.dumps([ping_dir])}", timeout=120)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr + "\n".join(node.lines))
            self.assertEqual(node.stop(), 0, node.lines)
        finally:
            node.kill()
        summary = json.loads(result.stdout)
        self.assertEqual((summary["sent"], summary["received"]), (count, count))
        self.assertEqual((summary["lost"], summary["duplicated"]), (0, 0))
        return summary

    def test_a_newer_side_and_an_older_side_talk_in_rolling_mode(self):
        summary = self.ping(["codec-1.0"], ["codec-1.1"])
        self.assertEqual((summary["version"], summary["mode"]), ("1.1", "rolling"))
        summary = self.ping(["codec-1.1"], ["codec-1.0"])
        self.assertEqual((summary["version"], summary["mode"]), ("1.0", "rolling"))

    def test_a_common_version_is_spoken_in_stable_mode(self):
        summary = self.ping(list(CODECS), ["codec-1.0"])
        self.assertEqual((summary["version"], summary["mode"]), ("1.0", "stable"))
        summary = self.ping(["codec-1.0", "codec-1.1"], list(CODECS))
        self.assertEqual((summary["version"], summary["mode"]), ("1.1", "stable"))
        self.assertEqual(summary["features"], "data_crc32c,skip_held,xxh3_digest")
        summary = self.ping(list(CODECS), list(CODECS))
        self.assertEqual((summary["version"], summary["mode"]), ("2.0", "stable"))
        self.assertEqual(summary["features"], "data_crc32c,skip_held,xxh3_digest,chunk_xxh3")

    def test_no_common_major_is_refused_naming_both_sides_versions(self):
        node_dir = plugin_directory(self.scratch.name, ["codec-2.0"])
        ping_dir = plugin_directory(self.scratch.name, ["codec-1.0", "codec-1.1"])
        node = Node("--set", "node.name=target", "--set", f"node.plugin_dirs={json.dumps([node_dir])}")
        try:
            result = run("ping", "--to", node.address(), "--count", "1", "--timeout", "5",
                         "--set", f"node.plugin_dirs={json.dumps([ping_dir])}", timeout=60)
            self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
            sentence = "no common codec major: local offers 2.0; peer offers 1.0, 1.1"
            self.assertIn(sentence, result.stderr)
            self.assertIn(sentence, node.wait_for("refused (no_common_codec)"))
        finally:
            node.kill()

    def test_max_version_holds_a_node_on_the_older_version(self):
        node_dir = plugin_directory(self.scratch.name, list(CODECS))
        node = Node("--set", "node.name=target", "--set", f"node.plugin_dirs={json.dumps([node_dir])}",
                    "--set", 'protocol.max_version="1.0"')
        try:
            result = run("ping", "--to", node.address(), "--json", "--count", "10", timeout=120)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(json.loads(result.stdout)["version"], "1.0")
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
