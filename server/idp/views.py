"""The provider's HTTP routes, at Auth0's paths."""

from __future__ import annotations

import math
import time
from pathlib import Path
from urllib.parse import urlencode

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from flask import Blueprint, Response, jsonify, redirect, render_template, request

from server.idp.discovery import openid_configuration
from server.idp.login_session import csrf_token, csrf_valid, current_subject, sign_in, sign_out
from server.idp.provider import Provider, current_provider
from server.idp.subject import Subject
from server.idp.users import User
from server.idp.web_message import RESPONSE_MODE, as_web_message

#: The login, logged-out and web_message pages, found next to this file (server/ runs from the
#: checkout; nothing packages them).
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

bp = Blueprint("idp", __name__, template_folder=str(TEMPLATES_DIR))

ResponseLike = Response | tuple[str, int]


def _render_login(provider: Provider, error: str | None = None, status: int = 200) -> Response:
    html = render_template(
        "login.html",
        users=provider.users.all(),
        client_id=request.values.get("client_id", ""),
        action=request.full_path,
        csrf_token=csrf_token(),
        error=error,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["X-Frame-Options"] = "DENY"
    return response


class Throttled(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("too many failed sign-ins")
        self.retry_after = max(1, math.ceil(retry_after))


def _user_from_form(provider: Provider) -> User | None:
    """The user the form signs in: a picked development account, or a checked password.

    Passwords are throttled per account and per client address (:mod:`server.idp.throttle`):
    while either is locked, no password is checked at all."""
    picked = request.form.get("user")
    if picked:
        return provider.users.by_username(picked)
    username = request.form.get("username", "")
    wait = provider.throttle.retry_after(username, request.remote_addr)
    if wait > 0:
        raise Throttled(wait)
    user = provider.users.check_password(username, request.form.get("password", ""))
    if user is None:
        provider.throttle.failed(username, request.remote_addr)
    else:
        provider.throttle.succeeded(username)
    return user


def _respond(response: Response) -> Response:
    """Deliver the authorization response in the requested mode; never let it be cached."""
    if request.values.get("response_mode") == RESPONSE_MODE:
        response = as_web_message(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def requested_max_age(raw: str | None) -> int | None:
    """``max_age``: seconds, a non-negative integer; absent or empty means no limit."""
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise InvalidRequestError("max_age must be a non-negative integer number of seconds.")
    return int(raw)


def too_old(subject: Subject, max_age: int | None) -> bool:
    """The sign-in is older than ``max_age`` (0: any sign-in is too old, as Auth0 does)."""
    if max_age is None:
        return False
    return max_age == 0 or time.time() - subject.auth_time > max_age


@bp.route("/authorize", methods=["GET", "POST"])
def authorize() -> Response:
    return _respond(_authorize())


def _authorize() -> Response:
    provider = current_provider()
    server = provider.authorization
    if request.method == "POST":
        if not csrf_valid(request.form.get("csrf_token", "")):
            return _render_login(provider, "The sign-in form expired; please try again.", 400)
        try:
            user = _user_from_form(provider)
        except Throttled as throttled:
            message = f"Too many failed sign-ins: try again in {throttled.retry_after} s."
            response = _render_login(provider, message, 429)
            response.headers["Retry-After"] = str(throttled.retry_after)
            return response
        if user is None:
            return _render_login(provider, "Wrong username or password.", 401)
        subject = sign_in(user)
        try:
            grant = server.get_consent_grant(end_user=subject)
        except OAuth2Error as error:
            return server.handle_error_response(None, error)
        return server.create_authorization_response(grant_user=subject, grant=grant)

    subject = current_subject(provider.users)
    try:
        max_age = requested_max_age(request.args.get("max_age"))
        if subject is not None and too_old(subject, max_age):
            subject = None  # OIDC Core 3.1.2.1: sign in again (prompt=none: login_required)
        grant = server.get_consent_grant(end_user=subject)
    except OAuth2Error as error:
        return server.handle_error_response(None, error)
    if subject is None or grant.prompt == "login":
        return _render_login(provider)
    return server.create_authorization_response(grant_user=subject, grant=grant)


@bp.post("/oauth/token")
def token() -> Response:
    return current_provider().authorization.create_token_response()


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> Response:
    return current_provider().authorization.create_endpoint_response("userinfo")


@bp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    provider = current_provider()
    return jsonify(openid_configuration(provider.settings.issuer, provider.apis))


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    return jsonify(current_provider().signing_key.public_jwks())


@bp.get("/v2/logout")
def logout() -> ResponseLike:
    """Auth0's logout: end the provider session, then go to ``returnTo`` if it is allowed."""
    return _end_session(request.args.get("returnTo"), "returnTo")


@bp.get("/oidc/logout")
def oidc_logout() -> ResponseLike:
    """OIDC RP-initiated logout (Auth0's ``/oidc/logout``, the discovery document's
    ``end_session_endpoint``, which Streamlit's ``st.logout`` follows): end the provider
    session, then go to ``post_logout_redirect_uri`` if it is allowed, with ``state``."""
    target = request.args.get("post_logout_redirect_uri")
    state = request.args.get("state")
    response = _end_session(target, "post_logout_redirect_uri")
    if state and target and getattr(response, "status_code", None) == 302:
        separator = "&" if "?" in target else "?"
        return redirect(f"{target}{separator}{urlencode({'state': state})}", code=302)
    return response


def _end_session(target: str | None, name: str) -> ResponseLike:
    provider = current_provider()
    sign_out()
    if not target:
        return render_template("logged_out.html"), 200
    client_id = request.args.get("client_id")
    if client_id:
        client = provider.clients.get(client_id)
        allowed = client is not None and client.check_logout_url(target)
    else:
        allowed = any(client.check_logout_url(target) for client in provider.clients.all())
    if not allowed:
        message = f"The {name} URL is not an allowed logout URL for this client."
        return render_template("logged_out.html", error=message), 400
    return redirect(target, code=302)
