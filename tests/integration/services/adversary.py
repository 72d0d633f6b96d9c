"""Small adversarial services for the supervisor's fault tests. Run as
``python -m tests.integration.services.adversary KIND PORT [ARG]`` from the repository root.

- ``late PORT SECONDS``: waits, then serves HTTP (a service that binds late).
- ``flood PORT MEGABYTES``: serves HTTP, and writes that much output as fast as it can.
- ``hang PORT``: serves HTTP until the file $HANG_FILE exists, then stops answering (keeps
  running, listening socket closed).
- ``crash PORT SECONDS``: serves HTTP, exits with code 3 after that many seconds.
"""

from __future__ import annotations

import http.server
import os
import sys
import threading
import time


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving on {port}", flush=True)
    return server


def main(kind: str, port: int, arg: str = "0") -> None:
    if kind == "late":
        time.sleep(float(arg))
        serve(port)
        threading.Event().wait()
    elif kind == "flood":
        serve(port)
        line = b"x" * 1023 + b"\n"
        block = line * 1024
        for _ in range(int(arg)):
            sys.stdout.buffer.write(block)
        sys.stdout.flush()
        threading.Event().wait()
    elif kind == "hang":
        server = serve(port)
        flag = os.environ["HANG_FILE"]
        while not os.path.exists(flag):
            time.sleep(0.05)
        server.shutdown()
        server.server_close()
        print("stopped answering", flush=True)
        threading.Event().wait()
    elif kind == "crash":
        serve(port)
        time.sleep(float(arg))
        print("crashing", flush=True)
        os._exit(3)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
