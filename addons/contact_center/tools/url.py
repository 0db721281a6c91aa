"""Links stored from outside (a PBX, a connector's settings) and shown to users."""

from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")


def is_http_url(value):
    """True for an absolute http:// or https:// URL with a host.

    Anything else (``javascript:``, ``data:``, a relative path, a scheme-less
    ``//host``) could run script or mislead once rendered as a link.
    """
    if not isinstance(value, str) or value != value.strip():
        return False
    if any(ord(char) < 0x20 or char == "\x7f" for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)
