"""Instructions per request of two builds of the server, side by side.

    python3 bench/instructions.py TREE_A TREE_B [es256|jwt|opaque ...]

TREE_A and TREE_B are work trees (e.g. `git worktree add ../before REV`)
whose release builds of `idp-server` and `idp-bench` exist. Each server runs
under valgrind's callgrind on the embedded default, seeded by
`idp-bench-seed` (2,000 pre-minted tokens); after 200 warm-up requests its
counters are zeroed, N (default 1,000) requests go over one keep-alive
connection, and the dump's instruction total (all threads) is divided by N.
Each tree is measured twice, alternating. Instruction counts repeat where CPU
time on a shared 2-core machine does not (see README.md), so a change of a
few per cent shows; background work (the change-counter poll) is counted too.
"""
import base64, glob, http.client, json, os, shutil, subprocess, sys, tempfile, time

MASTER_KEY = base64.b64encode(b"bench-master-key-32-bytes-long!!").decode()
PORT = 39580
N = int(os.environ.get("N", "1000"))


def requests(kind, seed, d, n):
    tenant = f"/t/{seed['slug']}"
    def basic(name):
        c = seed["clients"][name]
        return "Basic " + base64.b64encode(f"{c['id']}:{c['secret']}".encode()).decode()
    if kind == "es256":
        return [("POST", f"{tenant}/token", "grant_type=client_credentials&scope=api%3Aread", basic("es256"))] * n
    tokens = open(os.path.join(d, "tokens-jwt.txt" if kind == "jwt" else "tokens-opaque.txt")).read().split()
    return [("POST", f"{tenant}/introspect", f"token={tokens[i % len(tokens)]}", basic("introspector")) for i in range(n)]


def send(reqs):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    for method, path, body, auth in reqs:
        conn.request(method, path, body=body, headers={"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse(); r.read()
        assert r.status == 200, (path, r.status)
    conn.close()


def measure(root, kind):
    d = tempfile.mkdtemp(prefix="cg-")
    env = {**os.environ, "IDP_DATA_DIR": os.path.join(d, "data"), "IDP_HTTP__BIND": f"127.0.0.1:{PORT}",
           "RUST_LOG": "warn", "IDP_SECRETS__MASTER_KEY": MASTER_KEY}
    env.pop("DATABASE_URL", None); env.pop("REDIS_URL", None)
    subprocess.run([f"{root}/target/release/idp-bench-seed", d, "2000", "4"], env=env, check=True, stdout=subprocess.DEVNULL)
    seed = json.load(open(os.path.join(d, "seed.json")))
    out = os.path.join(d, "callgrind.out")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p",
                             f"{root}/target/release/idp-server"], env=env, cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            c.request("GET", "/health/ready")
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        proc.kill()
        sys.exit(f"{root}: the server never got ready under valgrind")
    send(requests(kind, seed, d, 200))  # warm-up
    subprocess.run(["callgrind_control", "-z", str(proc.pid)], check=True, stdout=subprocess.DEVNULL)
    t = time.time()
    send(requests(kind, seed, d, N))
    elapsed = time.time() - t
    done = N
    subprocess.run(["callgrind_control", "-d", str(proc.pid)], check=True, stdout=subprocess.DEVNULL)
    for _ in range(120):
        dumped = [f for f in glob.glob(f"{out}.*") if f.endswith(".1")]
        if dumped and any(l.startswith("totals:") for l in open(dumped[0])):
            break
        time.sleep(0.5)
    proc.terminate(); proc.wait()
    total = 0
    dumps = sorted(glob.glob(f"{out}.*"))
    # The dump taken by callgrind_control -d is part 1 (`….<pid>.1`).
    for f in dumps:
        if f.endswith(".1"):
            for line in open(f):
                if line.startswith("summary:") or line.startswith("totals:"):
                    total += int(line.split()[1]); break
    shutil.rmtree(d, ignore_errors=True)
    if total == 0:
        sys.exit(f"{root}: callgrind wrote no dump")
    return total / done, f"{elapsed:.1f} s for {done}"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    trees = [os.path.abspath(t) for t in sys.argv[1:3]]
    for kind in sys.argv[3:] or ["es256", "jwt", "opaque"]:
        for root in trees + trees:
            ir, took = measure(root, kind)
            print(f"{kind} {root}: {ir:,.0f} instructions/request ({took})", flush=True)


if __name__ == "__main__":
    main()
