#!/usr/bin/env python3
"""A small HTTPS test peer for psekit's interop tests (Python standard library only).

Listens on 127.0.0.1 (a free port, printed as "PORT <n>" on standard output), serves TLS with
the given certificate chain and key, and answers every request as --mode says:

  status       HTTP status --status with a short body
  websocket    RFC 6455 upgrade (101 with Sec-WebSocket-Accept) when asked, else 400
  flood-headers  an endless header section
  flood-body     an endless body

Every request received (bytes up to the end of its header) is appended to --record. The peer
stops by itself after --lifetime seconds; each connection lasts at most that long too.
"""
import argparse
import base64
import hashlib
import socket
import ssl
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True, help="PEM chain, server certificate first")
    parser.add_argument("--key", required=True)
    parser.add_argument("--mode", default="status")
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--record")
    parser.add_argument("--client-ca", help="ask for a client certificate issued by these CAs")
    parser.add_argument("--seclevel0", action="store_true", help="allow weak keys (1024-bit RSA)")
    parser.add_argument("--tls10", action="store_true", help="speak only TLS 1.0 (an outdated server)")
    parser.add_argument("--lifetime", type=float, default=60)
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if args.seclevel0 or args.tls10:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    if args.tls10:
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1
    context.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(args.client_ca)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.5)
    print("PORT %d" % listener.getsockname()[1], flush=True)
    end = time.monotonic() + args.lifetime
    lock = threading.Lock()

    def record(data):
        if args.record:
            with lock, open(args.record, "ab") as handle:
                handle.write(data + b"\n----\n")

    def handle(raw):
        raw.settimeout(max(0.1, end - time.monotonic()))
        try:
            connection = context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            return
        try:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536 and time.monotonic() < end:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                request += chunk
            record(request)
            respond(connection, request)
        except (ssl.SSLError, OSError):
            pass
        finally:
            try:
                connection.close()
            except OSError:
                pass

    def respond(connection, request):
        if args.mode == "websocket":
            key = None
            upgrade = False
            for line in request.decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "sec-websocket-key":
                    key = value.strip()
                if name.strip().lower() == "upgrade" and value.strip().lower() == "websocket":
                    upgrade = True
            if upgrade and key:
                accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
                connection.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                    "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
                time.sleep(0.2)
                return
            send_status(connection, 400, "Bad Request")
        elif args.mode == "flood-headers":
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            line = b"X-Flood: " + b"a" * 1000 + b"\r\n"
            while time.monotonic() < end:
                connection.sendall(line * 64)
        elif args.mode == "flood-body":
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            block = b"b" * 65536
            while time.monotonic() < end:
                connection.sendall(block)
        else:
            reasons = {200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"}
            send_status(connection, args.status, reasons.get(args.status, "Status"))

    def send_status(connection, code, reason):
        body = ("status %d\n" % code).encode()
        connection.sendall(("HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                            "Connection: close\r\n\r\n" % (code, reason, len(body))).encode() + body)

    while time.monotonic() < end:
        try:
            raw, _ = listener.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        threading.Thread(target=handle, args=(raw,), daemon=True).start()
    listener.close()


if __name__ == "__main__":
    sys.exit(main())
