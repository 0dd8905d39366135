"""Background work: the email outbox and a view of the queue for staff.

The queue is Huey (huey.contrib.djhuey; settings.HUEY): an SQLite file under VAR_DIR on
one machine, Redis (REDIS_URL) for a host with consumers on several machines. Each app
keeps its own tasks in its `tasks.py` (feedback seals rounds and sends reminders, reports
renders PDFs, plans sends digests, workspace applies retention and review reminders);
this app holds what they share:

- `Email`, the outbox. Every email the product sends is a row here first, written in the
  transaction of what it is about, and delivered after that transaction commits by the
  task `deliver`. A delivery claims its message with a lease (MAIL_LEASE_SECONDS), so two
  consumers never send it at once; a failure to reach the mail server is tried again with
  back-off (MAIL_RETRY_SECONDS, doubling, MAIL_ATTEMPTS in all), a refusal of the address
  is final. A consumer that dies loses nothing: messages not yet taken stay in the queue,
  and on start every consumer looks for messages not sent yet, so a message can be sent
  twice only if it was being handed to the mail server when its consumer died. Once
  sent, a message keeps its envelope (to whom, about what, when) but not its body, which
  can hold a survey or invitation link.
- `TaskRun`, what staff see of the queue besides what Huey itself holds: tasks running
  now, and tasks that failed with their error, which staff can run again (`views.queue`).
"""
