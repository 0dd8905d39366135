"""The councillor feedback survey, anonymous by construction.

`Round` (an assessment, open and close dates, an introduction, an optional shared access
code), `Ballot` (one way in: a personal invitation with name and email, or a ticket from
the shared link; it stores only the SHA-256 of its token, the draft encrypted with a key
derived from the token, and `answered`), `SurveyResponse` (a random UUID, the round and
the answers: no foreign key to a ballot, no token, no timestamp). Submitting wipes the
draft, marks the ballot answered and creates the response in one transaction, once.
When a round closes it is sealed (`services.seal_round`: responses rewritten in a random
order with new ids, drafts wiped) by closing it early or by `seal_closed_rounds` (a
scheduled task); results (`selectors.results`, only for a sealed round with at least
SURVEY_MIN_RESPONSES answers) never write. A councillor's page reads their ballot in
one query by the token's hash (`services._SQL`); what a round asks is kept per process
in `questions.py`, never anything about a ballot or an answer. Logs never hold a survey
link (`core/logging.py`). Comments and experience answers are emptied
SURVEY_RETENTION_MONTHS after the round closed (`services.forget_personal_answers`).
`models.py` says what someone with direct database access could still learn.
"""
