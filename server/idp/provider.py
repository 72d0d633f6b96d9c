"""Everything one running provider holds, reachable from a request through ``current_provider``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from server.idp.apis import Api
from server.idp.authorization import LocalAuthorizationServer
from server.idp.clients import ClientRegistry
from server.idp.keys import SigningKey
from server.idp.settings import IdpSettings
from server.idp.throttle import LoginThrottle
from server.idp.users import UserDirectory

EXTENSION_KEY = "stcomp_idp"


@dataclass(frozen=True)
class Provider:
    settings: IdpSettings
    signing_key: SigningKey
    clients: ClientRegistry
    users: UserDirectory
    apis: dict[str, Api]
    authorization: LocalAuthorizationServer
    throttle: LoginThrottle


def current_provider() -> Provider:
    provider: Provider = current_app.extensions[EXTENSION_KEY]
    return provider
