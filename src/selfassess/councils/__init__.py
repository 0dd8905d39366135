"""Councils, who belongs to them, with which role, and the gate to their data.

`Council` (name, slug, type, region (the nine English regions, Wales, Scotland, Northern
Ireland; empty only for a council made before regions, until the host sets it), number of
councillors (optional, for the host's size bands), `next_review_on`, and
`shares_benchmarks`, which the council's admins choose on `views.sharing`, recorded in the
audit log; the host creates councils and corrects type, region and size through
`services.create_council` and `services.update_council`), `Membership` (user, council, role:
admin, editor, viewer), `Invitation` (council, email, role, SHA-256 of a 32-byte token,
expiry INVITATION_DAYS, accepted or withdrawn). `access.membership_for(request, slug,
minimum_role)` is the one gate to a council's data: not a member, 404 (the council's
existence is not revealed); role too low, 403. Admins invite people by email
(`services.invite`, or `manage.py invite` for a new council's first admin): nothing is
granted until the person accepts (`views.invitation`). A new address sets its own
password; an address that has an account must sign in as it. Addresses are stored
lower-case and matched exactly, never with `iexact` (PostgreSQL's case folding under a
UTF-8 locale treats dotless i as i). The link works once; sending again replaces it; an
admin's pending invitations are withdrawn when they stop being admin. A council always
keeps an admin. `middleware.RequireTwoFactorForAdmins` sends an admin of any council
(or staff) without an authenticator app to set one up first. `Council.person_label`
shows anyone no longer in the council as "Former user". `selectors.council_log` is the
council's audit log as its admins see it.
"""
