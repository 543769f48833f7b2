"""The requester's IP address, truncated before anything stores or keys on it."""

from __future__ import annotations

import ipaddress

IPV4_PREFIX = 24  # 195.159.103.82 -> 195.159.103.0/24, as Nok. Bergen's notice does for analytics
IPV6_PREFIX = 48


def truncate_ip(host: str | None) -> str | None:
    """The address's network (/24 for IPv4, /48 for IPv6) in CIDR notation; None if not an IP."""
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
