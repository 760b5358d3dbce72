"""The cutting proxy that fault tests put between two nodes: it forwards intact, cuts and counts, flips
bytes when asked, and holds a direction back so the sender feels TCP back-pressure."""
import socket
import socketserver
import threading
import time
import unittest

from cutting_proxy import TO_CLIENT, TO_TARGET, CuttingProxy

TIMEOUT = 5.0


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        try:
            while data := self.request.recv(65536):
                self.request.sendall(data)
        except OSError:
            pass  # the proxy cut the connection: that is what these tests do


class EchoServer(socketserver.ThreadingTCPServer):
    """Echoes every connection on 127.0.0.1; server_close() joins the handler threads."""
    allow_reuse_address = True
    block_on_close = True
    request_queue_size = 64  # clients reconnecting all at once after a cut must not overflow the backlog

    def __init__(self):
        super().__init__(("127.0.0.1", 0), EchoHandler)
        self.port = self.server_address[1]
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()

    def close(self):
        self.shutdown()
        self.server_close()
        self.thread.join(TIMEOUT)


def connect(proxy):
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT)


def receive_exactly(sock, size):
    chunks, received = [], 0
    while received < size:
        chunk = sock.recv(min(65536, size - received))
        if not chunk:
            raise ConnectionError(f"closed after {received} of {size} bytes")
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)


def round_trip(sock, payload):
    sock.sendall(payload)
    return receive_exactly(sock, len(payload))


def proxy_threads():
    return [t for t in threading.enumerate() if t.name.startswith("cutting-proxy")]


class WithEchoServer(unittest.TestCase):
    def setUp(self):
        self.echo = EchoServer()

    def tearDown(self):
        self.echo.close()
        self.assertEqual(proxy_threads(), [])

    def test_bytes_pass_through_intact(self):
        payload = bytes(range(256)) * 4096  # 1 MiB: many chunks, both ways at once
        with CuttingProxy("127.0.0.1", self.echo.port, seed=1) as proxy, connect(proxy) as sock:
            self.assertEqual(round_trip(sock, b"hello"), b"hello")
            sender = threading.Thread(target=sock.sendall, args=(payload,))
            sender.start()
            echoed = receive_exactly(sock, len(payload))
            sender.join(TIMEOUT)
            self.assertEqual(echoed, payload)
            self.assertEqual((proxy.cuts, proxy.corruptions), (0, 0))

    def test_half_close_is_passed_on(self):
        with CuttingProxy("127.0.0.1", self.echo.port) as proxy, connect(proxy) as sock:
            sock.sendall(b"last words")
            sock.shutdown(socket.SHUT_WR)
            self.assertEqual(receive_exactly(sock, 10), b"last words")
            self.assertEqual(sock.recv(1), b"")  # the echo server saw our FIN and closed

    def test_cuts_at_random_are_counted_and_clients_reconnect(self):
        with CuttingProxy("127.0.0.1", self.echo.port, cut_every=(0.02, 0.08), seed=7) as proxy:
            deadline = time.monotonic() + 30
            connections = exchanges = 0
            # Run until both kinds of cut happened a few times.
            while proxy.resets < 3 or proxy.cuts - proxy.resets < 3:
                self.assertLess(time.monotonic(), deadline, f"cuts={proxy.cuts} resets={proxy.resets}")
                connections += 1
                with connect(proxy) as sock:
                    try:
                        for i in range(1_000_000):
                            payload = f"message {i} on connection {connections}".encode()
                            self.assertEqual(round_trip(sock, payload), payload)
                            exchanges += 1
                    except (ConnectionError, socket.timeout):
                        pass  # cut: connect again
            self.assertGreater(exchanges, proxy.cuts)
            self.assertGreaterEqual(proxy.accepted, proxy.cuts)

    def test_cut_now_resets_or_closes_every_live_connection(self):
        with CuttingProxy("127.0.0.1", self.echo.port) as proxy:
            first, second = connect(proxy), connect(proxy)
            for sock in (first, second):
                self.assertEqual(round_trip(sock, b"ping"), b"ping")
            self.assertEqual(proxy.cut_now(reset=True), 2)
            for sock in (first, second):
                with self.assertRaises(ConnectionResetError):
                    sock.recv(1)
                sock.close()
            with connect(proxy) as sock:
                self.assertEqual(round_trip(sock, b"again"), b"again")
                self.assertEqual(proxy.cut_now(reset=False), 1)
                self.assertEqual(sock.recv(1), b"")  # FIN, not RST
            self.assertEqual((proxy.cuts, proxy.resets), (2, 1))
            self.assertEqual(proxy.cut_now(), 0)  # nothing live: not counted
            self.assertEqual(proxy.cuts, 2)

    def test_corruption_flips_bytes_when_enabled(self):
        payload = bytes(1000)
        with CuttingProxy("127.0.0.1", self.echo.port, seed=3, corrupt_probability=1.0) as proxy:
            with connect(proxy) as sock:
                echoed = round_trip(sock, payload)
            differing = sum(a != b for a, b in zip(echoed, payload))
            self.assertGreaterEqual(proxy.corruptions, 2)  # at least one chunk each way
            # Two flips can only cancel if they hit the same byte with the same value.
            self.assertTrue(1 <= differing <= proxy.corruptions, (differing, proxy.corruptions))

    def test_unreachable_target_closes_the_client(self):
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            closed_port = unused.getsockname()[1]
        with CuttingProxy("127.0.0.1", closed_port) as proxy, connect(proxy) as sock:
            self.assertEqual(sock.recv(1), b"")
            self.assertEqual(proxy.live_connections(), 0)


class WithDirectTarget(unittest.TestCase):
    """The test holds the target's end itself, to see exactly what arrives in each direction."""

    def setUp(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(TIMEOUT)
        self.proxy = CuttingProxy("127.0.0.1", self.listener.getsockname()[1]).start()
        self.client = connect(self.proxy)
        self.target, _ = self.listener.accept()
        self.target.settimeout(TIMEOUT)

    def tearDown(self):
        self.proxy.stop()
        for sock in (self.client, self.target, self.listener):
            sock.close()
        self.assertEqual(proxy_threads(), [])

    def assert_nothing_arrives(self, sock):
        sock.settimeout(0.3)
        with self.assertRaises(socket.timeout):
            sock.recv(1)
        sock.settimeout(TIMEOUT)

    def test_paused_receiver_builds_back_pressure_then_gets_everything(self):
        self.proxy.pause_reading(TO_TARGET)
        self.client.setblocking(False)
        sent, block = 0, bytes(range(256)) * 256
        try:
            while sent < 256 * 1024 * 1024:  # far beyond any socket buffer: the loop must block first
                sent += self.client.send(block)
        except BlockingIOError:
            pass
        self.client.setblocking(True)
        self.assertLess(sent, 256 * 1024 * 1024, "the sender never felt back-pressure")
        self.assert_nothing_arrives(self.target)
        self.proxy.resume_reading(TO_TARGET)
        received = receive_exactly(self.target, sent)
        self.assertEqual(received, (block * (sent // len(block) + 1))[:sent])

    def test_pausing_one_direction_leaves_the_other_flowing(self):
        self.proxy.pause_reading(TO_CLIENT)
        self.target.sendall(b"reply")
        self.client.sendall(b"request")
        self.assertEqual(receive_exactly(self.target, 7), b"request")
        self.assert_nothing_arrives(self.client)
        self.proxy.resume_reading()
        self.assertEqual(receive_exactly(self.client, 5), b"reply")


if __name__ == "__main__":
    unittest.main(verbosity=2)
