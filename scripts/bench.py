#!/usr/bin/env python3
"""The side-by-side benchmark behind scripts/bench (see README "Performance").

Measures, in one run so ratios hold on a noisy machine: cognito-account against the AWS CLI and a
one-shot boto3 script as whole processes; our overhead over moto's own answer time (timed at a
loopback proxy, which also counts requests per user action); the screen's first paint and bytes
per keystroke through a pseudo-terminal; keyfile unlock at the default cost; peak RSS; and a user
with 70 long attributes. Prints one Markdown table. A benchmark measures; it asserts nothing.

With BENCH_DEB set to a package built by scripts/package, also its size, the tarball's, and the
packaged binary's start-up (unpacked with dpkg-deb, run in place), beside the build's own.

usage: bench.py BINARY MOTO_URL [--quick]
"""

import json
import os
import pty
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import fcntl

import boto3
import pyte

BINARY, MOTO_URL = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv
RUNS = 3 if QUICK else 10
MOTO_PORT = int(MOTO_URL.rstrip("/").rsplit(":", 1)[1])
ROWS = []


def row(measure, value, note=""):
    ROWS.append((measure, value, note))


def summary(samples, unit="ms", scale=1000.0):
    values = sorted(x * scale for x in samples)
    return f"{statistics.median(values):.1f} {unit} (min {values[0]:.1f}, max {values[-1]:.1f})"


# --- a counting, timing proxy in front of moto -------------------------------------------------
class Proxy:
    def __init__(self, upstream_port=None):
        self.upstream_port = upstream_port or MOTO_PORT
        self.counts, self.server_seconds, self.lock = {}, [], threading.Lock()
        self.answered = {}  # operation -> perf_counter() when its last answer was passed on
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        threading.Thread(target=self.serve, daemon=True).start()

    def reset(self):
        with self.lock:
            self.counts, self.server_seconds = {}, []

    def serve(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return client.close()
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length, operation = 0, ""
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
            if name.strip().lower() == b"x-amz-target":
                operation = value.strip().decode().rsplit(".", 1)[-1]
        while len(body) < length:
            body += client.recv(65536)
        if not operation and b"Action=" in body:  # STS's query protocol
            operation = "sts:" + body.split(b"Action=", 1)[1].split(b"&", 1)[0].decode()
        started = time.perf_counter()
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        upstream.sendall(head + b"\r\n\r\n" + body)
        response = b""
        while True:
            chunk = upstream.recv(65536)
            if not chunk:
                break
            response += chunk
        upstream.close()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.counts[operation] = self.counts.get(operation, 0) + 1
            self.server_seconds.append(elapsed)
        client.sendall(response)
        with self.lock:
            self.answered[operation] = time.perf_counter()
        client.close()


PROXY = Proxy()
IDP = boto3.client(
    "cognito-idp", endpoint_url=MOTO_URL, region_name="us-east-1",
    aws_access_key_id="testing", aws_secret_access_key="testing",
)


def harness(operation, body):
    """Calls one of the moto harness's test-only operations (boto3 does not know them)."""
    import urllib.request
    request = urllib.request.Request(MOTO_URL, data=json.dumps(body).encode(), headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService." + operation})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request) as answer:
        return json.loads(answer.read())


def seed(big):
    schema = [{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}]
    standard = ["given_name", "family_name", "name", "nickname", "locale", "zoneinfo", "phone_number",
                "website", "birthdate", "address", "middle_name", "gender", "picture", "profile",
                "preferred_username"]
    schema += [{"Name": n, "AttributeDataType": "String", "Mutable": True} for n in standard]
    customs = [f"field{i:02d}" for i in range(50 if big else 3)]
    schema += [{"Name": n, "AttributeDataType": "String", "Mutable": True,
                "StringAttributeConstraints": {"MaxLength": "2048"}} for n in customs]
    pool = IDP.create_user_pool(PoolName=f"bench-{time.time_ns()}", Schema=schema)["UserPool"]["Id"]
    client = IDP.create_user_pool_client(
        UserPoolId=pool, ClientName="bench", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    long_value = ("Zoë ångström 用户 " * 200)[: 2048 if big else 40]
    attributes = {"email": "bench@example.com", "email_verified": "true"}
    if big:
        attributes["phone_number_verified"] = "false"
    for n in standard[: len(standard) if big else 6]:
        attributes[n] = "+46700000000" if n == "phone_number" else (f"{n} " + long_value)[: 2048 if big else 40]
    for n in customs:
        attributes["custom:" + n] = (f"{n} " + long_value)[:2048]
    IDP.admin_create_user(UserPoolId=pool, Username="bench", TemporaryPassword="Temp-Passw0rd!",
                          MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()])
    IDP.admin_set_user_password(UserPoolId=pool, Username="bench", Password="Bench-Passw0rd!", Permanent=True)
    return pool, client, len(attributes) + 1


def environment(home, pool, client, endpoint, cache_minutes="15"):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "PYENV_ROOT", "PYENV_VERSION")}
    env.update({
        "HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
        "COGNITO_ACCOUNT_PASSPHRASE": "bench passphrase", "COGNITO_ACCOUNT_USER_POOL_ID": pool,
        "COGNITO_ACCOUNT_CLIENT_ID": client, "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": endpoint,
        "COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES": cache_minutes, "no_proxy": "127.0.0.1,localhost",
        "LANG": "C.UTF-8", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    })
    return env


