"""The case model: a frozen value for everything the case format (``iptcore.case/1``) holds.

Each class names its attributes after the JSON keys of the case format and checks itself when it is
built, from Python exactly as from JSON: a value that breaks the format raises
:class:`~iptcore.CaseError` listing every problem with its path. The cross-field rules of the format
(unique ids, references that resolve, dates in order and not after ``assessed``, ``mourning`` only on
deaths, item counts and ranges per instrument) are checked here too.

Optional fields that the file leaves out are ``None`` (or an empty tuple for lists) in the model, so
that what a file said comes back unchanged; the format's defaults (``mourning`` ``ongoing``, dispute
``expectations`` ``nonreciprocal``, ``conflict`` ``overt``) are read through the ``effective_*``
properties.

>>> from datetime import date
>>> from iptcore import Case, Person
>>> case = Case(id="demo-1", assessed=date(2026, 3, 2), onset=date(2025, 12, 1),
...             people=(Person(id="p1", role="friend", closeness=2),))
>>> case.people[0].role
<Role.FRIEND: 'friend'>
>>> Person(id="p1", role="friend", closeness=7)
Traceback (most recent call last):
...
iptcore.errors.CaseError: invalid case, 1 problem: closeness: must be between 1 and 4, got 7
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from iptcore._checks import kind_of
from iptcore._fields import Broken, Invalid, Kind, describe
from iptcore.errors import CaseError, Problem
from iptcore.measures import Instrument, item_maxima
from iptcore.terms import DisputeStage, ProblemArea

if TYPE_CHECKING:
    from iptcore.inventory import Inventory

__all__ = [
    "CASE_FORMAT",
    "Case",
    "Conflict",
    "Contact",
    "Coping",
    "Dispute",
    "Event",
    "EventKind",
    "Expectations",
    "Isolation",
    "Measure",
    "Mourning",
    "Patient",
    "PatientScreening",
    "Person",
    "Role",
    "SuicideRisk",
    "Tie",
    "TieKind",
]

#: The format and major version this library reads and writes (the case format).
CASE_FORMAT = "iptcore.case/1"


class Role(StrEnum):
    """Who a person is to the patient (the case format: Person ``role``)."""

    PARTNER = "partner"
    SPOUSE = "spouse"
    EX_PARTNER = "ex_partner"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    RELATIVE = "relative"
    FRIEND = "friend"
    COWORKER = "coworker"
    BOSS = "boss"
    NEIGHBOUR = "neighbour"
    TEACHER = "teacher"
    CLASSMATE = "classmate"
    CLINICIAN = "clinician"
    COMMUNITY = "community"
    OTHER = "other"


class Contact(StrEnum):
    """How often the patient and a person are in touch now (the case format: ``contact``)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    RARELY = "rarely"
    NEVER = "never"


class Expectations(StrEnum):
    """Whether the two sides of a dispute expect the same of the relationship.

    A role dispute is "non-reciprocal expectations about the relationship" [ISIPT; GUIDE].
    """

    NONRECIPROCAL = "nonreciprocal"
    RECIPROCAL = "reciprocal"


class Conflict(StrEnum):
    """Whether a dispute's conflict is open or hidden ("current overt or covert conflict" [GUIDE])."""

    OVERT = "overt"
    COVERT = "covert"


class TieKind(StrEnum):
    """A relationship between two people of the inventory (not the patient)."""

    CLOSE = "close"
    CONFLICT = "conflict"


class EventKind(StrEnum):
    """The kinds of timeline event: a death (grief) and the life changes (role transitions).

    "Only a death counts [as grief]: other losses are role transitions" [GUIDE]; the life changes are
    those the Casebook lists [CASEBOOK], with ``other_change`` for the rest.
    """

    DEATH = "death"
    SEPARATION = "separation"
    DIVORCE = "divorce"
    MARRIAGE = "marriage"
    NEW_RELATIONSHIP = "new_relationship"
    PREGNANCY = "pregnancy"
    BIRTH_OF_CHILD = "birth_of_child"
    PREGNANCY_LOSS = "pregnancy_loss"
    INFERTILITY = "infertility"
    NEW_JOB = "new_job"
    JOB_LOSS = "job_loss"
    PROMOTION = "promotion"
    RETIREMENT = "retirement"
    RELOCATION = "relocation"
    MIGRATION = "migration"
    GRADUATION = "graduation"
    SCHOOL_CHANGE = "school_change"
    ILLNESS = "illness"
    INJURY = "injury"
    BECAME_CAREGIVER = "became_caregiver"
    CHILD_LEFT_HOME = "child_left_home"
    FINANCIAL_CHANGE = "financial_change"
    COMING_OUT = "coming_out"
    OTHER_CHANGE = "other_change"

    @property
    def is_life_change(self) -> bool:
        """Every kind but ``death`` is a life change (a possible role transition)."""
        return self is not EventKind.DEATH


