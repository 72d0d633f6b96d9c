"""The reference stacks' wiring facts: the values the API, the local identity provider and
their tests must agree on, kept here and nowhere else.

Each is a default: the services read the matching environment variable first (named next to
each value). The Next.js front end has no defaults of its own; it gets these values through
its environment.
"""

from __future__ import annotations

from typing import Final

#: The API's identifier (Auth0 "audience"); ``AUTH0_AUDIENCE``.
API_AUDIENCE: Final = "https://stcomp.local/api"

#: The permission, and the scope, that the API's ``/api/pong-scoped`` requires.
READ_MESSAGES: Final = "read:messages"

#: The local provider's confidential client (a server with a secret); ``AUTH0_CLIENT_ID``.
CLIENT_ID: Final = "stcomp-local"

#: The local provider's public client (a browser app: PKCE, no secret); ``AUTH0_SPA_CLIENT_ID``.
SPA_CLIENT_ID: Final = "stcomp-local-spa"

#: The password of the local provider's fake development users; ``IDP_DEV_PASSWORD``.
DEV_PASSWORD: Final = "password"

#: Default ports, as stcomp's ``[tool.stcomp.ports]``; ``<NAME>_PORT``.
STREAMLIT_PORT: Final = 4010
COMPONENT_PORT: Final = 3001
API_PORT: Final = 8888
IDP_PORT: Final = 9010

#: stcomp's run directory, relative to the repository root; ``STCOMP_RUN_DIR``.
RUN_DIR: Final = ".stcomp"
