from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "accountable.reviews"
    label = "reviews"

    def ready(self) -> None:
        # The reviews' reminders go out in each person's morning e-mail with the rest.
        from accountable.checkins.reminders import reminder_source
        from accountable.reviews.reminders import review_reminders

        reminder_source(review_reminders)
