"""The form's challenge: digits in an image with a label and a description
in the page's language, and the same digits read aloud by espeak-ng."""

from __future__ import annotations

import io
import re
import wave
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone

from feedback import captcha

FORM = "/gui-phan-anh/"


def _challenge(digits: str = "40721") -> CaptchaStore:
    return CaptchaStore.objects.create(challenge=digits, response=digits)


def _seconds(wav_bytes: bytes) -> float:
    with wave.open(io.BytesIO(wav_bytes)) as w:
        return w.getnframes() / w.getframerate()


def test_a_challenge_is_digits_and_its_answer_is_the_same_digits(settings):
    shown, answer = captcha.digits_challenge()
    assert shown.isdigit() and len(shown) == settings.CAPTCHA_LENGTH
    assert answer == shown


def test_the_form_labels_the_answer_box_and_describes_the_image_in_vietnamese(client, world):
    html = client.get(FORM).content.decode()
    assert '<label for="id_captcha_1"' in html
    assert re.search(r'<input[^>]*id="id_captcha_1"[^>]*inputmode="numeric"', html) or re.search(
        r'<input[^>]*inputmode="numeric"[^>]*id="id_captcha_1"', html
    )
    assert 'alt="Hình mã xác nhận gồm các chữ số cần nhập vào ô bên dưới"' in html
    assert 'alt="captcha"' not in html
    assert "Hình khác" in html
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    assert f'href="/gui-phan-anh/ma-xac-nhan/{key}.wav"' in html


def test_the_english_form_says_it_in_english(client, world):
    client.cookies["django_language"] = "en"
    html = client.get(FORM).content.decode()
    assert "Hình mã xác nhận" not in html
    assert "Listen" in html and "New image" in html


@pytest.mark.django_db
def test_it_reads_the_digits_aloud_in_the_pages_language(client):
    store = _challenge("40721")
    r = client.get(f"/gui-phan-anh/ma-xac-nhan/{store.hashkey}.wav")
    assert r.status_code == 200
    assert r["Content-Type"] == "audio/wav"
    assert r["Cache-Control"] == "no-store"
    vietnamese = r.content
    assert _seconds(vietnamese) > 1.5  # five digits, each followed by a pause

    client.cookies["django_language"] = "en"
    english = client.get(f"/gui-phan-anh/ma-xac-nhan/{store.hashkey}.wav").content
    assert _seconds(english) > 1.5
    assert english != vietnamese
    # Listening does not use up the challenge: the answer is still expected.
    assert CaptchaStore.objects.filter(hashkey=store.hashkey).exists()


@pytest.mark.django_db
def test_more_digits_take_longer_to_say():
    assert _seconds(captcha.speak("1234567", "vi")) > _seconds(captcha.speak("12", "vi"))


@pytest.mark.django_db
def test_an_unknown_or_expired_challenge_has_no_sound(client):
    assert client.get("/gui-phan-anh/ma-xac-nhan/deadbeef.wav").status_code == 404
    store = _challenge()
    CaptchaStore.objects.filter(pk=store.pk).update(
        expiration=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(f"/gui-phan-anh/ma-xac-nhan/{store.hashkey}.wav").status_code == 404


def test_without_a_speech_tool_no_audio_is_offered(client, world, settings):
    settings.FEEDBACK_CAPTCHA_SPEECH = ""
    html = client.get(FORM).content.decode()
    assert "ma-xac-nhan" not in html
    store = _challenge()
    assert client.get(f"/gui-phan-anh/ma-xac-nhan/{store.hashkey}.wav").status_code == 404


@pytest.mark.django_db
def test_a_failing_speech_tool_is_a_503_not_a_crash(client, settings):
    settings.FEEDBACK_CAPTCHA_SPEECH = "/bin/false"
    store = _challenge()
    assert client.get(f"/gui-phan-anh/ma-xac-nhan/{store.hashkey}.wav").status_code == 503


# --- housekeeping: expired challenges are the sweep's, not the form's ---------------


def _expired(digits: str = "11111") -> CaptchaStore:
    store = _challenge(digits)
    CaptchaStore.objects.filter(pk=store.pk).update(
        expiration=timezone.now() - timedelta(minutes=1)
    )
    return store


@pytest.fixture
def real_answers(report_form, monkeypatch):
    """The form as in production: the library's test mode ("PASSED") off."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    return report_form


def test_checking_an_answer_leaves_other_expired_challenges_to_the_sweep(client, real_answers):
    report_form = real_answers
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stale, live = _expired(), _challenge("40721")
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(FORM, report_form(captcha_0=live.hashkey, captcha_1="40721"))
    assert r.status_code == 302
    assert CaptchaStore.objects.filter(pk=stale.pk).exists()
    assert not CaptchaStore.objects.filter(pk=live.pk).exists()  # an answer is used once
    deletes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 1 and "expiration" not in deletes[0], deletes


def test_an_expired_challenge_is_refused_before_the_sweep_removes_it(client, real_answers):
    report_form = real_answers
    from feedback.models import Ticket

    stale = _expired("52814")
    r = client.post(FORM, report_form(captcha_0=stale.hashkey, captcha_1="52814"))
    assert r.status_code == 200
    assert "captcha" in r.context["form"].errors
    assert not Ticket.objects.exists()


def test_the_sweep_removes_expired_challenges_and_keeps_live_ones(db):
    from feedback import sweeps

    stale, live = _expired(), _challenge()
    assert sweeps.SWEEPS["captchas"]() == 1
    assert list(CaptchaStore.objects.values_list("pk", flat=True)) == [live.pk]
    # Asked about an instant after the live one expires, it goes too.
    later = timezone.now() + timedelta(hours=1)
    assert sweeps.SWEEPS["captchas"](now=later) == 1
    assert not CaptchaStore.objects.filter(pk=stale.pk).exists()
    assert not CaptchaStore.objects.exists()


def test_a_wrong_answer_uses_the_challenge_up(client, real_answers):
    """One try per challenge, right or wrong (against guessing); the
    answer is compared without case or surrounding spaces."""
    from feedback.models import Ticket

    live = _challenge("40721")
    r = client.post(FORM, real_answers(captcha_0=live.hashkey, captcha_1="40722"))
    assert "captcha" in r.context["form"].errors
    assert not CaptchaStore.objects.filter(pk=live.pk).exists()
    r = client.post(FORM, real_answers(captcha_0=live.hashkey, captcha_1="40721"))
    assert "captcha" in r.context["form"].errors  # the right answer, too late
    again = _challenge("40721")
    r = client.post(FORM, real_answers(captcha_0=again.hashkey, captcha_1=" 40721 "))
    assert r.status_code == 302
    assert Ticket.objects.count() == 1


def test_the_librarys_own_cleanup_command_still_deletes_expired_challenges(db):
    from django.core.management import call_command

    stale, live = _expired(), _challenge()
    call_command("captcha_clean", verbosity=0)
    assert list(CaptchaStore.objects.values_list("pk", flat=True)) == [live.pk]
    assert not CaptchaStore.objects.filter(pk=stale.pk).exists()
