"""How staff passwords are hashed: Argon2id with OWASP's parameters.

Django's Argon2PasswordHasher uses 100 MiB of memory and 8 lanes per hash
(memory_cost=102400, parallelism=8). A login runs in a synchronous web
worker, one request at a time, so each login made that worker 100 MiB
larger while it hashed: the largest worker in `make bench` reached 223 MB
for the two logins at the start of a leader's session, against 110-125 MB
the rest of the time (docs/performance.md, "Memory").

The product's choice, not the law's: OWASP's Password Storage Cheat Sheet
recommends Argon2id with at least 19 MiB of memory, 2 iterations and 1 lane
(m=19456, t=2, p=1), which this hasher uses. Hashes made with Django's
parameters still verify, and are rehashed with these at the next
successful login (Django's must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1. Same algorithm name ("argon2") as
    Django's, so the stored hashes are interchangeable."""

    memory_cost = 19456  # KiB
    time_cost = 2
    parallelism = 1
