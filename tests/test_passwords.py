"""config.passwords: staff passwords hashed with Argon2id at OWASP's
parameters, in the real settings (tests/conftest.py swaps in a fast hasher
for the rest of the suite, so these run in a child process)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = r"""
import resource, django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher, check_password, get_hasher, identify_hasher, make_password,
)

assert settings.PASSWORD_HASHERS[0] == "config.passwords.Argon2idHasher"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
encoded = make_password("correct horse battery")
grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
print("prefix", encoded.split("$")[0], encoded.split("$")[1])
print("params", encoded.split("$")[3])
print("grew_mb", grew)
print("checks", check_password("correct horse battery", encoded), check_password("wrong", encoded))

# A hash made with Django's own parameters (100 MiB, 8 lanes) still
# verifies, and is rehashed with ours at the next login.
old = Argon2PasswordHasher().encode("correct horse battery", "saltsaltsalt")
print("old_params", old.split("$")[3])
updated = []
ok = check_password(
    "correct horse battery", old, setter=lambda raw: updated.append(make_password(raw))
)
print("old_checks", ok, identify_hasher(old).__class__.__name__)
print("rehashed", len(updated) == 1 and updated[0].split("$")[3])
"""


def test_new_hashes_are_argon2id_at_owasp_parameters_and_old_ones_upgrade():
    done = subprocess.run(
        [sys.executable, "-c", CODE],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = dict(line.split(" ", 1) for line in done.stdout.strip().splitlines())
    assert out["prefix"] == "argon2 argon2id"
    assert out["params"] == "m=19456,t=2,p=1"
    assert out["checks"] == "True False"
    assert out["old_params"] == "m=102400,t=2,p=8"
    assert out["old_checks"] == "True Argon2idHasher"
    assert out["rehashed"] == "m=19456,t=2,p=1"
    # The hash's memory: 19 MiB, not Django's 100 (the process's peak grew
    # by about that much).
    assert int(out["grew_mb"]) < 40
