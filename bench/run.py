#!/usr/bin/env python3
"""Benchmarks: machine-to-machine endpoints beside node-oidc-provider, and
sign-in flows (authorization code with a session, with a password login,
refresh rotation) with our own load driver.

Release build; wrk on this machine; each machine-to-machine scenario runs
interleaved (ours, peer, ours, peer, ...) on the embedded default and on
PostgreSQL + Redis. Records requests/s, p50/p99, non-2xx, CPU-ms per request
summed over the server, PostgreSQL and Redis processes (from /proc), peak
RSS, and database calls per request. The flow scenarios run
target/release/idp-bench-flows (cookies kept, redirects checked hop by hop)
against ours only and record flows/s, p50/p99 of a whole flow, errors and
CPU-ms per flow the same way, plus the argon2id bound on logins/s.
Writes bench/results.md (and raw output beside it, with `uptime` before
each run).

    python3 bench/run.py                 # DURATION=8s CONNS=64 ROUNDS=2 TOKENS=100000
    BACKENDS=embedded python3 bench/run.py
    SCENARIOS=flows python3 bench/run.py # flows alone: rewrites only their
                                         # section of results.md
    FLOW_CONNS=16 LOGIN_CONNS=8 ...      # driver concurrency

Needs: cargo, node + npm (the peer), wrk (installed with apt-get if missing);
the flow scenarios need neither. Only loopback addresses are used.
"""
import base64
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import scheduling

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DURATION = os.environ.get("DURATION", "8s")
CONNS = os.environ.get("CONNS", "64")
THREADS = "2"
ROUNDS = int(os.environ.get("ROUNDS", "2"))
TOKENS = os.environ.get("TOKENS", "100000")
BACKENDS = os.environ.get("BACKENDS", "embedded,postgres").split(",")
# A database of the benchmark's own: every process of one database needs the
# same master key, and the test suites' database has theirs.
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/idp_bench?sslmode=disable")
PG_DB = urllib.parse.urlsplit(PG_URL).path.lstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
PEER_SRC = os.path.join(ROOT, "..", "shared", "peers", "node-oidc-provider")
PEER_DIR = os.environ.get("PEER_DIR", "/tmp/idp-bench-peer")
OURS_PORT, PEER_PORT = 39480, 39481
HZ = os.sysconf("SC_CLK_TCK")
MASTER_KEY = base64.b64encode(b"bench-master-key-32-bytes-long!!").decode()
PEER_BASIC = base64.b64encode(b"bench-client:bench-secret-0123456789abcdef0123456789abcdef").decode()
PEER_RS_BASIC = base64.b64encode(b"bench-rs:bench-rs-secret-0123456789abcdef0123456789abcdef").decode()
SCENARIO_SETS = os.environ.get("SCENARIOS", "m2m,flows").split(",")
FLOW_SECONDS = os.environ.get("FLOW_DURATION", DURATION.rstrip("s"))
FLOW_CONNS = os.environ.get("FLOW_CONNS", "16")
LOGIN_CONNS = os.environ.get("LOGIN_CONNS", "8")
FLOW_USERS = os.environ.get("FLOW_USERS", "64")
ARGON2_ITERATIONS = os.environ.get("ARGON2_ITERATIONS", "30")
FLOWS_HEADING = "## Sign-in flows"
FLOWS_RAW_MARKER = "=== sign-in flows ==="
# Keycloak's sizing guide: CPU of the Keycloak pods alone (its database is
# sized separately: 0.35-0.7 vCPU per 100 logins/refreshes per second).
KEYCLOAK = {"login": 1000 / 15, "refresh": 1000 / 120}
RAW = []
FLOW_RAW = []


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def ensure_bench_database():
    if "postgres" not in BACKENDS:
        return
    exists = subprocess.run(["psql", PG_URL, "-tAc", "SELECT 1"], capture_output=True).returncode == 0
    if not exists:
        server = urllib.parse.urlunsplit(urllib.parse.urlsplit(PG_URL)._replace(path="/postgres"))
        sh("psql", server, "-q", "-c", f"CREATE DATABASE {PG_DB}")


