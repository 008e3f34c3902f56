#!/usr/bin/env python3
"""Mints an HS256 JWT: mint-token.py SECRET TENANT [TTL_SECONDS]. Standard library only."""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def main() -> None:
    secret, tenant = sys.argv[1], sys.argv[2]
    ttl = int(sys.argv[3]) if len(sys.argv) > 3 else 86400
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    now = int(time.time())
    payload = b64url(json.dumps({"tenant_id": tenant, "iat": now, "exp": now + ttl},
                                separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = b64url(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    print(f"{header}.{payload}.{signature}")


if __name__ == "__main__":
    main()
