"""Django's PostgreSQL backend with a faster reader of timestamps (see ``base``)."""
