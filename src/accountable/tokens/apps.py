from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "accountable.tokens"
    label = "tokens"
    verbose_name = "API tokens"
