"""The review packet: everything for a conversation about a person and a period, as a
page and a PDF."""
