"""Follows docs/writing-a-sink.md as a newcomer would: installs the build to a temporary prefix, then in an
empty folder writes every block the guide marks as a file and runs every block it marks to run, in order,
with PREFIX set to that prefix. Any failing command fails the test.

Usage: writing_a_sink_guide.py CMAKE BUILD_DIR SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

MARKED_BLOCK = re.compile(r"<!-- (file: (?P<name>\S+)|run) -->\n```[a-z]*\n(?P<body>.*?)```", re.S)


def main():
    cmake, build, source = sys.argv[1:4]
    guide = open(os.path.join(source, "docs", "writing-a-sink.md"), encoding="utf-8").read()
    steps = list(MARKED_BLOCK.finditer(guide))
    if not any(step["name"] is None for step in steps):
        sys.exit("FAILED: the guide marks no commands to run")
    with tempfile.TemporaryDirectory() as work:
        prefix = os.path.join(work, "prefix")
        subprocess.run([cmake, "--install", build, "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
        folder = os.path.join(work, "my-sink")
        os.mkdir(folder)
        env = dict(os.environ, PREFIX=prefix)
        for step in steps:
            if step["name"]:
                with open(os.path.join(folder, step["name"]), "w", encoding="utf-8") as out:
                    out.write(step["body"])
                continue
            print("$ " + step["body"].strip().replace("\n", "\n$ "), flush=True)
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", step["body"]], cwd=folder, env=env,
                                  timeout=240, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            print(done.stdout[-4000:], flush=True)
            if done.returncode != 0:
                sys.exit(f"FAILED: a step of the guide exited with {done.returncode}")
    print(f"followed the guide: {len(steps)} steps")


if __name__ == "__main__":
    main()
