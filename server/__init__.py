"""Flask API of the auth0 reference stack and the local Auth0-compatible identity provider."""
