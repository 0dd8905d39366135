"""Tokens for survey links, and the encryption of drafts under them.

A token is 32 random bytes, URL-safe. The database finds a ballot by the token's SHA-256.
Drafts are encrypted with AES-GCM under a key derived from the token (HKDF-SHA256), so
only someone holding the link can read them; unlike Fernet, the ciphertext carries no
timestamp of when it was saved.

So that a reminder can carry the same link, and a councillor's part-way answers survive
it, the token itself is kept too, sealed (AES-GCM) under a key derived from the server's
SECRET_KEY (`seal_link`): a copy of the database alone cannot be turned back into working
links or open a draft; the database together with the server's key can, while the round
is open. Submitted answers are never linked to a ballot, so this touches drafts only.
"""

import functools
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from selfassess.core.tokens import new_token, token_hash  # noqa: F401  (this module's API)

NONCE = 12


def _aead(token: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"selfassess survey draft"
    ).derive(token.encode("utf-8"))
    return AESGCM(key)


def _link_key() -> AESGCM:
    from django.conf import settings

    return _link_key_for(settings.SECRET_KEY)


@functools.cache
def _link_key_for(secret_key: str) -> AESGCM:
    """Derived once per process (per server key)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"selfassess survey link"
    ).derive(secret_key.encode("utf-8"))
    return AESGCM(key)


def seal_link(token: str) -> bytes:
    """The token, encrypted under the server's key, to send the same link again."""
    nonce = os.urandom(NONCE)
    return nonce + _link_key().encrypt(nonce, token.encode("utf-8"), None)


def open_link(sealed: bytes) -> str | None:
    """The token sealed by seal_link, or None (no link kept, or a changed server key)."""
    sealed = bytes(sealed or b"")
    if len(sealed) <= NONCE:
        return None
    try:
        return _link_key().decrypt(sealed[:NONCE], sealed[NONCE:], None).decode("utf-8")
    except (InvalidTag, ValueError):
        return None


def seal(token: str, answers: dict) -> bytes:
    nonce = os.urandom(NONCE)
    data = json.dumps(answers, ensure_ascii=False).encode("utf-8")
    return nonce + _aead(token).encrypt(nonce, data, None)


def unseal(token: str, sealed: bytes) -> dict:
    sealed = bytes(sealed)
    if len(sealed) <= NONCE:
        return {}
    try:
        return json.loads(_aead(token).decrypt(sealed[:NONCE], sealed[NONCE:], None))
    except (InvalidTag, ValueError):
        return {}
