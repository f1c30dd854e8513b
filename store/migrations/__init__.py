"""The read model's migrations (alembic): `schema` runs them, `versions/` holds them."""
