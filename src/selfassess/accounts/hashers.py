"""Argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes, 1 lane).

Django's default (100 MiB, 8 lanes) costs each sign-in 100 MiB of a worker's memory:
on a small council server a handful of simultaneous sign-ins would outgrow it."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2OWASPHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19456
    parallelism = 1
