"""`ferry node`: starts, loads its plugins, logs in text or JSON, and stops cleanly on SIGTERM and SIGINT."""
import json
import os
import signal
import unittest

from ferry_test_support import PLUGIN_DIR, TEST_PLUGIN_ROOT, Node, run, temporary_directory, write_config


class Lifecycle(unittest.TestCase):
    def test_starts_and_stops_on_sigterm(self):
        node = Node("--set", "node.name=alpha")
        try:
            node.wait_for("node 'alpha' ready")
            self.assertEqual(node.stop(signal.SIGTERM), 0)
        finally:
            node.kill()
        self.assertTrue(any("node 'alpha' stopped" in line for line in node.lines), node.lines)

    def test_stops_on_sigint(self):
        node = Node()
        try:
            node.wait_for("ready")
            self.assertEqual(node.stop(signal.SIGINT), 0)
        finally:
            node.kill()

    def test_refused_plugins_are_logged_and_the_node_runs(self):
        dirs = json.dumps([PLUGIN_DIR, os.path.join(TEST_PLUGIN_ROOT, "other-major"),
                           os.path.join(TEST_PLUGIN_ROOT, "no-entry")])
        node = Node("--set", f"node.plugin_dirs={dirs}")
        try:
            node.wait_for("ready")
            self.assertIn("the major differs", node.wait_for("other-major.so"))
            self.assertIn("no entry symbol", node.wait_for("no-entry.so"))
            self.assertEqual(node.stop(), 0)
        finally:
            node.kill()

    def test_invalid_configuration_exits_1(self):
        result = run("node", "--set", "communication.io_threads=0")
        self.assertEqual(result.returncode, 1)
        self.assertIn("communication.io_threads", result.stderr)

    def test_a_missing_sink_plugin_exits_1_with_the_reason(self):
        with temporary_directory() as scratch:
            result = run("node", "--set", f'node.plugin_dirs=["{scratch}"]')
        self.assertEqual(result.returncode, 1)
        self.assertIn("no sink plugin named 'null' is loaded", result.stderr)


class JsonLogs(unittest.TestCase):
    def test_every_line_is_a_json_object_even_with_quotes_and_newlines(self):
        with temporary_directory() as scratch:
            # The config's path appears in the first log line, so odd characters in it must be escaped.
            odd_dir = os.path.join(scratch, 'say "hi"\nand\ttab\\')
            os.mkdir(odd_dir)
            path = write_config(odd_dir, '[log]\nformat = "json"\nlevel = "debug"\n')
            node = Node("-c", path)
            try:
                node.wait_for("ready")
                self.assertEqual(node.stop(), 0)
            finally:
                node.kill()
        records = [json.loads(line) for line in node.lines]
        self.assertGreaterEqual(len(records), 4)
        for record in records:
            self.assertEqual(set(record), {"time", "level", "logger", "message"})
        self.assertIn(path, records[0]["message"])
        self.assertTrue(any(r["message"].startswith("node 'ferry' stopped") for r in records))

    def test_log_level_flag_overrides_the_file(self):
        dirs = json.dumps([PLUGIN_DIR, os.path.join(TEST_PLUGIN_ROOT, "no-entry")])
        node = Node("--set", "log.format=json", "--set", "log.level=debug", "--set", f"node.plugin_dirs={dirs}",
                    "--log-level", "warn")
        try:
            node.wait_for("no-entry.so")
            self.assertEqual(node.stop(), 0)
        finally:
            node.kill()
        levels = {json.loads(line)["level"] for line in node.lines}
        self.assertEqual(levels, {"warning"}, node.lines)

if __name__ == "__main__":
    unittest.main(verbosity=2)
