"""A small "data portal" that logs its users in to Qlik Cloud with signed JWTs.

The portal knows who is logged in (here: a toy login form over an in-memory directory; in real
life your SSO). ``GET /api/qlik-token`` signs a Qlik token for that user with one ``QlikSigner``,
made once at start-up from the JWT identity provider's settings. The browser then exchanges
the token at ``POST https://<tenant>/login/jwt-session`` (``Authorization: Bearer <token>``).

Run it::

    QLIK_PRIVATE_KEY_FILE=privatekey.pem QLIK_KEY_ID=my-kid QLIK_ISSUER=my-issuer \\
        flask --app examples/portal/app.py run
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, jsonify, redirect, request, session
from flask.typing import ResponseReturnValue

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
"""


def create_app(signer: qlik_jwt.QlikSigner, users: dict[str, User] | None = None) -> Flask:
    """The portal, signing with ``signer`` for the users of ``users``."""
    directory = DEMO_USERS if users is None else users
    app = Flask(__name__)
    app.secret_key = os.environ.get("PORTAL_SECRET_KEY") or secrets.token_hex(32)

    @app.get("/")
    def index() -> str:
        username = session.get("username")
        status = f"Logged in as {username}." if username else "Not logged in."
        return PAGE.format(status=status)

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

    return app


def signer_from_environment() -> qlik_jwt.QlikSigner:
    """The signer of the identity provider configured by ``QLIK_*`` environment variables."""
    return qlik_jwt.QlikSigner(
        Path(os.environ["QLIK_PRIVATE_KEY_FILE"]).read_text(),
        key_id=os.environ["QLIK_KEY_ID"],
        issuer=os.environ["QLIK_ISSUER"],
    )


def __getattr__(name: str) -> Flask:
    # `flask --app examples/portal/app.py run` looks up `app`: build it from the environment
    # only then, so that importing this module for tests needs no configuration.
    if name == "app":
        return create_app(signer_from_environment())
    raise AttributeError(name)
