from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "accountable.reviews"
    label = "reviews"
