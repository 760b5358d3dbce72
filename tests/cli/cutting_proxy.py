"""A TCP proxy on 127.0.0.1 that cuts every live connection at random intervals, for fault tests.

Each accepted connection is forwarded to one target, both ways. Optionally the proxy flips bytes in
flight, and either direction can be paused to play a receiver that stops reading: the proxy then stops
reading too, so TCP back-pressure reaches the sender as it would with a stalled peer.

One thread runs a selector loop; calls from other threads are queued to it and wait for it, so after
`pause_reading()` or `cut_now()` returns the change has happened. Standard library only.

    with CuttingProxy("127.0.0.1", 7400, cut_every=(0.5, 2.0), seed=1) as proxy:
        ... connect to 127.0.0.1:proxy.port ...
        assert proxy.cuts >= 1

CLI: python3 cutting_proxy.py --target 127.0.0.1:7400 [--cut-every 0.5:2] [--seed N] [--corrupt P]
"""
import argparse
import ipaddress
import queue
import random
import selectors
import signal
import socket
import struct
import threading
import time

TO_TARGET = "to_target"
TO_CLIENT = "to_client"
BOTH = "both"

_CHUNK = 65536
_LONGEST_WAIT = 0.5        # the loop re-checks its deadlines at least this often
_CALL_TIMEOUT = 10.0       # a queued call not served by then means the loop is stuck
_ACCEPTS_PER_WAKE = 64     # bounds the accept burst so cuts and calls keep their turn
_LINGER_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST instead of FIN


class _Direction:
    """Bytes from one socket to the other. Nothing is read while bytes wait to be written, so a slow
    destination slows the source down instead of growing a buffer here."""

    def __init__(self, src, dst, paused):
        self.src, self.dst = src, dst
        self.pending = b""
        self.paused = paused
        self.eof = False       # src has sent FIN
        self.shut = False      # and dst has been told (shutdown SHUT_WR)

    def wants_read(self):
        return not (self.paused or self.eof or self.pending)


class _Link:
    """One proxied connection: the accepted client socket and the socket to the target. The client is not
    read until the connection to the target is up; that connect has no timeout of its own, as the client's
    timeouts apply just as they would without the proxy."""

    def __init__(self, client, upstream, paused):
        self.client, self.upstream = client, upstream
        self.connecting = True
        self.to_target = _Direction(client, upstream, TO_TARGET in paused)
        self.to_client = _Direction(upstream, client, TO_CLIENT in paused)

    def reading_from(self, sock):
        return self.to_target if sock is self.client else self.to_client

    def writing_to(self, sock):
        return self.to_client if sock is self.client else self.to_target


def _directions(direction):
    if direction == BOTH:
        return {TO_TARGET, TO_CLIENT}
    if direction in (TO_TARGET, TO_CLIENT):
        return {direction}
    raise ValueError(f"direction must be {TO_TARGET!r}, {TO_CLIENT!r} or {BOTH!r}, not {direction!r}")


