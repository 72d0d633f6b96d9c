"""Auth0's ``response_mode=web_message``: the authorization response goes to the opener window.

auth0-spa-js's ``loginWithPopup`` (and silent auth in an iframe) asks for it. Authlib answers with
a redirect to the already validated redirect URI; this turns that redirect's parameters into a
page that posts them to the redirect URI's origin, and to that origin only.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Response, render_template

RESPONSE_MODE = "web_message"


def as_web_message(response: Response) -> Response:
    location = response.headers.get("Location")
    if response.status_code != 302 or not location:
        return response
    parts = urlsplit(location)
    html = render_template(
        "web_message.html",
        origin=f"{parts.scheme}://{parts.netloc}",
        response=dict(parse_qsl(parts.query)),
    )
    return Response(html, status=200, mimetype="text/html")