def rewrite_keyfile(keyfile, *change):
    """Rewrites the stored session (scripts/keyfile_rewrite.py): "expire", or "endpoint", URL."""
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "keyfile_rewrite.py"),
                    keyfile, *change], input=b"bench passphrase", check=True)


def packaged(env, build_attributes):
    """Rows for the .deb in BENCH_DEB: sizes, and its binary's --version and attributes --json."""
    deb = os.environ.get("BENCH_DEB")
    if not deb:
        return
    root = tempfile.mkdtemp(prefix="bench-deb-")
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    binary = root + "/usr/bin/cognito-account"
    tarballs = [f for f in os.listdir(os.path.dirname(deb)) if f.endswith(".tar.gz")]
    tar_note = (f"; tarball {os.path.getsize(os.path.join(os.path.dirname(deb), tarballs[0])) / 1e6:.1f} MB"
                if tarballs else "")
    row("package: .deb size", f"{os.path.getsize(deb) / 1e6:.1f} MB",
        f"installed binary {os.path.getsize(binary) / 1e6:.1f} MB{tar_note}")
    row("package: --version (installed binary)", summary(timed([binary, "--version"], env)))
    installed = timed([binary, "attributes", "--json"], env)
    row("package: attributes --json (installed binary, cache warm)", summary(installed),
        f"build's own: {statistics.median(build_attributes) * 1000:.1f} ms")


def startup_rows(env):
    """--version beside the floors scripts/bench built (a C program, a minimal static Swift
    program), run in turns so that the machine's drift touches them alike."""
    commands = {"ours": [BINARY, "--version"]}
    for name, variable in (("C", "BENCH_FLOOR_C"), ("Swift", "BENCH_FLOOR_SWIFT")):
        if os.environ.get(variable):
            commands[name] = [os.environ[variable]]
    samples = {name: [] for name in commands}
    for _ in range(max(RUNS, 10) * 2):
        for name, command in commands.items():
            samples[name].extend(timed(command, env, runs=1))
    floors = "; ".join(f"{name} floor {statistics.median(samples[name]) * 1000:.1f} ms"
                       f" ({os.path.getsize(commands[name][0]) / 1e6:.1f} MB)"
                       for name in commands if name != "ours")
    row("--version", summary(samples["ours"]),
        f"binary {os.path.getsize(BINARY) / 1e6:.1f} MB; same run, in turns: {floors}")


def timed(command, env, runs=RUNS, setup=None):
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        started = time.perf_counter()
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"bench: {command[:3]} failed: {result.stderr.decode()[:300]}")
    return samples


