"""The two-pass upgrade of docs/operations.md with real processes: nodes a and b on codec-1.0 get codec-1.1
installed beside it with protocol.max_version = "1.0" and keep speaking 1.0 (first pass); codec-1.1 can
still be removed again from a node (a downgrade) and everything keeps working; then the pin is raised one
node at a time and the pair speaks 1.1 once both are raised (second pass). Each change is a restart; b
connects to a, and `ferry ping` with both codecs checks what each node offers."""
import json
import os
import unittest

from ferry_test_support import PLUGIN_DIR, Node, plugin_directory, plugin_dirs_option, run, temporary_directory

PIN = 'protocol.max_version="1.0"'


class Member:
    """One node of the cluster: its own plugin directory and data directory, kept across restarts, and the
    address it listens on, which stays the same so that its peer finds it again."""

    def __init__(self, scratch, name, peers=()):
        self.name = name
        self.plugins = plugin_directory(scratch, ["codec-1.0"])
        self.data_dir = os.path.join(scratch, name + "-data")
        os.mkdir(self.data_dir)
        self.peers = list(peers)
        self.listen = "127.0.0.1:0"
        self.node = None

    def install(self, codec):
        os.symlink(os.path.join(PLUGIN_DIR, codec + ".so"), os.path.join(self.plugins, codec + ".so"))

    def remove(self, codec):
        os.remove(os.path.join(self.plugins, codec + ".so"))

    def start(self, *settings):
        args = ["--set", f"node.name={self.name}", "--set", plugin_dirs_option(self.plugins),
                "--set", "communication.connect_timeout=500ms", "--set", "communication.max_connect_timeout=500ms"]
        if self.peers:
            args += ["--set", f"transport.peers={json.dumps(self.peers)}"]
        for setting in settings:
            args += ["--set", setting]
        self.node = Node(*args, listen=self.listen, data_dir=self.data_dir)
        self.listen = self.node.address()
        return self.node

    def stop(self):
        status = self.node.stop()
        self.node.kill()
        return status


class TwoPassUpgrade(unittest.TestCase):
    def setUp(self):
        self.scratch = temporary_directory()
        self.addCleanup(self.scratch.cleanup)
        self.pinger = plugin_directory(self.scratch.name, ["codec-1.0", "codec-1.1"])
        self.a = Member(self.scratch.name, "a")
        self.addCleanup(lambda: self.a.node and self.a.node.kill())

    def restart(self, member, *settings):
        """Restarts member with settings; returns the line number of the other node's log before it."""
        other = self.b if member is self.a else self.a
        since = other.node.mark()
        self.assertEqual(member.stop(), 0, member.node.lines)
        member.start(*settings)
        return since

    def assert_pair_speaks(self, expected, since_a=0, since_b=0):
        """Both nodes log the connection between them with the expected "VERSION MODE, features F"."""
        for node, other, since in ((self.a.node, "b", since_a), (self.b.node, "a", since_b)):
            line = node.wait_for(f"connected to '{other}'", since=since)
            self.assertTrue(line.endswith(f"protocol {expected}"), line)

    def assert_offers(self, member, version):
        """A ping that offers 1.0 and 1.1 gets the highest version member uses: what member offers."""
        result = run("ping", "--to", member.listen, "--json", "--count", "20",
                     "--set", plugin_dirs_option(self.pinger), timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        summary = json.loads(result.stdout)
        self.assertEqual((summary["version"], summary["mode"], summary["received"]), (version, "stable", 20))

    def test_install_everywhere_then_raise_the_pin_with_a_downgrade_between(self):
        self.a.start()
        self.b = Member(self.scratch.name, "b", peers=[self.a.listen])
        self.addCleanup(lambda: self.b.node and self.b.node.kill())
        self.b.start()
        self.assert_pair_speaks("1.0 stable, features none")

        # First pass: codec-1.1 everywhere, pinned: nothing changes on the wire.
        for member, other in ((self.a, self.b), (self.b, self.a)):
            member.install("codec-1.1")
            since = self.restart(member, PIN)
            self.assert_pair_speaks("1.0 stable, features none", *((0, since) if member is self.a else (since, 0)))
            self.assert_offers(member, "1.0")
        self.assertIn("loaded codec plugin codec-1.1", "\n".join(self.b.node.lines))

        # A downgrade before the second pass: b loses codec-1.1 again and still talks to a.
        self.b.remove("codec-1.1")
        since = self.restart(self.b, PIN)
        self.assert_pair_speaks("1.0 stable, features none", since_a=since)
        self.assertNotIn("codec-1.1", "\n".join(self.b.node.lines))
        self.b.install("codec-1.1")
        since = self.restart(self.b, PIN)
        self.assert_pair_speaks("1.0 stable, features none", since_a=since)

        # Second pass: a raised alone offers 1.1 but still meets pinned b at 1.0; both raised speak 1.1.
        since = self.restart(self.a)
        self.assert_pair_speaks("1.0 stable, features none", since_b=since)
        self.assert_offers(self.a, "1.1")
        since = self.restart(self.b)
        self.assert_pair_speaks("1.1 stable, features data_crc32c,skip_held,xxh3_digest", since_a=since)
        self.assert_offers(self.b, "1.1")

        for member in (self.a, self.b):
            self.assertFalse([line for line in member.node.lines if "refused" in line or "malformed" in line])


if __name__ == "__main__":
    unittest.main()
