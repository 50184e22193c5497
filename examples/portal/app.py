"""A small "data portal" that logs its users in to Qlik Cloud with signed JWTs or OAuth tokens.

The portal knows who is logged in (here: a toy login form over an in-memory directory; in real
life your SSO). It gives that user's browser a way into Qlik Cloud in either of two ways:

- JWT login: ``GET /api/qlik-token`` signs a Qlik token for the user with one ``QlikSigner``,
  made once at start-up from the JWT identity provider's settings. The browser exchanges the
  token at ``POST https://<tenant>/login/jwt-session`` (``Authorization: Bearer <token>``).
- OAuth impersonation: ``POST /api/qlik-access-token`` answers, as text, an access token acting
  as the user, made by one ``OAuthClient`` (private key JWT) that caches each user's token until
  shortly before it expires. qlik-embed fetches it through the function its
  ``data-get-access-token`` names (``data-auth-type="Oauth2"``); the portal page shows how.

Run it with either set of settings, or both::

    QLIK_PRIVATE_KEY_FILE=privatekey.pem QLIK_KEY_ID=my-kid QLIK_ISSUER=my-issuer \\
        flask --app examples/portal/app.py run
    QLIK_TENANT_URL=https://acme.eu.qlikcloud.com QLIK_OAUTH_CLIENT_ID=<client id> \\
        QLIK_OAUTH_PRIVATE_KEY_FILE=keys/privatekey.pem QLIK_OAUTH_KEY_ID=my-key-1 \\
        flask --app examples/portal/app.py run
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from flask import Flask, Response, jsonify, redirect, request, session
from flask.typing import ResponseReturnValue
from markupsafe import escape

import qlik_jwt


@dataclass(frozen=True)
class User:
    """A portal user as the directory (or SSO) knows them."""

    user_id: str
    name: str
    email: str
    groups: tuple[str, ...]
    # Whether the portal checked that the address is the user's (a link sent to it, or SSO).
    email_verified: bool = True


DEMO_USERS = {
    "harry": User("SomeSampleSeedValue", "Hardcore Harry", "harry@example.com", ("Sales",)),
    "ada": User("ada-1815", "Ada Lovelace", "ada@example.com", ("Analysts", "Administrators")),
}

PAGE = """<!doctype html>
<title>Data portal</title>
<h1>Data portal</h1>
<p>{status}</p>
<form method="post" action="/login">
  <input name="username" placeholder="harry or ada"> <button>Log in</button>
</form>
<p><a href="/api/qlik-token">Get my Qlik token</a></p>
{embed}"""

# Qlik's guiding principles for impersonation: name the scopes of the tokens given to browsers.
IMPERSONATION_SCOPE = "user_default"

# The logged-in user's page with an OAuth client: qlik-embed (the web components script, as
# qlik.dev's qlik-embed pages load it) asks getAccessToken for each token and uses its text.
EMBED = """<script crossorigin="anonymous" type="application/javascript"
  src="https://cdn.jsdelivr.net/npm/@qlik/embed-web-components@1/dist/index.min.js"
  data-host="{host}" data-client-id="{client_id}"
  data-get-access-token="getAccessToken" data-auth-type="Oauth2"></script>
<script>
  async function getAccessToken() {{
    const response = await fetch("/api/qlik-access-token", {{method: "POST"}});
    if (!response.ok) throw new Error("no Qlik access token: " + response.status);
    return response.text();
  }}
