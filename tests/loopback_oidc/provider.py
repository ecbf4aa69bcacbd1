"""A real OpenID Connect provider on loopback for the tests (`oidc_provider`, `oidc_settings`).

`provider.mjs` runs the npm package oidc-provider, pinned by this directory's package-lock.json
and installed with `npm ci` the first time (and whenever the lock changes). Node.js and npm come
from the system (`make browsers` installs Debian's as root); without them the tests that need
the provider skip, saying what to install. The provider serves one client: the live server's
callback, logout return and back-channel logout addresses.

    def test_x(page, oidc_settings):
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Logga in med SITHS eID").click()
        oidc_settings.sign_in(page, hsa_id="SE2321000032-K001", name="Kim Kommunsson")
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

HERE = Path(__file__).parent
LOCK = HERE / "package-lock.json"
INSTALLED = HERE / "node_modules" / ".utskrivning-lock-sha256"
CLIENT_ID = "utskrivning-test"
CLIENT_SECRET = "loopback-client-secret-for-the-tests-only-0123456789"
START_SECONDS = 30
KID = "loopback-1"


@dataclass(frozen=True)
class LoopbackProvider:
    issuer: str
    client_id: str
    client_secret: str
    signing_key: Any  # the provider's own RSA key (cryptography's), to sign a token with

    def sign(self, claims: dict[str, Any], *, key: Any = None, kid: str = KID) -> str:
        """A JWT signed as the provider signs (RS256, its key id), or with another `key`."""
        return jwt.encode(claims, key or self.signing_key, algorithm="RS256", headers={"kid": kid})

    def django_settings(self) -> dict[str, Any]:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
        }

    def sign_in(self, page: Any, *, hsa_id: str, name: str = "") -> None:
        """On the provider's sign-in page (where the login link led): the HSA-id a SITHS card
        would carry; a login not starting with SE gives no HSA-id claim."""
        page.get_by_label("HSA-id").fill(hsa_id)
        page.get_by_label("Namn").fill(name or hsa_id)
        page.get_by_role("button", name="Logga in hos identitetsleverantören").click()

    def log_out_at_provider(self, page: Any) -> None:
        """The person ends the sign-in at the provider itself (another service's logout, say):
        the provider tells every client, this service through its back-channel logout."""
        page.goto(f"{self.issuer}/session/end")
        page.get_by_role("button", name="Ja, logga ut").click()
        page.get_by_role("heading", name="Utloggad från identitetsleverantören").wait_for()


def _npm_ci() -> None:
    """`npm ci` unless this lock is installed, one process at a time: the suite's workers
    (pytest-xdist) each start a provider, and two `npm ci` at once delete each other's files."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    directory = os.open(HERE, os.O_RDONLY)
    try:
        fcntl.flock(directory, fcntl.LOCK_EX)  # released when closed
        if INSTALLED.exists() and INSTALLED.read_text().strip() == digest:
            return
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            check=True,
            timeout=600,
        )
        INSTALLED.write_text(digest + "\n")
    finally:
        os.close(directory)


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any) -> Iterator[LoopbackProvider]:
    """The provider, started once per test run, serving the live server as its client."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{' and '.join(missing)} missing: install Node.js 20.19 or later "
            "(Debian/Ubuntu: sudo apt-get install nodejs npm) to run the sign-in tests"
        )
    _npm_ci()
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}/accounts/oidc/callback/"],
        "post_logout_redirect_uris": [f"{live_server.url}/accounts/login/"],
        # By address: the provider's fetch tries ::1 for "localhost", where the server is not.
        "backchannel_logout_uri": live_server.url.replace("//localhost:", "//127.0.0.1:")
        + "/accounts/oidc/backchannel-logout/",
    }
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key))
    del jwk["key_ops"]  # ["sign"] alone: the provider would not verify its own ID token hints
    jwk.update(kid=KID, use="sig", alg="RS256")
    environment = {"OIDC_TEST_CLIENT": json.dumps(client), "OIDC_TEST_SIGNING_KEY": json.dumps(jwk)}
    process = subprocess.Popen(
        ["node", str(HERE / "provider.mjs")],
        cwd=HERE,
        env={**os.environ, **environment},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
        line = process.stdout.readline() if ready and process.stdout else ""
        if not line:
            raise RuntimeError(
                f"the loopback OpenID Connect provider did not start ({process.poll()})"
            )
        yield LoopbackProvider(json.loads(line)["issuer"], CLIENT_ID, CLIENT_SECRET, key)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc_settings(settings: Any, oidc_provider: LoopbackProvider) -> LoopbackProvider:
    """The service signing in through the loopback provider for this test."""
    for name, value in oidc_provider.django_settings().items():
        setattr(settings, name, value)
    return oidc_provider
