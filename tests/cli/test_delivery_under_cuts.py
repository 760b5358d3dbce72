"""Acceptance: 1,000,000 messages between two real nodes while a proxy cuts the connection at random at
least 50 times: every message delivered exactly once, in order, and every completion fired exactly once.

The messages are pings and their pongs, both sent through the acknowledged layer; `ferry ping` checks
sequence numbers (lost, duplicated) and counts completions. With FERRY_TEST_TLS=1 the same runs over TLS
(docs/protocol.md §1.12): every reconnect then makes a TLS handshake too."""
import json
import os
import time
import unittest

from cutting_proxy import CuttingProxy
from ferry_test_support import Node, run, temporary_directory
from tls_certificates import Certificates, tls_options

COUNT = int(os.environ.get("FERRY_CUT_TEST_MESSAGES", "1000000"))
# Milliseconds between cuts, "MIN:MAX". Sanitizer builds run ~10x slower, so their presets cut less often:
# a cut must leave a handshake time to finish, or no connection ever carries a message.
CUT_MIN_MS, CUT_MAX_MS = (float(v) for v in os.environ.get("FERRY_CUT_TEST_INTERVAL_MS", "3:12").split(":"))


OVER_TLS = os.environ.get("FERRY_TEST_TLS") == "1"
if OVER_TLS:
    # A TLS handshake adds a round trip and signature checks before the node handshake: cuts as frequent as
    # in the clear would end nearly every connection before it carried a message. Cuts twice as far apart
    # need twice the messages for as many of them.
    CUT_MIN_MS, CUT_MAX_MS = CUT_MIN_MS * 2, CUT_MAX_MS * 2
    COUNT *= 2


class DeliveryUnderCuts(unittest.TestCase):
    def setUp(self):
        """The --set options of the receiving node and of the sender: names, and TLS when asked for."""
        self.receiver = ["--set", "node.name=receiver"]
        self.sender = ["--set", "node.name=sender"]
        if OVER_TLS:
            scratch = temporary_directory()
            self.addCleanup(scratch.cleanup)
            pki = Certificates(scratch.name)
            ca = pki.authority("ca")
            self.receiver += tls_options(*pki.leaf("receiver", "ca"), ca, "tls.required=true")
            self.sender += tls_options(*pki.leaf("sender", "ca"), ca)

    def test_every_message_once_in_order_across_random_cuts(self):
        node = Node(*self.receiver)
        try:
            host, port = node.address().rsplit(":", 1)
            with CuttingProxy(host, int(port), cut_every=(CUT_MIN_MS / 1000, CUT_MAX_MS / 1000), seed=2026) as proxy:
                started = time.monotonic()
                result = run("ping", "--to", f"127.0.0.1:{proxy.port}", "--count", str(COUNT), "--window", "2000",
                             "--size", "16", "--json", "--timeout", "600",
                             "--set", "communication.reconnect_attempts=1000",
                             # Cuts during handshakes count as failures; keep the backoff short.
                             "--set", "communication.connect_timeout=500ms",
                             "--set", "communication.max_connect_timeout=1s", *self.sender, timeout=900)
                cuts = proxy.cuts
            self.assertEqual(result.returncode, 0, result.stdout[-2000:] + result.stderr[-4000:])
            summary = json.loads(result.stdout)
            self.assertEqual(summary["sent"], COUNT)
            self.assertEqual(summary["received"], COUNT)
            self.assertEqual(summary["lost"], 0)
            self.assertEqual(summary["duplicated"], 0)
            self.assertEqual(summary["reordered"], 0)
            self.assertEqual(summary["completions"], COUNT)
            self.assertGreaterEqual(cuts, 50, f"only {cuts} cuts in {time.monotonic() - started:.1f}s")
            print(f"{COUNT} pings and pongs, {cuts} cuts, {time.monotonic() - started:.1f}s, tls {summary['tls']}")
            self.assertEqual(summary["tls"] != "none", OVER_TLS)
            self.assertEqual(node.stop(), 0)
        finally:
            node.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