class Mourning(StrEnum):
    """How mourning of a death is going; complicated grief is mourning "postponed, avoided or
    prolonged" [GUIDE]."""

    ONGOING = "ongoing"
    AVOIDED = "avoided"
    PROLONGED = "prolonged"
    RESOLVED = "resolved"


class Isolation(StrEnum):
    """The clinician's view of whether the patient's few attachments predate the episode.

    Interpersonal deficits are a "long-standing paucity of attachments": such patients are
    "isolated and lonely, and chronically so" [GUIDE]; a ``recent`` withdrawal is part of the
    episode, not deficits.
    """

    LONGSTANDING = "longstanding"
    RECENT = "recent"


class Coping(StrEnum):
    """Whether the patient has difficulty with a life change: a role transition is "difficulty
    coping with a change of life circumstances" [ISIPT; GUIDE], not the change itself."""

    DIFFICULT = "difficult"
    ADJUSTING = "adjusting"


class SuicideRisk(StrEnum):
    """The clinician's assessment of suicide risk; every IPT manual evaluates suicidality at
    intake [GUIDE]."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


# --------------------------------------------------------------------------------------------
# Field declarations: each field names its kind (iptcore._fields) or the model class it holds.
# --------------------------------------------------------------------------------------------


def _leaf(
    kind: Kind, *, optional: bool = False, default: Any = None
) -> Any:  # pragma: no mutate block
    """A field of ``kind``; its constructor parameter is typed by the kind (``date | str``, ...)."""
    convert = kind.converter(optional=optional and default is None)
    if optional:
        return attrs.field(default=default, converter=convert, metadata={"kind": kind})
    return attrs.field(converter=convert, metadata={"kind": kind})


def _to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _many(model: type[Any]) -> Any:  # pragma: no mutate block
    """A list of ``model`` values (a tuple; a list is taken too)."""

    def convert(value: Any) -> Any:
        return _to_tuple(value)

    convert.__annotations__ = {"value": list[model] | tuple[model, ...]}  # type: ignore[valid-type]
    return attrs.field(
        default=(), converter=convert, metadata={"model": model.__name__, "many": True}
    )


def _one(model: str) -> Any:  # pragma: no mutate block
    return attrs.field(default=None, metadata={"model": model, "many": False})


_ID = Kind(name="id", description="1-64 ASCII letters, digits, '.', '_' or '-'")
_DATE = Kind(name="date", description="an ISO 8601 calendar date, YYYY-MM-DD")
_TEXT = Kind(name="str")
_TEXTS = Kind(name="strs")
_FLAG = Kind(name="bool")


def _enum(cls: type[StrEnum]) -> Kind:  # pragma: no mutate block
    return Kind(name="enum", enum=cls)


def _extensions() -> Any:  # pragma: no mutate block
    """``extensions``: a read-only deep copy (checked, and refused by name, in the post-init)."""
    kind = Kind(name="json", description="anything else; kept verbatim")
    return attrs.field(
        default=None, converter=kind.converter(optional=True), metadata={"kind": kind}, hash=False
    )


def _get(obj: Any, name: str) -> Any:
    """A field of a model object, or of the partial values of one that the loader could not build."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


