"""Kinds of speech the dev set under-samples: lift verbs, relative loads, mixed durations, rep words,
bodyweight counts, and the unit and effort phrasings of a speech-to-text engine. Sentences are our own."""

from __future__ import annotations

import pytest

from matcher.parser import CONFIDENCE_THRESHOLD, Parser
from matcher.resolver import ExerciseMatcher
from models.parsed import ParsedSet


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def fields(p: ParsedSet) -> tuple[int, int | None, float | None, str | None, float | None, int | None]:
    return p.sets, p.reps, p.weight, p.unit, p.rpe, p.duration_s


@pytest.mark.parametrize(
    ("text", "family", "numbers"),
    [
        ("i benched one sixty five for seven", "bench", (1, 7, 165, "lb", None, None)),
        ("squatted three forty for two", "squat", (1, 2, 340, "lb", None, None)),
        ("so i deadlifted four twenty for three", "deadlift", (1, 3, 420, "lb", None, None)),
        ("uh dead lifted three sixty five for four", "deadlift", (1, 4, 365, "lb", None, None)),
        ("was squatting two ninety five for six", "squat", (1, 6, 295, "lb", None, None)),
        ("benching one seventy for nine reps", "bench", (1, 9, 170, "lb", None, None)),
        ("pulled five oh five for a single", "deadlift", (1, 1, 505, "lb", None, None)),
        ("pressed one fifteen for five", "press", (1, 5, 115, "lb", None, None)),
        ("curled the forty fives for eight", "curl", (1, 8, 45, "lb", None, None)),
        ("rowed one fifty five for ten", "row", (1, 10, 155, "lb", None, None)),
        ("repped bench two oh five eight times", "bench", (1, 8, 205, "lb", None, None)),
        ("shrugged the nineties for fifteen", "shrug", (1, 15, 90, "lb", None, None)),
    ],
)
def test_a_lift_said_as_a_verb(parser: Parser, text: str, family: str, numbers: tuple) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert p.exercise is not None and family in p.exercise.id.lower().replace("_", " ")
    assert fields(p) == numbers


def _bench(parser: Parser, weight: str = "two oh five") -> ParsedSet:
    return parser.parse(f"bench press {weight} for six", unit="lb").parsed


@pytest.mark.parametrize(
    ("text", "weight", "reps"),
    [
        ("subtract fifteen pounds for eight", 190, 8),
        ("take off twenty, ten reps", 185, 10),
        ("take twenty off for ten", 185, 10),
        ("minus ten for seven", 195, 7),
        ("knock off thirty and do twelve", 175, 12),
        ("go up ten for four", 215, 4),
        ("bump it up fifteen pounds for three", 220, 3),
        ("up twenty, four reps", 225, 4),
        ("down twenty five for nine", 180, 9),
        ("went up by five for five", 210, 5),
        ("ten more pounds for five", 215, 5),
        ("put on another twenty for three", 225, 3),
        ("strip a plate for twelve", 115, 12),
        ("add a plate, four reps", 295, 4),
    ],
)
def test_relative_loads_change_the_previous_weight(
    parser: Parser, text: str, weight: float, reps: int
) -> None:
    prev = _bench(parser)
    p = parser.parse(text, unit="lb", previous=prev).parsed
    assert p.exercise == prev.exercise
    assert (p.weight, p.unit, p.reps, p.sets) == (weight, "lb", reps, 1)


def test_up_and_down_inside_a_name_are_not_changes(parser: Parser) -> None:
    prev = _bench(parser)
    p = parser.parse("pull ups twelve", unit="lb", previous=prev).parsed
    assert p.exercise is not None and p.exercise.id == "Pullups" and (p.reps, p.weight) == (12, None)
    p = parser.parse("lat pull down one twenty for ten", unit="lb", previous=prev).parsed
    assert (p.weight, p.reps) == (120, 10)


