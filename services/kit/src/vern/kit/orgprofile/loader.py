"""Loads an org profile from YAML, refusing it with every problem listed unless it holds."""

import difflib
from collections.abc import Hashable, Iterable, Iterator, Sequence
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.constructor import ConstructorError

from vern.kit.orgprofile.checks import Problem, find_problems
from vern.kit.orgprofile.schema import OrgProfile


class ProfileError(ValueError):
    """An org profile that cannot be used; `problems` holds each with its path."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        listing = "\n".join(f"  {p.path}: {p.message}" for p in self.problems)
        super().__init__(f"org profile {source} is invalid:\n{listing}")


class _SafeUniqueKeyLoader(yaml.SafeLoader):
    """safe_load's loader, except that a key given twice is an error, not a silent overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_profile(path: str | PathLike[str]) -> OrgProfile:
    """Reads, validates and checks the org profile at `path`."""
    source = str(path)
    loader = _SafeUniqueKeyLoader(Path(path).read_text(encoding="utf-8"))
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise ProfileError(source, [Problem("<yaml>", str(exc))]) from None
    finally:
        loader.dispose()
    return parse_profile(data, source=source)


def parse_profile(data: object, *, source: str = "<data>") -> OrgProfile:
    """Validates already-parsed profile data and checks that it is consistent."""
    try:
        profile = OrgProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(source, [_problem(e) for e in exc.errors()]) from None
    problems = find_problems(profile)
    if problems:
        raise ProfileError(source, problems)
    return profile


def _problem(error: ErrorDetails) -> Problem:
    """A schema error in words a centre's staff can act on, at the path of the key."""
    loc = list(error["loc"])
    kind = error["type"]
    message = error["msg"].removeprefix("Value error, ").replace("Input should be", "should be")
    if kind == "extra_forbidden":
        message = "unknown key"
        near = difflib.get_close_matches(str(loc[-1]), _known_keys(), n=1)
        if near:
            message += f" (did you mean '{near[0]}'?)"
    elif kind == "missing":
        message = "required key is missing"
    elif loc and loc[-1] == "[key]":
        loc.pop()
        message = "not a valid id: use a-z, 0-9 and _, starting with a letter"
    elif kind == "string_pattern_mismatch":
        message = f"not in the expected form (pattern {error['ctx']['pattern']})"
    return Problem(_dotted(loc), message)


@cache
def _known_keys() -> list[str]:
    """Every key the schema knows, anywhere: where a misspelt key's intended one comes from."""
    return sorted({name for model in _models(OrgProfile) for name in model.model_fields})


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    yield model
    for field in model.model_fields.values():
        for candidate in _types_in(field.annotation):
            if candidate is not model:
                yield from _models(candidate)


def _types_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _types_in(arg)
    origin = getattr(annotation, "__origin__", None)  # Annotated[X, ...] keeps X here
    if origin is not None and origin is not annotation:
        yield from _types_in(origin)


def _dotted(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, str) and part.startswith("~"):
            continue  # a union member's tag, not a key of the profile
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else part
    return path or "<root>"
