"""The production settings: Django's deployment checklist passes behind an https
SITE_URL, each hardening switch answers to its variable, and the demo and the tests
(DEBUG off, plain http) are never sent to https.

Settings are read once per process, so each case runs in a fresh interpreter with
exactly the environment it names.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.environment import subprocess_environment

# Variables these settings read; the developer's own values must not leak in, nor
# Django's (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rejects).
OURS = (
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "TRUST_X_FORWARDED_PROTO",
)

# Reads the settings, then asks the test client over plain http and over https
# announced by a proxy; prints what it saw as JSON.
PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS", "SILENCED_SYSTEM_CHECKS",
]
client = Client()
def answer(path, **headers):
    response = client.get(path, headers=headers)
    hsts = response.get("Strict-Transport-Security")
    return [response.status_code, response.get("Location"), hsts]
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in names},
    "login_http": answer("/login/"),
    "healthz_http": answer("/healthz"),
    "healthz_proxied": answer("/healthz", x_forwarded_proto="https"),
}))
"""


def production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production web process at https://sales.example.com."""
    return subprocess_environment(
        OURS,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="sales.example.com,testserver",
        SITE_URL="https://sales.example.com",
        ACCOUNTABLE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        **overrides,
    )


def probe(env: dict[str, str]) -> dict:
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", PROBE],
        env={**env, "DJANGO_SETTINGS_MODULE": "accountable.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "accountable", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_in_production(tmp_path):
    result = deploy_check(production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_still_warns_when_hsts_is_switched_off(tmp_path):
    result = deploy_check(production(tmp_path, SECURE_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_is_https_only(tmp_path):
    seen = probe(production(tmp_path))
    settings = seen["settings"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://sales.example.com"]
    # plain http is sent to https; the health check answers a load balancer as it is
    assert seen["login_http"][:2] == [301, "https://testserver/login/"]
    assert seen["healthz_http"][0] == 200
    # behind the proxy, https is recognised and the browser told to keep to it
    status, _, hsts = seen["healthz_proxied"]
    assert status == 200
    assert hsts == "max-age=31536000; includeSubDomains"


def test_each_switch_answers_to_its_variable(tmp_path):
    seen = probe(
        production(
            tmp_path,
            SECURE_HSTS_SECONDS="0",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
            SECURE_SSL_REDIRECT="0",
            TRUST_X_FORWARDED_PROTO="0",
            CSRF_TRUSTED_ORIGINS="https://sales.example.com,https://crm.example.com",
        )
    )
    settings = seen["settings"]
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_PROXY_SSL_HEADER"] is None
    assert settings["CSRF_TRUSTED_ORIGINS"] == [
        "https://sales.example.com",
        "https://crm.example.com",
    ]
    # no redirect, and the forwarded header no longer makes a request https
    assert seen["login_http"][0] != 301
    assert seen["healthz_proxied"] == [200, None, None]
    # cookies stay secure whatever the switches: the site is https
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_preload_is_sent_only_when_asked_for(tmp_path):
    seen = probe(production(tmp_path, SECURE_HSTS_PRELOAD="1"))
    assert seen["settings"]["SECURE_HSTS_PRELOAD"] is True
    assert seen["settings"]["SILENCED_SYSTEM_CHECKS"] == []
    assert seen["healthz_proxied"][2] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    "overrides",
    [
        # the demo and the tests: no variables, DEBUG off, http://127.0.0.1:8000
        {"DEBUG": "", "SITE_URL": "", "SECRET_KEY": "", "ALLOWED_HOSTS": ""},
        # a developer with DEBUG on, even with an https address in the environment
        {"DEBUG": "1"},
    ],
    ids=["demo", "debug"],
)
def test_development_is_never_sent_to_https(tmp_path, overrides):
    env = production(tmp_path)
    for key, value in overrides.items():
        if value:
            env[key] = value
        else:
            env.pop(key)
    seen = probe(env)
    settings = seen["settings"]
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_PROXY_SSL_HEADER"] is None
    assert seen["login_http"][0] != 301
    assert seen["healthz_proxied"][2] is None  # no HSTS header


def test_the_suite_itself_runs_without_https(settings):
    """pytest-django turns DEBUG off: the suite must not be sent to https either."""
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0