class _Model:
    """What every class of the case model shares: it checks its fields and rules when built."""

    __slots__ = ()

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """Problems with how the fields fit together; ``values`` holds only the fields that are valid
        by themselves (children may be objects or the partial values of broken ones)."""
        return []

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            kind: Kind | None = field.metadata.get("kind")
            if kind is not None:
                if value is None and field.default is None:
                    continue
                try:
                    kind.check(value)
                except Invalid as exc:
                    problems.append(exc.problem(field.name))
                    continue
                except Broken as exc:
                    problems.extend(p.within(field.name) for p in exc.problems)
                    continue
            elif "model" in field.metadata:
                model = _MODELS[field.metadata["model"]]
                if field.metadata["many"]:
                    if not isinstance(value, tuple):
                        problems.append(
                            Problem(path=field.name, message=f"must be a list of {model.__name__}")
                        )
                        continue
                    bad = [i for i, v in enumerate(value) if not isinstance(v, model)]
                    for i in bad:
                        problems.append(
                            Problem(
                                path=f"{field.name}[{i}]",
                                message=f"must be a {model.__name__}, got {type(value[i]).__name__}",
                            )
                        )
                    if bad:
                        continue
                elif value is not None and not isinstance(value, model):
                    problems.append(
                        Problem(
                            path=field.name,
                            message=f"must be a {model.__name__}, got {type(value).__name__}",
                        )
                    )
                    continue
            values[field.name] = value
        problems.extend(type(self).rules(values))
        if problems:
            raise CaseError(problems)


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PatientScreening(_Model):
    """What was assessed for suitability and safety (``patient.screening``); an absent key means
    *not assessed*.

    IPT targets unipolar depression: bipolar disorder calls for IPSRT with medication [FRANK2005];
    psychotic depression for medication; active substance dependence and marked cognitive
    impairment for other or adapted treatment; suicidality is evaluated at intake [GUIDE].
    :func:`iptcore.screen` turns these answers into cautions.
    """

    bipolar: bool | None = _leaf(_FLAG, optional=True)
    psychotic_features: bool | None = _leaf(_FLAG, optional=True)
    substance_dependence: bool | None = _leaf(_FLAG, optional=True)
    cognitive_impairment: bool | None = _leaf(_FLAG, optional=True)
    suicide_risk: SuicideRisk | None = _leaf(_enum(SuicideRisk), optional=True)


@attrs.frozen(kw_only=True)
class Patient(_Model):
    """The patient, at the centre of the inventory; every field is optional.

    ``born`` is a year, 1900 up to the year of ``assessed`` (checked by :class:`Case`);
    ``isolation`` the clinician's view of whether few attachments predate the episode;
    ``screening`` what was assessed for suitability and safety.
    """

    name: str | None = _leaf(_TEXT, optional=True)
    born: int | None = _leaf(Kind(name="int", low=1900), optional=True)
    pronouns: str | None = _leaf(_TEXT, optional=True)
    isolation: Isolation | None = _leaf(_enum(Isolation), optional=True)
    screening: PatientScreening | None = _one("PatientScreening")


@attrs.frozen(kw_only=True)
class Dispute(_Model):
    """An open or past disagreement between the patient and a person.

    A role dispute is "non-reciprocal expectations about the relationship ... with current overt or
    covert conflict" [ISIPT; GUIDE]; its stage is renegotiation, impasse or dissolution [GUIDE].
    ``expectations`` and ``conflict`` are ``None`` when the file leaves them out; their defaults
    (``nonreciprocal``, ``overt``) are :attr:`effective_expectations` and :attr:`effective_conflict`.
    """

    since: date = _leaf(_DATE)
    expectations: Expectations | None = _leaf(_enum(Expectations), optional=True)
    conflict: Conflict | None = _leaf(_enum(Conflict), optional=True)
    stage: DisputeStage | None = _leaf(_enum(DisputeStage), optional=True)
    ended: date | None = _leaf(_DATE, optional=True)

    @property
    def effective_expectations(self) -> Expectations:
        """The expectations, with the format's default ``nonreciprocal`` when none was given."""
        return self.expectations or Expectations.NONRECIPROCAL

    @property
    def effective_conflict(self) -> Conflict:
        """The conflict, with the format's default ``overt`` when none was given."""
        return self.conflict or Conflict.OVERT

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """``ended`` is not before ``since`` (the case format)."""
        since, ended = values.get("since"), values.get("ended")
        if since is not None and ended is not None and ended < since:
            return [
                Problem(
                    path="ended",
                    message=f"is {ended}, before since ({since})",
                    redacted_message="is before since",
                )
            ]
        return []


