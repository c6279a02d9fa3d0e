"""The documented limits on what iptcore reads, with the checks that refuse what goes past them.

iptcore holds clinical records inside other people's apps and reads files that it did not write:
a file too big, or a list so long that reading it would stall the app, is refused at once with an
error that names the limit, instead of running out of memory or time. In a case, plan or course
file that is a :class:`~iptcore.CaseError` with the path of what is too big; in a Python call (a
plan or a renegotiated course of too many sessions) an :class:`~iptcore.IptError` (a size is not a
step that the IPT protocol forbids, so never a :class:`~iptcore.ProtocolError`). Every limit is a field of one value,
:class:`Limits`; :data:`DEFAULT_LIMITS` holds the defaults, and an app that needs more passes its own
(``attrs.evolve(DEFAULT_LIMITS, max_people=500_000)``).

=================  ============  ==============================================================
limit              default       what it bounds
=================  ============  ==============================================================
``max_bytes``      10,000,000    the JSON text or file :func:`~iptcore.load_case` reads, in bytes
``max_people``     100,000       people of one case's inventory
``max_ties``       100,000       ties between them
``max_events``     100,000       events of the timeline
``max_measures``   100,000       measures taken
``max_notes``      1,000         notes in one of a person's lists (``satisfying``, ...)
``max_text``       10,000        characters of one free-text string: a name, a note, a
                                 description, the pronouns
``max_sessions``   1,000         numbered sessions of one plan or course (about 19 years weekly,
                                 83 years monthly)
``max_steps``      2,000         steps of one course (each session held, missed or moved is one;
                                 a course file is replayed step by step when it is read)
=================  ============  ==============================================================

``extensions`` may nest at most :data:`iptcore._fields.MAX_JSON_DEPTH` (64) levels deep, and an
integer in it has at most :data:`iptcore._fields.MAX_INT_DIGITS` (4,000) digits.

The counts are far above any real case (an interpersonal inventory lists tens of people, a timeline
tens of events) and at least ten times the largest case iptcore is measured on, 10,000 people and
10,000 events (``benchmarks/large_case.py``), which loads, classifies and deidentifies in linear
time. The checks here look only at the sizes of the raw document, so a hostile one is refused before
any of its entries is read.

>>> from iptcore.limits import DEFAULT_LIMITS
>>> doc = {"people": [{"id": f"p{i}"} for i in range(3)], "events": []}
>>> DEFAULT_LIMITS.document_problems(doc)
[]
>>> small = DEFAULT_LIMITS.evolve(max_people=2)
>>> [str(p) for p in small.document_problems(doc)]
['people: has 3 people, more than the limit of 2 (max_people)']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs

from iptcore import _checks
from iptcore.errors import CaseError, IptError, Problem

__all__ = ["DEFAULT_LIMITS", "Limits"]

# The case format's lists: the key of the document, the word for one entry, and the limit's field.
_LISTS = (
    ("people", "people", "max_people"),
    ("ties", "ties", "max_ties"),
    ("events", "events", "max_events"),
    ("measures", "measures", "max_measures"),
)
# The free-text fields of the case format, by where they sit.
_PATIENT_TEXTS = ("name", "pronouns")
# The lists whose entries hold free texts: key, texts, lists of notes, the limit on the list.
_ENTRIES = (
    ("people", ("name",), ("satisfying", "unsatisfying", "wants_changed"), "max_people"),
    ("events", ("description",), (), "max_events"),
)


def _field(default: int) -> Any:
    return attrs.field(
        default=default, validator=_checks.whole(1, must="a whole number of 1 or more")
    )


@attrs.frozen(kw_only=True)
class Limits:
    """The limits on one case, plan or course; the module docstring gives each with its reason.

    Raises:
        IptError: when a limit is not a whole number of 1 or more (named in the message).

    >>> Limits().max_people
    100000
    >>> Limits(max_text=0)
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: max_text: must be a whole number of 1 or more, got 0
    """

    max_bytes: int = _field(10_000_000)
    max_people: int = _field(100_000)
    max_ties: int = _field(100_000)
    max_events: int = _field(100_000)
    max_measures: int = _field(100_000)
    max_notes: int = _field(1_000)
    max_text: int = _field(10_000)
    max_sessions: int = _field(1_000)
    max_steps: int = _field(2_000)

    def evolve(self, **changes: Any) -> Limits:
        """A copy with some limits changed.

        Raises:
            IptError: for a name that is not a limit, or a value that is not a whole number >= 1.
        """
        known = [a.name for a in attrs.fields(Limits)]
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise IptError(f"Limits has no limit {', '.join(unknown)}: {', '.join(known)}")
        return attrs.evolve(self, **changes)

    # -- cases ----------------------------------------------------------------------------------
    def document_problems(self, doc: Mapping[str, Any]) -> list[Problem]:
        """Every limit that the raw case document ``doc`` (a parsed JSON object) goes past.

        Only sizes are looked at: a list that is not a list, or a text that is not a string, is
        left for the case format's own checks to report.

        >>> Limits(max_text=5).document_problems({"patient": {"name": "Fictional Name"}})
        [Problem(path='patient.name', message='is 14 characters, more than the limit of 5 (max_text)')]
        """
        return self.document_sizes(doc)[0]

    def document_sizes(self, doc: Mapping[str, Any]) -> tuple[list[Problem], int, int]:
        """:meth:`document_problems`, and the sizes of the free texts of ``doc`` (the names, notes,
        descriptions and pronouns, which are all of a case's texts of any length): their
        characters, and the quotes and commas around them. As compact JSON in UTF-8 they take at
        least ``characters + marks`` bytes (a character is one byte or more) and at most
        ``6 * characters + marks`` (``\\u0001`` is six).

        Past ``max_bytes``, the texts alone refuse the document: the walk stops there, and the
        problem says how many bytes at least.

        >>> Limits(max_bytes=20).document_sizes({"people": [{"name": "Fictional Name"}] * 2})
        ([Problem(path='', message='is at least 32 bytes as compact JSON in UTF-8, more than the limit of 20 (max_bytes)')], 28, 4)
        """
        problems: list[Problem] = []
        for key, noun, limit in _LISTS:
            entries = doc.get(key)
            most: int = getattr(self, limit)
            if isinstance(entries, list) and len(entries) > most:
                problems.append(_over(key, f"has {len(entries):,} {noun}", most, limit))
        patient = doc.get("patient")
        sizes = [0, 0]  # characters, and the quotes and commas around them
        if isinstance(patient, Mapping):
            self._fields(patient, "patient", -1, _PATIENT_TEXTS, (), problems, sizes)
        for key, texts, notes, limit in _ENTRIES:
            entries = doc.get(key)
            if isinstance(entries, list) and len(entries) <= getattr(self, limit):
                fields = self._fields
                for i, entry in enumerate(entries):
                    if entry.__class__ is dict or isinstance(entry, Mapping):
                        fields(entry, key, i, texts, notes, problems, sizes)
                        if sizes[0] + sizes[1] > self.max_bytes:
                            break
        chars, marks = sizes
        if chars + marks > self.max_bytes:
            written = f"is at least {chars + marks:,} bytes as compact JSON in UTF-8"
            problems.append(_over("", written, self.max_bytes, "max_bytes"))
        return problems, chars, marks

    def check_document(self, doc: Mapping[str, Any]) -> None:
        """Raise :class:`~iptcore.CaseError` listing every limit that ``doc`` goes past.

        The one call :func:`~iptcore.load_case` makes before it reads the document's entries.
        """
        problems = self.document_problems(doc)
        if problems:
            raise CaseError(problems)

    def _fields(
        self,
        obj: Mapping[str, Any],
        key: str,
        index: int,
        texts: tuple[str, ...],
        notes: tuple[str, ...],
        problems: list[Problem],
        sizes: list[int],
    ) -> None:
        """The limits on the free texts ``texts`` and the lists of notes ``notes`` of ``obj``, the
        entry ``index`` of the list ``key`` (or the object ``key`` when ``index`` is -1); their
        characters and their quotes and commas are added to ``sizes``."""
        most = self.max_text
        get = obj.get
        for name in texts:
            value = get(name)
            if value.__class__ is str or isinstance(value, str):
                sizes[0] += len(value)
                sizes[1] += 2
                if len(value) > most:
                    where = f"{_at(key, index)}.{name}"
                    problems.append(_over(where, f"is {len(value):,} characters", most, "max_text"))
        for name in notes:
            values = get(name)
            if values is None or not isinstance(values, list):
                continue
            if len(values) > self.max_notes:
                where = f"{_at(key, index)}.{name}"
                problems.append(
                    _over(where, f"has {len(values):,} notes", self.max_notes, "max_notes")
                )
                continue
            try:  # the usual notes, short all together: none of them can be too long
                length = sum(map(len, values))
            except TypeError:  # an entry without a length: left for the case format's checks
                pass
            else:
                sizes[0] += length
                sizes[1] += 3 * len(values)  # quotes and a comma each
                if length <= most:
                    continue
            for j, value in enumerate(values):
                if isinstance(value, str) and len(value) > most:
                    where = f"{_at(key, index)}.{name}[{j}]"
                    problems.append(_over(where, f"is {len(value):,} characters", most, "max_text"))

    # -- plans and courses --------------------------------------------------------------------
    def check_sessions(self, sessions: int, *, name: str = "sessions") -> int:
        """``sessions`` when it is within ``max_sessions``; an :class:`~iptcore.IptError` if not.

        A protocol with no upper bound (maintenance IPT) still plans at most this many sessions.

        >>> Limits().check_sessions(24)
        24
        >>> Limits().check_sessions(1_001)
        Traceback (most recent call last):
        ...
        iptcore.errors.IptError: sessions: 1,001 sessions is more than the limit of 1,000 (max_sessions)
        """
        if isinstance(sessions, bool) or not isinstance(sessions, int):
            raise IptError(f"{name}: must be a whole number of sessions, got {sessions!r}")
        if sessions > self.max_sessions:
            raise IptError(f"{name}: {self.sessions_over(sessions)}")
        return sessions

    def steps_over(self, steps: int) -> str:
        """The words refusing a course of ``steps`` steps, past ``max_steps``.

        >>> Limits(max_steps=3).steps_over(4)
        '4 steps is more than the limit of 3 (max_steps)'
        """
        return f"{steps:,} steps is more than the limit of {self.max_steps:,} (max_steps)"

    def sessions_over(self, sessions: int) -> str:
        """The words refusing ``sessions`` numbered sessions, past ``max_sessions``.

        >>> Limits(max_sessions=3).sessions_over(4)
        '4 sessions is more than the limit of 3 (max_sessions)'
        """
        if sessions < 10**20:
            count = f"{sessions:,}"
        else:  # quoted short: Python writes no integer of 4,300+ digits as text
            digits = math.floor(sessions.bit_length() * math.log10(2)) + 1
            count = f"a number of about {digits:,} digits of"
        return f"{count} sessions is more than the limit of {self.max_sessions:,} (max_sessions)"


def _at(key: str, index: int) -> str:
    """The path of the entry ``index`` of the list ``key``, or of the object ``key`` (index -1)."""
    return key if index < 0 else f"{key}[{index}]"


def _over(path: str, what: str, most: int, limit: str) -> Problem:
    return Problem(path=path, message=f"{what}, more than the limit of {most:,} ({limit})")


#: The default limits (the module docstring gives each one and why).
DEFAULT_LIMITS = Limits()
