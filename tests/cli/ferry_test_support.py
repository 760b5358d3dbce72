"""Helpers shared by the multi-process tests: where things are, running `ferry`, reading a node's log."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time

FERRY = os.environ["FERRY_BIN"]
SOURCE_DIR = os.environ["FERRY_SOURCE_DIR"]
PLUGIN_DIR = os.environ["FERRY_PLUGIN_DIR"]
TEST_PLUGIN_ROOT = os.environ["FERRY_TEST_PLUGIN_ROOT"]


def run(*args, timeout=60, env=None):
    """Runs ferry to completion; returns the CompletedProcess with text stdout and stderr. env adds to (or
    overrides) this process's environment."""
    return subprocess.run([FERRY, *args], capture_output=True, text=True, timeout=timeout,
                          env=None if env is None else {**os.environ, **env})


def plugins_json(*directories):
    dirs = "[" + ",".join(json.dumps(d) for d in directories) + "]"
    result = run("plugins", "--json", "--set", f"node.plugin_dirs={dirs}")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_config(directory, text, name="node.toml"):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class Node:
    """A `ferry node` process. A thread reads its stderr (the log) all the time, so that a chatty node
    never blocks on a full pipe while the test waits for something else."""

    def __init__(self, *args, listen="127.0.0.1:0", data_dir=None, env=None, admin="127.0.0.1:0"):
        # Port 0 and a data directory of its own by default: tests run in parallel, and a node keeps its
        # id in its data directory, so two nodes sharing one would be the same node. The admin endpoint
        # likewise gets an OS-chosen port (admin=None leaves admin.listen to the configuration).
        self._scratch = None
        if data_dir is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="ferry-node-")
            data_dir = self._scratch.name
        self.data_dir = data_dir
        listen_args = ["--set", f"transport.listen={listen}"] if listen else []
        if admin:
            listen_args += ["--set", f"admin.listen={admin}"]
        self.process = subprocess.Popen([FERRY, "node", *listen_args, "--set", f"node.data_dir={data_dir}", *args],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        env=None if env is None else {**os.environ, **env})
        self.lines = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self):
        for raw in self.process.stderr:
            with self._changed:
                self.lines.append(raw.decode("utf-8").rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, needle, timeout=20, since=0):
        """Returns the first log line containing needle, waiting up to timeout seconds for it; with since, the
        first from line number since on (mark() gives the number of the next line)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[since:]:
                    if needle in line:
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    break
                self._changed.wait(min(remaining, 0.5))
            raise AssertionError(f"no log line containing {needle!r} within {timeout}s; log so far:\n" +
                                 "\n".join(self.lines))

    def mark(self):
        """The number of the next log line, for wait_for(since=...)."""
        with self._changed:
            return len(self.lines)

    def address(self, timeout=60):
        """The address the node listens on, from its "listening on ADDR (transport)" log line. The bound is
        generous: in one sanitizer run on a loaded machine a restarted node printed nothing for over 20 s."""
        line = self.wait_for("listening on ", timeout)
        return line.split("listening on ", 1)[1].split(" ", 1)[0]

    def admin_address(self, timeout=60):
        """The address of the node's admin endpoint, from its "admin endpoint on ADDR" log line."""
        line = self.wait_for("admin endpoint on ", timeout)
        return line.split("admin endpoint on ", 1)[1].split(" ", 1)[0]

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Sends sig, waits for exit and for the rest of the log; returns the exit status."""
        self.process.send_signal(sig)
        self.process.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        return self.process.returncode

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        self._reader.join(timeout=20)
        self.process.stderr.close()
        if self._scratch:
            self._scratch.cleanup()
            self._scratch = None


def stop_all(test, *nodes):
    """Stops each node with SIGTERM, asserting a clean exit (its log in the message); kills what is left."""
    try:
        for node in nodes:
            test.assertEqual(node.stop(), 0, "\n".join(node.lines))
    finally:
        for node in nodes:
            node.kill()


def temporary_directory():
    return tempfile.TemporaryDirectory(prefix="ferry-test-")


def plugin_directory(scratch, codecs):
    """A new plugin directory in scratch holding the tcp transport, the null sink and the given codec plugins
    (names such as "codec-1.1"), linked from the build: a node's codec set is what its directory holds."""
    directory = tempfile.mkdtemp(prefix="+".join(codecs) + "-", dir=scratch)
    for name in ("transport-tcp", "sink-null", *codecs):
        os.symlink(os.path.join(PLUGIN_DIR, name + ".so"), os.path.join(directory, name + ".so"))
    return directory


def plugin_dirs_option(directory):
    """The --set argument that makes a ferry process load its plugins from directory alone."""
    return f"node.plugin_dirs={json.dumps([directory])}"


def mapped_plugins(pid):
    """The plugin files a process has mapped, by file name (from /proc/PID/maps)."""
    with open(f"/proc/{pid}/maps", encoding="utf-8") as maps:
        return {os.path.basename(line.split()[-1]) for line in maps if line.rstrip().endswith(".so")}
