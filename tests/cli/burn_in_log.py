"""Reads what `ferry node --burn-in RATE` logs (docs/operations.md, "Checking a cluster with a burn-in
stream"): each run's stream id, what it sent to each peer, and how far it received each peer's streams."""
import re

_STREAM = re.compile(r"burn-in: sending \d+ messages per second to every peer on stream (\d+)")
_TO = re.compile(r"burn-in to '([^']*)' \(([^)]*)\)( at stop)?: stream (\d+), sent (\d+), acknowledged (\d+), "
                 r"resent (\d+), in flight (\d+), to resend (\d+)")
_FROM = re.compile(r"burn-in from '([^']*)' \(([^)]*)\)( at stop)?: stream (\d+), through (\d+), "
                   r"resent after a restart (\d+), duplicated (\d+), lost (\d+)")


def stream_of(lines):
    """The stream id a run sends on."""
    for line in lines:
        match = _STREAM.search(line)
        if match:
            return int(match.group(1))
    raise AssertionError("no burn-in stream in the log:\n" + "\n".join(lines))


def sent(lines):
    """{peer name: the latest report of what this run sent it} (the one at stop, once stopped)."""
    reports = {}
    for line in lines:
        match = _TO.search(line)
        if match:
            reports[match.group(1)] = {"stream": int(match.group(4)), "sent": int(match.group(5)),
                                       "acknowledged": int(match.group(6)), "resent": int(match.group(7)),
                                       "at_stop": bool(match.group(3))}
    return reports


def received(lines):
    """{(peer name, stream id): the latest report of how far this run received that stream}."""
    reports = {}
    for line in lines:
        match = _FROM.search(line)
        if match:
            reports[(match.group(1), int(match.group(4)))] = {
                "through": int(match.group(5)), "resent": int(match.group(6)),
                "duplicated": int(match.group(7)), "lost": int(match.group(8)), "at_stop": bool(match.group(3))}
    return reports


def through(lines, peer, stream):
    """How far this run has received the peer's stream; 0 before anything arrived."""
    return received(lines).get((peer, stream), {"through": 0})["through"]


def faults(lines):
    """Every line that reports a duplicated or lost burn-in message."""
    bad = []
    for line in lines:
        match = _FROM.search(line)
        if "delivered twice" in line or "messages lost" in line or (
                match and (int(match.group(7)) or int(match.group(8)))):
            bad.append(line)
    return bad
