#!/usr/bin/env bash
# The API allocation benchmark (issue 20): a SQLite node holding the demo
# scenario plus R open requirements and O standalone offers (default
# 10,000 x 10,000: ten categories, ten towns, about 1.5 million compatible
# pairs), served by `coalesce serve`. The secretariat's coordinator starts a
# run as a job (`Prefer: respond-async`), the script polls the job and
# prints its phases: loading (the database), model (the engine's instance),
# engine (the engine alone, in the same process on the same input), labels
# and saving. The target: the whole run within twice the engine's own time
# (the ratio printed). Then a second run is cancelled while it runs, and
# the script prints how long the job took to stop.
# Usage: bench/allocate/api.sh [REQUIREMENTS] [OFFERS]
# Set KEEP_DB=path to reuse a seeded database between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
R="${1:-10000}"
O="${2:-10000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/coalesce-target}"
cargo build --release --locked -p coalesce --bin coalesce --example seed_allocation
BIN="$CARGO_TARGET_DIR/release/coalesce"
DIR="$(mktemp -d)"
PORT="${PORT:-18183}"
if [ -n "${KEEP_DB:-}" ] && [ -f "$KEEP_DB.password" ]; then
  DB="sqlite://$KEEP_DB"
  PASSWORD="$(cat "$KEEP_DB.password")"
  echo "reusing $KEEP_DB"
else
  FILE="${KEEP_DB:-$DIR/bench.db}"
  DB="sqlite://$FILE"
  "$BIN" demo --no-serve --database "$DB" > "$DIR/demo.out"
  PASSWORD="$(sed -n 's/^demo password: //p' "$DIR/demo.out")"
  echo "seeding $R requirements and $O offers (through the store's batched imports)"
  "$CARGO_TARGET_DIR/release/examples/seed_allocation" "$DB" "$R" "$O"
  [ -n "${KEEP_DB:-}" ] && echo "$PASSWORD" > "$KEEP_DB.password"
fi
"$BIN" serve --allow-demo-database --database "$DB" --listen "127.0.0.1:$PORT" > "$DIR/serve.out" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT" PASSWORD="$PASSWORD" python3 - <<'PY'
import json, os, time, urllib.request

base = os.environ["BASE"]

def call(method, path, token=None, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req) as r:
        return r.status, json.load(r)

_, login = call("POST", "/api/v1/auth/login", body={"username": "usa", "password": os.environ["PASSWORD"]})
token = login["token"]

def start():
    t0 = time.perf_counter()
    status, job = call("POST", "/api/v1/allocations", token, {}, {"prefer": "respond-async"})
    assert status == 202, (status, job)
    return t0, job["id"]

def poll(job_id, every=0.02):
    while True:
        _, job = call("GET", f"/api/v1/jobs/{job_id}", token)
        if job["status"] != "running":
            return job, time.perf_counter()
        time.sleep(every)

t0, job_id = start()
stages = set()
job, t1 = None, None
while True:
    _, j = call("GET", f"/api/v1/jobs/{job_id}", token)
    stages.add(j["stage"])
    if j["status"] != "running":
        job, t1 = j, time.perf_counter()
        break
    time.sleep(0.02)
if job["status"] != "succeeded":
    raise SystemExit(f"the run failed: {job}")
_, run = call("GET", f"/api/v1/allocations/{job['result']}", token)
phases = {p["name"]: p["ms"] for p in job["phases"]}
total = (t1 - t0) * 1000
print(f"run: {run['requirements']} requirements x {run['offers']} offers, "
      f"{run['compatible_pairs']} compatible pairs, {len(run['proposals'])} proposals, "
      f"{len(run['gaps'])} gaps")
print("stages seen while polling: " + ", ".join(sorted(stages)))
for name, ms in phases.items():
    print(f"  {name:<8} {ms:>7} ms")
engine = max(phases.get("engine", 0), 1)
print(f"whole run (POST to the job's end, polled every 20 ms): {total:.0f} ms")
print(f"engine alone: {engine} ms -> ratio {total / engine:.2f} (target: <= 2)")

# Cancel a second run while the engine runs (the database reads of the
# loading stage are not interrupted: a cancel there takes effect after them).
t0, job_id = start()
while True:
    _, j = call("GET", f"/api/v1/jobs/{job_id}", token)
    stage = j["stage"]
    if stage in ("pairs", "solving") or j["status"] != "running":
        break
    time.sleep(0.005)
tc = time.perf_counter()
status, _ = call("POST", f"/api/v1/jobs/{job_id}/cancel", token, {})
job, t1 = poll(job_id, 0.005)
print(f"cancel asked in stage {stage!r} (HTTP {status}): the job ended {job['status']} "
      f"{(t1 - tc) * 1000:.0f} ms later")
PY
echo "RSS of the node after the runs: $(ps -o rss= -p $SERVER) KiB"
