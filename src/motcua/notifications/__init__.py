"""Notifications: an outbox of messages to citizens, officers and other systems.

Callers write rows with :func:`motcua.notifications.services.notify` inside
their own transaction; workers deliver them by e-mail, SMS, Zalo ZNS or
signed webhook after the commit. See ``docs/adr/0013-notifications-outbox.md``.
"""
