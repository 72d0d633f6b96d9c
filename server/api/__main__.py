"""``python -m server.api``: the API on 127.0.0.1:$API_PORT (default 8888)."""

from __future__ import annotations

import logging
import sys

from server.api.app import create_app
from server.api.settings import Settings
from server.shared.serving import configure_logging, serve


def main() -> int:
    configure_logging()
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        logging.getLogger("server.api").error("%s", exc)
        return 2
    logging.getLogger("server.api").info(
        "issuer %s, audience %s", settings.issuer, settings.audience
    )
    return serve(create_app(settings), settings.port, "server.api")


if __name__ == "__main__":
    sys.exit(main())
