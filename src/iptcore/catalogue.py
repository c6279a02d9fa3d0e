"""The technique catalogue as a value: :class:`Technique`, :class:`Emphasis`, :class:`Homework`
and :class:`Catalogue`.

A :class:`Technique` says what one IPT technique is, how it is done, when (not) to use it, and its
source; its :class:`Family` is one of the families of the Comprehensive Guide [COMP; GUIDE
ch. 10]. An :class:`Emphasis` names the techniques that come first for a problem area (or a stage
of a role dispute; IPT_REFERENCE.md section 5), and a :class:`Homework` whether a protocol sets
work-at-home tasks [COMP; CASEBOOK]. A :class:`Catalogue` holds them, checks them as it is built (unique ids,
emphasis that names techniques suiting its area, one emphasis per area and stage), answers
questions (:meth:`Catalogue.for_area`, :meth:`Catalogue.allows_homework`) and makes changed copies.

The catalogue's content, the default :data:`iptcore.techniques.TECHNIQUES` with its sources, is
data in :mod:`iptcore.techniques`, which re-exports every name here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from iptcore import checks
from iptcore.errors import IptError
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "Catalogue",
    "Emphasis",
    "Family",
    "Homework",
    "Technique",
]


class Family(StrEnum):
    """The families of IPT techniques [COMP; GUIDE ch. 10]."""

    EXPLORATORY = "exploratory"
    ENCOURAGEMENT_OF_AFFECT = "encouragement_of_affect"
    CLARIFICATION = "clarification"
    COMMUNICATION_ANALYSIS = "communication_analysis"
    THERAPEUTIC_RELATIONSHIP = "use_of_therapeutic_relationship"
    BEHAVIOUR_CHANGE = "behaviour_change"
    ADJUNCTIVE = "adjunctive"


# --------------------------------------------------------------------------------------------
# Converters and checks: a bad value raises IptError naming the field, never TypeError/ValueError.
# --------------------------------------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)
_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _area(value: object) -> ProblemArea:
    return checks.member(ProblemArea, "area", value)


def _phase(value: object) -> Phase:
    return checks.member(Phase, "phase", value)


def _family(value: object) -> Family:
    return checks.member(Family, "family", value)


def _stage(value: object) -> DisputeStage | None:
    return None if value is None else checks.member(DisputeStage, "stage", value)


def _set_of(convert: Callable[[object], _E], what: str, value: object) -> frozenset[_E]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise IptError(f"{what} must be a set, got {value!r}")
    members = frozenset(convert(v) for v in value)
    if not members:
        raise IptError(f"{what} must name at least one")
    return members


def _areas(value: object) -> frozenset[ProblemArea]:
    return _set_of(_area, "areas", value)


def _phases(value: object) -> frozenset[Phase]:
    return _set_of(_phase, "phases", value)


_TEXT = checks.text("a non-empty string", form=checks.FIELD, blank=False)
_TEXTS = checks.texts("a list of non-empty strings", form=checks.FIELD, blank=False)
_FLAG = checks.flag(form=checks.FIELD)


def _technique_id(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise IptError(
            f"{attribute.name} must be a lower-case word of a-z, 0-9 and _ (at most 64), "
            f"got {value!r}"
        )


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Technique:
    """One IPT technique: what it is, how it is done, when (not) to use it, and its source.

    ``steps`` are given where the manual spells them out (communication analysis, decision
    analysis); ``forms`` name the technique's variants (encouragement of affect);
    ``well_sourced`` is false where the sources we read do not show the technique verbatim.

    >>> from iptcore.techniques import TECHNIQUES
    >>> t = TECHNIQUES["clarification"]
    >>> t.family, t.suits("grief", "middle"), t.suits("grief", "engagement")
    (<Family.CLARIFICATION: 'clarification'>, True, False)
    >>> t.avoid_when[0]
    'the patient is in a strong affect unrelated to what would be clarified: attend to it first'
    """

    id: str = attrs.field(validator=_technique_id)
    name: str = attrs.field(validator=_TEXT)
    family: Family = attrs.field(converter=_family)
    areas: frozenset[ProblemArea] = attrs.field(converter=_areas)
    phases: frozenset[Phase] = attrs.field(converter=_phases)
    description: str = attrs.field(validator=_TEXT)
    source: str = attrs.field(validator=_TEXT)
    steps: tuple[str, ...] = attrs.field(default=(), converter=checks.as_tuple, validator=_TEXTS)
    use_when: tuple[str, ...] = attrs.field(default=(), converter=checks.as_tuple, validator=_TEXTS)
    avoid_when: tuple[str, ...] = attrs.field(
        default=(), converter=checks.as_tuple, validator=_TEXTS
    )
    forms: tuple[str, ...] = attrs.field(default=(), converter=checks.as_tuple, validator=_TEXTS)
    well_sourced: bool = attrs.field(default=True, validator=_FLAG)

    def suits(self, area: ProblemArea | str, phase: Phase | str | None = None) -> bool:
        """Whether the technique suits ``area`` (and ``phase``, when given)."""
        return _area(area) in self.areas and (phase is None or _phase(phase) in self.phases)

    def describe(self) -> str:
        """A few lines for people: name, family, description, steps and when (not) to use it."""
        lines = [f"{self.name} ({self.family.value}): {self.description}"]
        lines += [f"  form: {form}" for form in self.forms]
        lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, start=1)]
        lines += [f"  use when: {text}" for text in self.use_when]
        lines += [f"  not when: {text}" for text in self.avoid_when]
        lines.append(
            f"  source: {self.source}" + ("" if self.well_sourced else " (less well sourced)")
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (areas and phases as sorted lists of their words)."""
        return {
            "id": self.id,
            "name": self.name,
            "family": self.family.value,
            "areas": sorted(a.value for a in self.areas),
            "phases": sorted(p.value for p in self.phases),
            "description": self.description,
            "steps": list(self.steps),
            "use_when": list(self.use_when),
            "avoid_when": list(self.avoid_when),
            "forms": list(self.forms),
            "well_sourced": self.well_sourced,
            "source": self.source,
        }


