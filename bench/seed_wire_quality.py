#!/usr/bin/env python3
"""Anomaly-ranking quality on a fleet sent in the architecture document's wire
shape, next to the same fleet sent with our short group names (issue #14).

For each shape: a fresh pool on config/pipeline.yaml, the same simulated fleet
(same seed) through `nebula-node simulate --group-names short|document`, then
the Analyst's score for every node against the simulator's ground truth. A node
is positive when one of its incidents was active within `--recent` simulated
seconds of the end of the run. Prints one line per shape and exits 1 when the
two AUCs differ by more than --tolerance (training runs on its own thread, so
two runs of the same input need not agree to the last digit).

  bench/seed_wire_quality.py [--nodes 200] [--duration 7200] [--build build]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, body=None):
    req = urllib.request.Request(url, data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def wait_until(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("timed out waiting for " + what)


def roc_auc(scored):
    """Rank-sum (Mann-Whitney U) AUC, ties as half; scored = [(score, positive)]."""
    scored = sorted(scored)
    rank_sum, i = 0.0, 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        avg_rank = (i + j + 1) / 2.0
        rank_sum += avg_rank * sum(1 for k in range(i, j) if scored[k][1])
        i = j
    pos = sum(1 for _, y in scored if y)
    neg = len(scored) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)


def run_shape(args, shape, work):
    state = work
    os.makedirs(state)
    admin, http_port, tcp_port = free_port(), free_port(), free_port()
    env = dict(os.environ, NEBULA_PLUGIN_DIR=os.path.join(args.build, "plugins"), NEBULA_STATE_DIR=state,
               NEBULA_SPOOL_DIR=os.path.join(state, "spool"), NEBULA_ADMIN_PORT=str(admin),
               NEBULA_HTTP_PORT=str(http_port), NEBULA_TCP_PORT=str(tcp_port), NEBULA_LOG_LEVEL="warn")
    log = open(os.path.join(state, "pool.log"), "w")
    pool = subprocess.Popen([os.path.join(args.build, "bin", "nebula-pool"), "run", "-c",
                             os.path.join(ROOT, "config", "pipeline.yaml")], env=env, stdout=log, stderr=log)
    try:
        base = "http://127.0.0.1:%d" % admin
        wait_until(lambda: urllib.request.urlopen(base + "/readyz", timeout=2).status == 200, 60, "the pool")
        truth = os.path.join(state, "truth.jsonl")
        started = time.time()
        sim = subprocess.run([os.path.join(args.build, "bin", "nebula-node"), "simulate", "--nodes", str(args.nodes),
                              "--seed", str(args.seed), "--max-rate", "--duration", str(args.duration),
                              "--group-names", shape, "--endpoint", "http://127.0.0.1:%d" % http_port,
                              "--plugin-dir", os.path.join(args.build, "plugins"), "--truth", truth,
                              "--spill-dir", os.path.join(state, "spill"), "--stats-every", "0"],
                             capture_output=True, text=True)
        summary = json.loads(sim.stdout.strip().splitlines()[-1])
        if sim.returncode != 0:
            raise SystemExit("simulate failed: " + sim.stdout + sim.stderr)
        records = summary["records"]
        wait_until(lambda: http(base + "/api/v1/pool/stats")["pool"]["records_processed"] >= records,
                   600, "the pool to process %d records" % records)
        # Let the agents' training queue drain: examples queued but not learned
        # yet would score the end of the run on an older model.
        wait_until(lambda: all(a.get("queue_depth", 0) == 0 for a in http(base + "/api/v1/agents")["agents"]),
                   300, "the agents' queues")
        elapsed = time.time() - started
        answer = http(base + "/api/v1/agents/analyst/query", json.dumps({"limit": 100000}))
        incidents = [json.loads(line) for line in open(truth)]
    finally:
        pool.send_signal(signal.SIGTERM)
        pool.wait(timeout=60)
        log.close()

    # The simulator starts at FleetConfig::start_time (2026-01-01T00:00:00Z).
    t_end = 1767225600.0 + summary["sim_seconds"]
    positive = set()
    for inc in incidents:
        if inc["start"] <= t_end and inc["end"] >= t_end - args.recent:
            positive.update(inc["nodes"])
    scored = [(n["score"], n["node_id"] in positive) for n in answer["nodes"]]
    return {"shape": shape, "records": records, "nodes_scored": len(scored), "positives": len(positive),
            "auc": roc_auc(scored), "seconds": round(elapsed, 1)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nodes", type=int, default=200)
    p.add_argument("--duration", type=float, default=7200, help="simulated seconds")
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--recent", type=float, default=600, help="positive: an incident active in the last N sim s")
    p.add_argument("--tolerance", type=float, default=0.05,
                   help="two runs of the same shape differ by up to ~0.03 (training runs on its own clock)")
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--shapes", default="short,document",
                   help="two shapes to compare; short,short shows the run-to-run noise of training")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="nebula-seed-quality-")
    try:
        shapes = args.shapes.split(",")
        if len(shapes) != 2 or not set(shapes) <= {"short", "document"}:
            raise SystemExit("--shapes: two of short, document")
        results = [run_shape(args, shape, os.path.join(work, str(i))) for i, shape in enumerate(shapes)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for r in results:
        print("%-8s records=%-7d nodes scored=%-4d positives=%-3d ROC AUC=%.3f (%.0f s)"
              % (r["shape"], r["records"], r["nodes_scored"], r["positives"], r["auc"], r["seconds"]))
    diff = abs(results[0]["auc"] - results[1]["auc"])
    print("difference %.3f (tolerance %.3f)" % (diff, args.tolerance))
    return 0 if diff <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
