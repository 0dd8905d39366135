"""The internet address a request came from, the one place every limit and log asks."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when there is no valid one.

    With TRUSTED_PROXIES = 0 (nothing in front of the application server) it is the
    connection's own address, REMOTE_ADDR, and X-Forwarded-For is ignored: the client
    writes that header and could put anything in it.

    With TRUSTED_PROXIES = n > 0, each of the n proxies in front appends the address it
    was reached from to X-Forwarded-For, so the n-th entry from the right was written by
    the outermost proxy and is the address that reached it; everything to its left came
    from the client and is ignored. `scripts/serve` sets 1 for its own nginx; behind a
    load balancer that also appends, 2. If the header holds fewer entries than there
    are proxies, all of them were written by proxies and the leftmost is the client's.
    A proxy's entry that is not an address (a misconfigured proxy) is not taken.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            return _address(hops[-min(proxies, len(hops))])
    return _address(request.META.get("REMOTE_ADDR", ""))


def _address(text: str) -> str | None:
    """The address in `text`, written the standard way; a port nginx or a load balancer
    may add ("192.0.2.1:443", "[2001:db8::1]:443") is dropped."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
