#!/usr/bin/env python3
"""A small HTTP CONNECT proxy for psekit's interop tests (Python standard library only).

Listens on 127.0.0.1 (a free port, printed as "PORT <n>"), and for each CONNECT request:
  --deny            answers 403
  --auth USER:PASS  answers 407 unless Proxy-Authorization carries exactly these
  otherwise         opens the tunnel (200) and relays bytes both ways.
Each request line (and whether authorization came) is appended to --record. Stops by itself
after --lifetime seconds.
"""
import argparse
import base64
import select
import socket
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--record")
    parser.add_argument("--deny", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--lifetime", type=float, default=60)
    args = parser.parse_args()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.5)
    print("PORT %d" % listener.getsockname()[1], flush=True)
    end = time.monotonic() + args.lifetime
    lock = threading.Lock()

    def record(text):
        if args.record:
            with lock, open(args.record, "a") as handle:
                handle.write(text + "\n")

    def handle(client):
        client.settimeout(max(0.1, end - time.monotonic()))
        try:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 16384:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            head, _, rest = request.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            authorization = None
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "proxy-authorization":
                    authorization = value.strip()
            record("%s auth=%s" % (lines[0], "yes" if authorization else "no"))
            parts = lines[0].split(" ")
            if len(parts) < 2 or parts[0] != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            if args.deny:
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            if args.auth:
                expected = "Basic " + base64.b64encode(args.auth.encode()).decode()
                if authorization != expected:
                    client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                   b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                    return
            host, _, port = parts[1].rpartition(":")
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            sockets = [client, upstream]
            while time.monotonic() < end:
                readable, _, _ = select.select(sockets, [], [], 0.5)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is client else client).sendall(data)
        except OSError:
            pass
        finally:
            client.close()

    while time.monotonic() < end:
        try:
            client, _ = listener.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        threading.Thread(target=handle, args=(client,), daemon=True).start()
    listener.close()


if __name__ == "__main__":
    sys.exit(main())
