"""Helpers of the streaming tests: a receiving node with an fs sink and export roots, file trees of mixed
sizes, and comparing trees byte for byte."""
import hashlib
import json
import os

from ferry_test_support import Node, run, write_config

CHUNK = 2 << 20  # stream.chunk_size's default


def node_config(scratch, name, sink_root, export_roots=(), extra=""):
    roots = ", ".join(json.dumps(r) for r in export_roots)
    return write_config(scratch, f"""[node]
name = "{name}"
[stream]
export_roots = [{roots}]
{extra}
[[sink]]
name = "in"
plugin = "fs"
root = "{sink_root}"
fsync = "none"
""", name=f"{name}.toml")


def start_node(scratch, name, sink_root, export_roots=(), extra="", args=()):
    os.makedirs(sink_root, exist_ok=True)
    node = Node("-c", node_config(scratch, name, sink_root, export_roots, extra), *args)
    node.wait_for(f"node '{name}' ready")
    return node


def write_file(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_sparse(path, size, islands):
    """A file of size bytes that is all hole but for a few islands of data at the given offsets."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(size)
        for offset in islands:
            f.seek(offset)
            f.write(os.urandom(4096))


def mixed_tree(root, sparse_size=0):
    """Empty, 1-byte, chunk-sized, chunk+1 and several-chunk files, in nested directories, and optionally a
    sparse file of sparse_size bytes."""
    write_file(os.path.join(root, "empty"), b"")
    write_file(os.path.join(root, "one"), b"x")
    write_file(os.path.join(root, "a/chunk"), os.urandom(CHUNK))
    write_file(os.path.join(root, "a/chunk-plus-one"), os.urandom(CHUNK + 1))
    write_file(os.path.join(root, "a/b/several"), os.urandom(3 * CHUNK + 12345))
    write_file(os.path.join(root, "a/b/text.txt"), b"hello, ferry\n" * 1000)
    if sparse_size:
        write_sparse(os.path.join(root, "sparse.img"), sparse_size, [0, sparse_size // 3 + 17, sparse_size - 4096])


def tree_digests(root):
    """{relative path: (size, sha256)} of every regular file below root, outside the sink's staging area."""
    found = {}
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != ".ferry-tmp"]
        for name in files:
            path = os.path.join(directory, name)
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            found[os.path.relpath(path, root)] = (os.path.getsize(path), digest.hexdigest())
    return found


def transfer(command, address, *args, config=None, timeout=240, env=None):
    """Runs `ferry send|fetch --json`; returns (exit status, the summary object or None, stderr)."""
    flag = "--to" if command == "send" else "--from"
    config_args = ["-c", config] if config else []
    result = run(command, flag, address, *config_args, "--json", *args, timeout=timeout, env=env)
    summary = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result.returncode, summary, result.stderr
