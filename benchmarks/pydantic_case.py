"""A pydantic v2 model of the case format (``iptcore.case/1``): what an app developer would write
instead of :func:`iptcore.load_case`, as the yardstick of ``caseio_vs_pydantic.py``.

It has the same field rules (strict types, ids, ranges, enums, no unknown keys, the size limits
of :data:`iptcore.limits.DEFAULT_LIMITS`) and the same cross-field rules (dates in order and not
after ``assessed``, ``born`` up to the year of ``assessed``, unique person ids, references that
resolve, a tie between two different people, ``mourning`` only on deaths, a death's person,
``other_change`` described, item counts and ranges per instrument). Benchmark-only: pydantic is
the ``bench`` extra, never a dependency of iptcore.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from iptcore import CASE_FORMAT, Instrument
from iptcore.case import Conflict, Contact, EventKind, Expectations, Mourning, Role, TieKind
from iptcore.limits import DEFAULT_LIMITS
from iptcore.measures import item_maxima
from iptcore.terms import DisputeStage, ProblemArea

__all__ = ["CaseModel"]

_LIMITS = DEFAULT_LIMITS
Id = Annotated[str, Field(strict=True, pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Text = Annotated[str, Field(strict=True, max_length=_LIMITS.max_text)]
Notes = Annotated[list[Text], Field(max_length=_LIMITS.max_notes)]
_MAXIMA = {instrument.value: item_maxima(instrument) for instrument in Instrument}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatientModel(_Strict):
    name: Text | None = None
    born: Annotated[StrictInt, Field(ge=1900)] | None = None
    pronouns: Text | None = None


class DisputeModel(_Strict):
    since: date
    expectations: Expectations | None = None
    conflict: Conflict | None = None
    stage: DisputeStage | None = None
    ended: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> DisputeModel:
        if self.ended is not None and self.ended < self.since:
            raise ValueError(f"ended is {self.ended}, before since ({self.since})")
        return self


class PersonModel(_Strict):
    id: Id
    role: Role
    closeness: Annotated[StrictInt, Field(ge=1, le=4)]
    name: Text | None = None
    contact: Contact | None = None
    confidant: StrictBool | None = None
    knows_about_depression: StrictBool | None = None
    satisfying: Notes = []
    unsatisfying: Notes = []
    wants_changed: Notes = []
    dispute: DisputeModel | None = None


class TieModel(_Strict):
    between: Annotated[list[Id], Field(min_length=2, max_length=2)]
    kind: TieKind

    @model_validator(mode="after")
    def _two_people(self) -> TieModel:
        if self.between[0] == self.between[1]:
            raise ValueError("between must name two different people, not one twice")
        return self


class EventModel(_Strict):
    date: date
    kind: EventKind
    person: Id | None = None
    mourning: Mourning | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _kind_rules(self) -> EventModel:
        death = self.kind is EventKind.DEATH
        if death and self.person is None:
            raise ValueError("person is required for a death")
        if not death and self.mourning is not None:
            raise ValueError(f"mourning is allowed only on a death, not on {self.kind.value}")
        if self.kind is EventKind.OTHER_CHANGE and self.description is None:
            raise ValueError("description is required for other_change")
        return self


class MeasureModel(_Strict):
    date: date
    instrument: Instrument
    items: list[StrictInt | None]

    @model_validator(mode="after")
    def _items(self) -> MeasureModel:
        maxima = _MAXIMA[self.instrument.value]
        if len(self.items) != len(maxima):
            raise ValueError(f"{self.instrument.value} has {len(maxima)} items")
        for i, (item, top) in enumerate(zip(self.items, maxima, strict=True)):
            if item is not None and not 0 <= item <= top:
                raise ValueError(f"item {i + 1} is scored 0-{top}, got {item}")
        return self


class CaseModel(_Strict):
    format: Literal["iptcore.case/1"]
    id: Id
    assessed: date
    onset: date
    patient: PatientModel | None = None
    people: Annotated[list[PersonModel], Field(max_length=_LIMITS.max_people)] = []
    ties: Annotated[list[TieModel], Field(max_length=_LIMITS.max_ties)] = []
    events: Annotated[list[EventModel], Field(max_length=_LIMITS.max_events)] = []
    measures: Annotated[list[MeasureModel], Field(max_length=_LIMITS.max_measures)] = []
    priority: ProblemArea | None = None
    extensions: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _case_rules(self) -> CaseModel:
        assessed = self.assessed
        problems = []
        if self.onset > assessed:
            problems.append("onset is after assessed")
        born = None if self.patient is None else self.patient.born
        if born is not None and born > assessed.year:
            problems.append("patient.born is after the year of assessed")
        dates = [e.date for e in self.events] + [m.date for m in self.measures]
        for p in self.people:
            if p.dispute is not None:
                dates.append(p.dispute.since)
                if p.dispute.ended is not None:
                    dates.append(p.dispute.ended)
        if any(d > assessed for d in dates):
            problems.append("a date is after assessed")
        known: set[str] = set()
        for i, p in enumerate(self.people):
            if p.id in known:
                problems.append(f"people[{i}].id repeats {p.id!r}")
            known.add(p.id)
        for i, e in enumerate(self.events):
            if e.person is not None and e.person not in known:
                problems.append(f"events[{i}].person names nobody")
        for i, t in enumerate(self.ties):
            if any(pid not in known for pid in t.between):
                problems.append(f"ties[{i}] names nobody")
        if problems:
            raise ValueError("; ".join(problems))
        return self


assert CASE_FORMAT == "iptcore.case/1"  # the Literal above names the format this model reads
