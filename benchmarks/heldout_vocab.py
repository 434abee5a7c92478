"""The lifts of the held-out generator: which catalog ids are right for each, and the words lifters use.

Each name is (text, where): "both" splits, or only "held" / only "train". Names in `slang` are gym slang or
shorthand; names in `damaged` are what a speech-to-text engine or a hurried thumb makes of the name.
Loads are (low, high, step) per unit, plausible for the lift; reps are (low, high).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["EXERCISES", "Lift"]


class Lift(NamedTuple):
    ids: tuple[str, ...]
    names: list[tuple[str, str]]
    loaded: bool = True
    load_lb: tuple[float, float, float] = (45, 315, 5)
    load_kg: tuple[float, float, float] = (20, 140, 2.5)
    reps: tuple[int, int] = (3, 12)
    slang: frozenset[str] = frozenset()
    damaged: frozenset[str] = frozenset()


def _l(ids: str, names: str, *, slang: str = "", damaged: str = "", **kw: object) -> Lift:
    """`names`: '|'-separated, a leading 'H:' marks held-out only, 'T:' train only."""
    out = _names(names)
    extra = [n for n in _names(damaged) if n not in out]
    return Lift(
        ids=tuple(ids.split()),
        names=out + extra,
        slang=frozenset(t for t, _ in _names(slang)),
        damaged=frozenset(t for t, _ in _names(damaged)),
        **kw,  # type: ignore[arg-type]
    )


def _names(spec: str) -> list[tuple[str, str]]:
    out = []
    for raw in spec.split("|"):
        raw = raw.strip()
        if not raw:
            continue
        where = {"H:": "held", "T:": "train"}.get(raw[:2], "both")
        out.append((raw[2:] if where != "both" else raw, where))
    return out


_BODY = {"loaded": False, "reps": (5, 25)}

EXERCISES: list[Lift] = [
    _l(
        "Barbell_Bench_Press_-_Medium_Grip Bench_Press_-_Powerlifting",
        "bench press|flat bench|H:flat barbell bench|T:barbell bench press|H:bench pressing|T:benching",
        slang="",
        load_lb=(95, 315, 5),
        load_kg=(40, 140, 2.5),
        reps=(1, 12),
    ),
    _l(
        "Barbell_Squat Barbell_Full_Squat",
        "back squats|squat|H:high bar squat|T:barbell back squat|H:low bar squats|T:squatting",
        load_lb=(135, 405, 5),
        load_kg=(60, 180, 2.5),
        reps=(1, 10),
    ),
    _l(
        "Barbell_Deadlift",
        "deadlift|deadlifts|H:DLs|T:conventional deads|H:conventional pulls|T:barbell deadlift",
        slang="DLs|conventional deads|conventional pulls",
        load_lb=(135, 495, 5),
        load_kg=(60, 220, 2.5),
        reps=(1, 8),
    ),
    _l(
        "Standing_Military_Press Barbell_Shoulder_Press",
        "overhead press|H:military|T:strict press|H:standing barbell press|T:OHP",
        slang="military|strict press|OHP",
        load_lb=(65, 185, 5),
        load_kg=(30, 85, 2.5),
        reps=(3, 10),
    ),
    _l(
        "Romanian_Deadlift",
        "romanian deadlifts|H:RDLs|T:romanians|H:barbell RDL",
        slang="RDLs|romanians",
        load_lb=(95, 315, 5),
        load_kg=(40, 140, 2.5),
        reps=(5, 12),
    ),
    _l(
        "Stiff-Legged_Barbell_Deadlift",
        "stiff leg deadlifts|H:stiffies|T:straight leg deadlift|H:stiff legged deads",
        slang="stiffies|stiff legged deads",
        load_lb=(95, 275, 5),
        load_kg=(40, 120, 2.5),
        reps=(6, 12),
    ),
    _l(
        "Bent_Over_Barbell_Row",
        "barbell rows|H:bent over barbell rows|T:bent rows|H:barbell rows, overhand|T:pendlay style rows",
        load_lb=(95, 275, 5),
        load_kg=(40, 120, 2.5),
        reps=(6, 12),
    ),
    _l(
        "Wide-Grip_Lat_Pulldown",
        "lat pulldowns|H:lat pull downs|T:pulldowns wide|H:wide grip pulldown|T:lats on the cable",
        damaged="H:lap pulldowns|lat pool downs",
        load_lb=(60, 200, 5),
        load_kg=(25, 90, 2.5),
        reps=(8, 15),
    ),
    _l(
        "Seated_Cable_Rows",
        "seated cable rows|H:cable row|T:low rows|H:seated rows on the cable",
        load_lb=(60, 220, 5),
        load_kg=(25, 100, 2.5),
        reps=(8, 15),
    ),
    _l(
        "Face_Pull",
        "face pulls|H:rope face pulls|T:face pull",
        damaged="face fools|H:phase pulls|T:face pools",
        load_lb=(20, 80, 5),
        load_kg=(10, 35, 2.5),
        reps=(12, 20),
    ),
    _l(
        "EZ-Bar_Skullcrusher Lying_Triceps_Press",
        "skull crushers|H:skullcrushers|T:lying tricep extensions|H:EZ bar skull crushers",
        damaged="H:skull crashers|T:skulls crushers",
        load_lb=(40, 120, 5),
        load_kg=(15, 50, 2.5),
        reps=(8, 15),
    ),
    _l(
        "Hammer_Curls Alternate_Hammer_Curl",
        "hammer curls|H:hammers|T:dumbbell hammer curl|H:db hammer curls",
        slang="hammers",
        load_lb=(20, 60, 5),
        load_kg=(8, 26, 2),
        reps=(8, 15),
    ),
    _l(
        "Barbell_Curl",
        "barbell curls|H:straight bar curls|T:bb curls|H:standing barbell curl",
        load_lb=(45, 115, 5),
        load_kg=(20, 50, 2.5),
        reps=(6, 12),
    ),
    _l(
        "Preacher_Curl",
        "preacher curls|H:barbell preacher curls|T:preachers",
        slang="preachers",
        load_lb=(40, 100, 5),
        load_kg=(15, 45, 2.5),
        reps=(8, 12),
    ),
    _l(
        "Triceps_Pushdown_-_Rope_Attachment",
        "rope pushdowns|H:tricep rope pushdowns|T:rope push downs|H:rope tricep pressdowns",
        load_lb=(30, 90, 5),
        load_kg=(12, 40, 2.5),
        reps=(10, 15),
    ),
    _l(
        "Side_Lateral_Raise",
        "lateral raises|H:side raises|T:side laterals|H:dumbbell lateral raises|T:lat raises",
        load_lb=(10, 40, 5),
        load_kg=(4, 16, 2),
        reps=(10, 20),
    ),
    _l(
        "Leg_Press",
        "leg press|H:leg presses|T:the leg press machine|H:sled leg press",
        load_lb=(180, 630, 10),
        load_kg=(80, 280, 10),
        reps=(8, 15),
    ),
    _l(
        "Leg_Extensions",
        "leg extensions|H:quad extensions|T:knee extensions|H:leg extension machine",
        load_lb=(50, 200, 10),
        load_kg=(20, 90, 5),
        reps=(10, 15),
    ),
    _l(
        "Lying_Leg_Curls Seated_Leg_Curl Standing_Leg_Curl",
        "leg curls|H:ham curls|T:hamstring curls|H:hammy curls",
        slang="ham curls|hammy curls",
        load_lb=(40, 160, 10),
        load_kg=(20, 70, 5),
        reps=(8, 15),
    ),
    _l(
        "Thigh_Adductor",
        "adductor machine|H:inner thigh machine|T:hip adductions|H:adductors",
        damaged="H:hip reduction",
        load_lb=(60, 200, 10),
        load_kg=(30, 90, 5),
        reps=(10, 20),
    ),
    _l(
        "Thigh_Abductor",
        "abductor machine|H:outer thigh machine|T:hip abductions|H:abductors",
        load_lb=(60, 200, 10),
        load_kg=(30, 90, 5),
        reps=(10, 20),
    ),
    _l(
        "Barbell_Hip_Thrust",
        "hip thrusts|H:barbell hip thrusts|T:hip thrust",
        load_lb=(135, 405, 10),
        load_kg=(60, 180, 5),
        reps=(6, 12),
    ),
    _l(
        "Dumbbell_Bench_Press",
        "dumbbell bench press|H:DB bench|T:db bench press|H:flat dumbbell press",
        slang="DB bench|db bench press",
        load_lb=(40, 110, 5),
        load_kg=(16, 50, 2),
        reps=(6, 12),
    ),
    _l(
        "Incline_Dumbbell_Press",
        "incline dumbbell press|H:incline DB press|T:incline db bench|H:incline dumbbell bench press",
        load_lb=(35, 100, 5),
        load_kg=(14, 44, 2),
        reps=(6, 12),
    ),
    _l(
        "Barbell_Incline_Bench_Press_-_Medium_Grip",
        "incline bench press|H:incline barbell bench|T:incline bench",
        load_lb=(95, 245, 5),
        load_kg=(40, 110, 2.5),
        reps=(5, 10),
    ),
    _l(
        "One-Arm_Dumbbell_Row",
        "one arm dumbbell rows|H:single arm rows|T:db rows|H:dumbbell rows",
        load_lb=(40, 120, 5),
        load_kg=(16, 50, 2),
        reps=(8, 12),
    ),
    _l(
        "Dumbbell_Shoulder_Press Seated_Dumbbell_Press",
        "dumbbell shoulder press|H:DB shoulder press|T:seated dumbbell shoulder press|H:db overhead press",
        load_lb=(25, 80, 5),
        load_kg=(10, 36, 2),
        reps=(6, 12),
    ),
    _l(
        "Dumbbell_Bicep_Curl Dumbbell_Alternate_Bicep_Curl",
        "dumbbell curls|H:DB curls|T:db bicep curls|H:dumbbell bicep curls",
        load_lb=(15, 50, 5),
        load_kg=(6, 22, 2),
        reps=(8, 15),
    ),
    _l(
        "Front_Barbell_Squat Front_Squat_Clean_Grip",
        "front squats|H:barbell front squats|T:front squat",
        load_lb=(95, 275, 5),
        load_kg=(40, 120, 2.5),
        reps=(2, 8),
    ),
    _l(
        "Goblet_Squat",
        "goblet squats|H:goblet squat|T:KB goblet squats",
        load_lb=(25, 90, 5),
        load_kg=(12, 40, 4),
        reps=(8, 15),
    ),
    _l(
        "One-Arm_Kettlebell_Swings",
        "kettlebell swings|H:KB swings|T:kb swing|H:bell swings|T:kettle bell swings",
        slang="KB swings|kb swing|bell swings",
        load_lb=(26, 88, 9),
        load_kg=(12, 40, 4),
        reps=(10, 25),
    ),
    _l(
        "Split_Squat_with_Dumbbells",
        "bulgarian split squats|H:bulgarians|T:rear foot elevated split squats|H:BSS",
        slang="bulgarians|BSS",
        load_lb=(20, 80, 5),
        load_kg=(8, 36, 2),
        reps=(6, 12),
    ),
    _l(
        "Standing_Calf_Raises Standing_Barbell_Calf_Raise Standing_Dumbbell_Calf_Raise",
        "standing calf raises|H:calves standing|T:calf raises|H:standing calves",
        load_lb=(90, 300, 10),
        load_kg=(40, 140, 5),
        reps=(10, 20),
    ),
    _l(
        "Seated_Calf_Raise Barbell_Seated_Calf_Raise",
        "seated calf raises|H:seated calves|T:seated calf raise",
        load_lb=(45, 180, 5),
        load_kg=(20, 80, 5),
        reps=(10, 20),
    ),
    _l(
        "Barbell_Shrug",
        "barbell shrugs|H:bb shrugs|T:shrugs with the bar",
        load_lb=(135, 365, 10),
        load_kg=(60, 160, 5),
        reps=(8, 15),
    ),
    _l(
        "Dumbbell_Shrug",
        "dumbbell shrugs|H:DB shrugs|T:db shrug",
        load_lb=(40, 120, 5),
        load_kg=(16, 50, 2),
        reps=(10, 15),
    ),
    _l(
        "Cable_Crossover",
        "cable crossovers|H:cable flys|T:crossovers|H:cable chest flies",
        load_lb=(15, 60, 5),
        load_kg=(5, 25, 2.5),
        reps=(10, 15),
    ),
    _l(
        "Butterfly",
        "pec deck|H:pec fly machine|T:butterfly|H:chest fly machine",
        load_lb=(60, 180, 10),
        load_kg=(25, 80, 5),
        reps=(10, 15),
    ),
    _l(
        "Upright_Barbell_Row",
        "upright rows|H:barbell upright rows|T:upright row",
        load_lb=(45, 115, 5),
        load_kg=(20, 50, 2.5),
        reps=(8, 12),
    ),
    _l(
        "Trap_Bar_Deadlift",
        "trap bar deadlifts|H:hex bar deadlift|T:trap bar pulls|H:hex bar pulls",
        load_lb=(135, 495, 10),
        load_kg=(60, 220, 5),
        reps=(3, 8),
    ),
    _l(
        "Sumo_Deadlift",
        "sumo deadlifts|H:sumo pulls|T:sumo deads",
        load_lb=(135, 495, 10),
        load_kg=(60, 220, 5),
        reps=(1, 6),
    ),
    _l(
        "Close-Grip_Barbell_Bench_Press",
        "close grip bench press|H:CGBP|T:close grip bench|H:narrow grip bench",
        slang="CGBP",
        load_lb=(95, 255, 5),
        load_kg=(40, 110, 2.5),
        reps=(5, 10),
    ),
    _l(
        "Tricep_Dumbbell_Kickback",
        "tricep kickbacks|H:dumbbell kickbacks|T:kickbacks",
        load_lb=(10, 35, 5),
        load_kg=(4, 14, 2),
        reps=(10, 15),
    ),
    _l(
        "Hack_Squat",
        "hack squats|H:hack squat machine|T:hack squat",
        load_lb=(90, 360, 10),
        load_kg=(40, 160, 5),
        reps=(6, 12),
    ),
    _l(
        "Push_Press",
        "push press|H:barbell push press|T:push presses",
        load_lb=(95, 225, 5),
        load_kg=(40, 100, 2.5),
        reps=(3, 8),
    ),
    _l(
        "Power_Clean",
        "power cleans|H:power clean|T:cleans from the floor",
        load_lb=(95, 275, 5),
        load_kg=(40, 120, 2.5),
        reps=(1, 5),
    ),
    _l("Pullups", "pull-ups|H:pullups|T:pull ups|H:overhand pull-ups", **_BODY),
    _l("Chin-Up", "chin-ups|H:chinups|T:chin ups", **_BODY),
    _l("Pushups", "push-ups|H:pushups|T:push ups|H:regular push ups", **_BODY),
    _l(
        "Dips_-_Triceps_Version Parallel_Bar_Dip Dips_-_Chest_Version",
        "dips|H:parallel bar dips|T:bar dips",
        **_BODY,
    ),
    _l(
        "Hanging_Leg_Raise",
        "hanging leg raises|H:hanging knee to chest raises|T:leg raises on the bar",
        **_BODY,
    ),
    _l("Inverted_Row", "inverted rows|H:body rows|T:bodyweight rows", **_BODY),
    _l("Sit-Up", "sit-ups|H:situps|T:sit ups", **_BODY),
    _l("Bench_Dips", "bench dips|H:dips on the bench|T:bench dip", **_BODY),
    _l("Bodyweight_Walking_Lunge", "walking lunges|H:bodyweight walking lunges|T:walking lunge", **_BODY),
]
