"""A stand-in ferry node for the multi-process tests, written from docs/protocol.md alone: it speaks the
node handshake (§1) with whatever fields a test chooses, so that a test can be the peer a real node
refuses, and the few codec-1.0 messages (§2, §5) a test needs once a handshake is accepted.

test_handshake_peer.py pins the encoder to the golden vectors in tests/golden/handshake, so that this
peer cannot drift from the specification unnoticed."""
import hashlib
import hmac
import os
import socket
import struct
import uuid
from dataclasses import dataclass, field

MAGIC = b"FERY"
HANDSHAKE_VERSION = 1
MAX_BODY = 65536

IDENTIFY, REQUEST, ACCEPT, REFUSE = 1, 2, 3, 4

# The tag registry of §1.3.
NODE_ID, NODE_NAME, CLUSTER, INCARNATION, NONCE, SETTING = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
EXPECTED_INCARNATION, CONNECTION_INDEX, RECEIVED, CODEC_OFFER = 0x07, 0x08, 0x09, 0x0A
REQUIRED_FEATURE, DISABLED_FEATURE, RESPONDER_CODEC, INITIATOR_CODEC = 0x0B, 0x0C, 0x0D, 0x0E
MODE, AGREED_FEATURES, REFUSE_CODE, REFUSE_REASON = 0x0F, 0x10, 0x11, 0x12
LISTEN_ADDRESS = 0x13
SECRET_ASKED, SECRET_PROOF = 0x100, 0x101
MAJOR, MINOR, FEATURES, SETTING_NAME, SETTING_VALUE = 0x20, 0x21, 0x22, 0x28, 0x29

# §1.8, by number.
REFUSE_CODES = {1: "cluster_mismatch", 2: "settings_mismatch", 3: "unknown_node", 4: "already_connected",
                5: "node_stopping", 6: "need_wait", 7: "no_common_codec", 8: "missing_feature", 9: "wrong_node",
                10: "handshake_timeout", 11: "protocol_error", 12: "authentication_failed"}

# §1.5 with the values of a node started with the default configuration.
DEFAULT_SETTINGS = (("connections_per_peer", "1"), ("paired_connections", "false"),
                    ("max_message_size", "16777216"), ("checksum", "crc32c"))


# --- records and frames (§1.2, §1.3) ---------------------------------------------------------------

def record(tag, value):
    return struct.pack(">HI", tag, len(value)) + value


def u64(tag, number):
    return record(tag, struct.pack(">Q", number))


def text(tag, value):
    return record(tag, value.encode("utf-8"))


def frame(frame_type, body, version=HANDSHAKE_VERSION):
    return MAGIC + struct.pack(">HHI", version, frame_type, len(body)) + body


def records(body):
    """The (tag, value) pairs of a body, in order."""
    out, offset = [], 0
    while offset < len(body):
        tag, length = struct.unpack_from(">HI", body, offset)
        offset += 6
        if offset + length > len(body):
            raise ValueError(f"tag {tag:#06x} declares {length} bytes but only {len(body) - offset} follow")
        out.append((tag, body[offset:offset + length]))
        offset += length
    return out


def single(pairs, tag):
    values = [value for t, value in pairs if t == tag]
    if len(values) != 1:
        raise ValueError(f"tag {tag:#06x} appears {len(values)} times; expected once")
    return values[0]


def as_u64(value):
    return struct.unpack(">Q", value)[0]


# --- the frames a test sends (§1.4) ------------------------------------------------------------------

@dataclass
class Request:
    node_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    node_name: str = "fake"
    cluster: str = "ferry"
    incarnation: int = field(default_factory=lambda: int.from_bytes(os.urandom(8), "big") | 1)
    expected_incarnation: int = 0
    connection_index: int = 0
    received: int = 0
    settings: tuple = DEFAULT_SETTINGS
    offers: tuple = ((1, 0, 0),)  # (major, minor, features)
    required_features: tuple = ()
    disabled_features: tuple = ()
    nonce: bytes = field(default_factory=lambda: os.urandom(32))
    listen_address: str = ""  # where this peer listens; empty = it does not (the record is left out)
    proof: bytes = b""  # the proof of the cluster secret (§1.11); empty = none (the record is left out)