@pytest.mark.parametrize(
    ("text", "weight", "reps"),
    [
        ("dumbbell shoulder press the twelve and a halfs for ten", 12.5, 10),
        ("incline dumbbell press with the 27.5s for ten", 27.5, 10),
        ("dumbbell flyes with the seventeen point fives for twelve", 17.5, 12),
    ],
)
def test_fractional_pairs_are_the_load(parser: Parser, text: str, weight: float, reps: int) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.weight, p.unit, p.reps) == (weight, "lb", reps)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("plank one minute thirty", 90),
        ("plank a minute and fifteen", 75),
        ("plank a minute forty five", 105),
        ("side plank two minutes", 120),
        ("plank ninety seconds", 90),
        ("plank 1 min 30 s", 90),
        ("plank for one minute and twenty seconds", 80),
        ("plank for two minutes ten", 130),
        ("plank two minutes and ten seconds", 130),
    ],
)
def test_mixed_durations(parser: Parser, text: str, seconds: int) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert (p.duration_s, p.weight, p.unit, p.reps) == (seconds, None, None, None)


def test_a_carry_for_a_minute_thirty_keeps_its_load(parser: Parser) -> None:
    p = parser.parse("farmers walk with the sixties for a minute twenty", unit="lb").parsed
    assert (p.duration_s, p.weight, p.reps) == (80, 60, None)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("squat one eighty kilos single at nine", (1, 1, 180, "kg", 9, None)),
        ("a double at three eighty five on deadlift", (1, 2, 385, "lb", None, None)),
        ("bench single at two ninety five", (1, 1, 295, "lb", None, None)),
        ("squat 335 triple", (1, 3, 335, "lb", None, None)),
        ("deadlift double four fifty rpe eight", (1, 2, 450, "lb", 8, None)),
        ("deadlift four singles at four twenty five", (4, 1, 425, "lb", None, None)),
        ("squat three doubles at three thirty five rpe eight", (3, 2, 335, "lb", 8, None)),
    ],
)
def test_rep_words_anywhere(parser: Parser, text: str, numbers: tuple) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert p.exercise is not None
    assert fields(p) == numbers


@pytest.mark.parametrize(
    ("text", "reps"), [("sit ups, forty", 40), ("push-ups thirty five", 35), ("dips twenty two", 22)]
)
def test_a_bare_number_on_a_bodyweight_exercise_is_reps(parser: Parser, text: str, reps: int) -> None:
    p = parser.parse(text, unit="kg").parsed
    assert (p.reps, p.weight, p.unit) == (reps, None, None)