@attrs.frozen(kw_only=True)
class Emphasis:
    """The techniques that come first for a problem area (or for one stage of a role dispute)."""

    area: ProblemArea = attrs.field(converter=_area)
    stage: DisputeStage | None = attrs.field(default=None, converter=_stage)
    techniques: tuple[str, ...] = attrs.field(converter=checks.as_tuple, validator=_TEXTS)
    source: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class Homework:
    """Whether a protocol sets work-at-home tasks, with the source."""

    protocol: str = attrs.field(validator=_TEXT)
    allowed: bool = attrs.field(validator=_FLAG)
    source: str = attrs.field(validator=_TEXT)


def _technique_tuple(value: object) -> tuple[Technique, ...]:
    return checks.tuple_from(Technique, "techniques", value)


def _emphasis_tuple(value: object) -> tuple[Emphasis, ...]:
    return checks.tuple_from(Emphasis, "emphasis", value)


def _homework_tuple(value: object) -> tuple[Homework, ...]:
    return checks.tuple_from(Homework, "homework", value)


@attrs.frozen(kw_only=True)
class Catalogue:
    """A technique catalogue: the techniques, the emphasis per area, and homework per protocol.

    It is a value: :meth:`add`, :meth:`drop`, :meth:`replace`, :meth:`with_emphasis` and
    :meth:`with_homework` return new catalogues, checked as they are built (unique ids, emphasis
    that names techniques suiting its area, one emphasis per area and stage).

    >>> from iptcore.techniques import TECHNIQUES
    >>> import attrs
    >>> ours = TECHNIQUES.drop("administrative_details").replace(
    ...     attrs.evolve(TECHNIQUES["clarification"], name="Klärung"))
    >>> len(ours), ours["clarification"].name, len(TECHNIQUES)
    (13, 'Klärung', 14)
    >>> TECHNIQUES.add(TECHNIQUES["role_playing"])
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: technique id 'role_playing' appears twice
    """

    techniques: tuple[Technique, ...] = attrs.field(converter=_technique_tuple)
    emphasis: tuple[Emphasis, ...] = attrs.field(default=(), converter=_emphasis_tuple)
    homework: tuple[Homework, ...] = attrs.field(default=(), converter=_homework_tuple)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Technique] = {}
        for technique in self.techniques:
            if technique.id in by_id:
                raise IptError(f"technique id {technique.id!r} appears twice")
            by_id[technique.id] = technique
        keys: set[tuple[ProblemArea, DisputeStage | None]] = set()
        for rule in self.emphasis:
            where = rule.area.value + (f" ({rule.stage.value})" if rule.stage else "")
            if rule.stage is not None and rule.area is not ProblemArea.ROLE_DISPUTE:
                raise IptError(f"emphasis for {where}: a stage belongs to role_dispute only")
            if (rule.area, rule.stage) in keys:
                raise IptError(f"emphasis for {where} is given twice")
            keys.add((rule.area, rule.stage))
            if len(set(rule.techniques)) != len(rule.techniques):
                raise IptError(f"emphasis for {where} names a technique twice")
            for technique_id in rule.techniques:
                if technique_id not in by_id:
                    raise IptError(f"emphasis for {where} names unknown technique {technique_id!r}")
                if rule.area not in by_id[technique_id].areas:
                    raise IptError(
                        f"emphasis for {where} names {technique_id!r}, which does not suit it"
                    )
        protocols = [h.protocol for h in self.homework]
        if len(set(protocols)) != len(protocols):
            raise IptError(f"homework names a protocol twice: {protocols}")

    # The catalogue as a read-only collection -------------------------------------------------

    def __iter__(self) -> Iterator[Technique]:
        return iter(self.techniques)

    def __len__(self) -> int:
        return len(self.techniques)

    def __contains__(self, technique_id: object) -> bool:
        return any(t.id == technique_id for t in self.techniques)

    def __getitem__(self, technique_id: str) -> Technique:
        technique = self.get(technique_id)
        if technique is None:
            raise IptError(f"no technique {technique_id!r} in the catalogue")
        return technique

    def get(self, technique_id: str, default: Technique | None = None) -> Technique | None:
        """The technique with ``technique_id``, or ``default``."""
        return next((t for t in self.techniques if t.id == technique_id), default)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every technique id, in catalogue order."""
        return tuple(t.id for t in self.techniques)

    # Questions -------------------------------------------------------------------------------

    def for_area(
        self,
        area: ProblemArea | str,
        phase: Phase | str | None = None,
        *,
        stage: DisputeStage | str | None = None,
    ) -> tuple[Technique, ...]:
        """The techniques that suit ``area`` (and ``phase``), the emphasised ones first.

        The emphasis is IPT_REFERENCE.md section 5: grief - encouragement of affect, the relationship
        with the deceased; disputes - communication analysis, role play, decision analysis;
        transitions - old and new roles, affect, decision analysis; deficits - past relationships,
        role play, the therapeutic relationship. With ``stage`` (role disputes only) the stage's
        emphasis comes before the area's. The rest follow in catalogue order.

        Raises:
            IptError: for an unknown area, phase or stage, or a stage with another area.

        >>> from iptcore.techniques import TECHNIQUES
        >>> [t.id for t in TECHNIQUES.for_area("grief")][:2]
        ['encouragement_of_affect', 'reconstruction_of_relationship']
        >>> [t.id for t in TECHNIQUES.for_area("role_dispute", stage="dissolution")][:2]
        ['encouragement_of_affect', 'decision_analysis']
        """
        chosen_area, chosen_stage = _area(area), _stage(stage)
        chosen_phase = None if phase is None else _phase(phase)
        if chosen_stage is not None and chosen_area is not ProblemArea.ROLE_DISPUTE:
            raise IptError(f"stage applies to role_dispute only, not to {chosen_area.value}")
        order: list[str] = []
        keys = [(chosen_area, chosen_stage)] if chosen_stage is not None else []
        for key in (*keys, (chosen_area, None)):
            rule = next((e for e in self.emphasis if (e.area, e.stage) == key), None)
            if rule is not None:
                order += [i for i in rule.techniques if i not in order]
        order += [i for i in self.ids if i not in order]
        return tuple(t for t in map(self.__getitem__, order) if t.suits(chosen_area, chosen_phase))

    def allows_homework(self, protocol: str) -> bool:
        """Whether ``protocol`` sets work-at-home tasks.

        "Standard IPT sets no formal homework; IPT-A and group IPT use work-at-home tasks"
        [COMP; CASEBOOK].

        Raises:
            IptError: for a protocol the catalogue does not know (add it with :meth:`with_homework`).
        """
        for rule in self.homework:
            if rule.protocol == protocol:
                return rule.allowed
        known = ", ".join(h.protocol for h in self.homework)
        raise IptError(f"no homework rule for protocol {protocol!r}; known: {known}")

    # Changes (each returns a new catalogue) --------------------------------------------------

    def add(self, technique: Technique) -> Catalogue:
        """A catalogue with ``technique`` added at the end."""
        return attrs.evolve(self, techniques=(*self.techniques, technique))

    def drop(self, technique_id: str) -> Catalogue:
        """A catalogue without ``technique_id`` (and without it in any emphasis)."""
        self[technique_id]  # raises for an unknown id
        emphasis = tuple(
            attrs.evolve(e, techniques=tuple(i for i in e.techniques if i != technique_id))
            for e in self.emphasis
        )
        return attrs.evolve(
            self,
            techniques=tuple(t for t in self.techniques if t.id != technique_id),
            emphasis=emphasis,
        )

    def replace(self, technique: Technique) -> Catalogue:
        """A catalogue where the technique with ``technique.id`` is ``technique`` (same place)."""
        self[technique.id]  # raises for an unknown id
        techniques = tuple(technique if t.id == technique.id else t for t in self.techniques)
        return attrs.evolve(self, techniques=techniques)

    def with_emphasis(
        self,
        area: ProblemArea | str,
        techniques: Iterable[str],
        *,
        stage: DisputeStage | str | None = None,
        source: str,
    ) -> Catalogue:
        """A catalogue whose emphasis for ``area`` (and ``stage``) is ``techniques``, in order."""
        rule = Emphasis(area=area, stage=stage, techniques=techniques, source=source)
        kept = tuple(e for e in self.emphasis if (e.area, e.stage) != (rule.area, rule.stage))
        return attrs.evolve(self, emphasis=(*kept, rule))

    def with_homework(self, protocol: str, allowed: bool, *, source: str) -> Catalogue:
        """A catalogue that says whether ``protocol`` sets work-at-home tasks."""
        rule = Homework(protocol=protocol, allowed=allowed, source=source)
        kept = tuple(h for h in self.homework if h.protocol != protocol)
        return attrs.evolve(self, homework=(*kept, rule))

    # Output ----------------------------------------------------------------------------------

    def describe(self) -> str:
        """One line per technique: id, family and areas."""
        return "\n".join(
            f"{t.id:<32} {t.family.value:<32} {', '.join(sorted(a.value for a in t.areas))}"
            for t in self.techniques
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the whole catalogue."""
        return {
            "techniques": [t.to_dict() for t in self.techniques],
            "emphasis": [
                {
                    "area": e.area.value,
                    "stage": None if e.stage is None else e.stage.value,
                    "techniques": list(e.techniques),
                    "source": e.source,
                }
                for e in self.emphasis
            ],
            "homework": {h.protocol: h.allowed for h in self.homework},
        }
