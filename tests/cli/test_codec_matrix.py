"""The compatibility matrix of docs/protocol.md §1.6 with real processes: for every pair of the codec sets
{1.0}, {1.1}, {1.0,1.1}, {2.0} and {1.0,1.1,2.0} (a set is what a node's plugin directory holds), two
nodes negotiate the versions and the mode the table specifies, or refuse naming both sides' versions, and
every message type crosses between the two sets.

One cell (local set L, peer set P) runs node A on L and, on P, node B (which connects to A and closes the
connection once idle) and two `ferry ping` processes to A:
  P writes, L reads: PING and DATA (the pings), NODE_STOPPING (each ping when it ends), IDLE_CLOSE (B);
  L writes, P reads: PONG and ACK (A answers and acknowledges the pings, whose sends complete only then).
The cell (P, L) sends each type the other way, so over the matrix every type goes both ways between any
two sets. The cells run a few at a time: each spends most of its time waiting for processes."""
import concurrent.futures
import json
import unittest

from ferry_test_support import Node, plugin_directory, plugin_dirs_option, run, temporary_directory

SETS = {
    "{1.0}": ["codec-1.0"],
    "{1.1}": ["codec-1.1"],
    "{1.0,1.1}": ["codec-1.0", "codec-1.1"],
    "{2.0}": ["codec-2.0"],
    "{1.0,1.1,2.0}": ["codec-1.0", "codec-1.1", "codec-2.0"],
}

# docs/protocol.md §1.6, "local offers \\ peer offers": (mode, local speaks, peer speaks), or None = refused.
S10, S11, S20 = ("stable", "1.0", "1.0"), ("stable", "1.1", "1.1"), ("stable", "2.0", "2.0")
EXPECTED = {
    "{1.0}": [S10, ("rolling", "1.0", "1.1"), S10, None, S10],
    "{1.1}": [("rolling", "1.1", "1.0"), S11, S11, None, S11],
    "{1.0,1.1}": [S10, S11, S11, None, S11],
    "{2.0}": [None, None, None, S20, S20],
    "{1.0,1.1,2.0}": [S10, S11, S11, S20, S20],
}

# Version lists as a refusal names them.
OFFERS = {"{1.0}": "1.0", "{1.1}": "1.1", "{1.0,1.1}": "1.0, 1.1", "{2.0}": "2.0", "{1.0,1.1,2.0}": "1.0, 1.1, 2.0"}

PINGS = 200
PARALLEL_CELLS = 4


def features(mode, version):
    """What the two codecs of a connection agree: codec-1.1 declares data_crc32c, skip_held and xxh3_digest,
    codec-2.0 those and chunk_xxh3, 1.0 nothing."""
    if mode != "stable" or version == "1.0":
        return "none"
    return "data_crc32c,skip_held,xxh3_digest" + (",chunk_xxh3" if version == "2.0" else "")


def count_lines(node, needle):
    return sum(needle in line for line in node.lines)


class Cell:
    """One pair of codec sets; run() returns the problems found, empty when the cell behaved as specified."""

    def __init__(self, scratch, local, peer, expected):
        self.local, self.peer, self.expected = local, peer, expected
        self.local_dir = plugin_directory(scratch, SETS[local])
        self.peer_dir = plugin_directory(scratch, SETS[peer])
        self.problems = []

    def check(self, condition, what, log=()):
        if not condition:
            self.problems.append(what + ("\n  " + "\n  ".join(log) if log else ""))

    def run(self):
        a = Node("--set", "node.name=a", "--set", plugin_dirs_option(self.local_dir))
        b = None
        try:
            address = a.address()
            b = Node("--set", "node.name=b", "--set", plugin_dirs_option(self.peer_dir),
                     "--set", f"transport.peers={json.dumps([address])}", "--set", "communication.idle_timeout=1s")
            if self.expected is None:
                self.refused(a, b, address)
            else:
                self.talk(a, b, address)
        except AssertionError as e:  # a log line that never came
            self.problems.append(str(e))
        finally:
            a.kill()
            if b:
                b.kill()
        return self.problems

    def refused(self, a, b, address):
        sentence = f"no common codec major: local offers {OFFERS[self.local]}; peer offers {OFFERS[self.peer]}"
        self.check(sentence in a.wait_for("refused (no_common_codec)"), "A's refusal: " + sentence, a.lines)
        self.check(sentence in b.wait_for("refused by the peer (no_common_codec)"), "B's refusal", b.lines)
        result = run("ping", "--to", address, "--count", "1", "--timeout", "5",
                     "--set", plugin_dirs_option(self.peer_dir), timeout=60)
        self.check(result.returncode == 3 and sentence in result.stderr, "ping's refusal", [result.stderr])

    def talk(self, a, b, address):
        mode, local_version, peer_version = self.expected
        agreed = features(mode, local_version)
        negotiated = {a: f"protocol {local_version} {mode}, features {agreed}",
                      b: f"protocol {peer_version} {mode}, features {agreed}"}
        for node, other in ((a, "b"), (b, "a")):
            line = node.wait_for(f"connected to '{other}'")
            self.check(line.endswith(negotiated[node]), f"expected {negotiated[node]!r}", [line])

        for name, extra in (("pinger", ()), ("sender", ("--one-way",))):
            result = run("ping", "--to", address, "--json", "--count", str(PINGS), "--window", "16", *extra,
                         "--set", f"node.name={name}", "--set", plugin_dirs_option(self.peer_dir), timeout=60)
            if result.returncode != 0:
                self.check(False, f"ping {' '.join(extra)} exited {result.returncode}", [result.stderr])
                continue
            summary = json.loads(result.stdout)
            self.check((summary["version"], summary["mode"], summary["features"]) == (peer_version, mode, agreed),
                       f"ping {' '.join(extra)} negotiated {summary['version']} {summary['mode']} "
                       f"{summary['features']}")
            # Every ping answered once and every send acknowledged: PING or DATA, PONG and ACK crossed.
            self.check((summary["received"], summary["lost"], summary["duplicated"], summary["completions"]) ==
                       (PINGS, 0, 0, PINGS), f"ping {' '.join(extra)}: {result.stdout}")
            a.wait_for(f"peer '{name}' is stopping: the node is shutting down")

        a.wait_for("closed: idle, as the peer said (IDLE_CLOSE)")
        b.wait_for("closed: idle for 1000 ms")
        self.check(not any("malformed" in line for line in a.lines + b.lines), "a node read malformed data",
                   a.lines + b.lines)
        # The pings acknowledged every PONG before they left (else A fails those it still holds).
        self.check(not any(" messages to '" in line for line in a.lines), "A's messages failed", a.lines)


class CodecMatrix(unittest.TestCase):
    def test_every_pair_of_codec_sets(self):
        scratch = temporary_directory()
        self.addCleanup(scratch.cleanup)
        cells = [Cell(scratch.name, local, peer, EXPECTED[local][column])
                 for local in SETS for column, peer in enumerate(SETS)]
        with concurrent.futures.ThreadPoolExecutor(PARALLEL_CELLS) as pool:
            results = list(pool.map(Cell.run, cells))
        for cell, problems in zip(cells, results):
            with self.subTest(local=cell.local, peer=cell.peer):
                self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