@attrs.frozen(kw_only=True)
class Person(_Model):
    """A person of the interpersonal inventory, placed on a ring of the closeness circle.

    "For each important person: who they are and the role; closeness; how often together ...; what is
    satisfying and unsatisfying; ... whether the person knows the patient is depressed; what the
    patient would like to change" [MUFSON2004; DIETZ2015; COMP].
    Ring 1 is the innermost [MUFSON2004; DIETZ2015].
    """

    id: str = _leaf(_ID)
    role: Role = _leaf(_enum(Role))
    closeness: int = _leaf(Kind(name="int", low=1, high=4, description="ring, 1 = innermost"))
    name: str | None = _leaf(_TEXT, optional=True)
    contact: Contact | None = _leaf(_enum(Contact), optional=True)
    confidant: bool | None = _leaf(_FLAG, optional=True)
    knows_about_depression: bool | None = _leaf(_FLAG, optional=True)
    satisfying: tuple[str, ...] = _leaf(_TEXTS, optional=True, default=())
    unsatisfying: tuple[str, ...] = _leaf(_TEXTS, optional=True, default=())
    wants_changed: tuple[str, ...] = _leaf(_TEXTS, optional=True, default=())
    dispute: Dispute | None = _one("Dispute")


@attrs.frozen(kw_only=True)
class Tie(_Model):
    """A relationship between two people of the inventory (the patient is not one of them)."""

    between: tuple[str, ...] = _leaf(_TEXTS)
    kind: TieKind = _leaf(_enum(TieKind))

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """``between`` names two different people by id (the case format: Tie)."""
        between = values.get("between")
        if between is None:
            return []
        problems = [
            Problem(
                path=f"between[{i}]",
                message=f"must be a person id, got {pid!r}",
                redacted_message=f"must be a person id, got {kind_of(pid)}",
            )
            for i, pid in enumerate(between)
            if not _ID.accepts(pid)
        ]
        if len(between) != 2:
            problems.append(
                Problem(path="between", message=f"must name exactly two people, got {len(between)}")
            )
        elif between[0] == between[1]:
            problems.append(
                Problem(path="between", message="must name two different people, not one twice")
            )
        return problems


@attrs.frozen(kw_only=True)
class Event(_Model):
    """An event of the timeline: a death (grief) or a life change (a possible role transition).

    ``person`` is required with ``death``; ``mourning`` is allowed only with ``death`` (``None`` means
    the default ``ongoing``, see :attr:`effective_mourning`); ``description`` is required with
    ``other_change``; ``coping`` (difficulty with a life change) is refused on a death
    (the case format: Event).
    """

    date: date = _leaf(_DATE)
    kind: EventKind = _leaf(_enum(EventKind))
    person: str | None = _leaf(_ID, optional=True)
    mourning: Mourning | None = _leaf(_enum(Mourning), optional=True)
    description: str | None = _leaf(_TEXT, optional=True)
    coping: Coping | None = _leaf(_enum(Coping), optional=True)

    @property
    def effective_mourning(self) -> Mourning | None:
        """The mourning of a death, ``ongoing`` when not given; ``None`` for other events."""
        if self.kind is not EventKind.DEATH:
            return None
        return self.mourning or Mourning.ONGOING

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """A death names its person; only a death has mourning; ``other_change`` is described."""
        kind = values.get("kind")
        if kind is None:
            return []
        problems = []
        if kind is EventKind.DEATH and values.get("person") is None:
            problems.append(Problem(path="person", message="is required for a death: who died?"))
        if kind is not EventKind.DEATH and values.get("mourning") is not None:
            problems.append(
                Problem(
                    path="mourning",
                    message=f"is allowed only on a death, not on {kind.value}",
                    redacted_message="is allowed only on a death",
                )
            )
        if kind is EventKind.DEATH and values.get("coping") is not None:
            problems.append(
                Problem(
                    path="coping",
                    message="is allowed only on a life change, not on a death: use mourning",
                )
            )
        if kind is EventKind.OTHER_CHANGE and values.get("description") is None:
            problems.append(
                Problem(path="description", message="is required for other_change: what changed?")
            )
        return problems


