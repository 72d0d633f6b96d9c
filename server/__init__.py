"""The reference stacks' servers: the Flask API (``server.api``), the local Auth0-compatible
identity provider (``server.idp``) and what both use (``server.shared``). Run from the repository
root, never installed."""
