"""`ferry config check`: every error names FILE:LINE:COL and the key; every shipped example is valid."""
import glob
import os
import re
import unittest

from ferry_test_support import SOURCE_DIR, run, temporary_directory, write_config


class ConfigCheck(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()

    def tearDown(self):
        self.scratch.cleanup()

    def check(self, text, *extra):
        path = write_config(self.scratch.name, text)
        return path, run("config", "check", "-c", path, *extra)

    def assert_invalid(self, result, pattern):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertRegex(result.stderr, pattern)

    def test_syntax_error(self):
        path, result = self.check('[node]\nname = "a"\ncluster = = "b"\n')
        self.assert_invalid(result, re.escape(path) + r":3:\d+: ")

    def test_unknown_key(self):
        path, result = self.check('[communication]\nack_threshold = 8\nack_treshold = 9\n')
        self.assert_invalid(result, re.escape(path) + r":3:1: communication\.ack_treshold: .*unknown")

    def test_unknown_section(self):
        path, result = self.check('[nodes]\nname = "a"\n')
        self.assert_invalid(result, re.escape(path) + r":1:\d+: nodes")

    def test_wrong_type(self):
        path, result = self.check('[communication]\nack_threshold = "many"\n')
        self.assert_invalid(result, re.escape(path) + r":2:\d+: communication\.ack_threshold: expected an integer")

    def test_out_of_range(self):
        path, result = self.check('[stream]\nchunk_size = "1KiB"\n')
        self.assert_invalid(result, re.escape(path) + r":2:\d+: stream\.chunk_size: expected a size in 4KiB\.\.64MiB")

    def test_every_error_is_reported_not_only_the_first(self):
        path, result = self.check('[communication]\nack_threshold = 0\nconnections_per_peer = 99\n')
        self.assert_invalid(result, r"ack_threshold")
        self.assertIn("connections_per_peer", result.stderr)

    def test_unknown_key_of_a_sink_plugin(self):
        path, result = self.check('[[sink]]\nname = "bin"\nplugin = "null"\nroot = "/tmp"\n')
        self.assert_invalid(result, re.escape(path) + r":4:1: sink\.bin\.root: ")

    def test_sink_plugin_that_is_not_loaded(self):
        path, result = self.check('[[sink]]\nname = "archive"\nplugin = "tape"\n\n[stream]\ndefault_sink = "archive"\n')
        self.assert_invalid(result, r"sink\.archive\.plugin: no sink plugin named 'tape' is loaded \(loaded sink plugins: fs, null, sqlite;")

    def test_fs_sink_keys_are_checked(self):
        path, result = self.check('[[sink]]\nname = "in"\nplugin = "fs"\nrot = "/srv/in"\nfsync = true\n')
        self.assert_invalid(result, re.escape(path) + r':4:1: sink\.in\.rot: unknown key for sink plugin "fs"; '
                            r'did you mean "root"\?')
        self.assertRegex(result.stderr, re.escape(path) + r':5:1: sink\.in\.fsync: expected a string, got true \(a boolean\)')
        self.assertRegex(result.stderr, re.escape(path) + r':\d+:\d+: sink\.in\.root: missing required key of sink plugin "fs"')

    def test_fs_sink_with_valid_keys(self):
        path = write_config(self.scratch.name, '[[sink]]\nname = "in"\nplugin = "fs"\nroot = "/srv/in"\n'
                                               'fsync = "file"\ntemp_dir = ".partial"\n')
        result = run("config", "check", path, "--set", 'sink.in.fsync="none"')
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_unknown_key_of_the_transport_plugin(self):
        path, result = self.check('[transport]\nplugin = "tcp"\nsend_bufer = 4096\n')
        self.assert_invalid(result, re.escape(path) + r":3:1: transport\.send_bufer: unknown key for transport plugin "
                            r"\"tcp\"; did you mean \"send_buffer\"\?")

    def test_transport_plugin_that_is_not_loaded(self):
        path, result = self.check('[transport]\nplugin = "quic"\n')
        self.assert_invalid(result, re.escape(path) + r":2:10: transport\.plugin: no transport plugin named 'quic' "
                            r"is loaded \(loaded transport plugins: tcp, uds")

    def test_transport_keys_are_valid_for_their_plugin(self):
        path = write_config(self.scratch.name, '[transport]\nplugin = "uds"\nlisten = "/run/ferry.sock"\nbacklog = 64\n')
        result = run("config", "check", path, "--set", "transport.send_buffer=64KiB")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_missing_file(self):
        result = run("config", "check", "-c", os.path.join(self.scratch.name, "absent.toml"))
        self.assert_invalid(result, r"absent\.toml")

    def test_override_is_validated_and_named(self):
        _, result = self.check('[node]\nname = "a"\n', "--set", "communication.ack_threshold=0")
        self.assert_invalid(result, r"--set communication\.ack_threshold: expected an integer in 1\.\.65535")

    def test_positional_file_and_valid_exit_status(self):
        path = write_config(self.scratch.name, '[node]\nname = "alpha"\n')
        result = run("config", "check", path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("valid", result.stdout)

    def test_every_shipped_example_is_valid(self):
        files = sorted(glob.glob(os.path.join(SOURCE_DIR, "configs", "**", "*.toml"), recursive=True))
        self.assertGreaterEqual(len(files), 5, files)
        # The TLS example names files under /etc/ferry/tls, which the check reads: stand-ins take their place.
        stand_ins = []
        for key in ("tls.cert", "tls.key", "tls.ca"):
            stand_in = self.write_file(key, "PEM\n")
            stand_ins += ["--set", f'{key}="{stand_in}"']
        for path in files:
            with self.subTest(path=path):
                result = run("config", "check", "-c", path, *stand_ins)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def write_file(self, name, text, mode=0o600):
        path = os.path.join(self.scratch.name, name)
        with open(path, "w") as file:
            file.write(text)
        os.chmod(path, mode)
        return path

    def test_files_the_node_reads_at_start_are_read(self):
        token = self.write_file("token", "s3cret-token\n")
        secret = self.write_file("secret", "0123456789abcdef0123456789abcdef\n")
        good = f'[admin]\ntoken_file = "{token}"\n[communication]\ncluster_secret_file = "{secret}"\n'
        _, result = self.check(good)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

        absent = os.path.join(self.scratch.name, "absent")
        _, result = self.check(f'[admin]\ntoken_file = "{absent}"\n')
        self.assert_invalid(result, r"admin\.token_file .*absent: cannot read it: No such file")

        empty = self.write_file("empty-token", "\n")
        _, result = self.check(f'[admin]\ntoken_file = "{empty}"\n')
        self.assert_invalid(result, r"admin\.token_file .*empty-token: the first line is empty")

        short = self.write_file("short-secret", "tiny\n")
        _, result = self.check(f'[communication]\ncluster_secret_file = "{short}"\n')
        self.assert_invalid(result, r"communication\.cluster_secret_file .*short-secret.* holds 4 bytes")

        _, result = self.check(f'[tls]\nenabled = true\ncert = "{absent}.crt"\nkey = "{token}"\nca = "{token}"\n')
        self.assert_invalid(result, r"tls\.cert: cannot read '.*absent\.crt': No such file")
        self.assertNotIn("tls.key", result.stderr)


class Usage(unittest.TestCase):
    def test_version(self):
        result = run("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^ferry \d+\.\d+\.\d+ \(plugin ABI 1\.0\)")

    def test_help_lists_the_commands(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0)
        for command in ("node", "plugins", "config"):
            self.assertIn(command, result.stdout)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("plugins", "--no-such-flag").returncode, 2)
        self.assertEqual(run("node", "--log-level", "loud").returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
