from __future__ import annotations

import pytest

from accountable.env import EnvError, email_settings, env_bool, env_int, env_str


def test_env_bool_reads_yes_and_no(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(EnvError, match="FLAG='maybe'"):
        env_bool("FLAG")


def test_env_int_names_the_bad_variable(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(EnvError, match="COUNT='ten' is not a whole number"):
        env_int("COUNT", 1)


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "s3cret"


def test_email_url_smtp_with_tls():
    config = email_settings("smtp://mailer:p%40ss@mail.example.com:587?tls=1")
    assert config["EMAIL_HOST"] == "mail.example.com"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert config["EMAIL_USE_TLS"] is True and config["EMAIL_USE_SSL"] is False


def test_email_url_rejects_unknown_schemes():
    with pytest.raises(EnvError, match="scheme 'pigeon'"):
        email_settings("pigeon://coop")
