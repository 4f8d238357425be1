"""Matching names the way people write them: case, spacing and punctuation aside.

"GTX Pro", "GTXPro" and "gtx-pro" are one product; "Acme Corp." and "ACME corp"
one account. The key keeps letters and digits only, lower-cased.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The comparison key of a name (never empty for a name with a letter or digit)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("", ascii_only.lower())


def clean_name(name: str) -> str:
    """A name as it should be stored: outer spaces removed, inner runs folded to one."""
    return " ".join((name or "").split())
