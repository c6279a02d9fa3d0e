"""What the rules find: :class:`Evidence`, :class:`Finding`, :class:`Check` and :class:`Classification`.

These are the result values of :func:`iptcore.rules.classify`, apart from the rules that make them
(the case format's default rules and ranking, Version 1.1 [GUIDE; ISIPT; KLERMAN1984]):

- an :class:`Evidence` is what made a rule fire (an event, a dispute or the inventory), dated
  relative to onset;
- a :class:`Finding` is one candidate problem area with its evidence, rule, source and rationale,
  and for disputes the stage and how it is known [GUIDE];
- a :class:`Check` says what one rule looked for and what it set aside, so that "no area" is
  explained;
- a :class:`Classification` holds the focus of "one, at most two" areas [GUIDE], the ranked
  candidates, the checks and the warnings, with its readable (``describe``) and JSON-ready
  (``to_dict``) forms.

The values check their fields and raise :class:`~iptcore.errors.IptError` naming the one at fault.
:mod:`iptcore.rules` re-exports them, so ``from iptcore.rules import Finding`` keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any, Protocol

import attrs

from iptcore import _checks
from iptcore.case import Dispute, Event
from iptcore.errors import IptError
from iptcore.terms import DisputeStage, ProblemArea

__all__ = ["Check", "Classification", "Evidence", "Finding", "RuleSetLike"]


class RuleSetLike(Protocol):
    """What a result reads of the rule set that made it (an :class:`iptcore.RuleSet`).

    The result values sit below the rules engine, which imports them; they name the rule set by
    the few attributes they read, so that this module never imports the engine.
    """

    @property
    def name(self) -> str: ...

    @property
    def labels(self) -> Mapping[ProblemArea, str]: ...

    @property
    def window_months(self) -> int: ...


_DISPUTE = ProblemArea.ROLE_DISPUTE


def _json(value: Any) -> Any:
    """The JSON-ready form of a value: attrs classes as dicts (public fields), dates as ISO text,
    enums as their words, tuples as lists."""
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return {f.name: _json(getattr(value, f.name)) for f in fields if f.repr}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    return value


# --------------------------------------------------------------------------------------------
# Findings and the classification
# --------------------------------------------------------------------------------------------


def _typecheck(obj: object, spec: tuple[tuple[str, Any, str], ...]) -> None:
    """Check each field of ``obj`` named in ``spec`` (name, accepted types, what it must be).
    Raises IptError naming the first field at fault."""
    for name, kind, what in spec:
        value = getattr(obj, name)
        if not isinstance(value, kind):
            raise IptError(f"{type(obj).__name__}.{name} must be {what}, got {value!r}")


def _strs_ok(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


_OPT_STR = (str, type(None))


@attrs.frozen(kw_only=True)
class Evidence:
    """What made a rule fire: an ``"event"``, a ``"dispute"``, or the ``"inventory"``.

    ``days_from_onset`` is ``date - onset`` in days: negative before onset, positive after;
    ``people`` lists, for the inventory, the close people in touch often enough.
    """

    kind: str
    date: date
    days_from_onset: int
    summary: str
    person: str | None = None
    event: Event | None = None
    dispute: Dispute | None = None
    people: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple)

    _SPEC = (
        ("kind", str, "a string such as 'event', 'dispute' or 'inventory'"),
        ("date", date, "a datetime.date"),
        ("days_from_onset", int, "a whole number of days"),
        ("summary", str, "a string"),
        ("person", _OPT_STR, "a person id or None"),
        ("event", (Event, type(None)), "an Event or None"),
        ("dispute", (Dispute, type(None)), "a Dispute or None"),
    )

    def __attrs_post_init__(self) -> None:
        _typecheck(self, self._SPEC)
        if self.people and not _strs_ok(self.people):
            raise IptError(f"Evidence.people must be a tuple of ids, got {self.people!r}")


@attrs.frozen(kw_only=True)
class Finding:
    """One candidate problem area, with the evidence that triggered it and why.

    ``stage`` (disputes only) is the given stage (``stage_basis`` ``"given"``), one inferred as
    the case format says (``"inferred"``), or ``None`` with a ``prompt`` to assess it.
    ``modifiers`` name complicating factors a rule set adds (Stuart's interpersonal sensitivity).
    ``deferred`` findings rank after every other (delayed grief to assess [KLERMAN1984]);
    ``prompt`` says what the clinician should confirm or assess.
    """

    area: ProblemArea = attrs.field(converter=_checks.area)
    anchor: date
    rule: str
    source: str
    rationale: str
    evidence: Evidence
    person: str | None = None
    stage: DisputeStage | None = attrs.field(default=None, converter=_checks.stage)
    stage_basis: str | None = None
    prompt: str | None = None
    modifiers: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    deferred: bool = False

    _SPEC = (
        ("area", ProblemArea, "a ProblemArea"),
        ("anchor", date, "a datetime.date"),
        ("rule", str, "a rule id"),
        ("source", str, "a string"),
        ("rationale", str, "a string"),
        ("evidence", Evidence, "an Evidence"),
        ("person", _OPT_STR, "a person id or None"),
        ("stage", (DisputeStage, type(None)), "a DisputeStage or None"),
        ("stage_basis", _OPT_STR, "'given', 'inferred' or None"),
        ("prompt", _OPT_STR, "a string or None"),
        ("deferred", bool, "True or False"),
    )

    def __attrs_post_init__(self) -> None:
        _typecheck(self, self._SPEC)
        if self.stage is not None and self.area is not ProblemArea.ROLE_DISPUTE:
            raise IptError(
                f"Finding.stage: only a role dispute has a stage [GUIDE], not {self.area.value}"
            )
        if self.modifiers and not _strs_ok(self.modifiers):
            raise IptError(f"Finding.modifiers must be a tuple of ids, got {self.modifiers!r}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the finding (dates as ISO text, enums as their words)."""
        out: dict[str, Any] = _json(self)
        return out


@attrs.frozen(kw_only=True)
class Check:
    """What one rule looked for, whether it ran, how many findings it made, and what it set aside."""

    rule: str
    area: ProblemArea
    source: str
    looked_for: str
    applied: bool
    found: int
    notes: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Classification:
    """The result of :func:`classify`: the focus, the ranked candidates, the checks and warnings.

    ``focus`` holds 0, 1 or 2 areas, primary first (one by default; never deficits beside another
    area); ``candidates`` every finding, ranked; ``checked`` one :class:`Check` per rule of the rule
    set, so that "no area" is explained; ``warnings`` what the therapist should look at (the
    screening cautions among them); ``focus_note`` who chose the primary area (the patient, or
    iptcore's provisional ranking) or, when none was found, what to look for.
    """

    case_id: str
    onset: date
    assessed: date
    priority: ProblemArea | None
    focus: tuple[ProblemArea, ...]
    candidates: tuple[Finding, ...]
    checked: tuple[Check, ...]
    warnings: tuple[str, ...]
    rules: RuleSetLike = attrs.field(repr=False)
    focus_note: str = ""

    @property
    def primary(self) -> Finding | None:
        """The first-ranked candidate, or ``None`` when no area was found."""
        return self.candidates[0] if self.candidates else None

    def finding(self, area: ProblemArea | str) -> Finding | None:
        """The best-ranked finding of ``area``, or ``None``."""
        wanted = _checks.area(area)
        return next((f for f in self.candidates if f.area is wanted), None)

    def label(self, area: ProblemArea | str) -> str:
        """The rule set's name for ``area`` (the WHO names with :data:`WHO_RULES`)."""
        wanted = _checks.area(area)
        if wanted not in self.rules.labels:
            raise IptError(f"label: {area!r} is not a problem area")
        return self.rules.labels[wanted]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole classification (for ``iptcore classify --json``)."""
        out: dict[str, Any] = _json(self)
        out["rules"] = self.rules.name
        return out

    def describe(self) -> str:
        """A readable report: focus, each candidate with evidence and rationale, checks, warnings."""
        label = self.rules.labels
        focus = ", then ".join(label[a] for a in self.focus) or "no problem area found"
        lines = [
            f"Case {self.case_id}: onset {self.onset}, assessed {self.assessed}, rules "
            + self.rules.name,
            f"Focus: {focus}",
        ]
        if self.focus_note:
            lines.append(f"  {self.focus_note}")
        if self.candidates:
            lines.append("Candidates:")
        for n, f in enumerate(self.candidates, 1):
            extra = f", person {f.person}" if f.person else ""
            if f.area is _DISPUTE:
                extra += f", stage {f.stage} ({f.stage_basis})" if f.stage else ", stage unknown"
            if f.modifiers:
                extra += f", with {', '.join(f.modifiers)}"
            lines += [
                f"  {n}. {label[f.area]}: anchor {f.anchor}{extra}",
                f"     evidence: {f.evidence.summary}",
                f"     why: {f.rationale}",
            ]
            if f.prompt:
                lines.append(f"     to do: {f.prompt}")
        quiet = [c for c in self.checked if not c.found]
        if quiet:
            lines.append("Checked, nothing found:")
        for c in quiet:
            lines.append(f"  - {label[c.area]} ({c.rule} {c.source}): {c.looked_for}")
            lines.extend(f"      {note}" for note in c.notes)
        if self.warnings:
            lines.append("Warnings:")
            lines.extend(f"  ! {w}" for w in self.warnings)
        return "\n".join(lines)
