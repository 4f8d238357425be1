"""The one error type of the sales data: a plain message a person can act on."""

from __future__ import annotations


class CrmError(ValueError):
    """Sales data that cannot be written as given; the message says why, in plain words.

    Forms show it above the form, the API returns it as a 400/422 body, and the
    import pipeline reports it against the file. Nothing has been written when
    it is raised inside a service or an upsert (they run in a transaction).
    """
