#!/usr/bin/env python3
"""Admin-service benchmark: propagation time from an admin change to every
server process (p50/p99 over CHANGES changes, with and without pub/sub),
and admin reads and writes per second.

Release build; everything on this machine, loopback only. On the embedded
default there is one server process and the admin service is another
process, so changes reach the server through the database change counter
alone (no shared channel). On PostgreSQL + Redis two server processes run;
the admin service reaches Redis through a proxy in this script, which is
cut for the "without pub/sub" run. Writes the "## Admin service" section of
bench/results.md.

    python3 bench/admin.py               # CHANGES=100 SECONDS=5 CONCURRENCY=8
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  shared helpers: waits, port checks, results file
import scheduling  # noqa: E402

ROOT = bench.ROOT
CHANGES = os.environ.get("CHANGES", "100")
SECONDS = os.environ.get("SECONDS", "5")
CONCURRENCY = os.environ.get("CONCURRENCY", "8")
SERVER_PORTS = (39490, 39491)
ADMIN_PORT, PROXY_PORT = 39492, 39493
HEADING = "## Admin service"
TARGET = os.path.join(ROOT, "target", "release")


class RedisProxy:
    """A TCP forwarder to Redis that can be cut: open connections are
    closed and new ones refused, so publishes through it are lost."""

    def __init__(self, port, upstream=("127.0.0.1", 6379)):
        self.upstream, self.cut, self.conns = upstream, False, []
        self.server = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.server.accept()
            if self.cut:
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.close()
            except OSError:
                pass

    def set_cut(self):
        self.cut = True
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def start(args, env, cwd, ready):
    proc = subprocess.Popen(args, env=env, cwd=cwd)
    bench.wait_http(ready, proc)
    return proc


def run_backend(backend):
    work = tempfile.mkdtemp(prefix="idp-bench-admin-")
    env = {**os.environ, "IDP_DATA_DIR": os.path.join(work, "data"), "RUST_LOG": "warn",
           "IDP_SECRETS__MASTER_KEY": bench.MASTER_KEY}
    for key in ("DATABASE_URL", "REDIS_URL", "PUBLIC_URL"):
        env.pop(key, None)
    servers, database = 1, None
    if backend == "postgres":
        # A database of its own: bootstrap needs one without a system tenant.
        database = f"idp_bench_admin_{os.getpid()}"
        subprocess.run(["psql", bench.PG_URL, "-q", "-c", f"CREATE DATABASE {database}"], check=True)
        parts = urllib.parse.urlsplit(bench.PG_URL)
        url = urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))
        env.update({"DATABASE_URL": url, "REDIS_URL": bench.REDIS_URL})
        servers = 2
    procs, proxy = [], None
    public = f"http://127.0.0.1:{SERVER_PORTS[0]}"
    try:
        for port in SERVER_PORTS[:servers]:
            bench.assert_port_free(port)
            senv = {**env, "IDP_HTTP__BIND": f"127.0.0.1:{port}", "IDP_HTTP__PUBLIC_URL": public}
            procs.append(start([os.path.join(TARGET, "idp-server")], senv, work,
                               f"http://127.0.0.1:{port}/health/ready"))
        aenv = {**env, "IDP_HTTP__BIND": f"127.0.0.1:{SERVER_PORTS[0]}",
                "IDP_ADMIN__BIND": f"127.0.0.1:{ADMIN_PORT}"}
        if backend == "postgres":
            proxy = RedisProxy(PROXY_PORT)
            aenv["REDIS_URL"] = f"redis://127.0.0.1:{PROXY_PORT}"
        procs.append(start([os.path.join(TARGET, "idp-admin"), "serve"], aenv, work,
                           f"http://127.0.0.1:{ADMIN_PORT}/health"))
        boot = subprocess.run([os.path.join(TARGET, "idp-admin"), "bootstrap"], env=aenv, cwd=work,
                              check=True, capture_output=True, text=True).stdout
        creds = dict(re.findall(r"export (IDP_ADMIN_\w+)=(\S+)", boot))
        server_urls = ",".join(f"http://127.0.0.1:{p}" for p in SERVER_PORTS[:servers])
        results = []
        modes = ["with pub/sub", "without pub/sub"] if backend == "postgres" else ["without pub/sub (separate processes)"]
        for mode in modes:
            if mode == "without pub/sub":
                proxy.set_cut()
            out = subprocess.run(
                [os.path.join(TARGET, "idp-bench-admin"), f"http://127.0.0.1:{ADMIN_PORT}",
                 f"{public}/t/system/token", creds["IDP_ADMIN_CLIENT_ID"], creds["IDP_ADMIN_CLIENT_SECRET"],
                 server_urls, CHANGES, SECONDS, CONCURRENCY],
                check=True, capture_output=True, text=True).stdout
            result = json.loads(out)
            result["mode"], result["servers"] = mode, servers
            print(backend, result, flush=True)
            results.append(result)
        return results
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
        if database:
            subprocess.run(["psql", bench.PG_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])


def main():
    subprocess.run(["cargo", "build", "--release", "-p", "idp-server", "-p", "idp-admin",
                    "-p", "idp-bench", "--bins"], cwd=ROOT, check=True)
    rows = []
    with scheduling.per_thread() as sched:
        results = [(backend, r) for backend in bench.BACKENDS for r in run_backend(backend)]
    for backend, r in results:
        label = "Embedded default" if backend == "embedded" else "PostgreSQL + Redis"
        rows.append(
            f"| {label} | {r['mode']} | {r['servers']} | {r['changes']} | "
            f"{r['propagation_p50_ms']:.1f} / {r['propagation_p99_ms']:.1f} / {r['propagation_max_ms']:.1f} | "
            f"{r['reads_per_second']:.0f} ({r['read_errors']}) | {r['writes_per_second']:.0f} ({r['write_errors']}) |")
    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
    section = "\n".join([
        HEADING, "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python3 bench/admin.py` on "
        f"{os.cpu_count()} CPUs ({model}); release build, change counter polled every 250 ms.",
        f"Propagation: {CHANGES} changes (a client disabled or enabled through the admin API); time from "
        "the admin's answer until every server process answers the token endpoint accordingly "
        "(polled every 2 ms). Reads: GET of one client; writes: user creation (no password), "
        f"each with {CONCURRENCY} concurrent callers for {SECONDS} s.",
        sched,
        "",
        "| backend | announcement | server processes | changes | propagation p50 / p99 / max ms | admin reads/s (errors) | admin writes/s (errors) |",
        "|---|---|---|---|---|---|---|",
        *rows, ""]) + "\n"
    out = os.path.join(ROOT, "bench", "results.md")
    previous = open(out).read() if os.path.exists(out) else ""
    with open(out, "w") as f:
        f.write(bench.replace_section(previous, HEADING, section))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