def encode_request(request):
    """A REQUEST frame, records in ascending tag order as ferry writes them."""
    body = record(NODE_ID, uuid.UUID(request.node_id).bytes) + text(NODE_NAME, request.node_name)
    body += text(CLUSTER, request.cluster) + u64(INCARNATION, request.incarnation) + record(NONCE, request.nonce)
    for name, value in request.settings:
        body += record(SETTING, text(SETTING_NAME, name) + text(SETTING_VALUE, value))
    body += u64(EXPECTED_INCARNATION, request.expected_incarnation)
    body += u64(CONNECTION_INDEX, request.connection_index) + u64(RECEIVED, request.received)
    for major, minor, features in request.offers:
        body += record(CODEC_OFFER, u64(MAJOR, major) + u64(MINOR, minor) + u64(FEATURES, features))
    body += b"".join(text(REQUIRED_FEATURE, name) for name in request.required_features)
    body += b"".join(text(DISABLED_FEATURE, name) for name in request.disabled_features)
    if request.listen_address:
        body += text(LISTEN_ADDRESS, request.listen_address)
    if request.proof:
        body += record(SECRET_PROOF, request.proof)
    return frame(REQUEST, body)


def secret_proof(secret, role, responder_nonce, initiator_nonce, responder_id, initiator_id):
    """§1.11: the HMAC-SHA-256 that proves knowledge of the cluster secret; role is "initiator" or "responder",
    ids are UUID strings."""
    message = f"FERRY {role} proof".encode() + responder_nonce + initiator_nonce
    message += uuid.UUID(responder_id).bytes + uuid.UUID(initiator_id).bytes
    return hmac.new(secret, message, hashlib.sha256).digest()


def encode_refuse(code, reason):
    return frame(REFUSE, u64(REFUSE_CODE, code) + text(REFUSE_REASON, reason))


# --- the frames a test receives ------------------------------------------------------------------------

@dataclass
class Identify:
    node_id: str
    node_name: str
    cluster: str
    incarnation: int
    settings: list
    nonce: bytes = b""
    secret_asked: bool = False


@dataclass
class Refusal:
    code: int
    reason: str

    @property
    def name(self):
        return REFUSE_CODES.get(self.code, f"code {self.code}")


@dataclass
class Accepted:
    received: int
    responder_codec: tuple
    initiator_codec: tuple
    mode: int
    agreed_features: int


def decode_identify(body):
    pairs = records(body)
    settings = []
    for tag, value in pairs:
        if tag == SETTING:
            inner = records(value)
            settings.append((single(inner, SETTING_NAME).decode(), single(inner, SETTING_VALUE).decode()))
    asked = [as_u64(value) for tag, value in pairs if tag == SECRET_ASKED] == [1]
    return Identify(str(uuid.UUID(bytes=single(pairs, NODE_ID))), single(pairs, NODE_NAME).decode(),
                    single(pairs, CLUSTER).decode(), as_u64(single(pairs, INCARNATION)), settings,
                    single(pairs, NONCE), asked)


def decode_refuse(body):
    pairs = records(body)
    return Refusal(as_u64(single(pairs, REFUSE_CODE)), single(pairs, REFUSE_REASON).decode())


def decode_accept(body):
    pairs = records(body)

    def codec(tag):
        inner = records(single(pairs, tag))
        return as_u64(single(inner, MAJOR)), as_u64(single(inner, MINOR))

    return Accepted(as_u64(single(pairs, RECEIVED)), codec(RESPONDER_CODEC), codec(INITIATOR_CODEC),
                    as_u64(single(pairs, MODE)), as_u64(single(pairs, AGREED_FEATURES)))


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError(f"the peer closed the connection after {len(data)} of {count} bytes")
        data += chunk
    return data


def read_frame(sock):
    """(frame type, body) of the next frame."""
    magic, version, frame_type, length = struct.unpack(">4sHHI", read_exactly(sock, 12))
    if magic != MAGIC or version == 0 or length > MAX_BODY:
        raise ValueError(f"not a handshake frame header: {magic!r} version {version} length {length}")
    return frame_type, read_exactly(sock, length)


def read_answer(sock):
    """The responder's answer to a REQUEST: an Accepted or a Refusal."""
    frame_type, body = read_frame(sock)
    if frame_type == REFUSE:
        return decode_refuse(body)
    if frame_type == ACCEPT:
        return decode_accept(body)
    raise ValueError(f"expected ACCEPT or REFUSE, got frame type {frame_type:#06x}")


def connect(address, timeout=20):
    host, port = address.rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=timeout)


