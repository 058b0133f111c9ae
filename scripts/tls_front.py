#!/usr/bin/env python3
"""A TLS front and CONNECT proxies for the transport tests, on loopback.

    tls_front.py UPSTREAM_HOST UPSTREAM_PORT DIR

Writes DIR/ca.pem (a fresh test CA) and serves, each on a free 127.0.0.1 port:
  - tls:        TLS (certificate for DNS name "localhost" only, signed by the CA), every
                connection relayed byte for byte to UPSTREAM (moto);
  - proxy:      an HTTP CONNECT proxy that opens any tunnel;
  - auth_proxy: the same, but answers 407 unless Proxy-Authorization is
                "Basic base64(tester:pa ss)".
Prints one JSON line with the ports, then serves until killed. Every CONNECT target (and whether
it was allowed) is appended to DIR/connects.log, so a test can see what went through a proxy.
"""

import base64
import datetime
import json
import os
import socket
import ssl
import sys
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_certificates(directory):
    """A CA and a leaf for DNS:localhost; returns (cert path, key path) of the leaf."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cognito-account test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    with open(os.path.join(directory, "ca.pem"), "wb") as handle:
        handle.write(ca.public_bytes(pem))
    cert_path = os.path.join(directory, "leaf.pem")
    key_path = os.path.join(directory, "leaf.key")
    with open(cert_path, "wb") as handle:
        handle.write(leaf.public_bytes(pem))
    with open(key_path, "wb") as handle:
        handle.write(leaf_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def relay(left, right):
    """Copies bytes both ways until either side closes."""
    for sock in (left, right):
        # No Nagle delay on small writes: the front must not add latency of its own.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
    thread = threading.Thread(target=pump, args=(right, left), daemon=True)
    thread.start()
    pump(left, right)
    thread.join()
    left.close()
    right.close()


def listen():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    return server


def serve(server, handler):
    def loop():
        while True:
            client, _ = server.accept()
            threading.Thread(target=handler, args=(client,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()


def main():
    upstream_host, upstream_port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cert_path, key_path = make_certificates(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    log_path = os.path.join(directory, "connects.log")
    log_lock = threading.Lock()

    def tls_handler(client):
        try:
            wrapped = context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()
            return
        upstream = socket.create_connection((upstream_host, upstream_port))
        relay(wrapped, upstream)

    def proxy_handler(required_auth):
        def handle(client):
            head = b""
            while b"\r\n\r\n" not in head:
                data = client.recv(4096)
                if not data:
                    client.close()
                    return
                head += data
            lines = head.split(b"\r\n")
            method, target, _ = lines[0].decode().split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if b":" in line:
                    name, value = line.split(b":", 1)
                    headers[name.strip().lower().decode()] = value.strip().decode()
            allowed = method == "CONNECT"
            if required_auth is not None:
                allowed = allowed and headers.get("proxy-authorization") == required_auth
            with log_lock, open(log_path, "a") as log:
                log.write(f"{method} {target} {'allowed' if allowed else 'refused'}\n")
            if not allowed:
                client.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                client.close()
                return
            host, port = target.rsplit(":", 1)
            try:
                upstream = socket.create_connection((host.strip("[]"), int(port)))
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                client.close()
                return
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            relay(client, upstream)
        return handle

    tls_server, proxy_server, auth_server = listen(), listen(), listen()
    expected = "Basic " + base64.b64encode(b"tester:pa ss").decode()
    serve(tls_server, tls_handler)
    serve(proxy_server, proxy_handler(None))
    serve(auth_server, proxy_handler(expected))
    print(json.dumps({
        "tls": tls_server.getsockname()[1],
        "proxy": proxy_server.getsockname()[1],
        "auth_proxy": auth_server.getsockname()[1],
    }), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
