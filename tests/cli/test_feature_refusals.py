"""Refusals between real nodes that cannot agree (docs/protocol.md §1.6): a feature one side requires that
the other's codec lacks or its configuration disables, and codecs with no common major. Node b connects
to node a; each node's log must give the refusal's code and the sentence naming the features or versions,
the same on both sides."""
import json
import unittest

from ferry_test_support import Node, plugin_directory, plugin_dirs_option, temporary_directory

REQUIRE = 'protocol.require_features=["data_crc32c"]'
DISABLE = 'protocol.disable_features=["data_crc32c"]'


class Refusals(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.addCleanup(self.scratch.cleanup)

    def start(self, name, codecs, settings, peers=()):
        args = ["--set", f"node.name={name}", "--set", plugin_dirs_option(plugin_directory(self.scratch.name, codecs))]
        if peers:
            args += ["--set", f"transport.peers={json.dumps(list(peers))}"]
        for setting in settings:
            args += ["--set", setting]
        node = Node(*args)
        self.addCleanup(node.kill)
        return node

    def assert_refused(self, a_codecs, a_settings, b_codecs, b_settings, code, sentence):
        """b connects to a; a refuses with code, and both logs carry the sentence (a's point of view)."""
        a = self.start("a", a_codecs, a_settings)
        b = self.start("b", b_codecs, b_settings, peers=[a.address()])
        self.assertTrue(a.wait_for(f"refused ({code})").endswith(f"refused ({code}): {sentence}"), a.lines)
        self.assertTrue(b.wait_for(f"refused by the peer ({code})").endswith(f"({code}): {sentence}"), b.lines)
        self.assertFalse([line for line in a.lines + b.lines if "connected to" in line])

    def test_a_required_feature_the_peer_codec_lacks(self):
        self.assert_refused(["codec-1.1"], [REQUIRE], ["codec-1.0"], [], "missing_feature",
                            'feature "data_crc32c" required by local: peer codec 1.0 lacks it')

    def test_a_required_feature_the_chosen_codec_lacks_on_the_side_that_answers(self):
        # Both know the feature (a through codec-2.0, b through codec-1.1), but the only version in common is 1.0.
        self.assert_refused(["codec-1.0", "codec-2.0"], [], ["codec-1.0", "codec-1.1"], [REQUIRE], "missing_feature",
                            'feature "data_crc32c" required by peer: local codec 1.0 lacks it')

    def test_a_required_feature_the_peer_disables(self):
        self.assert_refused(["codec-1.1"], [REQUIRE], ["codec-1.1"], [DISABLE], "missing_feature",
                            'feature "data_crc32c" required by local: peer disables it')
        self.assert_refused(["codec-1.1"], [DISABLE], ["codec-2.0", "codec-1.1"], [REQUIRE], "missing_feature",
                            'feature "data_crc32c" required by peer: local disables it')

    def test_a_required_feature_no_loaded_codec_declares(self):
        self.assert_refused(["codec-1.0"], [REQUIRE], ["codec-1.1"], [], "missing_feature",
                            'feature "data_crc32c" required by local: local does not know it')

    def test_a_required_feature_both_codecs_have_is_agreed(self):
        a = self.start("a", ["codec-1.1"], [REQUIRE])
        b = self.start("b", ["codec-1.0", "codec-1.1"], [REQUIRE], peers=[a.address()])
        for node, other in ((a, "b"), (b, "a")):
            line = node.wait_for(f"connected to '{other}'")
            self.assertTrue(line.endswith("protocol 1.1 stable, features data_crc32c,skip_held,xxh3_digest"), line)

    def test_no_common_major(self):
        self.assert_refused(["codec-2.0"], [], ["codec-1.0", "codec-1.1"], [], "no_common_codec",
                            "no common codec major: local offers 2.0; peer offers 1.0, 1.1")

    def test_no_common_major_under_a_pin(self):
        self.assert_refused(["codec-1.0", "codec-1.1", "codec-2.0"], ['protocol.max_version="1.1"'], ["codec-2.0"],
                            [], "no_common_codec",
                            "no common codec major: local offers 1.0, 1.1 (2.0 left out by protocol.max_version 1.1); "
                            "peer offers 2.0")


if __name__ == "__main__":
    unittest.main()