def peak_rss_kb(command, env):
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return int(result.stderr.decode().strip().splitlines()[-1])


# --- the screen through a pseudo-terminal ------------------------------------------------------
class Screen:
    def __init__(self, env, rows, columns, wrapper=(), arguments=()):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(wrapper[0] if wrapper else BINARY, list(wrapper) + [BINARY] + list(arguments),
                       {**env, "TERM": "xterm-256color"})
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.output = b""
        # ncurses sends only changed cells, so text is read from a terminal model, not the bytes.
        self.model = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.model)

    def feed(self, data):
        self.output += data
        self.stream.feed(data)

    def text(self):
        return "\n".join(self.model.display)

    def read(self):
        """What the program wrote, b"" once it has ended (the pty then reads EIO)."""
        try:
            return os.read(self.fd, 65536)
        except OSError:
            return b""

    def read_until(self, marker, timeout=15.0):
        deadline = time.perf_counter() + timeout
        target = marker.decode()
        while target not in self.text() and target.encode() not in self.output:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise SystemExit(f"bench: the screen never showed {marker!r}:\n{self.text()}")
            if select.select([self.fd], [], [], remaining)[0]:
                data = self.read()
                if not data:
                    raise SystemExit(f"bench: the program ended before showing {marker!r}")
                self.feed(data)
        return time.perf_counter()

    def quiet(self, settle=0.15):
        """Reads until nothing arrives for `settle` seconds; returns the bytes read."""
        chunk = b""
        while select.select([self.fd], [], [], settle)[0]:
            data = self.read()
            if not data:
                break
            chunk += data
        self.feed(chunk)
        return chunk

    def keys_bytes(self, keys, repeat):
        counts = []
        for _ in range(repeat):
            os.write(self.fd, keys)
            counts.append(len(self.quiet()))
        return counts

    def key_latency(self, key):
        """Seconds from writing `key` to the first byte the program writes back."""
        started = time.perf_counter()
        os.write(self.fd, key)
        select.select([self.fd], [], [], 5.0)
        elapsed = time.perf_counter() - started
        self.quiet()
        return elapsed

    def close(self):
        os.write(self.fd, b"q")
        time.sleep(0.1)
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def main():
    home = tempfile.mkdtemp(prefix="bench-")
    os.chmod(home, 0o700)
    pool, client, count = seed(big=False)
    env = environment(home, pool, client, MOTO_URL)
    subprocess.run([BINARY, "login", "--username", "bench", "--password-stdin"], env=env,
                   input=b"Bench-Passw0rd!\n", check=True, stdout=subprocess.DEVNULL)
    subprocess.run([BINARY, "status"], env=env, stdout=subprocess.DEVNULL)  # warm the unlock cache
    keyfile = home + "/state/cognito-account/default.keyfile"
    from importlib import import_module  # noqa: F401 (keeps imports grouped for readers)
    token_file = home + "/get-user.json"

    # The access token, for the AWS CLI and boto3 (read through our own status is not possible:
    # it never prints tokens), from a fresh sign-in with boto3 (USER_PASSWORD_AUTH).
    auth = IDP.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "bench", "PASSWORD": "Bench-Passw0rd!"})
    token = auth["AuthenticationResult"]["AccessToken"]
    with open(token_file, "w") as handle:
        json.dump({"AccessToken": token}, handle)
    os.chmod(token_file, 0o600)

    ours = timed([BINARY, "attributes", "--json"], env)
    startup_rows(env)
    packaged(env, ours)
    cold_env = dict(env, COGNITO_ACCOUNT_UNLOCK_CACHE_MINUTES="0")
    ours_cold = timed([BINARY, "attributes", "--json"], cold_env)
    aws = timed(["aws", "cognito-idp", "get-user", "--cli-input-json", "file://" + token_file,
                 "--endpoint-url", MOTO_URL, "--output", "json"], env)
    boto_script = ("import boto3,json,sys; c=boto3.client('cognito-idp',endpoint_url=sys.argv[1],"
                   "region_name='us-east-1'); print(json.dumps(c.get_user(AccessToken=json.load(open(sys.argv[2]))['AccessToken'])))")
    boto = timed([sys.executable, "-c", boto_script, MOTO_URL, token_file], env)
    m = statistics.median
    row("attributes --json, unlock cache warm", summary(ours))
    row("aws cognito-idp get-user", summary(aws), f"aws/ours = {m(aws) / m(ours):.1f}×")
    row("boto3 one-shot script", summary(boto), f"boto3/ours = {m(boto) / m(ours):.1f}×")
    row("attributes --json, unlock cache cold (scrypt N=2^17)", summary(ours_cold),
        f"aws/ours = {m(aws) / m(ours_cold):.1f}×")

    def restore():
        IDP.admin_update_user_attributes(UserPoolId=pool, Username="bench",
                                         UserAttributes=[{"Name": "custom:field00", "Value": "x"}])
    ours_delete = timed([BINARY, "delete", "custom:field00", "--yes"], env, setup=restore)
    with open(home + "/delete.json", "w") as handle:
        json.dump({"AccessToken": token, "UserAttributeNames": ["custom:field00"]}, handle)
    aws_delete = []
    for _ in range(RUNS):
        restore()
        started = time.perf_counter()
        subprocess.run(["aws", "cognito-idp", "delete-user-attributes", "--cli-input-json",
                        "file://" + home + "/delete.json", "--endpoint-url", MOTO_URL], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["aws", "cognito-idp", "get-user", "--cli-input-json", "file://" + token_file,
                        "--endpoint-url", MOTO_URL], env=env, check=True, stdout=subprocess.DEVNULL)
        aws_delete.append(time.perf_counter() - started)
    row("delete NAME --yes (reads, deletes, verifies)", summary(ours_delete))
    row("aws delete-user-attributes + get-user", summary(aws_delete),
        f"aws/ours = {m(aws_delete) / m(ours_delete):.1f}×")

    # set: one attribute changed, read back; the AWS CLI's update-user-attributes + get-user.
    values = iter(range(1_000_000))
    ours_set = timed([BINARY, "set", "custom:field01=ours", "--yes"], env,
                     setup=lambda: IDP.admin_update_user_attributes(
                         UserPoolId=pool, Username="bench",
                         UserAttributes=[{"Name": "custom:field01", "Value": f"v{next(values)}"}]))
    aws_set = []
    for index in range(RUNS):
        with open(home + "/set.json", "w") as handle:
            json.dump({"AccessToken": token,
                       "UserAttributes": [{"Name": "custom:field01", "Value": f"aws{index}"}]}, handle)
        started = time.perf_counter()
        subprocess.run(["aws", "cognito-idp", "update-user-attributes", "--cli-input-json",
                        "file://" + home + "/set.json", "--endpoint-url", MOTO_URL], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["aws", "cognito-idp", "get-user", "--cli-input-json", "file://" + token_file,
                        "--endpoint-url", MOTO_URL], env=env, check=True, stdout=subprocess.DEVNULL)
        aws_set.append(time.perf_counter() - started)
    row("set NAME=VALUE --yes (reads, updates, verifies)", summary(ours_set))
    row("aws update-user-attributes + get-user", summary(aws_set),
        f"aws/ours = {m(aws_set) / m(ours_set):.1f}×")

    # verify: a fresh code for email before each run (sent by the moto harness, read through its
    # test-only operation), checked by us or by the AWS CLI.
    def fresh_code():
        IDP.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
        return harness("HarnessVerificationCode", {
            "UserPoolId": pool, "Username": "bench", "AttributeName": "email"})["Code"]
    ours_verify = []
    for _ in range(RUNS):
        code = fresh_code()
        started = time.perf_counter()
        subprocess.run([BINARY, "verify", "email", "--code", code], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        ours_verify.append(time.perf_counter() - started)
    aws_verify = []
    for _ in range(RUNS):
        with open(home + "/verify.json", "w") as handle:
            json.dump({"AccessToken": token, "AttributeName": "email", "Code": fresh_code()}, handle)
        started = time.perf_counter()
        subprocess.run(["aws", "cognito-idp", "verify-user-attribute", "--cli-input-json",
                        "file://" + home + "/verify.json", "--endpoint-url", MOTO_URL], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["aws", "cognito-idp", "get-user", "--cli-input-json", "file://" + token_file,
                        "--endpoint-url", MOTO_URL], env=env, check=True, stdout=subprocess.DEVNULL)
        aws_verify.append(time.perf_counter() - started)
    row("verify NAME --code CODE (verifies, reads back)", summary(ours_verify))
    row("aws verify-user-attribute + get-user", summary(aws_verify),
        f"aws/ours = {m(aws_verify) / m(ours_verify):.1f}×")

    # Overhead over the server's own answer time, and requests per action, at the proxy.
    # A session is only ever sent to the endpoint it was made at: rebind it to the proxy.
    rewrite_keyfile(keyfile, "endpoint", PROXY.url)
    proxied = environment(home, pool, client, PROXY.url)
    # In turns with a C client making the same request through the same proxy (scripts/bench
    # builds it): its overhead is process start from Python plus the proxy, the floor.
    # And in turns with a minimal static Swift client doing the same (its answer decoded with
    # JSONDecoder): what any Swift program pays for this here.
    floor_client = os.environ.get("BENCH_OVERHEAD_FLOOR")
    swift_floor_client = os.environ.get("BENCH_OVERHEAD_FLOOR_SWIFT")
    # More runs than the other rows: on a busy machine this row swings with the load, and the
    # start-up target is read from it.
    overheads, floor_overheads, swift_floor_overheads = [], [], []
    for _ in range(max(RUNS * 4, 12)):
        for command, samples in [([BINARY, "attributes", "--json"], overheads),
                                 ([floor_client], floor_overheads),
                                 ([swift_floor_client], swift_floor_overheads)]:
            if not command[0]:
                continue
            PROXY.reset()
            started = time.perf_counter()
            subprocess.run(command, env=proxied, check=True, stdout=subprocess.DEVNULL)
            total = time.perf_counter() - started
            samples.append(total - sum(PROXY.server_seconds))
    # This program's own share: each run less the floor run next to it, so the load of the
    # moment cancels out.
    own = [ours - floor for ours, floor in zip(overheads, floor_overheads)]
    note = f"{len(overheads)} runs"
    if floor_overheads:
        note += (f", in turns with a C client sending the same request through the same proxy: "
                 f"{summary(floor_overheads)}; ours less the C client's, run by run: {summary(own)}")
    if swift_floor_overheads:
        note += f"; a minimal static Swift client, same request, in the same turns: {summary(swift_floor_overheads)}"
    row("our overhead over the server's answer (attributes --json, whole process)", summary(overheads),
        note)
    PROXY.reset()
    subprocess.run([BINARY, "attributes", "--json"], env=proxied, check=True, stdout=subprocess.DEVNULL)
    row("requests to list", str(sum(PROXY.counts.values())), json.dumps(PROXY.counts))
    restore()
    PROXY.reset()
    subprocess.run([BINARY, "delete", "custom:field00", "--yes"], env=proxied, check=True, stdout=subprocess.DEVNULL)
    row("requests to delete (CLI)", str(sum(PROXY.counts.values())), json.dumps(PROXY.counts))
    PROXY.reset()
    subprocess.run([BINARY, "set", "custom:field02=counted", "--yes"], env=proxied, check=True,
                   stdout=subprocess.DEVNULL)
    row("requests to set (CLI)", str(sum(PROXY.counts.values())), json.dumps(PROXY.counts))
    code = fresh_code()
    PROXY.reset()
    subprocess.run([BINARY, "verify", "email", "--code", code], env=proxied, check=True,
                   stdout=subprocess.DEVNULL)
    row("requests to verify (CLI)", str(sum(PROXY.counts.values())), json.dumps(PROXY.counts))

    def screen_requests(expired):
        if expired:
            # Make the stored access token look expired: the next start refreshes first.
            rewrite_keyfile(keyfile, "expire")
        restore()
        PROXY.reset()
        screen = Screen(proxied, 24, 80)
        screen.read_until(b"attributes. Space marks")
        screen.quiet()
        counts = dict(PROXY.counts)
        if not expired:
            PROXY.reset()
            os.write(screen.fd, b"G")
            screen.quiet()
            # custom:field00 is near the end; mark it via the filter and remove it.
            for key in [b"/", b"field00", b"\r", b" ", b"d", b"y"]:
                os.write(screen.fd, key)
                time.sleep(0.05)
            screen.read_until(b"Removed 1")
            delete_counts = dict(PROXY.counts)
        screen.close()
        return counts, (delete_counts if not expired else None)

    startup, delete_counts = screen_requests(expired=False)
    row("requests: screen start-up, valid token", str(sum(startup.values())), json.dumps(startup))
    row("requests: screen delete (mark, d, y)", str(sum(delete_counts.values())), json.dumps(delete_counts))
    expired, _ = screen_requests(expired=True)
    row("requests: screen start-up, expired access token", str(sum(expired.values())), json.dumps(expired))

    # The Security view: S to its three lists painted, and the requests it makes (one per list).
    security_paints, security_counts = [], {}
    for _ in range(RUNS):
        screen = Screen(proxied, 24, 80)
        screen.read_until(b"attributes. Space marks")
        screen.quiet()
        PROXY.reset()
        pressed = time.perf_counter()
        os.write(screen.fd, b"S")
        security_paints.append(screen.read_until(b"passkey(s)") - pressed)
        screen.quiet()
        security_counts = dict(PROXY.counts)
        screen.close()
    row("security view: S to its lists painted (3 lists, read at once)", summary(security_paints))
    row("requests: security view", str(sum(security_counts.values())), json.dumps(security_counts))

    rewrite_keyfile(keyfile, "endpoint", MOTO_URL)

    # The screen: first complete paint and bytes per keystroke, at two sizes.
    for rows, columns in [(24, 80), (60, 200)]:
        paints, first_bytes = [], []
        moves, marks, pages, escapes, downs = [], [], [], [], []
        for _ in range(RUNS):
            screen = Screen(env, rows, columns)
            paints.append(screen.read_until(b"attributes. Space marks") - screen.started)
            screen.quiet()
            first_bytes.append(len(screen.output))
            moves += screen.keys_bytes(b"j", 3)
            marks += screen.keys_bytes(b" ", 2)
            pages += screen.keys_bytes(b"\x1b[6~", 1)
            downs.append(screen.key_latency(b"k"))
            # A lone Esc must wait out ESCDELAY (is more coming, as in an arrow key's sequence?).
            screen.keys_bytes(b"/", 1)
            escapes.append(screen.key_latency(b"\x1b"))
            screen.close()
        label = f"{columns}×{rows}"
        row(f"screen: exec to first full list, {label}", summary(paints))
        row(f"screen: bytes, first paint {label}", f"{statistics.median(first_bytes):.0f}")
        row(f"screen: bytes per cursor move {label}", f"{statistics.median(moves):.0f} (max {max(moves)})")
        row(f"screen: bytes per mark toggle {label}", f"{statistics.median(marks):.0f} (max {max(marks)})")
        row(f"screen: bytes per page down {label}", f"{statistics.median(pages):.0f} (max {max(pages)})")
        if (rows, columns) == (24, 80):
            row("screen: key to first byte back, k (cursor up)", summary(downs))
            row("screen: key to first byte back, Esc (closes the filter)", summary(escapes))

    # Unlock at the default cost, and peak RSS.
    status_cold = timed([BINARY, "status"], cold_env)
    status_warm = timed([BINARY, "status"], env)
    row("keyfile unlock at N=2^17, r=8, p=1 (status, cache off − cache warm)",
        f"{(m(status_cold) - m(status_warm)) * 1000:.0f} ms", f"status: {summary(status_cold)} vs {summary(status_warm)}")
    row("peak RSS, attributes --json (cache warm)", f"{peak_rss_kb([BINARY, 'attributes', '--json'], env) / 1024:.1f} MB")
    row("peak RSS, attributes --json (cache cold: scrypt's 128 MiB)",
        f"{peak_rss_kb([BINARY, 'attributes', '--json'], cold_env) / 1024:.1f} MB")
    screen = Screen(env, 24, 80, wrapper=("/usr/bin/time", "-f", "RSS=%M"))
    screen.read_until(b"attributes. Space marks")
    screen.quiet()
    os.write(screen.fd, b"q")
    screen.read_until(b"RSS=")
    screen.quiet(0.3)
    rss = int(screen.output.split(b"RSS=")[-1].split()[0])
    os.close(screen.fd)
    os.waitpid(screen.pid, 0)
    row("peak RSS, screen (80×24, cache warm)", f"{rss / 1024:.1f} MB")

    # Over HTTPS, as against real Cognito: a TLS front (scripts/tls_front.py, a fresh test CA)
    # before moto; both clients trust that CA and open a new TLS connection per process.
    tls_dir = tempfile.mkdtemp(prefix="bench-tls-")
    front = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "tls_front.py"),
                              "127.0.0.1", str(MOTO_PORT), tls_dir], stdout=subprocess.PIPE)
    try:
        tls_port = json.loads(front.stdout.readline())["tls"]
        https_url = f"https://localhost:{tls_port}/"
        # Ours finds the CA as it finds the system's: in a hashed directory (SSL_CERT_DIR); the AWS
        # CLI takes it as a bundle.
        certs = os.path.join(tls_dir, "certs")
        os.mkdir(certs)
        subject_hash = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", tls_dir + "/ca.pem"],
                                      check=True, capture_output=True, text=True).stdout.strip()
        os.symlink(tls_dir + "/ca.pem", os.path.join(certs, subject_hash + ".0"))
        https_env = dict(environment(home, pool, client, https_url), SSL_CERT_DIR=certs)
        rewrite_keyfile(keyfile, "endpoint", https_url)
        aws_env = dict(https_env, AWS_CA_BUNDLE=tls_dir + "/ca.pem")
        ours_tls = timed([BINARY, "attributes", "--json"], https_env)
        aws_tls = timed(["aws", "cognito-idp", "get-user", "--cli-input-json", "file://" + token_file,
                         "--endpoint-url", https_url, "--output", "json"], aws_env)
        row("attributes --json over HTTPS (TLS handshake per process)", summary(ours_tls))
        row("aws cognito-idp get-user over HTTPS", summary(aws_tls),
            f"aws/ours = {m(aws_tls) / m(ours_tls):.1f}×")
        row("peak RSS, attributes --json over HTTPS",
            f"{peak_rss_kb([BINARY, 'attributes', '--json'], https_env) / 1024:.1f} MB")
    finally:
        front.kill()
        front.wait()

    # Scale: 20 standard + 50 custom attributes of up to 2,048 characters.
    big_home = tempfile.mkdtemp(prefix="bench-big-")
    os.chmod(big_home, 0o700)
    big_pool, big_client, big_count = seed(big=True)
    big_env = environment(big_home, big_pool, big_client, MOTO_URL)
    subprocess.run([BINARY, "login", "--username", "bench", "--password-stdin", ], env=big_env,
                   input=b"Bench-Passw0rd!\n", check=True, stdout=subprocess.DEVNULL)
    subprocess.run([BINARY, "status"], env=big_env, stdout=subprocess.DEVNULL)
    paints, first_bytes, pages = [], [], []
    for _ in range(RUNS):
        screen = Screen(big_env, 24, 80)
        paints.append(screen.read_until(b"attributes. Space marks") - screen.started)
        screen.quiet()
        first_bytes.append(len(screen.output))
        pages += screen.keys_bytes(b"\x1b[6~", 2)
        screen.close()
    row(f"scale ({big_count} attributes, values to 2,048 chars): first full list 80×24", summary(paints))
    row("scale: bytes, first paint 80×24", f"{statistics.median(first_bytes):.0f}")
    row("scale: bytes per page down 80×24", f"{statistics.median(pages):.0f} (max {max(pages)})")
    scale_cli = timed([BINARY, "attributes", "--json"], big_env)
    row("scale: attributes --json", summary(scale_cli))

    if os.environ.get("BENCH_SUPPORT_SEED"):
        support_rows(os.environ["BENCH_SUPPORT_SEED"])

    print(f"| Measure ({RUNS} runs each unless noted; median, min, max) | Result | Note |")
    print("|---|---|---|")
    for measure, value, note in ROWS:
        print(f"| {measure} | {value} | {note} |")


