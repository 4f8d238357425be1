from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "accountable.forecasts"
    label = "forecasts"
