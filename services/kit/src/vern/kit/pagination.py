"""Bounded paging parameters, the same on every list operation (an unbounded offset overflows)."""

from typing import Annotated

from fastapi import Query

MAX_OFFSET = 1_000_000

Limit = Annotated[int, Query(ge=1, le=500, description="how many items, at most 500")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="how many items to skip")]
