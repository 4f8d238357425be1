from django.apps import AppConfig


class BoardsConfig(AppConfig):
    """The pages that show the figures: the team board, the personal scorecard, the
    executive roll-up, the leaderboard, their CSV exports and charts, and the scorecard
    weights. They read the scorecards (the one read model), the goals and the warnings,
    and sit above all three."""

    name = "accountable.boards"
    label = "boards"
