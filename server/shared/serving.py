"""Serve a Flask app on 127.0.0.1 with Werkzeug's threaded server: no reloader, no debugger."""

from __future__ import annotations

import logging
import os
import signal
import sys
from types import FrameType

from flask import Flask
from werkzeug.serving import make_server

from server.shared.logsafe import EscapeControlCharacters

HOST_ENV = "LISTEN_HOST"
"""Where to listen: 127.0.0.1 on a developer's machine (the default); a container image made by
`stcomp export` sets LISTEN_HOST=0.0.0.0 so that the engine's network reaches the service."""


def listen_host() -> str:
    return os.environ.get(HOST_ENV, "").strip() or "127.0.0.1"


def configure_logging() -> None:
    """Plain one-line logs on stderr, control characters escaped (no forged lines); Werkzeug's own
    access log is off (it logs query strings)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(EscapeControlCharacters())
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def serve(app: Flask, port: int, name: str) -> int:
    """Serve ``app`` until SIGTERM or Ctrl-C; return the process exit status."""
    logger = logging.getLogger(name)
    try:
        host = listen_host()
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        logger.error("cannot listen on %s:%d: %s", host, port, exc.strerror or exc)
        return 1
    except SystemExit:
        # Werkzeug has already explained a busy port on stderr before exiting.
        logger.error("cannot listen on %s:%d", host, port)
        return 1
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    logger.info("listening on http://%s:%d", host, server.server_port)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    logger.info("stopped")
    return 0