@attrs.frozen(kw_only=True)
class Measure(_Model):
    """A symptom scale taken on a date: the instrument and its item scores (``None`` = missing)."""

    date: date = _leaf(_DATE)
    instrument: Instrument = _leaf(_enum(Instrument))
    items: tuple[int | None, ...] = _leaf(Kind(name="items"))

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """Exactly the instrument's item count, each item in its range (the case format)."""
        instrument, items = values.get("instrument"), values.get("items")
        if instrument is None or items is None:
            return []
        maxima = item_maxima(instrument)
        if len(items) != len(maxima):
            return [
                Problem(
                    path="items",
                    message=f"{instrument.value} has {len(maxima)} items, got {len(items)}",
                    redacted_message="are not as many as the instrument's items",
                )
            ]
        return [
            Problem(
                path=f"items[{i}]",
                message=f"item {i + 1} of {instrument.value} is scored 0-{top}, got {item}",
                redacted_message=f"item {i + 1} is outside the instrument's range of scores",
            )
            for i, (item, top) in enumerate(zip(items, maxima, strict=True))
            if item is not None and not 0 <= item <= top
        ]


def _after(assessed: date, children: Any, field: str, holder: str, *attrs_: str) -> list[Problem]:
    """The "not after assessed" rule over one dated field (``holder.attr``) of each child."""
    out = []
    for i, child in enumerate(children or ()):
        obj = _get(child, holder) if holder else child
        if obj is None:
            continue
        for attr in attrs_:
            value = _get(obj, attr)
            if isinstance(value, date) and value > assessed:
                where = f"{holder}.{attr}" if holder else attr
                out.append(
                    Problem(
                        path=f"{field}[{i}].{where}",
                        message=f"is {value}, after assessed ({assessed})",
                        redacted_message="is after assessed",
                    )
                )
    return out


def _death_rules(values: Mapping[str, Any]) -> list[Problem]:
    """A person dies once, and has no dispute that starts after the death."""
    problems: list[Problem] = []
    died: dict[str, tuple[int, date]] = {}
    for i, event in enumerate(values.get("events") or ()):
        pid, when = _get(event, "person"), _get(event, "date")
        if _get(event, "kind") is not EventKind.DEATH or not isinstance(pid, str):
            continue
        if pid in died:
            first = died[pid][0]
            problems.append(
                Problem(
                    path=f"events[{i}]",
                    message=f"is a second death of {pid!r} (the first is events[{first}])",
                    redacted_message=f"is a second death of one person (the first is events[{first}])",
                )
            )
        elif isinstance(when, date):
            died[pid] = (i, when)
    for i, person in enumerate(values.get("people") or ()):
        pid, since = _get(person, "id"), _get(_get(person, "dispute"), "since")
        if isinstance(pid, str) and pid in died and isinstance(since, date):
            death = died[pid][1]
            if since > death:
                problems.append(
                    Problem(
                        path=f"people[{i}].dispute.since",
                        message=f"is {since}, after {pid!r} died ({death})",
                        redacted_message="is after the person died",
                    )
                )
    return problems


