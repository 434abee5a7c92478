from __future__ import annotations

from matcher.catalog import load_catalog
from server.stt.prompt import STYLE, build_prompt, catalog_vocabulary


def test_catalog_vocabulary_takes_frequent_name_words() -> None:
    words = catalog_vocabulary(["Barbell Curl", "Barbell Squat", "Dumbbell Curl", "Cable Row"], top=2)
    assert words == ["barbell", "curl"]


def test_vocabulary_of_real_catalog_names_the_common_equipment() -> None:
    words = catalog_vocabulary(e.name for e in load_catalog())
    assert {"barbell", "dumbbell", "cable", "press", "curl"} <= set(words)
    assert "the" not in words and "of" not in words


def test_recent_exercises_come_before_catalog_words_without_repeats() -> None:
    prompt = build_prompt(
        ["barbell", "curl", "squat", "row"], ["Barbell Squat", "barbell squat", "Cable Row"]
    )
    assert prompt.startswith(STYLE)
    assert prompt.endswith(" barbell squat cable row curl.")


def test_word_list_has_no_commas_for_whisper_to_copy() -> None:
    prompt = build_prompt(["barbell", "dumbbell", "press"], ["Incline Dumbbell Press"])
    assert "," not in prompt[len(STYLE) :]


def test_prompt_is_capped() -> None:
    prompt = build_prompt([f"word{i}" for i in range(500)], max_chars=200)
    assert len(prompt) <= 200
    assert not prompt.endswith(" ")


def test_decoder_loops_are_cut_at_the_first_repeat() -> None:
    from server.stt.whisper import collapse_repeats

    looped = "two sets of ten curls two sets of ten curls two sets of"
    assert collapse_repeats(looped) == "two sets of ten curls"
    assert collapse_repeats("Leg press 400 for ten. Leg press 400 for ten.") == "Leg press 400 for ten."
    # an ordinary sentence that repeats a word or two is left alone
    plain = "ten reps ten reps at ten"
    assert collapse_repeats(plain) == plain
