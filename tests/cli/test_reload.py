"""Reloading a running node with SIGHUP (docs/operations.md, "Reloading"): new connections negotiate with the
codecs the plugin directory now holds, a live connection keeps the version it negotiated and keeps carrying
messages, a broken plugin or an invalid configuration leaves everything as it was, and a codec removed by a
reload stays loaded until the last connection that speaks it closes."""
import json
import os
import signal
import time
import unittest

import burn_in_log
from ferry_test_support import (PLUGIN_DIR, TEST_PLUGIN_ROOT, Node, mapped_plugins, plugin_directory,
                                plugin_dirs_option, run, temporary_directory, write_config)


class Reload(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.addCleanup(self.scratch.cleanup)

    def node(self, name, directory, *args):
        node = Node("--set", f"node.name={name}", "--set", plugin_dirs_option(directory), *args)
        self.addCleanup(node.kill)
        return node

    def ping(self, address, directory):
        result = run("ping", "--to", address, "--json", "--count", "20", "--set", plugin_dirs_option(directory),
                     timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return json.loads(result.stdout)

    def reload(self, node, expect):
        node.process.send_signal(signal.SIGHUP)
        return node.wait_for(expect)

    def wait_for_progress(self, receiver, sender, sender_name, timeout=20):
        """Waits until receiver has accepted more of sender's burn-in stream than it had so far."""
        stream = burn_in_log.stream_of(sender.lines)
        start = burn_in_log.through(receiver.lines, sender_name, stream)
        deadline = time.monotonic() + timeout
        while burn_in_log.through(receiver.lines, sender_name, stream) <= start:
            self.assertLess(time.monotonic(), deadline, "\n".join(receiver.lines))
            time.sleep(0.2)

    def test_a_reload_adds_a_codec_for_new_connections_while_a_live_one_keeps_its_version(self):
        b_dir = plugin_directory(self.scratch.name, ["codec-1.0"])
        both = plugin_directory(self.scratch.name, ["codec-1.0", "codec-1.1"])
        b = self.node("b", b_dir, "--burn-in", "50")
        a = self.node("a", both, "--burn-in", "50", "--set", f'transport.peers=["{b.address()}"]')
        self.assertIn("protocol 1.0 stable", a.wait_for("connected to 'b'"))
        self.assertEqual(self.ping(b.address(), both)["version"], "1.0")

        os.symlink(os.path.join(PLUGIN_DIR, "codec-1.1.so"), os.path.join(b_dir, "codec-1.1.so"))
        line = self.reload(b, "reloaded: ")
        self.assertIn("new connections are offered codec-1.0 (1.0), codec-1.1 (1.1)", line)
        self.assertIn("live connections keep what they negotiated (1 on 1.0 stable)", line)
        b.wait_for("reload: codecs added: codec-1.1 (1.1)")
        self.assertIn("protocol 1.1", b.wait_for("loaded codec plugin codec-1.1"))

        summary = self.ping(b.address(), both)
        self.assertEqual((summary["version"], summary["mode"]), ("1.1", "stable"))
        # The connection a and b had before still carries their burn-in streams, both ways, and was
        # never replaced.
        self.wait_for_progress(b, a, "a")
        self.wait_for_progress(a, b, "b")
        self.assertEqual(sum("connected to 'b'" in line for line in a.lines), 1, a.lines)
        closed = [line for line in a.lines if "connection to 'b'" in line and "closed" in line]
        closed += [line for line in b.lines if "connection to 'a'" in line and "closed" in line]
        self.assertEqual(closed, [])
        self.assertEqual(burn_in_log.faults(a.lines + b.lines), [])
        self.assertEqual(a.stop(), 0)
        self.assertEqual(b.stop(), 0)

    def test_a_broken_plugin_or_an_invalid_configuration_keeps_the_running_set(self):
        b_dir = plugin_directory(self.scratch.name, ["codec-1.0"])
        both = plugin_directory(self.scratch.name, ["codec-1.0", "codec-1.1"])
        config = write_config(self.scratch.name, "[protocol]\n")
        b = self.node("b", b_dir, "-c", config)
        address = b.address()
        b.wait_for("ready")

        os.symlink(os.path.join(PLUGIN_DIR, "codec-1.1.so"), os.path.join(b_dir, "codec-1.1.so"))
        broken = os.path.join(b_dir, "other-major.so")
        os.symlink(os.path.join(TEST_PLUGIN_ROOT, "other-major", "other-major.so"), broken)
        line = self.reload(b, "reload refused")
        self.assertIn(f"reload refused, keeping codec-1.0 (1.0): plugin {broken} is refused: built for ABI", line)
        self.assertEqual(self.ping(address, both)["version"], "1.0")

        os.remove(broken)
        write_config(self.scratch.name, '[protocol]\nmax_version = "one"\n')
        line = self.reload(b, "reload refused, keeping codec-1.0 (1.0): the configuration is invalid: ")
        self.assertIn("protocol.max_version", line)
        self.assertEqual(self.ping(address, both)["version"], "1.0")

        write_config(self.scratch.name, '[protocol]\nmax_version = "1.1"\n[communication]\nack_threshold = 8\n')
        self.reload(b, "reloaded: ")
        b.wait_for("reload: protocol.max_version: none -> 1.1")
        self.assertIn("takes effect at the next restart",
                      b.wait_for("reload: communication.ack_threshold changed but is not applied"))
        summary = self.ping(address, both)
        self.assertEqual((summary["version"], summary["mode"]), ("1.1", "stable"))
        self.assertEqual(b.stop(), 0)

    def test_a_removed_codec_stays_loaded_until_its_last_connection_closes(self):
        b_dir = plugin_directory(self.scratch.name, ["codec-1.0", "codec-1.1"])
        old = plugin_directory(self.scratch.name, ["codec-1.0"])
        b = self.node("b", b_dir, "--log-level", "debug")
        a = self.node("a", old, "--set", f'transport.peers=["{b.address()}"]')
        self.assertIn("protocol 1.0 stable", a.wait_for("connected to 'b'"))

        os.remove(os.path.join(b_dir, "codec-1.0.so"))
        line = self.reload(b, "reloaded: ")
        self.assertIn("new connections are offered codec-1.1 (1.1);", line)
        self.assertIn("(1 on 1.0 stable)", line)
        b.wait_for("reload: codecs removed: codec-1.0 (1.0)")
        self.assertIn("codec-1.0.so", mapped_plugins(b.process.pid))
        # A new connection from a 1.0-only node now meets 1.1 alone: rolling-upgrade mode.
        summary = self.ping(b.address(), old)
        self.assertEqual((summary["version"], summary["mode"]), ("1.0", "rolling"))
        self.assertIn("codec-1.0.so", mapped_plugins(b.process.pid))

        self.assertEqual(a.stop(), 0)
        b.wait_for("unloaded codec plugin codec-1.0")
        self.assertNotIn("codec-1.0.so", mapped_plugins(b.process.pid))
        self.assertIn("codec-1.1.so", mapped_plugins(b.process.pid))
        self.assertEqual(b.stop(), 0)

    def test_ferry_plugins_shows_each_codecs_protocol_version_and_features(self):
        directory = plugin_directory(self.scratch.name, ["codec-1.1"])
        result = run("plugins", "--set", plugin_dirs_option(directory))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("codec codec-1.1 1.1.0 (ABI 1.0) protocol 1.1 (stable or rolling-upgrade mode) "
                      "features: data_crc32c skip_held xxh3_digest", result.stdout)
        listed = json.loads(run("plugins", "--json", "--set", plugin_dirs_option(directory)).stdout)
        codec = next(p for p in listed if p["name"] == "codec-1.1")
        self.assertEqual((codec["protocol"], codec["features"]), ("1.1", ["data_crc32c", "skip_held", "xxh3_digest"]))
        self.assertEqual(next(p for p in listed if p["kind"] == "transport")["protocol"], "")


if __name__ == "__main__":
    unittest.main()