</script>
<qlik-embed ui="analytics/sheet" app-id="{app_id}" sheet-id="{sheet_id}"></qlik-embed>
"""


def create_app(
    signer: qlik_jwt.QlikSigner | None,
    users: dict[str, User] | None = None,
    *,
    oauth_client: qlik_jwt.OAuthClient | None = None,
    embed: dict[str, str] | None = None,
) -> Flask:
    """The portal for the users of ``users``: with ``signer``, ``GET /api/qlik-token`` signs
    their JWTs; with ``oauth_client`` (an OAuth client allowed to impersonate users),
    ``POST /api/qlik-access-token`` gives their access tokens and the page embeds the
    ``app_id`` and ``sheet_id`` of ``embed``."""
    directory = DEMO_USERS if users is None else users
    shown = embed or {}
    app = Flask(__name__)
    app.secret_key = os.environ.get("PORTAL_SECRET_KEY") or secrets.token_hex(32)

    @app.get("/")
    def index() -> str:
        username = session.get("username")
        status = f"Logged in as {escape(username)}." if username else "Not logged in."
        embedded = ""
        if username and oauth_client is not None:
            embedded = EMBED.format(
                host=escape(oauth_client.tenant_url),
                client_id=escape(oauth_client.client_id),
                app_id=escape(shown.get("app_id", "")),
                sheet_id=escape(shown.get("sheet_id", "")),
            )
        return PAGE.format(status=status, embed=embedded)

    @app.post("/login")
    def login() -> ResponseReturnValue:
        username = request.form.get("username", "")
        if username not in directory:
            return Response("unknown user", status=403)
        session["username"] = username
        return redirect("/")

    @app.post("/logout")
    def logout() -> ResponseReturnValue:
        session.clear()
        return redirect("/")

    @app.get("/api/qlik-token")
    def qlik_token() -> ResponseReturnValue:
        user = directory.get(session.get("username", ""))
        if user is None:
            return jsonify(error="log in first"), 401
        if signer is None:
            return jsonify(error="no JWT identity provider is configured"), 404
        try:
            token = signer.sign(
                sub=user.user_id,
                name=user.name,
                email=user.email,
                email_verified=user.email_verified,
                groups=list(user.groups),
            )
        except qlik_jwt.QlikJwtError as error:
            return jsonify(error=str(error), code=error.code), 500
        return jsonify(token=token), 200

    @app.post("/api/qlik-access-token")
    def qlik_access_token() -> ResponseReturnValue:
        user = directory.get(session.get("username", ""))
        if user is None:
            return jsonify(error="log in first"), 401
        if oauth_client is None:
            return jsonify(error="no OAuth client is configured"), 404
        try:
            token = oauth_client.impersonate(user.user_id)
        except qlik_jwt.QlikJwtError as error:
            # QlikApiError when the tenant refused, e.g. a user it does not have yet
            # (impersonation needs them there already).
            return jsonify(error=str(error), code=error.code), 502
        except (OSError, HTTPException) as error:  # no answer from the tenant
            return jsonify(error=f"the tenant could not be reached: {error}", code=None), 502
        answer = Response(token.access_token, mimetype="text/plain")
        answer.headers["Cache-Control"] = "no-store"
        return answer

    return app


def signer_from_environment() -> qlik_jwt.QlikSigner | None:
    """The signer of the identity provider configured by ``QLIK_*`` environment variables, or
    ``None`` without ``QLIK_PRIVATE_KEY_FILE``."""
    if "QLIK_PRIVATE_KEY_FILE" not in os.environ:
        return None
    return qlik_jwt.QlikSigner(
        Path(os.environ["QLIK_PRIVATE_KEY_FILE"]).read_text(),
        key_id=os.environ["QLIK_KEY_ID"],
        issuer=os.environ["QLIK_ISSUER"],
    )


def oauth_client_from_environment() -> qlik_jwt.OAuthClient | None:
    """The OAuth client configured by ``QLIK_TENANT_URL`` and ``QLIK_OAUTH_*`` environment
    variables, or ``None`` without ``QLIK_OAUTH_CLIENT_ID``."""
    if "QLIK_OAUTH_CLIENT_ID" not in os.environ:
        return None
    return qlik_jwt.OAuthClient(
        os.environ["QLIK_TENANT_URL"],
        client_id=os.environ["QLIK_OAUTH_CLIENT_ID"],
        private_key=Path(os.environ["QLIK_OAUTH_PRIVATE_KEY_FILE"]).read_text(),
        key_id=os.environ["QLIK_OAUTH_KEY_ID"],
        scope=IMPERSONATION_SCOPE,
    )


def __getattr__(name: str) -> Flask:
    # `flask --app examples/portal/app.py run` looks up `app`: build it from the environment
    # only then, so that importing this module for tests needs no configuration.
    if name == "app":
        embed = {
            key: os.environ[variable]
            for key, variable in (("app_id", "QLIK_APP_ID"), ("sheet_id", "QLIK_SHEET_ID"))
            if variable in os.environ
        }
        return create_app(
            signer_from_environment(), oauth_client=oauth_client_from_environment(), embed=embed
        )
    raise AttributeError(name)
