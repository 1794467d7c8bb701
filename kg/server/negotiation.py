"""Content negotiation: which of the offered media types a request's Accept header prefers."""

from __future__ import annotations

import mimeparse

__all__ = ["negotiate"]


def negotiate(accept: str, offers: list[str]) -> str | None:
    """The offer the header prefers, the earlier offer on a tie; the first for no header or a malformed one.

    None when the header accepts none of the offers.
    """
    if not accept.strip():
        return offers[0]
    try:
        # mimeparse takes the last of equally good offers.
        return mimeparse.best_match(offers[::-1], accept) or None
    except ValueError:
        return offers[0]
