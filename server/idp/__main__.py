"""``python -m server.idp``: the local identity provider on 127.0.0.1:$IDP_PORT (default 9010)."""

from __future__ import annotations

import logging
import sys

from server.idp.app import create_app
from server.idp.keys import SigningKeyError
from server.idp.settings import IdpSettings
from server.shared.serving import configure_logging, serve


def main() -> int:
    configure_logging()
    log = logging.getLogger("server.idp")
    try:
        settings = IdpSettings.from_env()
        app = create_app(settings)
    except (ValueError, SigningKeyError, OSError) as exc:
        log.error("%s", exc)
        return 2
    log.info("issuer %s, signing key %s", settings.issuer, settings.key_path)
    return serve(app, settings.port, "server.idp")


if __name__ == "__main__":
    sys.exit(main())
