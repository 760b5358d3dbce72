"""A node started the way systemd starts a Type=notify service (docs/operations.md, "Running under systemd"):
it sends READY=1 to $NOTIFY_SOCKET once it listens, RELOADING=1 with MONOTONIC_USEC and then READY=1 again
around a SIGHUP reload, and STOPPING=1 when SIGTERM stops it."""
import os
import signal
import socket
import time
import unittest

from ferry_test_support import Node


class NotifySocket:
    """An abstract AF_UNIX datagram socket standing in for systemd's, as systemd passes it: "@name"."""

    def __init__(self):
        self.name = f"@ferry-notify-test-{os.getpid()}-{time.monotonic_ns()}"
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind("\0" + self.name[1:])
        self.socket.settimeout(20)

    def receive(self):
        return self.socket.recv(4096).decode("utf-8")

    def close(self):
        self.socket.close()


class SystemdNotify(unittest.TestCase):
    def setUp(self):
        self.notify = NotifySocket()
        self.addCleanup(self.notify.close)

    def test_ready_reloading_and_stopping_reach_the_service_manager(self):
        node = Node(env={"NOTIFY_SOCKET": self.notify.name})
        self.addCleanup(node.kill)
        self.assertEqual(self.notify.receive(), "READY=1")
        # Ready means reachable: the node accepts a connection at once.
        host, _, port = node.address(timeout=5).rpartition(":")
        socket.create_connection((host, int(port)), timeout=5).close()
        node.wait_for("ready; default sink", timeout=5)

        before_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        node.process.send_signal(signal.SIGHUP)
        reloading = self.notify.receive().split("\n")
        self.assertEqual(reloading[0], "RELOADING=1")
        key, _, value = reloading[1].partition("=")
        self.assertEqual(key, "MONOTONIC_USEC")
        self.assertGreaterEqual(int(value), before_ns // 1000)
        self.assertLessEqual(int(value), time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000)
        self.assertEqual(self.notify.receive(), "READY=1")
        node.wait_for("reloaded: ")

        self.assertEqual(node.stop(signal.SIGTERM), 0)
        self.assertEqual(self.notify.receive(), "STOPPING=1")

    def test_a_node_without_notify_socket_sends_nothing(self):
        node = Node(env={"NOTIFY_SOCKET": ""})
        self.addCleanup(node.kill)
        node.wait_for("ready; default sink")
        self.assertEqual(node.stop(signal.SIGTERM), 0)
        self.assertFalse(any("notify the service manager" in line for line in node.lines), node.lines)

    def test_an_unreachable_notify_socket_is_a_warning_not_a_failure(self):
        absent = "@ferry-notify-absent-" + str(time.monotonic_ns())
        node = Node(env={"NOTIFY_SOCKET": absent})
        self.addCleanup(node.kill)
        self.assertIn(absent, node.wait_for("cannot notify the service manager"))
        node.wait_for("ready; default sink")
        self.assertEqual(node.stop(signal.SIGTERM), 0)


if __name__ == "__main__":
    unittest.main()
