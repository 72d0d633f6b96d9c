"""The Flask API of the auth0 reference stack: a public ping and two token-protected routes."""
