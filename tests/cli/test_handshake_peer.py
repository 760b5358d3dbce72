"""The tests' stand-in peer (handshake_peer.py) encodes and decodes exactly the golden vectors of
tests/golden/handshake, which pin docs/protocol.md §1: a fake peer that drifted from the specification
would make the refusal tests prove nothing."""
import os
import unittest
import uuid

import handshake_peer as hp
from ferry_test_support import SOURCE_DIR


def golden(name, directory="handshake"):
    """The bytes of a .hex vector: hex pairs, with '#' starting a comment."""
    path = os.path.join(SOURCE_DIR, "tests", "golden", directory, name)
    with open(path, encoding="utf-8") as f:
        return bytes.fromhex("".join(line.split("#", 1)[0] for line in f))


def body_of(vector, frame_type):
    magic, version, found_type, length = vector[:4], vector[4:6], vector[6:8], vector[8:12]
    assert (magic, version, int.from_bytes(found_type, "big")) == (b"FERY", b"\x00\x01", frame_type)
    assert int.from_bytes(length, "big") == len(vector) - 12
    return vector[12:]


class GoldenVectors(unittest.TestCase):
    def test_request_encodes_to_the_golden_bytes(self):
        request = hp.Request(node_id="1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d", node_name="beta", cluster="prod",
                             incarnation=0xFEDCBA9876543210, expected_incarnation=0x0123456789ABCDEF,
                             connection_index=2, received=41,
                             settings=(("connections_per_peer", "1"), ("checksum", "crc32c")),
                             offers=((1, 0, 0x3), (1, 1, 0x7)), required_features=("checksum",),
                             disabled_features=("compression",), nonce=bytes(range(0x20, 0x40)),
                             listen_address="127.0.0.1:7400")
        self.assertEqual(hp.encode_request(request).hex(" "), golden("request.hex").hex(" "))

    def test_refuse_encodes_and_decodes(self):
        vector = golden("refuse.hex")
        self.assertEqual(hp.encode_refuse(2, "connections_per_peer: local 4, peer 1"), vector)
        refusal = hp.decode_refuse(body_of(vector, hp.REFUSE))
        self.assertEqual((refusal.name, refusal.reason), ("settings_mismatch", "connections_per_peer: local 4, peer 1"))

    def test_identify_decodes(self):
        identify = hp.decode_identify(body_of(golden("identify.hex"), hp.IDENTIFY))
        self.assertEqual(identify, hp.Identify("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70", "alpha", "prod",
                                               0x0123456789ABCDEF,
                                               [("connections_per_peer", "1"), ("checksum", "crc32c")],
                                               bytes(range(32)), False))

    def test_secret_proofs_match_the_worked_example(self):
        # docs/protocol.md §1.11: the golden IDENTIFY's and REQUEST's nonces and ids.
        args = (b"correct horse battery staple", bytes(range(32)), bytes(range(0x20, 0x40)),
                "0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70", "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d")
        self.assertEqual(hp.secret_proof(args[0], "initiator", *args[1:]).hex(),
                         "70220a6f49f0df91c52c3bf3ae64fd621b3792fb50874d657da79fcd9008f313")
        self.assertEqual(hp.secret_proof(args[0], "responder", *args[1:]).hex(),
                         "e11ea05b6f6f2f16fd79fb94824d22fff260166f91c7a145ec30087459ca8661")

    def test_accept_decodes(self):
        accepted = hp.decode_accept(body_of(golden("accept.hex"), hp.ACCEPT))
        self.assertEqual(accepted, hp.Accepted(17, (1, 1), (1, 0), 2, 0x3))

    def test_codec_messages_match_the_documented_examples(self):
        # docs/protocol.md §2.4: PING with sequence 1, sent_ns 1700000000000000000, padding de ad be ef.
        self.assertEqual(hp.ping(1, 1700000000000000000, bytes.fromhex("deadbeef")).hex(" "),
                         "00 02 01 80 80 a8 b1 e3 9f e7 cb 17 04 de ad be ef")
        self.assertEqual(hp.ack(300).hex(" "), "00 01 ac 02")

    def test_streaming_messages_encode_to_the_golden_bytes(self):
        session = uuid.UUID("6ba7b810-9dad-41d1-80b4-00c04fd430c8")
        self.assertEqual(hp.stream_prepare(session, 3, 1048576, ("logs", "db/main"), 3).hex(" "),
                         golden("STREAM_PREPARE.hex", "codec-1.0").hex(" "))
        self.assertEqual(hp.stream_file(session, 1, 0, "dir/a.txt", 5, 0o644, 1700000000123456789,
                                        ((0, 2), (4, 1))).hex(" "),
                         golden("STREAM_FILE.hex", "codec-1.0").hex(" "))

    def test_streaming_messages_decode_from_the_golden_bytes(self):
        session = uuid.UUID("6ba7b810-9dad-41d1-80b4-00c04fd430c8")
        for name, expected in (("STREAM_PREPARE_ACK.hex", (hp.MSG_STREAM_PREPARE_ACK, (session, 2, 300))),
                               ("STREAM_FAILED.hex", (hp.MSG_STREAM_FAILED, (session, "disk full"))),
                               ("STREAM_KEEPALIVE.hex", (hp.MSG_STREAM_KEEPALIVE, (session,)))):
            reader = hp.MessageReader(None)
            reader.buffer = golden(name, "codec-1.0")
            self.assertEqual(reader.next(), expected, name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
