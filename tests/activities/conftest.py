"""A real local SMTP server for the notice tests; the database fixtures come from tests.db_fixtures."""

from tests.smtp_server import smtp_server

__all__ = ["smtp_server"]
