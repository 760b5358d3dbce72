"""Malformed bytes from a peer close that one connection with a logged reason; the node keeps serving."""
import os
import random
import socket
import struct
import unittest

from ferry_test_support import Node, run


def send_and_close(address, payload):
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.settimeout(2)
        try:
            s.recv(65536)  # the node speaks first (IDENTIFY)
        except socket.timeout:
            pass
        s.sendall(payload)
        try:
            while s.recv(65536):
                pass
        except (socket.timeout, ConnectionResetError):
            pass


class BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = Node("--set", "node.name=sturdy")
        cls.address = cls.node.address()

    @classmethod
    def tearDownClass(cls):
        try:
            assert cls.node.stop() == 0, cls.node.lines
        finally:
            cls.node.kill()

    def assert_still_serving(self):
        result = run("ping", "--to", self.address, "--count", "5", "--json", timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_wrong_magic(self):
        send_and_close(self.address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.node.wait_for("refused")
        self.assert_still_serving()

    def test_oversized_frame(self):
        send_and_close(self.address, b"FERY" + struct.pack(">HHI", 1, 2, 1 << 30))
        self.assert_still_serving()

    def test_truncated_frame_then_close(self):
        send_and_close(self.address, b"FERY" + struct.pack(">HHI", 1, 2, 100) + b"\x00" * 10)
        self.assert_still_serving()

    def test_random_garbage(self):
        generator = random.Random(7)
        for _ in range(20):
            send_and_close(self.address, bytes(generator.randrange(256) for _ in range(generator.randrange(1, 4096))))
        self.assert_still_serving()
        self.assertIsNone(self.node.process.poll())


if __name__ == "__main__":
    unittest.main(verbosity=2)
