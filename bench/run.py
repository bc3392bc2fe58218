#!/usr/bin/env python3
"""Machine-to-machine benchmark: our server beside node-oidc-provider.

Release build; wrk on this machine; each scenario runs interleaved (ours,
peer, ours, peer, ...) on the embedded default and on PostgreSQL + Redis.
Records requests/s, p50/p99, non-2xx, CPU-ms per request summed over the
server, PostgreSQL and Redis processes (from /proc), peak RSS, and database
calls per request. Writes bench/results.md (and raw wrk output beside it).

    python3 bench/run.py                 # DURATION=8s CONNS=64 ROUNDS=2 TOKENS=100000
    BACKENDS=embedded python3 bench/run.py

Needs: cargo, node + npm (the peer), wrk (installed with apt-get if missing).
Only loopback addresses are used.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DURATION = os.environ.get("DURATION", "8s")
CONNS = os.environ.get("CONNS", "64")
THREADS = "2"
ROUNDS = int(os.environ.get("ROUNDS", "2"))
TOKENS = os.environ.get("TOKENS", "100000")
BACKENDS = os.environ.get("BACKENDS", "embedded,postgres").split(",")
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
PEER_SRC = os.path.join(ROOT, "..", "shared", "peers", "node-oidc-provider")
PEER_DIR = os.environ.get("PEER_DIR", "/tmp/idp-bench-peer")
OURS_PORT, PEER_PORT = 39480, 39481
HZ = os.sysconf("SC_CLK_TCK")
MASTER_KEY = base64.b64encode(b"bench-master-key-32-bytes-long!!").decode()
PEER_BASIC = base64.b64encode(b"bench-client:bench-secret-0123456789abcdef0123456789abcdef").decode()
PEER_RS_BASIC = base64.b64encode(b"bench-rs:bench-rs-secret-0123456789abcdef0123456789abcdef").decode()
RAW = []


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def ensure_tools():
    if not shutil.which("wrk"):
        sh("apt-get", "install", "-y", "-qq", "wrk")
    if not os.path.isdir(os.path.join(PEER_DIR, "node_modules", "oidc-provider")):
        shutil.rmtree(PEER_DIR, ignore_errors=True)
        shutil.copytree(PEER_SRC, PEER_DIR)
        sh("npm", "ci", "--no-audit", "--no-fund", cwd=PEER_DIR, stdout=subprocess.DEVNULL)
    sh("cargo", "build", "--release", "-q", "-p", "idp-server", "-p", "idp-bench", cwd=ROOT)


def http_get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def wait_http(url, proc):
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit(f"process for {url} exited with {proc.returncode}")
        try:
            http_get(url)
            return
        except Exception:
            time.sleep(0.1)
    sys.exit(f"{url} never answered")


def assert_port_free(port):
    import socket
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"port {port} is taken: is another benchmark running?")


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def pids_named(name):
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def pg_xacts():
    query = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'test'"
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-tAc", query],
                         capture_output=True, text=True).stdout.strip()
    return int(out or 0)


def to_ms(value):
    number = float(re.sub(r"[a-z]+$", "", value))
    return number / 1000 if value.endswith("us") else number * 1000 if value.endswith("s") and not value.endswith("ms") else number


def run_wrk(label, url, env, script=None):
    args = ["wrk", f"-t{THREADS}", f"-c{CONNS}", f"-d{DURATION}", "--latency"]
    if script:
        args += ["-s", os.path.join(ROOT, "bench", "wrk", script)]
    out = subprocess.run(args + [url], capture_output=True, text=True, env={**os.environ, **env}).stdout
    RAW.append(f"### {label}\n{out}\n")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "total": total, "p50": p50, "p99": p99,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(1) if errors else ""}


def measure(label, pids, url, env, script=None, stats_url=None, use_pg=False):
    before = sum(ticks(p) for p in pids)
    calls0 = json.loads(http_get(stats_url))["db_calls"] if stats_url else None
    xact0 = pg_xacts() if use_pg else None
    result = run_wrk(label, url, env, script)
    after = sum(ticks(p) for p in pids)
    result["cpu_ms"] = (after - before) / HZ * 1000 / max(result["total"], 1)
    if stats_url:
        result["db_calls"] = (json.loads(http_get(stats_url))["db_calls"] - calls0) / max(result["total"], 1)
    if use_pg:
        result["pg_xacts"] = (pg_xacts() - xact0) / max(result["total"], 1)
    return result


class Peer:
    def __init__(self):
        self.proc = None
        self.config = None

    def ensure(self, at_format, alg):
        if self.config == (at_format, alg):
            return
        self.stop()
        assert_port_free(PEER_PORT)
        env = {**os.environ, "PORT": str(PEER_PORT), "AT_FORMAT": at_format, "JWT_ALG": alg}
        self.proc = subprocess.Popen(["node", "server.js"], cwd=PEER_DIR, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(f"http://127.0.0.1:{PEER_PORT}/.well-known/openid-configuration", self.proc)
        self.config = (at_format, alg)
        self.peak = 0.0

    def token(self):
        request = urllib.request.Request(f"http://127.0.0.1:{PEER_PORT}/token",
                                         data=b"grant_type=client_credentials&scope=api%3Aread",
                                         headers={"Authorization": f"Basic {PEER_BASIC}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)["access_token"]

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
        self.proc = None
        self.config = None


class Ours:
    def __init__(self, backend):
        self.backend = backend
        self.dir = tempfile.mkdtemp(prefix="idp-bench-")
        self.env = {**os.environ, "IDP_DATA_DIR": os.path.join(self.dir, "data"),
                    "IDP_HTTP__BIND": f"127.0.0.1:{OURS_PORT}", "RUST_LOG": "warn",
                    "IDP_SECRETS__MASTER_KEY": MASTER_KEY}
        self.env.pop("DATABASE_URL", None)
        self.env.pop("REDIS_URL", None)
        if backend == "postgres":
            self.env.update({"DATABASE_URL": PG_URL, "REDIS_URL": REDIS_URL})
        target = os.path.join(ROOT, "target", "release")
        sh(os.path.join(target, "idp-bench-seed"), self.dir, TOKENS, env=self.env)
        with open(os.path.join(self.dir, "seed.json")) as f:
            self.seed = json.load(f)
        self.base = f"http://127.0.0.1:{OURS_PORT}"
        assert_port_free(OURS_PORT)
        self.proc = subprocess.Popen([os.path.join(target, "idp-server")], env=self.env, cwd=self.dir)
        wait_http(f"{self.base}/health/ready", self.proc)
        self.stats = f"{self.base}/health/stats"
        self.tenant = f"/t/{self.seed['slug']}"

    def basic(self, name):
        client = self.seed["clients"][name]
        return base64.b64encode(f"{client['id']}:{client['secret']}".encode()).decode()

    def pids(self):
        pids = [self.proc.pid]
        if self.backend == "postgres":
            pids += pids_named("postgres") + pids_named("redis-server")
        return pids

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


# (name, our client or token file, peer config, target ratio of CPU-ms per request)
SCENARIOS = [
    ("client_credentials, JWT ES256", "es256", ("jwt", "ES256"), 1 / 3),
    ("client_credentials, JWT RS256", "rs256", ("jwt", "RS256"), 2 / 3),
    ("client_credentials, opaque (durable)", "opaque", ("opaque", "ES256"), 1.0),
    ("introspection, JWT (100k distinct)", "jwt", ("opaque", "ES256"), 1 / 3),
    ("introspection, opaque (100k distinct)", "opaque-introspect", ("opaque", "ES256"), 1.0),
    ("JWKS", "jwks", ("jwt", "RS256"), 1 / 2),
]


def run_ours(ours, kind, label):
    common = dict(stats_url=ours.stats, use_pg=ours.backend == "postgres")
    if kind in ("es256", "rs256", "opaque"):
        env = {"AUTH_BASIC": ours.basic(kind), "TOKEN_PATH": f"{ours.tenant}/token"}
        return measure(label, ours.pids(), ours.base, env, "token.lua", **common)
    if kind in ("jwt", "opaque-introspect"):
        tokens = "tokens-jwt.txt" if kind == "jwt" else "tokens-opaque.txt"
        env = {"AUTH_BASIC": ours.basic("introspector"), "INTROSPECT_PATH": f"{ours.tenant}/introspect",
               "TOKENS_FILE": os.path.join(ours.dir, tokens)}
        return measure(label, ours.pids(), ours.base, env, "introspect_cycle.lua", **common)
    return measure(label, ours.pids(), f"{ours.base}{ours.tenant}/jwks.json", {}, **common)


def run_peer(peer, kind, config, label):
    peer.ensure(*config)
    base = f"http://127.0.0.1:{PEER_PORT}"
    if kind in ("es256", "rs256", "opaque"):
        env = {"AUTH_BASIC": PEER_BASIC, "TOKEN_PATH": "/token"}
        result = measure(label, [peer.proc.pid], base, env, "token.lua")
    elif kind in ("jwt", "opaque-introspect"):
        path = os.path.join(tempfile.gettempdir(), "idp-bench-peer-token.txt")
        with open(path, "w") as f:
            f.write(peer.token() + "\n")
        env = {"AUTH_BASIC": PEER_RS_BASIC, "INTROSPECT_PATH": "/token/introspection", "TOKENS_FILE": path}
        result = measure(label, [peer.proc.pid], base, env, "introspect_cycle.lua")
    else:
        result = measure(label, [peer.proc.pid], f"{base}/jwks", {})
    result["rss"] = peak_rss_mib(peer.proc.pid)
    return result


def mean(results, key):
    values = [r[key] for r in results if key in r]
    return sum(values) / len(values) if values else float("nan")


def main():
    ensure_tools()
    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/run.py` on {os.cpu_count()} CPUs ({model}).",
        f"wrk -t{THREADS} -c{CONNS} -d{DURATION} on the same machine; {ROUNDS} interleaved rounds (ours, peer, ours, peer) per scenario; figures are means of the rounds.",
        "CPU-ms/req = CPU time of the server process (ours: plus every PostgreSQL and Redis process on the PostgreSQL backend) / requests served.",
        "Peer: node-oidc-provider from shared/peers, in-memory adapter (no storage cost); its introspection rows introspect one opaque token (its own bench), ours cycle over 100,000 distinct pre-minted tokens that the measured process did not mint.",
        "",
    ]
    peer = Peer()
    for backend in BACKENDS:
        ours = Ours(backend)
        title = "Embedded default (SQLite + in-process store)" if backend == "embedded" else "PostgreSQL + Redis"
        lines += [f"## {title}", "",
                  "| scenario | ours req/s | peer req/s | req/s ratio | ours p50/p99 ms | peer p50/p99 ms | ours CPU-ms/req | peer CPU-ms/req | CPU ratio (target) | db calls/req | pg xacts/req | non-2xx ours/peer |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for label, kind, config, target in SCENARIOS:
            ours_runs, peer_runs = [], []
            for round_no in range(ROUNDS):
                ours_runs.append(run_ours(ours, kind, f"{backend} ours {label} #{round_no}"))
                peer_runs.append(run_peer(peer, kind, config, f"{backend} peer {label} #{round_no}"))
            ratio = mean(ours_runs, "cpu_ms") / mean(peer_runs, "cpu_ms")
            verdict = "met" if ratio <= target else "MISSED"
            lines.append(
                f"| {label} | {mean(ours_runs, 'rps'):.0f} | {mean(peer_runs, 'rps'):.0f} | "
                f"{mean(ours_runs, 'rps') / mean(peer_runs, 'rps'):.2f} | "
                f"{mean(ours_runs, 'p50'):.2f} / {mean(ours_runs, 'p99'):.2f} | "
                f"{mean(peer_runs, 'p50'):.2f} / {mean(peer_runs, 'p99'):.2f} | "
                f"{mean(ours_runs, 'cpu_ms'):.3f} | {mean(peer_runs, 'cpu_ms'):.3f} | "
                f"{ratio:.2f} (≤ {target:.2f}: {verdict}) | {mean(ours_runs, 'db_calls'):.3f} | "
                f"{mean(ours_runs, 'pg_xacts'):.3f} | "
                f"{sum(r['non2xx'] for r in ours_runs)} / {sum(r['non2xx'] for r in peer_runs)} |")
            print(lines[-1], flush=True)
        lines += ["", f"Peak RSS: ours {peak_rss_mib(ours.proc.pid):.0f} MiB (server process); "
                      f"peer {max(r.get('rss', 0) for r in peer_runs):.0f} MiB (last configuration).", ""]
        ours.stop()
    peer.stop()
    out = os.path.join(ROOT, "bench", "results.md")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(ROOT, "bench", "results-raw.log"), "w") as f:
        f.write("\n".join(RAW))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
