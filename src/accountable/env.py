"""Typed readers for the environment variables that configure Accountable.

Every setting comes from the environment so one build runs anywhere: a laptop
demo with no variables at all, or production behind a WSGI server.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """A variable that is set but cannot be read; the message names it."""


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the content of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise EnvError(f"{name}={raw!r} is not a yes/no value: use 1 or 0.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def email_settings(url: str) -> dict[str, object]:
    """Django e-mail settings from one EMAIL_URL.

    `smtp://user:password@host:587?tls=1` (or `smtps://` for implicit TLS),
    `console://` to print messages, `file:///path/to/dir` to write them as files,
    `memory://` for tests, `dummy://` to drop them.
    """
    parts = urlparse(url)
    scheme = parts.scheme.lower()
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "memory": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if scheme not in backends:
        raise EnvError(
            f"EMAIL_URL scheme {scheme!r} is not known: use smtp, smtps, console, file or memory."
        )
    result: dict[str, object] = {"EMAIL_BACKEND": backends[scheme]}
    if scheme == "file":
        result["EMAIL_FILE_PATH"] = unquote(parts.path)
    if scheme in {"smtp", "smtps"}:
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        result.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", "0").lower() in TRUE,
        )
    return result