def ensure_tools():
    ensure_bench_database()
    if "m2m" not in SCENARIO_SETS:
        sh("cargo", "build", "--release", "-q", "-p", "idp-server", "-p", "idp-bench", cwd=ROOT)
        return
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
    query = f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{PG_DB}'"
    out = subprocess.run(["psql", PG_URL, "-tAc", query],
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
        tokens = TOKENS if "m2m" in SCENARIO_SETS else "0"
        sh(os.path.join(target, "idp-bench-seed"), self.dir, tokens, FLOW_USERS, env=self.env)
        if backend == "postgres":
            # Dead rows left by earlier runs and test suites slow every table
            # when autovacuum is off (as on the CI machine); start measured
            # runs from a vacuumed, analysed database.
            sh("psql", PG_URL, "-q", "-c", "VACUUM ANALYZE", stdout=subprocess.DEVNULL)
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
        if self.backend == "postgres":
            # The seeded tenant and everything it holds (100k+ tokens a run)
            # would otherwise pile up in the shared database and slow later runs.
            sh("psql", PG_URL, "-q", "-c", f"DELETE FROM tenants WHERE slug = '{self.seed['slug']}'",
               stdout=subprocess.DEVNULL)


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

# (label, driver mode, concurrency, Keycloak figure key)
FLOW_SCENARIOS = [
    ("authorization code, existing session (SSO)", "sso", FLOW_CONNS, None),
    ("authorization code, password login each time", "login", LOGIN_CONNS, "login"),
    ("refresh token rotation", "refresh", FLOW_CONNS, "refresh"),
]


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def flows_binary():
    return os.path.join(ROOT, "target", "release", "idp-bench-flows")


def argon2_bound():
    """Single-threaded argon2id verify time with the server's hasher; the
    bound on logins/s is (cores / verify time)."""
    load = uptime()
    out = subprocess.run([flows_binary(), "argon2", ARGON2_ITERATIONS],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    FLOW_RAW.append(f"### argon2id verify, single thread\nuptime: {load}\n{out}")
    result["bound"] = (os.cpu_count() or 1) * 1000 / result["verify_ms_median"]
    return result


def run_flow(ours, label, mode, conns):
    """One driver run; CPU, database and driver counters are read after every
    worker is set up (signed in, holding a refresh token) and after the run."""
    load = uptime()
    env = {**os.environ, "IDP_BENCH_SYNC": "1", "IDP_BENCH_USERS": FLOW_USERS}
    args = [flows_binary(), mode, ours.base, ours.seed["slug"], ours.seed["web"]["id"],
            FLOW_SECONDS, conns]
    use_pg = ours.backend == "postgres"
    driver = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ready = driver.stdout.readline().strip()
    if ready != "ready":
        driver.kill()
        sys.exit(f"{label}: the driver did not get ready: {ready!r}")
    pids = ours.pids()
    xact0 = pg_xacts() if use_pg else None
    calls0 = json.loads(http_get(ours.stats))["db_calls"]
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = sum(ticks(p) for p in pids)
    out, _ = driver.communicate("go\n")
    after = sum(ticks(p) for p in pids)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    calls1 = json.loads(http_get(ours.stats))["db_calls"]
    xact1 = pg_xacts() if use_pg else None
    FLOW_RAW.append(f"### {label}\nuptime: {load}\n{' '.join(args[1:])}\n{out}")
    if driver.returncode != 0:
        sys.exit(f"{label}: the driver failed ({driver.returncode})")
    result = json.loads(out)
    done = max(result["completed"], 1)
    result["cpu_ms"] = (after - before) / HZ * 1000 / done
    driver_s = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    result["driver_cpu_ms"] = driver_s * 1000 / done
    result["db_calls"] = (calls1 - calls0) / done
    if use_pg:
        result["pg_xacts"] = (xact1 - xact0) / done
    FLOW_RAW.append(f"measured: CPU-ms/flow {result['cpu_ms']:.3f} (server + PostgreSQL + Redis on that backend), "
                    f"driver CPU-ms/flow {result['driver_cpu_ms']:.3f}, db calls/flow {result['db_calls']:.2f}, "
                    f"pg xacts/flow {result.get('pg_xacts', float('nan')):.2f}\n")
    return result


def flow_section(flow_results, argon, sched):
    """The sign-in flow section of results.md."""
    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
    bound = argon["bound"]
    lines = [
        FLOWS_HEADING,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/run.py` "
        f"(or `SCENARIOS=flows` alone) on {os.cpu_count()} CPUs ({model}); load averages before each run in "
        "`results-raw.log`.",
        f"Driver: `idp-bench-flows` on the same machine, {FLOW_SECONDS} s a run, {ROUNDS} round(s) per scenario (figures are "
        f"means), {FLOW_CONNS} concurrent browsers ({LOGIN_CONNS} for password logins), {FLOW_USERS} users. "
        "Public first-party web client (PKCE S256; consent asked once per user, for offline_access, then remembered), scope `openid profile email offline_access`: "
        "every flow ends with an access token (ES256 JWT), an ID token (RS256) and a refresh token; every "
        "refresh rotates the refresh token and issues both tokens again.",
        "CPU-ms/flow = CPU time of the server process (plus every PostgreSQL and Redis process on the "
        "PostgreSQL backend) / completed flows, counted from when every browser is set up to the end of the run. "
        "Driver CPU is the load generator's own, not included. The peer is not run: node-oidc-provider's "
        "interaction pages are application code, not part of the library.",
        sched,
        "",
        "| backend | scenario | flows/s | p50 / p99 ms | errors / completed | CPU-ms/flow | driver CPU-ms/flow | db calls/flow | pg xacts/flow | Keycloak CPU-ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, label, key, runs in flow_results:
        keycloak = f"{KEYCLOAK[key]:.1f} (+ DB)" if key else "—"
        xacts = f"{mean(runs, 'pg_xacts'):.2f}" if backend == "postgres" else "—"
        lines.append(
            f"| {backend} | {label} | {mean(runs, 'per_second'):.0f} | "
            f"{mean(runs, 'p50_ms'):.1f} / {mean(runs, 'p99_ms'):.1f} | "
            f"{sum(r['errors'] for r in runs)} / {sum(r['completed'] for r in runs)} | "
            f"{mean(runs, 'cpu_ms'):.2f} | {mean(runs, 'driver_cpu_ms'):.2f} | "
            f"{mean(runs, 'db_calls'):.2f} | {xacts} | {keycloak} |")
    lines += [
        "",
        f"argon2id bound: one verification ({argon['params']}) takes {argon['verify_ms_median']:.1f} ms "
        f"single-threaded on this machine (median of {argon['iterations']}, minimum {argon['verify_ms_min']:.1f} ms), "
        f"so {os.cpu_count()} cores verify at most {bound:.0f} passwords/s.",
        "",
    ]
    for backend, label, key, runs in flow_results:
        if key == "login":
            rate = mean(runs, "per_second")
            lines.append(f"- {backend}: {rate:.0f} password-login flows/s = {rate / bound:.0%} of the argon2id bound "
                         f"({bound:.0f}/s).")
    lines += [
        "",
        "Keycloak (sizing guide, \"Concepts for sizing CPU and memory resources\"): 15 password logins/s and "
        "120 refresh-token requests/s per vCPU of the Keycloak pods, i.e. about 67 and 8.3 CPU-ms each, with the "
        "database sized on top (0.35-0.7 vCPU per 100 logins/refreshes per second, 3.5-7 CPU-ms each). Our "
        "figures above include PostgreSQL and Redis.",
        "",
    ]
    return lines


def run_flows(backends, sched):
    argon = argon2_bound()
    print(f"argon2id verify {argon['verify_ms_median']:.1f} ms -> bound {argon['bound']:.0f} logins/s", flush=True)
    flow_results = []
    for backend in backends:
        ours = Ours(backend)
        for label, mode, conns, key in FLOW_SCENARIOS:
            runs = [run_flow(ours, f"{backend} {label} #{round_no}", mode, conns) for round_no in range(ROUNDS)]
            flow_results.append((backend, label, key, runs))
            print(f"{backend} {label}: {mean(runs, 'per_second'):.0f}/s, {mean(runs, 'cpu_ms'):.2f} CPU-ms, "
                  f"errors {sum(r['errors'] for r in runs)}", flush=True)
        ours.stop()
    return flow_section(flow_results, argon, sched)


def replace_flows(text, marker, new):
    """`text` up to `marker` (or all of it), then `new`."""
    head = text.split(marker, 1)[0].rstrip("\n")
    return (head + "\n\n" if head else "") + new


def replace_section(text, heading, new):
    """`text` with the section under `heading` (up to the next `## `
    heading) replaced by `new`, or `new` appended when there is none."""
    if heading not in text:
        return (text.rstrip("\n") + "\n\n" if text.strip() else "") + new
    head, rest = text.split(heading, 1)
    after = rest.find("\n## ")
    tail = rest[after + 1:] if after >= 0 else ""
    return head.rstrip("\n") + "\n\n" + new + ("\n" + tail if tail else "")


def mean(results, key):
    values = [r[key] for r in results if r.get(key) is not None]
    return sum(values) / len(values) if values else float("nan")


def main():
    ensure_tools()
    out = os.path.join(ROOT, "bench", "results.md")
    raw = os.path.join(ROOT, "bench", "results-raw.log")
    if "m2m" in SCENARIO_SETS:
        with scheduling.per_thread() as sched:
            lines = run_m2m(sched)
        with open(out, "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(raw, "w") as f:
            f.write("\n".join(RAW))
    if "flows" in SCENARIO_SETS:
        with scheduling.per_thread() as sched:
            section = "\n".join(run_flows(BACKENDS, sched)) + "\n"
        previous = open(out).read() if os.path.exists(out) else ""
        with open(out, "w") as f:
            f.write(replace_section(previous, FLOWS_HEADING, section))
        previous = open(raw).read() if os.path.exists(raw) else ""
        with open(raw, "w") as f:
            f.write(replace_flows(previous, FLOWS_RAW_MARKER, FLOWS_RAW_MARKER + "\n\n" + "\n".join(FLOW_RAW)))
    print(f"wrote {out}")


def run_m2m(sched):
    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/run.py` on {os.cpu_count()} CPUs ({model}).",
        f"wrk -t{THREADS} -c{CONNS} -d{DURATION} on the same machine; {ROUNDS} interleaved rounds (ours, peer, ours, peer) per scenario; figures are means of the rounds.",
        "CPU-ms/req = CPU time of the server process (ours: plus every PostgreSQL and Redis process on the PostgreSQL backend) / requests served.",
        sched,
        "Peer: node-oidc-provider from shared/peers, in-memory adapter (no storage cost); its introspection rows introspect one opaque token (its own bench), ours cycle over 100,000 distinct pre-minted tokens that the measured process did not mint. The peer refuses to introspect JWT access tokens (`unsupported_token_type`: \"Structured JWT Tokens cannot be introspected\"), so the JWT row sets our signature check on each token against its lookup of an opaque one.",
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
    return lines


if __name__ == "__main__":
    main()
