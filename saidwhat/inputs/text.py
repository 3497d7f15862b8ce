"""Plain-text articles: bytes to text, refusing binaries and invalid UTF-8 by name."""
from __future__ import annotations

import codecs

from ..errors import InputError


def decode_text(data: bytes, origin: str) -> str:
    """Bytes to text, refusing binaries and invalid UTF-8 with a message naming ``origin``."""
    if not data.strip():
        raise InputError(f"{origin}: empty file")
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: binary file (NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]  # a UTF-8 byte-order mark is not part of the article
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{origin}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r})") \
            from None
