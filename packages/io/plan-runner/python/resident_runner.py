"""Runs many job plans in one Spark JVM, each through the Glue runner's own main().

Started by spark-submit with the runner script's path as its one argument. Reads one JSON array of
runner arguments per line on stdin and answers one JSON line per run on stdout: {"ok": true} or
{"ok": false, "error": "..."}. The runner stops its session at the end of a run; the next run's
getOrCreate starts a new one in the same JVM, which takes a second instead of a JVM's start.
"""
import importlib.util
import json
import sys


def load_runner(path):
    spec = importlib.util.spec_from_file_location("streampulse_runner", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv):
    runner = load_runner(argv[1])
    answers = sys.stdout
    # Whatever else prints (Spark, py4j) must not mix with the answers.
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            runner.main([argv[1]] + json.loads(line))
            answer = {"ok": True}
        except Exception as error:  # the run failed: report it and take the next one
            answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    main(sys.argv)
