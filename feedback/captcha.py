"""The public form's challenge: django-simple-captcha with digits, an
image that can be swapped for a new one, and the same digits spoken in the
page's language for people who cannot read the image.

Product choice, not law: digits, because they can be read aloud clearly in
Vietnamese and English and typed on a phone's number pad. The speech comes
from espeak-ng (a Debian package `make install` and the image install); with
no speech tool configured the page simply offers no audio.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

from captcha.models import CaptchaStore
from django.conf import settings
from django.utils import timezone

DIGITS = "0123456789"
# espeak-ng voices for the languages the site speaks; anything else: Vietnamese.
VOICES = {"vi": "vi", "en": "en-gb"}


def digits_challenge() -> tuple[str, str]:
    """CAPTCHA_CHALLENGE_FUNCT: (what the image shows, the expected answer)."""
    rng = random.SystemRandom()
    text = "".join(rng.choice(DIGITS) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text


def remove_expired(*, now=None) -> int:
    """Delete the challenges past their expiry; returns how many (the
    `captchas` sweep, feedback.sweeps)."""
    deleted, _ = CaptchaStore.objects.filter(expiration__lte=now or timezone.now()).delete()
    return deleted


def use_answer(key: str, response: str) -> bool:
    """Whether `response` answers the unexpired challenge `key`. A challenge
    is answered once: it is deleted whether the answer is right or wrong (as
    django-simple-captcha does, against guessing). Expired challenges are
    not deleted here but by the `captchas` sweep (remove_expired): the
    library deleted them all at every check, in a transaction of its own,
    3 of the public form's 11 statements."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return False
    store.delete()
    return store.response == response.strip().lower()


def speech_available() -> bool:
    return bool(settings.FEEDBACK_CAPTCHA_SPEECH)


def live_challenge(key: str) -> str | None:
    """The digits of an unexpired, unanswered challenge; None otherwise."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    return store.challenge if store else None


def speak(digits: str, language: str) -> bytes:
    """A WAV file of the digits read one by one, slowly, in `language`.
    Raises OSError or subprocess.SubprocessError when the tool fails."""
    voice = VOICES.get((language or "vi").split("-")[0], VOICES["vi"])
    # Commas make the voice pause between digits, so each one is heard.
    text = ", ".join(digits)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "challenge.wav"
        subprocess.run(
            [settings.FEEDBACK_CAPTCHA_SPEECH, "-v", voice, "-s", "120", "-w", str(out), text],
            check=True,
            capture_output=True,
            timeout=15,
        )
        return out.read_bytes()
