"""``/userinfo`` with validly signed access tokens whose claims have odd types or values: a 401
(or 200 for a harmless oddity), never a 500."""

from __future__ import annotations

import json

import pytest
import requests
from forged_tokens import TokenForge
from idp_service import Idp
from test_api_bad_tokens import NOT_DATES, NOT_DATES_RAW, ODD_JSON_VALUES

CLAIMS = ["iss", "sub", "aud", "scope", "client_id", "jti", "exp", "iat", "nbf"]


@pytest.mark.parametrize("claim", CLAIMS)
def test_userinfo_odd_claims_are_never_a_500(idp: Idp, forge: TokenForge, claim: str) -> None:
    claims = forge.claims(client_id="stcomp-local", jti="j" * 16)
    claims.pop(claim, None)
    dates = [d.format(now=1, later=2) for d in NOT_DATES]
    for value in [*ODD_JSON_VALUES, *dates, *NOT_DATES_RAW]:
        token = forge.signed_json(json.dumps(claims)[:-1] + f', "{claim}": {value}' + "}")
        response = requests.get(
            f"{idp.url}/userinfo", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert response.status_code in (200, 401, 403), (claim, value, response.status_code)
