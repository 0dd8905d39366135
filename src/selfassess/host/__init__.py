"""The host's console: what a national host's operators (Django staff, who must use
two-factor authentication) see and do across every council.

Every council with its type, region, size band, last assessment and whether it shares in
benchmarks (`selectors.council_rows`, filtered and paged, a fixed number of queries);
adoption figures for the year (`selectors.adoption`); creating a council and inviting its
first admin in one go (`services.create_council`: `councils.services.create_council` and
`councils.services.invite` in one transaction); correcting a council's type, region or
size; and publishing a benchmark snapshot now (queues `benchmarks.tasks.publish`). No
models of its own. Everyone who is not staff is answered 404. It sits above benchmarks
(it queues its task and shows its latest snapshot) and below nothing: no app imports it.
"""
