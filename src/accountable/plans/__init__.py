"""Sales plans: the annual and quarterly plans, account plans, plan reviews and catch-up plans."""
