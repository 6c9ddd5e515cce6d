"""The category_name filter: English names on English pages."""

from django.utils import translation

from feedback.templatetags.citizen import category_name


def test_it_uses_the_english_name_on_english_pages_when_there_is_one(world):
    world.waste.name_en = "Rubbish"
    with translation.override("en"):
        assert category_name(world.waste) == "Rubbish"
        assert category_name(world.environment) == "Môi trường"
    with translation.override("vi"):
        assert category_name(world.waste) == "Rác thải"
    assert category_name(None) == ""
