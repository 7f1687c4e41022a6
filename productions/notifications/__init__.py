"""Notifications: events told to the right people once, in their inbox and by e-mail (immediately or in a daily
digest), and the reminders a schedule runs (expiries, overdue reviews, uses an expiry blocks).

events.py    who hears of what: `notify` writes one inbox entry per recipient, once per event key
blocks.py    which uses are newly blocked by their consents, told once
messages.py  what each event says, in the reader's language, and where it links
inbox.py     reading and marking the inbox (selectors and services)
email.py     e-mail: immediately after the event, or a daily digest
reminders.py the periodic run (Celery beat; `manage.py send_reminders` for cron and the embedded default)
forms.py     the e-mail settings form; context_processors.py the unread count in every page's header
"""
