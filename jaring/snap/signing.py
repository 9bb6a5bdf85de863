"""SNAP signatures (Bank Indonesia's SNAP security standard), shared by the server and the channel simulator.

* B2B access token: ``X-SIGNATURE = base64(SHA256withRSA(private key, client_key + "|" + X-TIMESTAMP))``,
  verified with the channel's registered public key.
* Transactions: ``X-SIGNATURE = base64(HMAC-SHA512(client secret, METHOD:PATH:accessToken:
  lowercase(hex(SHA-256(minified body))):X-TIMESTAMP))``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def generate_keypair(bits: int = 2048) -> tuple[str, str]:
    """A fresh RSA key pair as PEM text: (private, public)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


@lru_cache(maxsize=256)
def load_public_key(pem: str):
    """The RSA public key in a PEM text; ValueError when it is not one."""
    key = serialization.load_pem_public_key(pem.strip().encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


@lru_cache(maxsize=64)
def _load_private_key(pem: str):
    return serialization.load_pem_private_key(pem.strip().encode(), password=None)


def token_string(client_key: str, timestamp: str) -> bytes:
    return f"{client_key}|{timestamp}".encode()


def sign_token_request(private_pem: str, client_key: str, timestamp: str) -> str:
    sig = _load_private_key(private_pem).sign(token_string(client_key, timestamp), padding.PKCS1v15(),
                                              hashes.SHA256())
    return base64.b64encode(sig).decode()


def verify_token_request(public_pem: str, client_key: str, timestamp: str, signature: str) -> bool:
    try:
        key = load_public_key(public_pem)
        key.verify(base64.b64decode(signature or "", validate=True), token_string(client_key, timestamp),
                   padding.PKCS1v15(), hashes.SHA256())
        return True
    except (ValueError, InvalidSignature, binascii.Error, TypeError):
        return False


def minify(body: bytes) -> bytes:
    """The minified JSON body (no whitespace outside strings); the raw bytes when it is not JSON."""
    try:
        return json.dumps(json.loads(body or b"{}"), separators=(",", ":"), ensure_ascii=False).encode()
    except ValueError:
        return body or b""


def body_digest(body: bytes) -> str:
    return hashlib.sha256(minify(body)).hexdigest()


def string_to_sign(method: str, path: str, token: str, body: bytes, timestamp: str, digest: str | None = None) -> str:
    return f"{method.upper()}:{path}:{token}:{digest or body_digest(body)}:{timestamp}"


def sign_transaction(secret: str, method: str, path: str, token: str, body: bytes, timestamp: str) -> str:
    mac = hmac.new(secret.encode(), string_to_sign(method, path, token, body, timestamp).encode(), hashlib.sha512)
    return base64.b64encode(mac.digest()).decode()


def verify_transaction(secret: str, method: str, path: str, token: str, body: bytes, timestamp: str,
                       signature: str) -> bool:
    """The signature over the minified body; also accepted over the raw body exactly as sent (a channel whose
    JSON library escapes differently still signs what it sent)."""
    if not secret or not signature:
        return False
    for digest in {body_digest(body), hashlib.sha256(body or b"").hexdigest()}:
        mac = hmac.new(secret.encode(), string_to_sign(method, path, token, body, timestamp, digest).encode(),
                       hashlib.sha512)
        if hmac.compare_digest(base64.b64encode(mac.digest()).decode(), signature.strip()):
            return True
    return False
