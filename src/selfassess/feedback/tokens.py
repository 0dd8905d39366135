"""Tokens for survey links, and the encryption of drafts under them.

A token is 32 random bytes, URL-safe. The database keeps its SHA-256 only, so a leaked
table cannot be turned back into working links. Drafts are encrypted with AES-GCM under
a key derived from the token (HKDF-SHA256), so only someone holding the link can read
them; unlike Fernet, the ciphertext carries no timestamp of when it was saved.
"""

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