@attrs.frozen(kw_only=True)
class Case(_Model):
    """An IPT case: the patient, the interpersonal inventory, the timeline and the measures.

    Frozen: change it with :func:`attrs.evolve`, which checks the new case again.
    ``inventory`` gives the relationships as a networkx graph; ``deidentify`` a pseudonymous copy.
    A case as JSON builtins (for an API's response, a database) is :func:`iptcore.dump_case`: the
    case file's document, which :func:`iptcore.load_case` reads back.
    """

    id: str = _leaf(_ID)
    assessed: date = _leaf(_DATE)
    onset: date = _leaf(_DATE)
    patient: Patient | None = _one("Patient")
    people: tuple[Person, ...] = _many(Person)
    ties: tuple[Tie, ...] = _many(Tie)
    events: tuple[Event, ...] = _many(Event)
    measures: tuple[Measure, ...] = _many(Measure)
    priority: ProblemArea | None = _leaf(_enum(ProblemArea), optional=True)
    extensions: Mapping[str, Any] | None = _extensions()
    # Any, not Inventory: the annotation must resolve at run time (cattrs reads it), and the
    # inventory module sits on a higher floor.
    _inventory: Any = attrs.field(default=None, init=False, repr=False, eq=False, hash=False)
    # The people by id, for person(): built on first use, so that a lookup costs the same in a
    # case of ten people as in one of 100,000.
    _by_id: Any = attrs.field(default=None, init=False, repr=False, eq=False, hash=False)

    @classmethod
    def rules(cls, values: Mapping[str, Any]) -> list[Problem]:
        """The cross-field rules of the case format.

        - ``onset`` is not after ``assessed``; no date in a case lies after ``assessed``;
        - ``patient.born`` is a year from 1900 to the year of ``assessed``;
        - person ids are unique (reported at the repeat's ``people[i].id``);
        - ``events[i].person`` and ``ties[i]`` name people of the inventory.
        """
        problems: list[Problem] = []
        assessed: date | None = values.get("assessed")
        onset: date | None = values.get("onset")
        if assessed is not None:
            if onset is not None and onset > assessed:
                problems.append(
                    Problem(
                        path="onset",
                        message=f"is {onset}, after assessed ({assessed})",
                        redacted_message="is after assessed",
                    )
                )
            born = _get(values.get("patient"), "born")
            if isinstance(born, int) and born > assessed.year:
                problems.append(
                    Problem(
                        path="patient.born",
                        message=f"is {describe(born)}, after the year of assessed ({assessed.year})",
                        redacted_message="is after the year of assessed",
                    )
                )
            problems += _after(
                assessed, values.get("people"), "people", "dispute", "since", "ended"
            )
            problems += _after(assessed, values.get("events"), "events", "", "date")
            problems += _after(assessed, values.get("measures"), "measures", "", "date")
        people = values.get("people") or ()
        seen: set[str] = set()
        known: set[str] = set()
        for i, person in enumerate(people):
            pid = _get(person, "id")
            if not isinstance(pid, str):
                continue
            if pid.lower() in seen:
                same = "" if pid in known else " (ids that differ only in case are one id)"
                problems.append(
                    Problem(
                        path=f"people[{i}].id",
                        message=f"repeats the id {pid!r} of another person{same}",
                        redacted_message=f"repeats the id of another person{same}",
                    )
                )
            seen.add(pid.lower())
            known.add(pid)
        # Every reference is checked at once, even when a person's id could not be read; then the
        # message says that the reference may name that person.
        unread = [i for i, p in enumerate(people) if not isinstance(_get(p, "id"), str)]
        unsure = f" (or it names people[{unread[0]}], whose id is invalid)" if unread else ""
        for i, event in enumerate(values.get("events") or ()):
            pid = _get(event, "person")
            if isinstance(pid, str) and pid not in known:
                problems.append(
                    Problem(
                        path=f"events[{i}].person",
                        message=f"names nobody: no person {pid!r}{unsure}",
                        redacted_message=f"names nobody: no person of that id{unsure}",
                    )
                )
        for i, tie in enumerate(values.get("ties") or ()):
            between = _get(tie, "between") or ()
            missing = [pid for pid in between if isinstance(pid, str) and pid not in known]
            if missing:
                names = ", ".join(repr(m) for m in missing)
                problems.append(
                    Problem(
                        path=f"ties[{i}]",
                        message=f"names nobody: no person {names}{unsure}",
                        redacted_message=f"names nobody: no person of that id{unsure}",
                    )
                )
        problems += _death_rules(values)
        return problems

    # -- views from higher floors (imported here so that the floors stay clean) ---------------
    @property
    def inventory(self) -> Inventory:
        """The interpersonal inventory as a read-only networkx graph (built on first use)."""
        if self._inventory is None:
            from iptcore.inventory import Inventory

            object.__setattr__(self, "_inventory", Inventory.from_case(self))
        inventory: Inventory = self._inventory
        return inventory

    def deidentify(self, *, seed: int, **options: Any) -> Case:
        """A copy with names removed, people renamed to stable pseudonyms and dates shifted.

        ``seed`` is required: it is the key to the pseudonyms and the date shift (whoever knows it
        can undo the shift), so keep it as secret as the original case. See
        :func:`iptcore.deidentify.deidentify` for the options.
        """
        from iptcore.deidentify import deidentify

        result: Case = deidentify(self, seed=seed, **options)
        return result

    def person(self, person_id: str) -> Person:
        """The person with id ``person_id``; :class:`KeyError` if there is none.

        Each lookup takes the same time however many people the case holds.
        """
        by_id: dict[str, Person] | None = self._by_id
        if by_id is None:
            by_id = {p.id: p for p in reversed(self.people)}  # private; the first of an id wins
            object.__setattr__(self, "_by_id", by_id)
        person = by_id.get(person_id) if isinstance(person_id, str) else None
        if person is None:
            raise KeyError(person_id)
        return person


_MODELS: Mapping[str, type[_Model]] = MappingProxyType(
    {
        cls.__name__: cls
        for cls in (PatientScreening, Patient, Dispute, Person, Tie, Event, Measure, Case)
    }
)
