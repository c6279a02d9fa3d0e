"""Read-only mappings that still pickle and copy.

Values in iptcore are frozen, and a mapping inside a value must be read-only too.
:class:`types.MappingProxyType` is read-only but cannot be pickled, so a value holding one cannot
cross to a process pool (``simulate_cohort`` on an executor, a course sent to a worker).
:class:`FrozenMap` is the small read-only mapping that can.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["FrozenMap"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping: equal to a ``dict`` with the same items; pickles and copies.

    >>> import pickle
    >>> m = FrozenMap({"a": 1})
    >>> m == {"a": 1}, pickle.loads(pickle.dumps(m)) == m
    (True, True)
    >>> m["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_data",)
    _data: dict[K, V]

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data or {}))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__!r} object is read-only (setting {name!r})")

    def __reduce__(self) -> tuple[Any, tuple[dict[K, V]]]:
        return (type(self), (self._data,))

    def __copy__(self) -> FrozenMap[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenMap[K, V]:
        return self  # nothing in it can change, so it is its own copy

    __hash__ = None  # type: ignore[assignment]  # like dict: equal to dicts, so not hashable
