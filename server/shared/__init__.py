"""What the API and the identity provider share: serving on 127.0.0.1, request logging,
environment parsing and the reference stacks' wiring facts (``server.shared.reference``).

Nothing here imports ``server.api`` or ``server.idp``."""