class Initiator:
    """One connection to a real node as its initiator: reads its IDENTIFY, sends the REQUEST it is given,
    reads the answer. After an ACCEPT, the socket carries codec-1.0 messages."""

    def __init__(self, address, timeout=20):
        self.sock = connect(address, timeout)
        frame_type, body = read_frame(self.sock)
        if frame_type != IDENTIFY:
            raise ValueError(f"expected IDENTIFY, got frame type {frame_type:#06x}")
        self.identify = decode_identify(body)

    def request(self, request):
        self.sock.sendall(encode_request(request))
        return read_answer(self.sock)

    def close(self):
        self.sock.close()


# --- codec-1.0, stable mode (§2) -------------------------------------------------------------------------

MSG_ACK, MSG_PING, MSG_PONG, MSG_NODE_STOPPING = 1, 2, 3, 4


def varint(number):
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def ping(sequence, sent_ns, padding=b""):
    return struct.pack(">H", MSG_PING) + varint(sequence) + varint(sent_ns) + varint(len(padding)) + padding


def ack(received):
    return struct.pack(">H", MSG_ACK) + varint(received)


# The streaming messages of §5 a test plays the sending side of a session with.
MSG_STREAM_PREPARE, MSG_STREAM_PREPARE_ACK, MSG_STREAM_FILE = 16, 17, 18
MSG_STREAM_FAILED, MSG_STREAM_KEEPALIVE = 24, 25


def zigzag(number):
    return (number << 1) ^ (number >> 63)


def length_prefixed(value):
    return varint(len(value)) + value


def stream_prepare(session, files, total_bytes, requests=(), max_retries=3):
    """STREAM_PREPARE; session is a uuid.UUID, requests a sequence of paths."""
    listed = b"".join(path.encode("utf-8") + b"\x00" for path in requests)
    return (struct.pack(">H", MSG_STREAM_PREPARE) + session.bytes + varint(files) + varint(total_bytes) +
            length_prefixed(listed) + varint(max_retries))


def stream_file(session, file, attempt, path, size, mode, mtime_ns, ranges=(), digest=b""):
    """STREAM_FILE; path is sent as given (a test may make it one no receiver should take)."""
    packed = b"".join(varint(offset) + varint(length) for offset, length in ranges)
    return (struct.pack(">H", MSG_STREAM_FILE) + session.bytes + varint(file) + varint(attempt) +
            length_prefixed(path.encode("utf-8")) + varint(size) + varint(mode) + varint(zigzag(mtime_ns)) +
            length_prefixed(packed) + length_prefixed(digest))


class MessageReader:
    """Reads the messages a node sends after the handshake; only those without payload that a test
    needs (ACK, PING, PONG, NODE_STOPPING, STREAM_PREPARE_ACK, STREAM_FAILED, STREAM_KEEPALIVE). Returns
    (type, fields); a session is a uuid.UUID."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def _byte(self):
        if not self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the peer closed the connection")
            self.buffer += chunk
        value, self.buffer = self.buffer[0], self.buffer[1:]
        return value

    def _varint(self):
        number, shift = 0, 0
        for _ in range(10):
            byte = self._byte()
            number |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return number
            shift += 7
        raise ValueError("varint longer than 10 bytes")

    def _bytes(self):
        return bytes(self._byte() for _ in range(self._varint()))

    def _uuid(self):
        return uuid.UUID(bytes=bytes(self._byte() for _ in range(16)))

    def next(self):
        message_type = (self._byte() << 8) | self._byte()
        if message_type == MSG_ACK:
            return message_type, (self._varint(),)
        if message_type in (MSG_PING, MSG_PONG):
            return message_type, (self._varint(), self._varint(), self._bytes())
        if message_type == MSG_NODE_STOPPING:
            return message_type, (self._bytes().decode("utf-8"),)
        if message_type == MSG_STREAM_PREPARE_ACK:
            return message_type, (self._uuid(), self._varint(), self._varint())
        if message_type == MSG_STREAM_FAILED:
            return message_type, (self._uuid(), self._bytes().decode("utf-8"))
        if message_type == MSG_STREAM_KEEPALIVE:
            return message_type, (self._uuid(),)
        raise ValueError(f"message type {message_type} is not one this reader knows")

    def wait_for(self, message_type, limit=100):
        """Reads up to limit messages until one of message_type; returns its fields."""
        for _ in range(limit):
            found, fields = self.next()
            if found == message_type:
                return fields
        raise AssertionError(f"no message of type {message_type} among {limit}")
