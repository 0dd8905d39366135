"""The forward plan: actions that close the gaps an assessment found.

`Action` (one assessment, one or more of its statements, title, what will be done, lead,
partners, target date, priority, status, `version`, `carried_from`), `ProgressUpdate`,
`DismissedSuggestion` (a suggestion an editor decided is not for this plan: its statement,
key, title and optional reason), and `PlanChange`, the plan's own history (every change to
an action, and every suggestion dismissed, with its reason, or restored).

Suggested actions are not stored: `selectors.suggestions` derives them from the scores
and the toolkit's guidance (frameworks.guidance). A statement scored below the top of the
scale that no action covers is offered the guidance's actions for its own score (a 0 gets
first steps, a 1 next steps), each with a title, what will be done, a typical lead and
partners, keyed by the statement's ref and the slug of its title; a toolkit version without
guidance offers one general suggestion per such statement. An editor adds several at
once (`services.accept_suggestions`: all or none, if the plan changed meanwhile), or
opens one in the action form to edit first, or dismisses one after a confirmation page
that asks for a reason (`services.dismiss_suggestion`). Once an action covers a statement
its other suggestions are no longer offered: the gap has an owner. `selectors.plan_view`
groups actions by the principle of their first statement, flags overdue ones
(`models.is_overdue`, the one rule) against a `today` it is given, lists gaps without an
action and the suggestions dismissed. `services.carry_open_actions` continues open actions
in the next assessment. The plan stays editable after sign-off: it is worked through after
the committee agrees it. The history is shown in words, not the
stored codes (`selectors.shown_value`).
"""
