"""Self-Assess: the Ending Abuse in Public Life council self-assessment toolkit, online."""
