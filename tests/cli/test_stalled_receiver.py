"""Acceptance: a receiver that stops reading (SIGSTOP). The sender's memory stays under a stated bound while
it is stopped, the producer is held back (queue_full = "wait") or told the queue is full ("error"), and once
the receiver runs again (SIGCONT) everything the layer admitted is delivered: no loss, no duplicate.

The sender is `ferry ping` with a window as large as its count, so that only the layer's back-pressure can
stop it from putting every ping in memory at once (COUNT x SIZE, about 94 MiB). Its limits are small:

    memory bound = baseline + FACTOR x (messages x (SIZE + 1 KiB) + 2 x 256 KiB + COUNT x 16 B + 8 MiB)
    messages     = unacked_limit + 2 x message_queue_limit

as docs/protocol.md §3.4 states it per link: at most unacked_limit messages written and unacknowledged,
message_queue_limit waiting to be written and as many again waiting for admission (parked with
queue_full = "wait"; with "error", ping's own sends on their way to the link); 1 KiB covers each
message's bookkeeping, 256 KiB the encoded write batch and the read buffer, COUNT x 16 B ping's own
statistics, 8 MiB the allocator's slack. baseline is the peak RSS of a short ping of the same size that
never fills a queue. FACTOR is 1 unless FERRY_STALL_TEST_MEMORY_FACTOR says otherwise: the sanitizer
presets raise it because ASan and TSan add shadow memory, redzones and their allocators' own caches to
every live allocation, which is the sanitizer's memory, not ferry's. ASan also keeps freed blocks in a
quarantine (256 MiB by default) to catch uses after free; that grows with everything ever allocated, not
with what is live, so the test caps it at 8 MiB for the processes it starts.

The receiving node answers each ping with a pong through its own queue. COUNT stays below its
unacked_limit (the default, 4096), so it can always queue every pong it owes and none is refused."""
import json
import os
import signal
import subprocess
import threading
import time
import unittest

from ferry_test_support import FERRY, Node

QUEUE_LIMIT = 32
UNACKED_LIMIT = 32
SIZE = 32 * 1024
COUNT = 3000
STALL_S = 3.0
FACTOR = float(os.environ.get("FERRY_STALL_TEST_MEMORY_FACTOR", "1"))
if "ASAN_OPTIONS" in os.environ:
    os.environ["ASAN_OPTIONS"] += ":quarantine_size_mb=8"
LIMITS = ["--set", f"communication.message_queue_limit={QUEUE_LIMIT}",
          "--set", f"communication.unacked_limit={UNACKED_LIMIT}"]


def memory_bound_kib(baseline_kib):
    messages = UNACKED_LIMIT + 2 * QUEUE_LIMIT
    growth = messages * (SIZE + 1024) + 2 * 256 * 1024 + COUNT * 16 + 8 * 1024 * 1024
    return baseline_kib + FACTOR * growth / 1024


