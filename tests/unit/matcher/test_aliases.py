from __future__ import annotations

import pytest

from matcher.aliases import AliasData, AliasTable, load_alias_data
from matcher.catalog import load_catalog
from matcher.phrase import Normalizer, PhraseRules, stem


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(load_alias_data().rules)


@pytest.fixture(scope="module")
def table(normalizer: Normalizer) -> AliasTable:
    return AliasTable(load_alias_data(), load_catalog(), normalizer)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("crunches", "crunch"),
        ("raises", "raise"),
        ("presses", "press"),
        ("press", "press"),
        ("flies", "fly"),
        ("flyes", "fly"),
        ("calves", "calf"),
        ("rdls", "rdl"),
        ("lunges", "lunge"),
        ("triceps", "tricep"),
        ("abs", "ab"),
        ("row", "row"),
        ("cross", "cross"),
        ("180s", "180"),
    ],
)
def test_stemmer(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("phrase", "tokens"),
    [
        ("Pull-Ups", ("pullup",)),
        ("pull up's", ("pullup",)),
        ("chinups", ("chinup",)),
        ("dead lifts", ("deadlift",)),
        ("Lat Pull Down", ("lat", "pulldown")),
        ("RDLs", ("romanian", "deadlift")),
        ("DB rows", ("dumbbell", "row")),
        ("e-z bar curls", ("ez", "bar", "curl")),
        ("EZ curls", ("ez", "bar", "curl")),
        ("the squad", ("squat",)),
        ("skull crushes", ("skullcrusher",)),
        ("kettle bell swings", ("kettlebell", "swing")),
        ("   ", ()),
    ],
)
def test_normalize(normalizer: Normalizer, phrase: str, tokens: tuple[str, ...]) -> None:
    assert normalizer.normalize(phrase) == tokens


def test_normalize_is_idempotent(normalizer: Normalizer) -> None:
    for phrase in ["SL RDL", "close-grip bench", "cable face pools", "hammer curls", "OHP"]:
        once = normalizer.normalize(phrase)
        assert normalizer.normalize(" ".join(once)) == once


def test_rules_apply_longest_rewrite_first() -> None:
    n = Normalizer(PhraseRules(rewrites={"pull down": "pulldown", "lap pull down": "lat pulldown"}))
    assert n.normalize("lap pull down") == ("lat", "pulldown")
    assert n.normalize("cable pull down") == ("cable", "pulldown")


def test_alias_data_is_consistent(table: AliasTable) -> None:
    assert table.conflicts == []
    catalog = load_catalog()
    assert all(i in catalog for i in table.canonical_ids)
    assert len(list(table.entries())) > 1500  # names plus aliases


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("skulls", "EZ-Bar_Skullcrusher"),
        ("pulldowns", "Wide-Grip_Lat_Pulldown"),
        ("hammers", "Hammer_Curls"),
        ("bulgarians", "Split_Squat_with_Dumbbells"),
        ("pec dec", "Butterfly"),
        ("OHP", "Standing_Military_Press"),
        ("CG bench", "Close-Grip_Barbell_Bench_Press"),
        ("SLDLs", "Stiff-Legged_Barbell_Deadlift"),
        ("KB swing", "One-Arm_Kettlebell_Swings"),
        ("hex bar deadlifts", "Trap_Bar_Deadlift"),
        ("dumbbell press incline", "Incline_Dumbbell_Press"),
        ("Barbell Full Squat", "Barbell_Full_Squat"),
    ],
)
def test_lookup(table: AliasTable, normalizer: Normalizer, phrase: str, expected: str) -> None:
    hit = table.lookup(normalizer.normalize(phrase))
    assert hit is not None and hit.id == expected


def test_canonical_entry_of_a_common_lift_is_stable(table: AliasTable, normalizer: Normalizer) -> None:
    for phrase in ["squat", "back squats", "barbell squat", "squats"]:
        hit = table.lookup(normalizer.normalize(phrase))
        assert hit is not None and hit.id == "Barbell_Squat"


