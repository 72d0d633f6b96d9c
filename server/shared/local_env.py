"""``eval "$(python -m server.shared.local_env)"``: the local reference stack's wiring, for a
process that keeps no defaults of its own (the auth0 component's Next.js server).

Prints one ``export NAME=value`` line for each variable that is unset or empty, and nothing for
the others, so the stack definition's or the shell's values always win:

- ``AUTH0_CLIENT_ID`` and ``AUTH0_AUDIENCE``, only while ``AUTH0_DOMAIN`` is unset (the local
  provider): a real tenant's values come from ``.env``, never from here;
- ``IDP_URL``, ``API_URL`` and ``COMPONENT_URL``, from the ``*_PORT`` variables or the default
  ports, as stcomp sets them (so that ``honcho start`` works without stcomp).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping

from server.shared import reference
from server.shared.env import env_int


def local_defaults(env: Mapping[str, str]) -> dict[str, str]:
    """The values this module would supply, before looking at which ones are already set."""
    values: dict[str, str] = {}
    if not env.get("AUTH0_DOMAIN", "").strip():
        values["AUTH0_CLIENT_ID"] = reference.CLIENT_ID
        values["AUTH0_AUDIENCE"] = reference.API_AUDIENCE
    idp_port = env_int(env, "IDP_PORT", reference.IDP_PORT)
    api_port = env_int(env, "API_PORT", reference.API_PORT)
    component_port = env_int(env, "COMPONENT_PORT", reference.COMPONENT_PORT)
    values["IDP_URL"] = f"http://127.0.0.1:{idp_port}"
    values["API_URL"] = f"http://127.0.0.1:{api_port}"
    values["COMPONENT_URL"] = f"http://localhost:{component_port}"
    return values


def missing_values(env: Mapping[str, str]) -> dict[str, str]:
    """The local defaults of the variables that ``env`` leaves unset or empty."""
    return {
        name: value for name, value in local_defaults(env).items() if not env.get(name, "").strip()
    }


def shell_exports(values: Mapping[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in values.items())


def main() -> int:
    try:
        sys.stdout.write(shell_exports(missing_values(os.environ)))
    except ValueError as exc:  # a port variable that is not a number
        print(f"server.shared.local_env: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
