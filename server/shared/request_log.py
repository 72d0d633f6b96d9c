"""One log line per request: method, path (never the query string or headers), status, time."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request


def install_request_log(app: Flask, logger: logging.Logger) -> None:
    """Log each request after it is answered. Tokens and secrets never appear in the line."""

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        started = g.get("request_started", time.perf_counter())
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %d %.1fms", request.method, request.path, response.status_code, elapsed_ms
        )
        return response
