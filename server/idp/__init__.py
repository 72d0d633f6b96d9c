"""A local Auth0-compatible OpenID Connect provider for development and tests (Authlib based)."""
