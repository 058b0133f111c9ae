#!/usr/bin/env python3
"""Writes scripts/startup.order: the functions a start of the release binary runs, for the linker.

usage: startup_order.py BINARY   (the release binary; run by scripts/startup-order)

Runs BINARY (a copy without DWARF, which valgrind cannot read) under valgrind's callgrind for the
commands people start most (--version, --help, status, login, attributes, mfa, devices, passkeys,
over HTTP and over HTTPS), against moto (scripts/moto_server.py) and a TLS front
(scripts/tls_front.py), and lists every function of the binary they executed, in the order the
commands first reached them. lld's --symbol-ordering-file then places those functions next to
each other: a start touches a few dense pages of code instead of pages all over the 14 MB of
text, each of which the kernel maps with its neighbours (fault-around), so peak RSS and page
faults drop. Stale names (a function renamed since) are ignored by the linker; an out-of-date
file only clusters less.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Demo-Passw0rd!"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url):
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"startup_order: {url} never answered")


def functions(path, binary):
    """The functions of `binary` in a callgrind profile, in the order the file names them."""
    objects, names, found, seen = {}, {}, [], set()
    current = callee = None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        match = re.match(r"^(c?)ob=\((\d+)\)(?: (.*))?$", line)
        if match:
            if match.group(3):
                objects[match.group(2)] = match.group(3)
            if match.group(1):
                callee = objects.get(match.group(2))
            else:
                current = callee = objects.get(match.group(2))
            continue
        match = re.match(r"^(c?)fn=\((\d+)\)(?: (.*))?$", line)
        if match:
            if match.group(3):
                names[match.group(2)] = match.group(3)
            name = names.get(match.group(2))
            owner = callee if match.group(1) else current
            if (name and owner == binary and name not in seen and not name.startswith("0x")):
                seen.add(name)
                found.append(name)
            if not match.group(1):
                callee = current
    return found


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="startup-order-")
    copy = os.path.join(work, "cognito-account")
    shutil.copy(binary, copy)
    subprocess.run(["strip", "--strip-debug", copy], check=True)
    port = free_port()
    moto = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/moto_server.py"),
                             "127.0.0.1", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    front = None
    try:
        endpoint = f"http://127.0.0.1:{port}/"
        wait_for(endpoint)
        seed = json.loads(subprocess.run(
            [sys.executable, os.path.join(ROOT, "scripts/seed_demo.py"), endpoint],
            check=True, capture_output=True).stdout)
        front = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/tls_front.py"),
                                  "127.0.0.1", str(port), work], stdout=subprocess.PIPE)
        tls = json.loads(front.stdout.readline())["tls"]
        order, seen = [], set()
        for label, url, extra in [("http", endpoint, {}),
                                  ("https", f"https://localhost:{tls}/",
                                   {"AWS_CA_BUNDLE": os.path.join(work, "ca.pem")})]:
            home = os.path.join(work, label)
            os.makedirs(home)
            env = {
                "HOME": home, "XDG_CONFIG_HOME": home + "/config",
                "XDG_STATE_HOME": home + "/state", "PATH": os.environ["PATH"],
                "LANG": "C.UTF-8", "no_proxy": "127.0.0.1,localhost",
                "COGNITO_ACCOUNT_PASSPHRASE": "startup order",
                "COGNITO_ACCOUNT_USER_POOL_ID": seed["user_pool_id"],
                "COGNITO_ACCOUNT_CLIENT_ID": seed["client_id"],
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": url, **extra,
            }
            commands = [["login", "--username", seed["username"], "--password-stdin"],
                        ["attributes", "--json"], ["attributes"]]
            if label == "http":
                commands = [["--version"], ["--help"], ["status"]] + commands + [
                    ["mfa", "--json"], ["devices", "--json"], ["passkeys", "--json"],
                    ["attributes", "--no-such-flag"]]
            for index, command in enumerate(commands):
                out = os.path.join(work, f"{label}-{index}.callgrind")
                subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no",
                                f"--callgrind-out-file={out}", copy] + command,
                               input=(PASSWORD + "\n").encode(), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                names = functions(out, copy)
                if not names:
                    raise SystemExit(f"startup_order: no function recorded for {command}")
                for name in names:
                    if name not in seen:
                        seen.add(name)
                        order.append(name)
                print(f"{label} {' '.join(command)}: {len(names)} functions "
                      f"({len(order)} in all)", file=sys.stderr)
        target = os.path.join(ROOT, "scripts/startup.order")
        with open(target, "w") as handle:
            handle.write("\n".join(order) + "\n")
        print(f"{target}: {len(order)} functions", file=sys.stderr)
    finally:
        moto.kill()
        if front:
            front.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