def test_a_bare_number_on_a_barbell_lift_is_still_a_guess(parser: Parser) -> None:
    p = parser.parse("squat forty", unit="kg").parsed
    assert p.confidence < CONFIDENCE_THRESHOLD


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("bench one eighty five pounds for five", (1, 5, 185, "lb", None, None)),
        ("squat a hundred kilo for five", (1, 5, 100, "kg", None, None)),
        ("lunges with the thirties each side ten reps", (1, 10, 30, "lb", None, None)),
        ("dumbbell row seventy five each arm for ten", (1, 10, 75, "lb", None, None)),
        ("goblet squat with the 24 kilo bell for ten", (1, 10, 24, "kg", None, None)),
        ("pull ups bodyweight for ten", (1, 10, None, None, None, None)),
        ("dips at bodyweight plus twenty for eight", (1, 8, 20, "lb", None, None)),
        ("bench two twenty five for five rpe nine point five", (1, 5, 225, "lb", 9.5, None)),
        ("bench two twenty five for five rated it a seven", (1, 5, 225, "lb", 7, None)),
        ("bench two twenty five for five left one in the tank", (1, 5, 225, "lb", 9, None)),
        ("squat two twenty five for eleven to failure", (1, 11, 225, "lb", 10, None)),
        ("warm up set squat one thirty five for ten", (1, 10, 135, "lb", None, None)),
        ("squat one thirty five for ten warm up set", (1, 10, 135, "lb", None, None)),
        ("bench one eighty five for five with a three second pause", (1, 5, 185, "lb", None, None)),
        ("squat two hundred for five slow tempo three one one", (1, 5, 200, "lb", None, None)),
        ("dumbbell curl twenty five per hand for twelve", (1, 12, 25, "lb", None, None)),
        ("dips body weight for fourteen", (1, 14, None, None, None, None)),
        ("chin ups bodyweight nine reps", (1, 9, None, None, None, None)),
        ("bench two ten for six i'd say an eight", (1, 6, 210, "lb", 8, None)),
        ("bench one fifteen for twelve just a warm up", (1, 12, 115, "lb", None, None)),
        ("squat ninety five for eight warmup", (1, 8, 95, "lb", None, None)),
        ("lat pulldown one thirty three sets of twelve", (3, 12, 130, "lb", None, None)),
        ("bench 175 for 6 paused", (1, 6, 175, "lb", None, None)),
        ("shrugs with the hundreds for fifteen", (1, 15, 100, "lb", None, None)),
        ("dumbbell bench with the hundred and tens for six", (1, 6, 110, "lb", None, None)),
        ("squat a set of five at three fifteen", (1, 5, 315, "lb", None, None)),
        ("squat two plates and a ten for five", (1, 5, 245, "lb", None, None)),
        ("bench a plate and a quarter for seven", (1, 7, 185, "lb", None, None)),
        ("squat two plates and ten reps", (1, 10, 225, "lb", None, None)),
        ("bench a buck ninety five for three", (1, 3, 195, "lb", None, None)),
        ("pressed ninety five for seven", (1, 7, 95, "lb", None, None)),
        ("bench two ten for four you know pretty hard", (1, 4, 210, "lb", None, None)),
        ("bench two ten for four probably a nine", (1, 4, 210, "lb", 9, None)),
        ("bench two ten for four eight out of ten", (1, 4, 210, "lb", 8, None)),
        ("bench two ten for four rpe was seven", (1, 4, 210, "lb", 7, None)),
        ("squat two forty five for six could have done three more", (1, 6, 245, "lb", 7, None)),
        ("squat two forty five for six one more in the tank", (1, 6, 245, "lb", 9, None)),
        ("squat two forty five for six nothing left in the tank", (1, 6, 245, "lb", 10, None)),
        ("squat two forty five for six with two left", (1, 6, 245, "lb", 8, None)),
        ("bench one seventy for five oh wait seven reps", (1, 7, 170, "lb", None, None)),
        ("bench one seventy, no, one eighty for five", (1, 5, 180, "lb", None, None)),
        ("put on my belt and squatted three oh five for two", (1, 2, 305, "lb", None, None)),
        ("squat 4 sets 235 6 reps", (4, 6, 235, "lb", None, None)),
    ],
)
def test_speech_to_text_phrasings(parser: Parser, text: str, numbers: tuple) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert p.exercise is not None
    assert fields(p) == numbers


def test_bodyweight_in_a_name_stays_in_the_name(parser: Parser) -> None:
    p = parser.parse("bodyweight squats twenty five", unit="lb").parsed
    assert p.exercise is not None and p.exercise.id == "Bodyweight_Squat"
    assert (p.reps, p.weight) == (25, None)


def test_a_set_of_n_with_a_name_is_sure(parser: Parser) -> None:
    p = parser.parse("bench one ninety for a set of eight", unit="lb").parsed
    assert (p.sets, p.reps, p.weight) == (1, 8, 190) and p.confidence >= CONFIDENCE_THRESHOLD


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("drop it down twenty and do eight", (1, 8, 185, "lb", None, None)),
        ("last set one ninety for ten", (1, 10, 190, "lb", None, None)),
        ("another one at two fifteen", (1, 6, 215, "lb", None, None)),
        ("up five and go for three", (1, 3, 210, "lb", None, None)),
    ],
)
def test_follow_ups_in_speech_to_text_style(parser: Parser, text: str, numbers: tuple) -> None:
    prev = _bench(parser)
    p = parser.parse(text, unit="lb", previous=prev).parsed
    assert p.exercise == prev.exercise and p.confidence >= CONFIDENCE_THRESHOLD
    assert fields(p) == numbers


