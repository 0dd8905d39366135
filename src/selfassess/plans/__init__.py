"""The forward plan: actions that close the gaps an assessment found.

`Action` (one assessment, one or more of its statements, title, what will be done, lead,
partners, target date, priority, status, `version`, `carried_from`), `ProgressUpdate`,
`DismissedSuggestion`, and `PlanChange`, the plan's own history (every change to an
action, and every suggestion dismissed or restored). Suggested actions are not stored:
`selectors.suggestions` derives them from the scores; one enters the plan only when an
editor accepts it. `selectors.plan_view` groups actions by the principle of their first
statement, flags overdue ones (`models.is_overdue`, the one rule) against a `today` it is
given, and lists gaps without an action. `services.carry_open_actions` continues open
actions in the next assessment. The plan stays editable after sign-off: it is worked
through after the committee agrees it. The history is shown in words, not the stored
codes (`selectors.shown_value`).
"""
