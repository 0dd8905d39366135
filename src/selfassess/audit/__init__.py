"""The audit log: who did what, when, for what a council must be able to account for.

`AuditEvent`: when, what (`Action`), the council (none for account events), who (the
account, and its email as it was then, or the address tried for a failed sign-in), a
summary and, for requests, the client address. Append-only: `save` of an existing row,
`delete` and queryset `update`/`delete` raise `AppendOnly`, every save is a forced
INSERT, a council with entries cannot be deleted (PROTECT), and there is no admin for
it. The one exception is retention, through the queryset's `expire()` and
`forget_addresses()`, called only by `services.apply_retention`. `services.record` is
called inside the transaction of the thing it describes; `receivers.py` records
sign-ins, failed sign-ins, password and two-factor changes from Django's and allauth's
signals. What a council's admins read of it is `councils.selectors.council_log`.
"""
