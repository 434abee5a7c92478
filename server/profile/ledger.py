"""Pure ledger logic: apply an RFC 6902 patch to a profile, refuse what would not be a valid profile,
and replay a ledger. The store persists; this module decides."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonpatch
import jsonpointer
import msgspec

from models.profile import Profile
from server.profile.aliases import fold_aliases

__all__ = ["DEFAULT_PROFILE", "PatchRefused", "apply_patch", "canonical", "diff", "patch_path", "replay"]

_OPS = {"add", "remove", "replace", "move", "copy", "test"}
_MAX_OPS = 200


class PatchRefused(ValueError):
    """A patch that cannot apply, or whose result is no valid profile. `status` is its HTTP answer."""

    def __init__(self, message: str, *, code: str, status: int) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


def canonical(document: Any) -> dict[str, Any]:
    """The one JSON form of a profile: every field present, defaults filled, numbers typed.

    Both the live path and replay pass every state through here, so they cannot drift apart."""
    try:
        profile = msgspec.convert(fold_aliases(document), Profile)
    except msgspec.ValidationError as exc:
        raise PatchRefused(f"not a valid profile: {exc}", code="invalid_profile", status=422) from exc
    if b"\\u0000" in msgspec.json.encode(profile):
        # PostgreSQL cannot keep NUL in text, and no lifter means one.
        raise PatchRefused("strings may not contain NUL (\\u0000)", code="invalid_profile", status=422)
    return msgspec.to_builtins(profile)  # type: ignore[no-any-return]


DEFAULT_PROFILE: dict[str, Any] = canonical({})


def _check_shape(patch: Any) -> list[dict[str, Any]]:
    if not isinstance(patch, list):
        raise PatchRefused("a JSON-Patch is an array of operations", code="invalid_patch", status=400)
    if len(patch) > _MAX_OPS:
        raise PatchRefused(f"at most {_MAX_OPS} operations a patch", code="invalid_patch", status=400)
    for i, op in enumerate(patch):
        if not isinstance(op, dict) or op.get("op") not in _OPS or not isinstance(op.get("path"), str):
            raise PatchRefused(
                f"operation {i}: needs 'op' (one of {sorted(_OPS)}) and a string 'path'",
                code="invalid_patch",
                status=400,
            )
        if op["op"] in ("add", "replace", "test") and "value" not in op:
            raise PatchRefused(
                f"operation {i}: '{op['op']}' needs a 'value'", code="invalid_patch", status=400
            )
        if op["op"] in ("move", "copy") and not isinstance(op.get("from"), str):
            raise PatchRefused(f"operation {i}: '{op['op']}' needs 'from'", code="invalid_patch", status=400)
    return patch


def apply_patch(document: dict[str, Any], patch: Any) -> dict[str, Any]:
    """The canonical profile after `patch`; raises PatchRefused (and `document` is untouched) otherwise."""
    ops = _check_shape(patch)
    try:
        result = jsonpatch.apply_patch(document, ops, in_place=False)
    except jsonpatch.JsonPatchTestFailed as exc:
        raise PatchRefused(f"test failed: {exc}", code="patch_test_failed", status=409) from exc
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
        raise PatchRefused(f"cannot apply: {exc}", code="patch_conflict", status=409) from exc
    except (TypeError, KeyError, IndexError, ValueError) as exc:
        raise PatchRefused(f"cannot apply: {exc}", code="patch_conflict", status=409) from exc
    return canonical(result)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The patch from one canonical profile to another (what a whole-profile PUT is kept as)."""
    return list(jsonpatch.make_patch(old, new).patch)


def patch_path(patch: list[dict[str, Any]]) -> str:
    """The deepest JSON pointer under which every operation (and `from`) lies; "" is the whole profile."""
    pointers = [op["path"] for op in patch] + [op["from"] for op in patch if "from" in op]
    if not pointers:
        return ""
    split = [p.split("/")[1:] if p else [] for p in pointers]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if any(part != parts[0] for part in parts):
            break
        common.append(parts[0])
    # A patch on one field reports that field; one on list items reports the list.
    return "/" + "/".join(common) if common else ""


def replay(patches: Iterable[list[dict[str, Any]]]) -> dict[str, Any]:
    document = DEFAULT_PROFILE
    for patch in patches:
        document = apply_patch(document, patch)
    return document