def support_rows(seed_path):
    """The support mode against moto with IAM enforced (scripts/moto_iam_seed.py's pool of 2,032
    users): whole processes against the AWS CLI, the screen's first page, signing in-process."""
    with open(seed_path) as handle:
        seed = json.load(handle)
    endpoint, pool = seed["endpoint"], seed["user_pool_id"]
    reader = seed["iam"]["support-reader"]
    home = tempfile.mkdtemp(prefix="bench-admin-")
    env = {
        "HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config",
        "PATH": os.environ["PATH"], "LANG": "C.UTF-8", "no_proxy": "127.0.0.1,localhost",
        "AWS_ACCESS_KEY_ID": reader["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": reader["secret_access_key"], "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true", "COGNITO_ACCOUNT_USER_POOL_ID": pool,
        "AWS_ENDPOINT_URL": endpoint,
    }
    m = statistics.median
    search = 'email ^= "zoe"'
    ours = timed([BINARY, "admin", "users", "--filter", search], env)
    aws = timed(["aws", "cognito-idp", "list-users", "--user-pool-id", pool, "--filter", search,
                 "--endpoint-url", endpoint, "--output", "json"], env)
    row("support: admin users --filter 'email ^= \"zoe\"' (signed ListUsers)", summary(ours))
    row("support: aws cognito-idp list-users --filter", summary(aws), f"aws/ours = {m(aws) / m(ours):.1f}×")
    target = seed["named"][0]
    ours = timed([BINARY, "admin", "show", target], env)
    aws = timed(["aws", "cognito-idp", "admin-get-user", "--user-pool-id", pool, "--username",
                 target, "--endpoint-url", endpoint, "--output", "json"], env)
    row("support: admin show USER (AdminGetUser + AdminListGroupsForUser)", summary(ours))
    row("support: aws cognito-idp admin-get-user", summary(aws), f"aws/ours = {m(aws) / m(ours):.1f}×")
    # The screen through a counting proxy: when the first ListUsers answer was passed on, and
    # when the screen showed its first page.
    proxy = Proxy(int(endpoint.rstrip("/").rsplit(":", 1)[1]))
    paints, counts = [], {}
    for _ in range(RUNS):
        proxy.reset()
        proxy.answered = {}
        screen = Screen(dict(env, AWS_ENDPOINT_URL=proxy.url), 24, 100, arguments=["admin"])
        shown = screen.read_until(b"so far: n for more")
        paints.append(shown - proxy.answered["ListUsers"])
        counts = dict(proxy.counts)
        screen.close()
    row("support screen: first page (60 of 2,032 users) painted after its answer", summary(paints))
    row("support screen: requests at start-up", str(sum(counts.values())), json.dumps(counts))
    if os.environ.get("BENCH_SIGV4"):
        output = subprocess.run([os.environ["BENCH_SIGV4"]], capture_output=True, check=True)
        row("support: signing one request (SigV4, in-process)",
            output.stdout.decode().split(" [")[0])


if __name__ == "__main__":
    main()
