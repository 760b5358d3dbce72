"""Streaming across an upgrade, between real processes: a session between a node on codec 1.0 and one on
1.1 (each speaking its own, in rolling-upgrade mode) completes byte-identical in both directions, and a
session survives its peer's SIGHUP reload in the middle of a transfer, also one that adds codec 1.1."""
import os
import signal
import subprocess
import time
import unittest

from ferry_test_support import FERRY, PLUGIN_DIR, plugin_directory, plugin_dirs_option, temporary_directory
from stream_support import mixed_tree, node_config, start_node, transfer, tree_digests, write_file

# Slow enough that a reload lands in the middle of the transfer: 12 MiB at 2 MiB/s is about 6 s.
PACED = 2 << 20
PACED_FILE = 12 << 20


class CodecMix(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name
        self.source = os.path.join(self.dir, "tree")
        mixed_tree(self.source, 64 << 20)

    def tearDown(self):
        self.scratch.cleanup()

    def only(self, codec):
        return plugin_dirs_option(plugin_directory(self.dir, [codec, "sink-fs"]))

    def test_send_from_1_0_to_1_1(self):
        received = os.path.join(self.dir, "received")
        node = start_node(self.dir, "receiver", received, args=("--set", self.only("codec-1.1")))
        try:
            status, summary, stderr = transfer("send", node.address(), "--set", self.only("codec-1.0"), self.source)
            self.assertEqual(status, 0, stderr)
            self.assertEqual(summary["state"], "COMPLETE")
            # Codec 1.0 has no data_crc32c: the file digests alone guard the data.
            self.assertIn("protocol 1.0 rolling, features none", stderr)
            self.assertIn("protocol 1.1 rolling, features none", node.wait_for("connected to "))
            expected = {os.path.join("tree", path): value for path, value in tree_digests(self.source).items()}
            self.assertEqual(tree_digests(received), expected)
        finally:
            node.kill()

    def test_fetch_by_1_0_from_1_1(self):
        exported = os.path.join(self.dir, "exports")
        os.makedirs(exported)
        os.rename(self.source, os.path.join(exported, "tree"))
        node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[exported],
                          args=("--set", self.only("codec-1.1")))
        fetched = os.path.join(self.dir, "fetched")
        os.makedirs(fetched)
        config = node_config(self.dir, "fetcher", fetched)
        try:
            status, summary, stderr = transfer("fetch", node.address(), "--set", self.only("codec-1.0"), "tree",
                                               config=config)
            self.assertEqual(status, 0, stderr)
            self.assertEqual(summary["files_received"], 7)
            self.assertIn("protocol 1.0 rolling", stderr)
            expected = {os.path.join("tree", path): value
                        for path, value in tree_digests(os.path.join(exported, "tree")).items()}
            self.assertEqual(tree_digests(fetched), expected)
        finally:
            node.kill()


class ReloadMidTransfer(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.dir = self.scratch.name

    def tearDown(self):
        self.scratch.cleanup()

    def reload_while(self, node, process, expect="reloaded: "):
        node.wait_for("session ")
        time.sleep(1.5)
        self.assertIsNone(process.poll(), "the transfer ended before the reload")
        mark = node.mark()
        node.process.send_signal(signal.SIGHUP)
        node.wait_for(expect, since=mark)
        out, err = process.communicate(timeout=120)
        self.assertEqual(process.returncode, 0, err)
        return out

    def test_a_receiving_node_reloads_mid_transfer_to_add_codec_1_1(self):
        source = os.path.join(self.dir, "data")
        write_file(os.path.join(source, "big"), os.urandom(PACED_FILE))
        received = os.path.join(self.dir, "received")
        plugins = plugin_directory(self.dir, ["codec-1.0", "sink-fs"])
        node = start_node(self.dir, "receiver", received, args=("--set", plugin_dirs_option(plugins)))
        try:
            sender = subprocess.Popen([FERRY, "send", "--to", node.address(), "--json", "--set",
                                       f"stream.throughput_limit={PACED}", source],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # The first step of an upgrade (docs/operations.md): the new codec beside the old, then a reload.
            os.symlink(os.path.join(PLUGIN_DIR, "codec-1.1.so"), os.path.join(plugins, "codec-1.1.so"))
            self.reload_while(node, sender, expect="reload: codecs added: codec-1.1 (1.1)")
            node.wait_for("COMPLETE")
            self.assertEqual(tree_digests(received), {"data/big": tree_digests(source)["big"]})
        finally:
            node.kill()

    def test_a_sending_node_reloads_mid_transfer(self):
        exported = os.path.join(self.dir, "exports")
        write_file(os.path.join(exported, "data", "big"), os.urandom(PACED_FILE))
        node = start_node(self.dir, "server", os.path.join(self.dir, "unused"), export_roots=[exported],
                          extra=f"throughput_limit = {PACED}")
        fetched = os.path.join(self.dir, "fetched")
        os.makedirs(fetched)
        try:
            fetcher = subprocess.Popen([FERRY, "fetch", "--from", node.address(), "--json", "-c",
                                        node_config(self.dir, "fetcher", fetched), "data"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.reload_while(node, fetcher)
            self.assertEqual(tree_digests(fetched), {"data/big": tree_digests(exported)["data/big"]})
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main()