def test_neutral_words_and_agreeing_equipment_still_resolve(
    table: AliasTable, normalizer: Normalizer
) -> None:
    paused = table.lookup(normalizer.normalize("heavy front squat"))
    assert paused is not None and paused.id == "Front_Barbell_Squat" and paused.score < 1.0
    # a pendlay row is a barbell row, so saying the barbell changes nothing
    agreeing = table.lookup(normalizer.normalize("barbell pendlay row"))
    assert agreeing is not None and agreeing.id == "Bent_Over_Barbell_Row"
    # ...but equipment that contradicts the alias's exercise is not waved through
    assert table.lookup(normalizer.normalize("kettlebell pendlay row")) is None


def test_unknown_phrase_has_no_alias(table: AliasTable, normalizer: Normalizer) -> None:
    assert table.lookup(normalizer.normalize("what a day")) is None
    assert table.lookup(()) is None


@pytest.mark.parametrize(
    ("phrase", "tokens"),
    [
        ("R D L", ("romanian", "deadlift")),
        ("o.h.p.", ("overhead", "press")),
        ("a d b row", ("dumbbell", "row")),  # a lone "a" is an article, not a letter to spell
        ("goblin squats", ("goblet", "squat")),
        ("Barbell Bench Press - Medium Grip", ("barbell", "bench", "press")),
    ],
)
def test_spelled_letters_slips_and_default_grips(normalizer: Normalizer, phrase: str, tokens: tuple) -> None:
    assert normalizer.normalize(phrase) == tokens


def test_a_phrase_ending_in_bench_means_the_press(normalizer: Normalizer) -> None:
    assert normalizer.normalize("incline bench") == ("incline", "bench", "press")
    assert normalizer.normalize("bench dips") == ("bench", "dip")
    assert normalizer.spelled("Lat Pull-Downs") == "latpulldown"


def _small_table(aliases: dict[str, list[str]], defaults: dict[str, list[str]] | None = None) -> AliasTable:
    data = AliasData(implied=["barbell", "standing"], defaults=defaults or {}, aliases=aliases)
    normalizer = Normalizer(data.rules)
    return AliasTable(data, load_catalog(), normalizer)


def test_default_words_left_unsaid_find_the_lifters_alias() -> None:
    table = _small_table(
        {
            "Standing_Military_Press": ["barbell overhead press"],
            "Dumbbell_Shoulder_Press": ["dumbbell overhead press"],
            "Barbell_Glute_Bridge": ["weighted glute bridge"],
        }
    )
    press = table.unsaid(("overhead", "press"))
    assert press is not None and press.id == "Standing_Military_Press"
    bridge = table.unsaid(("glute", "bridge"))
    assert bridge is not None and bridge.id == "Barbell_Glute_Bridge"
    assert table.unsaid(("face", "pull")) is None


def test_a_movement_default_beats_the_general_one() -> None:
    aliases = {
        "Front_Dumbbell_Raise": ["dumbbell front raise"],
        "Standing_Front_Barbell_Raise_Over_Head": ["barbell front raise"],
    }
    raise_ = _small_table(aliases, {"raise": ["dumbbell"]}).unsaid(("front", "raise"))
    assert raise_ is not None and raise_.id == "Front_Dumbbell_Raise"
    # without the movement's default the general one (barbell) stands
    plain = _small_table(aliases).unsaid(("front", "raise"))
    assert plain is not None and plain.id == "Standing_Front_Barbell_Raise_Over_Head"


def test_a_variant_word_is_not_left_unsaid() -> None:
    table = _small_table(
        {"One_Arm_Lat_Pulldown": ["one arm lat pulldown"], "Dumbbell_Squat": ["dumbbell squat"]}
    )
    assert table.unsaid(("lat", "pulldown")) is None
    assert table.unsaid(("squat",)) is None


def test_a_longer_movement_name_has_its_own_defaults_even_with_equipment_said() -> None:
    aliases = {
        "One-Arm_Dumbbell_Row": ["one arm dumbbell row"],
        "Bent_Over_Two-Dumbbell_Row": ["bent over two dumbbell row"],
    }
    row = _small_table(aliases, {"dumbbell row": ["one arm"]}).unsaid(("dumbbell", "row"))
    assert row is not None and row.id == "One-Arm_Dumbbell_Row"
    assert _small_table(aliases).unsaid(("dumbbell", "row")) is None
