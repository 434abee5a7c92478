from __future__ import annotations

from matcher.aliases import load_alias_data
from matcher.catalog import load_catalog
from matcher.equipment import EQUIPMENT_WORDS, agreement, exercise_equipment
from matcher.fusion import Evidence, FusionWeights, calibrate, fuse, rank
from matcher.phrase import Normalizer

W = FusionWeights()


def test_calibration_is_monotone_and_bounded() -> None:
    xs = [i / 20 for i in range(21)]
    ps = [calibrate(x, W) for x in xs]
    assert ps == sorted(ps)
    assert 0.0 < ps[0] < 0.01 and 0.99 < ps[-1] < 1.0
    assert calibrate(W.midpoint, W) == 0.5
    assert calibrate(0.2, W) < 0.05


def test_more_evidence_scores_higher() -> None:
    weak = Evidence(tokens=0.5, strings=0.5, phonetic=0.5, index=0.3)
    strong = Evidence(tokens=0.9, strings=0.8, phonetic=0.9, index=0.7)
    assert fuse(strong) > fuse(weak)
    assert fuse(Evidence()) < 0.01


def test_an_alias_dominates_soft_evidence() -> None:
    alias_only = Evidence(alias=1.0)
    moderate = Evidence(tokens=0.7, strings=0.7, phonetic=0.2, index=0.5)
    strong = Evidence(tokens=0.95, strings=0.9, phonetic=0.2, index=0.8)
    assert fuse(alias_only) >= 0.99
    assert fuse(alias_only) > fuse(moderate)
    # with the same soft evidence, the alias still wins
    assert fuse(Evidence(alias=1.0, tokens=0.95, strings=0.9, phonetic=0.2, index=0.8)) > fuse(strong)
    assert fuse(Evidence(alias=0.95)) < fuse(Evidence(alias=1.0))


def test_rank_orders_best_first_with_fused_scores() -> None:
    ev = {"A": Evidence(tokens=0.4), "B": Evidence(alias=1.0), "C": Evidence(tokens=0.9, index=0.9)}
    ranked = rank(ev)
    assert [r.id for r in ranked] == ["B", "C", "A"]
    assert ranked[0].score == round(fuse(ev["B"]), 4)


def test_recent_exercise_wins_a_near_tie_only() -> None:
    tie = {
        "A": Evidence(tokens=0.8, strings=0.8, phonetic=0.8, index=0.6),
        "B": Evidence(tokens=0.79, strings=0.8, phonetic=0.8, index=0.6),
    }
    assert rank(tie)[0].id == "A"
    assert rank(tie, recent={"B"})[0].id == "B"
    # the reported score is still B's own, not inflated by the preference
    assert rank(tie, recent={"B"})[0].score == round(fuse(tie["B"]), 4)
    gap = {"A": Evidence(alias=1.0), "B": Evidence(tokens=0.6, strings=0.6)}
    assert rank(gap, recent={"B"})[0].id == "A"


def test_canonical_entry_wins_a_near_tie() -> None:
    tie = {"Full": Evidence(tokens=0.8, strings=0.8), "Canon": Evidence(tokens=0.795, strings=0.8)}
    assert rank(tie, canonical={"Canon"})[0].id == "Canon"


def test_equipment_agreement() -> None:
    catalog = load_catalog()
    normalizer = Normalizer(load_alias_data().rules)

    def agree(phrase: tuple[str, ...], ex_id: str) -> float:
        name = normalizer.normalize(catalog[ex_id].name)
        uses = exercise_equipment(catalog[ex_id], name)
        return agreement(phrase, uses, frozenset(t for t in name if t in EQUIPMENT_WORDS))

    assert agree(("dumbbell", "romanian", "deadlift"), "Romanian_Deadlift") == -1.0  # said, not used
    assert agree(("deadlift",), "Cable_Deadlifts") == -0.5  # used, not said
    assert agree(("deadlift",), "Barbell_Deadlift") == 0.0  # the barbell goes without saying
    assert agree(("smith", "squat"), "Smith_Machine_Squat") == 0.0
    assert agree(("ez", "curl"), "EZ-Bar_Curl") == 0.0


def test_equipment_disagreement_lowers_the_fused_score() -> None:
    words = Evidence(tokens=0.8, strings=0.8, index=0.5)
    assert fuse(Evidence(tokens=0.8, strings=0.8, index=0.5, equipment=-1.0)) < fuse(words)