def status_kib(pid):
    """VmRSS and VmHWM of a live process, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


class Ping:
    """A `ferry ping` process. Its peak RSS is VmHWM, the kernel's high-water mark, read until it exits: a
    sample misses no moment before it. (wait4's ru_maxrss would not do: after fork and exec it starts from
    the forking Python process's RSS.)"""

    def __init__(self, address, *args):
        self.process = subprocess.Popen([FERRY, "ping", "--to", address, "--json", "--timeout", "120", *LIMITS, *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = {}
        self._readers = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                         for name, stream in (("stdout", self.process.stdout), ("stderr", self.process.stderr))]
        for reader in self._readers:
            reader.start()

    def _read(self, name, stream):
        with stream:
            self.out[name] = stream.read().decode("utf-8", "replace")

    def running(self):
        # WNOWAIT: look without reaping, so that finish() still gets the exit status and the usage.
        return os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None

    def finish(self, timeout):
        """Waits (bounded) for the end; returns exit code, JSON summary (or None), stderr, and the last
        VmHWM read in KiB, within 10 ms of the exit."""
        deadline = time.monotonic() + timeout
        peak = 0
        while self.running():
            if time.monotonic() > deadline:
                raise AssertionError(f"ping still running after {timeout}s")
            try:
                peak = max(peak, status_kib(self.process.pid)[1])
            except (FileNotFoundError, KeyError):
                pass  # exiting: a zombie has no memory left to report
            time.sleep(0.01)
        _, status = os.waitpid(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        for reader in self._readers:
            reader.join(timeout=10)
        stdout = self.out.get("stdout", "")
        summary = json.loads(stdout) if stdout.strip() else None
        return self.process.returncode, summary, self.out.get("stderr", ""), peak

    def kill(self):
        if self.process.returncode is None:
            self.process.kill()
            try:
                os.waitpid(self.process.pid, 0)
            except ChildProcessError:
                pass
            self.process.returncode = -signal.SIGKILL


class StalledReceiver(unittest.TestCase):
    def setUp(self):
        self.receiver = Node("--set", "node.name=receiver")
        self.address = self.receiver.address()
        self.receiver.wait_for("node 'receiver' ready")

    def tearDown(self):
        try:
            os.kill(self.receiver.process.pid, signal.SIGCONT)
            self.assertEqual(self.receiver.stop(), 0, "\n".join(self.receiver.lines))
        finally:
            self.receiver.kill()

    def baseline_kib(self, queue_full):
        ping = Ping(self.address, "--count", "300", "--size", str(SIZE), "--set", f"communication.queue_full={queue_full}")
        try:
            code, summary, stderr, peak = ping.finish(60)
        finally:
            ping.kill()
        self.assertEqual(code, 0, stderr)
        self.assertEqual(summary["received"], 300)
        self.assertGreater(peak, 0, "the baseline ping ended before its memory could be read")
        return peak

    def stall_while_pinging(self, queue_full):
        """Pings with the receiver stopped for STALL_S; returns (exit code, summary, stderr, bound, samples,
        peak RSS over the whole run), all memory in KiB."""
        baseline = self.baseline_kib(queue_full)
        bound = memory_bound_kib(baseline)
        connections_before = sum("connected to" in line for line in self.receiver.lines)
        ping = Ping(self.address, "--count", str(COUNT), "--window", str(COUNT), "--size", str(SIZE),
                    "--set", f"communication.queue_full={queue_full}")
        try:
            # The receiver stops right after its handshake with the pinger: most pings are still to come.
            deadline = time.monotonic() + 20
            while sum("connected to" in line for line in self.receiver.lines) == connections_before:
                self.assertLess(time.monotonic(), deadline, "the pinger never connected")
                time.sleep(0.005)
            os.kill(self.receiver.process.pid, signal.SIGSTOP)
            samples = []
            stalled_until = time.monotonic() + STALL_S
            while time.monotonic() < stalled_until:
                self.assertTrue(ping.running(), "ping ended while the receiver was stopped")
                samples.append(status_kib(ping.process.pid))
                time.sleep(0.05)
            os.kill(self.receiver.process.pid, signal.SIGCONT)
            code, summary, stderr, peak = ping.finish(60)
        finally:
            ping.kill()
        self.assertIsNotNone(summary, stderr)
        print(f"queue_full={queue_full}: baseline {baseline} KiB, bound {bound:.0f} KiB, "
              f"RSS while stalled {samples[0][0]} -> {samples[len(samples) // 2][0]} -> {samples[-1][0]} KiB, "
              f"peak while stalled {samples[-1][1]} KiB, "
              f"peak of the run {peak} KiB, "
              f"{summary['queue_full']:.0f} refused, longest admission wait {summary['admission_wait_max_ms']:.0f} ms")
        return code, summary, stderr, bound, samples, peak

    def assert_memory_bounded(self, bound, samples, peak):
        rss_kib = [rss for rss, _ in samples]
        self.assertLessEqual(samples[-1][1], bound, f"peak RSS while stalled above the bound; samples {rss_kib}")
        self.assertLessEqual(peak, bound, "peak RSS of the whole run above the bound")
        # Held back, not just slow: in the second half of the stall the sender's memory no longer grows.
        half = len(samples) // 2
        self.assertLessEqual(max(rss_kib[half:]) - rss_kib[half], 1024 * FACTOR, f"RSS still growing: {rss_kib}")

    def test_a_waiting_producer_is_held_back_and_everything_arrives_once_the_receiver_reads_again(self):
        code, summary, stderr, bound, samples, peak = self.stall_while_pinging("wait")
        self.assert_memory_bounded(bound, samples, peak)
        # Held back: one ping waited for admission for (nearly) the whole stall, none was refused.
        self.assertGreaterEqual(summary["admission_wait_max_ms"], 0.8 * STALL_S * 1000)
        self.assertEqual(summary["queue_full"], 0)
        self.assertEqual(code, 0, stderr)
        self.assertEqual((summary["sent"], summary["received"], summary["completions"]), (COUNT, COUNT, COUNT))
        self.assertEqual((summary["lost"], summary["duplicated"], summary["reordered"]), (0, 0, 0))

    def test_an_erroring_producer_is_told_the_queue_is_full_and_what_was_admitted_arrives(self):
        code, summary, stderr, bound, samples, peak = self.stall_while_pinging("error")
        self.assert_memory_bounded(bound, samples, peak)
        self.assertGreaterEqual(summary["queue_full"], 1)
        self.assertIn("refused because the queue to the peer was full", stderr)
        self.assertEqual(code, 3, stderr)  # a run with refusals is not a clean run, and says so
        self.assertEqual(summary["sent"], COUNT)
        self.assertEqual(summary["received"] + summary["queue_full"], COUNT)
        self.assertEqual(summary["completions"], summary["received"])
        self.assertEqual((summary["lost"], summary["duplicated"], summary["reordered"]), (0, 0, 0))


if __name__ == "__main__":
    unittest.main(verbosity=2)