class CuttingProxy:
    """Forwards 127.0.0.1:port to the target and cuts all live connections every uniform(*cut_every) s.

    cuts: cut events that closed at least one connection; resets: those among them done with RST.
    corruptions: chunks in which one byte was flipped (each chunk read with corrupt_probability).
    accepted: connections accepted. Counters are written by the proxy thread only.
    """

    def __init__(self, target_host, target_port, cut_every=None, seed=None, corrupt_probability=0.0):
        target_ip = socket.gethostbyname(target_host)
        if not ipaddress.ip_address(target_ip).is_loopback:
            raise ValueError(f"the target must be on this machine, not {target_host}")
        if cut_every is not None and not 0 < cut_every[0] <= cut_every[1]:
            raise ValueError(f"cut_every must be (min_s, max_s) with 0 < min_s <= max_s, not {cut_every}")
        if not 0.0 <= corrupt_probability <= 1.0:
            raise ValueError(f"corrupt_probability must be in [0, 1], not {corrupt_probability}")
        self.target = (target_ip, target_port)
        self.cut_every = cut_every
        self.corrupt_probability = corrupt_probability
        self.port = None
        self.cuts = self.resets = self.corruptions = self.accepted = 0
        self._forwarded = {TO_TARGET: 0, TO_CLIENT: 0}  # bytes written on, over every connection
        self._rng = random.Random(seed)
        self._links = set()
        self._paused = set()
        self._next_cut = None
        self._calls = queue.SimpleQueue()
        self._stop_requested = threading.Event()
        self._thread = None
        self._error = None

    # -- public API, called from any thread ---------------------------------------------------------

    def start(self):
        if self._thread is not None:
            raise RuntimeError("the proxy was already started")
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self._waker, self._wake_end = socket.socketpair()
        self._waker.setblocking(False)
        self._wake_end.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._selector.register(self._wake_end, selectors.EVENT_READ)
        self._schedule_cut()
        self._thread = threading.Thread(target=self._run, name=f"cutting-proxy-{self.port}")
        self._thread.start()
        return self

    def stop(self):
        """Closes every socket and joins the thread; raises what the proxy thread failed with, if anything."""
        if self._thread is None:
            return
        self._stop_requested.set()
        self._wake()
        self._thread.join(_CALL_TIMEOUT)
        if self._thread.is_alive():
            raise RuntimeError("the proxy thread did not stop")
        if self._error is not None:
            raise RuntimeError("the proxy thread failed") from self._error

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def cut_now(self, reset=None):
        """Cuts all live connections at once: reset=True with RST, False with FIN, None drawn at random.
        Returns how many connections were cut."""
        return self._call(lambda: self._cut(reset))

    def pause_reading(self, direction=BOTH):
        """Stops reading from the sender's side of `direction` on every connection, new ones included."""
        directions = _directions(direction)  # checked here: an error must not end the proxy thread
        self._call(lambda: self._set_paused(directions, True))

    def resume_reading(self, direction=BOTH):
        directions = _directions(direction)
        self._call(lambda: self._set_paused(directions, False))

    def live_connections(self):
        return self._call(lambda: len(self._links))

    def forwarded(self, direction):
        """Bytes passed on in one direction so far, over every connection: shows traffic is flowing."""
        if direction not in self._forwarded:
            raise ValueError(f"direction must be {TO_TARGET!r} or {TO_CLIENT!r}, not {direction!r}")
        return self._call(lambda: self._forwarded[direction])

    # -- the proxy thread ---------------------------------------------------------------------------

    def _call(self, function):
        if self._thread is None or not self._thread.is_alive():
            raise RuntimeError("the proxy is not running")
        done, result = threading.Event(), []
        self._calls.put((function, done, result))
        self._wake()
        if not done.wait(_CALL_TIMEOUT):
            raise TimeoutError("the proxy thread did not answer")
        return result[0]

    def _wake(self):
        try:
            self._waker.send(b"\0")
        except OSError:
            pass  # a wake-up is already pending, or the loop has ended

    def _run(self):
        try:
            while not self._stop_requested.is_set():
                for key, mask in self._selector.select(self._wait_time()):
                    self._dispatch(key, mask)
                self._serve_calls()
                if self._next_cut is not None and time.monotonic() >= self._next_cut:
                    self._cut(None)
                    self._schedule_cut()
        except BaseException as error:  # kept for stop() to raise in the caller's thread
            self._error = error
        finally:
            for link in list(self._links):
                self._close(link, reset=False)
            self._serve_calls()  # releases callers that raced with stop(); they get None
            self._selector.close()
            for sock in (self._listener, self._waker, self._wake_end):
                sock.close()

    def _wait_time(self):
        if self._next_cut is None:
            return _LONGEST_WAIT
        return max(0.0, min(_LONGEST_WAIT, self._next_cut - time.monotonic()))

    def _serve_calls(self):
        while True:
            try:
                function, done, result = self._calls.get_nowait()
            except queue.Empty:
                return
            result.append(None if self._stop_requested.is_set() else function())
            done.set()

    def _dispatch(self, key, mask):
        sock, link = key.fileobj, key.data
        if sock is self._wake_end:
            try:
                while sock.recv(4096):
                    pass
            except BlockingIOError:
                pass  # drained
            return
        if sock is self._listener:
            self._accept()
            return
        if link not in self._links:
            return  # closed earlier in this same batch of events: its sockets are closed too
        if link.connecting:
            self._connected(link)
            return
        if mask & selectors.EVENT_WRITE:
            self._flush(link, link.writing_to(sock))
        if link in self._links and mask & selectors.EVENT_READ:
            self._read(link, link.reading_from(sock))
        if link in self._links:
            self._update_interest(link)

    def _accept(self):
        for _ in range(_ACCEPTS_PER_WAKE):
            try:
                client, _ = self._listener.accept()
            except BlockingIOError:
                return
            self.accepted += 1
            # Without blocking: a target slow to accept must not hold up cuts and the other connections.
            upstream = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            for sock in (client, upstream):
                sock.setblocking(False)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # add no latency of our own
            upstream.connect_ex(self.target)  # in progress; its outcome comes as a write event
            link = _Link(client, upstream, self._paused)
            self._links.add(link)
            self._update_interest(link)

    def _connected(self, link):
        if link.upstream.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
            self._close(link, reset=False)  # the target is down: the client sees its connection closed
            return
        link.connecting = False
        self._update_interest(link)

    def _read(self, link, direction):
        try:
            data = direction.src.recv(_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            self._close(link, reset=False)
            return
        if data:
            direction.pending = self._maybe_corrupt(data)
        else:
            direction.eof = True
        self._flush(link, direction)

    def _maybe_corrupt(self, data):
        if self.corrupt_probability == 0.0 or self._rng.random() >= self.corrupt_probability:
            return data
        flipped = bytearray(data)
        flipped[self._rng.randrange(len(flipped))] ^= self._rng.randrange(1, 256)
        self.corruptions += 1
        return bytes(flipped)

    def _flush(self, link, direction):
        try:
            if direction.pending:
                sent = direction.dst.send(direction.pending)
                direction.pending = direction.pending[sent:]
                self._forwarded[TO_CLIENT if direction is link.to_client else TO_TARGET] += sent
            if direction.eof and not direction.pending and not direction.shut:
                direction.dst.shutdown(socket.SHUT_WR)  # pass the half-close on
                direction.shut = True
        except BlockingIOError:
            return
        except OSError:
            self._close(link, reset=False)
            return
        if link.to_target.shut and link.to_client.shut:
            self._close(link, reset=False)

    def _update_interest(self, link):
        for sock in (link.client, link.upstream):
            mask = 0
            if link.connecting:
                mask = selectors.EVENT_WRITE if sock is link.upstream else 0
            else:
                if link.reading_from(sock).wants_read():
                    mask |= selectors.EVENT_READ
                if link.writing_to(sock).pending:
                    mask |= selectors.EVENT_WRITE
            registered = sock in self._selector.get_map()
            if mask and registered:
                self._selector.modify(sock, mask, link)
            elif mask:
                self._selector.register(sock, mask, link)
            elif registered:
                self._selector.unregister(sock)

    def _set_paused(self, directions, paused):
        self._paused = self._paused | directions if paused else self._paused - directions
        for link in self._links:
            link.to_target.paused = TO_TARGET in self._paused
            link.to_client.paused = TO_CLIENT in self._paused
            self._update_interest(link)

    def _schedule_cut(self):
        if self.cut_every is not None:
            self._next_cut = time.monotonic() + self._rng.uniform(*self.cut_every)

    def _cut(self, reset):
        if not self._links:
            return 0
        if reset is None:
            reset = self._rng.random() < 0.5
        count = len(self._links)
        for link in list(self._links):
            self._close(link, reset)
        self.cuts += 1
        self.resets += int(reset)
        return count

    def _close(self, link, reset):
        self._links.remove(link)
        for sock in (link.client, link.upstream):
            if sock in self._selector.get_map():
                self._selector.unregister(sock)
            if reset:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
                except OSError:
                    pass  # already reset by the peer: the close below is all that is left
            sock.close()


def _main():
    parser = argparse.ArgumentParser(description="TCP proxy on 127.0.0.1 that cuts its connections at random.")
    parser.add_argument("--target", required=True, help="HOST:PORT to forward to (this machine only)")
    parser.add_argument("--cut-every", help="MIN:MAX seconds between cuts; none when omitted")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--corrupt", type=float, default=0.0, help="probability that a chunk gets a byte flipped")
    args = parser.parse_args()
    host, _, port = args.target.rpartition(":")
    cut_every = tuple(float(x) for x in args.cut_every.split(":")) if args.cut_every else None

    # Blocked before the proxy thread starts, so that it inherits the mask and only sigwait sees them.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    with CuttingProxy(host, int(port), cut_every, args.seed, args.corrupt) as proxy:
        print(f"listening on 127.0.0.1:{proxy.port}", flush=True)
        signal.sigwait(stop_signals)
    print(f"cuts={proxy.cuts} resets={proxy.resets} corruptions={proxy.corruptions} accepted={proxy.accepted}",
          flush=True)


if __name__ == "__main__":
    _main()
