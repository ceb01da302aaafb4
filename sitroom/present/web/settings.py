"""What one running workbench was started with: where, for whom, and what it allows."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field

from sitroom.errors import InputError

# A form or JSON body bigger than this is refused (413): corrections are a few lines of text.
MAX_BODY_BYTES = 64 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) only listens on this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, kw_only=True)
class WebSettings:
    """``host``/``port`` where it listens; ``token`` every request must carry (required off
    loopback); ``read_only`` refuses every state change; ``analyst`` names who corrections are from;
    ``allowed_hosts`` are the ``Host`` header names accepted (against DNS rebinding): by default the
    loopback names when listening on loopback, else any name (the token guards those)."""

    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    read_only: bool = False
    analyst: str = "analyst"
    allowed_hosts: tuple[str, ...] | None = None
    # Signs the CSRF and session cookies; a new one per start (cookies do not outlive the server).
    secret: str = field(default_factory=lambda: secrets.token_hex(32))

    def check(self) -> None:
        """Refuse settings that would expose the workspace: any non-loopback address without a token."""
        if not is_loopback(self.host) and not self.token:
            raise InputError(
                "E041",
                f"refusing to listen on {self.host}: off this machine every request needs a token; "
                "add --token SECRET (or listen on 127.0.0.1)",
            )
        if self.token is not None and len(self.token) < 12:
            raise InputError("E041", "--token must be at least 12 characters (use a random one)")

    def host_names(self) -> tuple[str, ...] | None:
        """The Host names accepted, or ``None`` for any."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        if is_loopback(self.host):
            return LOOPBACK_NAMES
        return None
