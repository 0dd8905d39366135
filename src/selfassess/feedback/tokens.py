"""Tokens for survey links, and the encryption of drafts under them.

A token is 32 random bytes, URL-safe. The database keeps its SHA-256 only, so a leaked
table cannot be turned back into working links. Drafts are encrypted with a Fernet key
derived from the token (HKDF-SHA256), so only someone holding the link can read them.
"""

import base64
import hashlib
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _fernet(token: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"selfassess survey draft"
    ).derive(token.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str, answers: dict) -> bytes:
    return _fernet(token).encrypt(json.dumps(answers, ensure_ascii=False).encode("utf-8"))


def unseal(token: str, sealed: bytes) -> dict:
    if not sealed:
        return {}
    try:
        return json.loads(_fernet(token).decrypt(bytes(sealed)).decode("utf-8"))
    except (InvalidToken, ValueError):
        return {}
