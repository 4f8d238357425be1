"""Per-person API tokens: scoped, revocable keys for scripts and integrations."""
