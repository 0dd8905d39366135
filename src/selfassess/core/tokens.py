"""Link tokens: 32 random bytes, URL-safe, of which only the SHA-256 is ever stored.
Survey links (feedback) and invitation links (councils) both use these."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