def test_another_one_on_a_hold_adds_no_load(parser: Parser) -> None:
    prev = parser.parse("plank one minute", unit="lb").parsed
    p = parser.parse("another one, seventy five seconds", unit="lb", previous=prev).parsed
    assert fields(p) == (1, None, None, None, None, 75)


def test_sets_of_a_minute_long_hold(parser: Parser) -> None:
    p = parser.parse("plank three by a minute", unit="lb").parsed
    assert fields(p) == (3, None, None, None, None, 60)


@pytest.mark.parametrize(
    ("text", "implement"),
    [
        ("row fifty kilo for eight each arm", "Dumbbell"),
        ("shoulder press forty five per hand for ten", "Dumbbell"),
    ],
)
def test_a_load_each_arm_is_held_in_each_hand(parser: Parser, text: str, implement: str) -> None:
    p = parser.parse(text, unit="lb").parsed
    assert p.exercise is not None and implement in p.exercise.id


def test_a_lone_number_continuing_bodyweight_work_is_reps(parser: Parser) -> None:
    prev = parser.parse("push-ups twenty five", unit="lb").parsed
    p = parser.parse("forty", unit="lb", previous=prev).parsed
    assert p.exercise == prev.exercise and (p.reps, p.weight, p.unit) == (40, None, None)


def test_the_same_rep_count_said_per_set_counts_the_sets(parser: Parser) -> None:
    p = parser.parse("bench two fifteen for six six six", unit="lb").parsed
    assert fields(p) == (3, 6, 215, "lb", None, None) and p.confidence >= CONFIDENCE_THRESHOLD


def test_a_number_left_unread_lowers_confidence(parser: Parser) -> None:
    sure = parser.parse("bench two fifteen for six", unit="lb").parsed
    unsure = parser.parse("bench two fifteen for six nine four", unit="lb").parsed
    assert unsure.confidence < sure.confidence


@pytest.mark.parametrize(
    ("text", "reps", "weight"),
    [
        ("no wait seven reps not five", 7, 205),
        ("not six, eight", 8, 205),
        ("not two oh five, two ten", 6, 210),
    ],
)
def test_a_value_ruled_out_with_not(parser: Parser, text: str, reps: int, weight: float) -> None:
    prev = _bench(parser)
    p = parser.parse(text, unit="lb", previous=prev).parsed
    assert p.intent == "correction" and (p.reps, p.weight) == (reps, weight)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # whisper's "for"/"to"/"free" where only a count can stand: before "sets", before "by" and a
        # number, or as the value of a self-correction
        ("for sets of six hammer curls with thirty", (4, 6, 30, "lb", None, None)),
        ("did to sets of twelve on leg extensions", (2, 12, None, None, None, None)),
        ("free by ten lat pulldown at one twenty", (3, 10, 120, "lb", None, None)),
        ("hack squat one eighty for six, sorry, for", (1, 4, 180, "lb", None, None)),
        ("seated row one forty for eight no to", (1, 2, 140, "lb", None, None)),
        ("six my eight on the leg press at three sixty", (6, 8, 360, "lb", None, None)),
    ],
)
def test_count_homophones_where_only_a_count_fits(parser: Parser, text: str, numbers: tuple) -> None:
    result = parser.parse(text, unit="lb", spoken=True)
    assert fields(result.parsed) == numbers
    assert result.parsed.confidence >= CONFIDENCE_THRESHOLD


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # elsewhere the same words are themselves
        ("bench two twenty five for five", (1, 5, 225, "lb", None, None)),
        ("went up to one forty on rows for eight", (1, 8, 140, "lb", None, None)),
        ("curls for ten reps at my thirty", (1, 10, 30, "lb", None, None)),
    ],
)
def test_the_same_words_elsewhere_are_not_counts(parser: Parser, text: str, numbers: tuple) -> None:
    assert fields(parser.parse(text, unit="lb", spoken=True).parsed) == numbers
