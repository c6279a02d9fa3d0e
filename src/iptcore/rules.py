"""Problem-area classification: rules as objects, rule sets as values, and :func:`classify`.

The initial phase of IPT ends with "one, at most two" problem areas [GUIDE], each "associated with"
the onset or maintenance of the depressive episode [ISIPT]. This module finds the candidates from the
case's inventory and timeline and ranks them into that focus, exactly as the default rules of
the case format's default rules (Version 1.1) say, each rule quoting its published source.

- A :class:`Rule` has an id, the area it finds, its source and quote, and a pure function from a case
  (and the rule set, for its settings) to findings; the function may also yield short notes on what
  it set aside and why, so that "no area" is explained.
- A :class:`RuleSet` is a frozen value: the rules plus their settings (window, close rings,
  attachment threshold, two-area limit, the areas' labels). Copy and change it with
  :meth:`RuleSet.evolve`; add your own rules with :meth:`RuleSet.extend`.
- :data:`DEFAULT_RULES` are the case format's rules; :data:`WHO_RULES` the same with the WHO group
  naming [WHO]; :data:`STUART_RULES` the three-area variant of Stuart & Robertson, where interpersonal
  sensitivity is a modifier on the findings, not an area [STUART].

The rule functions read ``case.people`` and ``case.events`` directly (no graph), one pass each, so
that classification stays linear in the size of the case.

What the rules make (:class:`Evidence`, :class:`Finding`, :class:`Check`, :class:`Classification`)
lives in :mod:`iptcore.findings`; this module re-exports those names.

>>> from datetime import date
>>> from iptcore import Case, Event, Person, classify
>>> case = Case(id="fictional-1", assessed=date(2026, 3, 2), onset=date(2025, 12, 1),
...             people=(Person(id="p1", role="spouse", closeness=1),),
...             events=(Event(date=date(2025, 9, 1), kind="death", person="p1"),))
>>> result = classify(case)
>>> result.focus
(<ProblemArea.GRIEF: 'grief'>,)
>>> result.candidates[0].evidence.days_from_onset
-91
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from iptcore import _checks
from iptcore._dates import add_months
from iptcore._fields import abridge, trusted
from iptcore._frozen import FrozenMap
from iptcore.case import (
    Case,
    Contact,
    Coping,
    Dispute,
    Event,
    EventKind,
    Expectations,
    Isolation,
    Mourning,
    Person,
)
from iptcore.errors import IptError
from iptcore.findings import Check, Classification, Evidence, Finding
from iptcore.screening import caution_lines
from iptcore.terms import DisputeStage, ProblemArea

__all__ = [
    "DEFAULT_LABELS",
    "DEFAULT_RULES",
    "IN_TOUCH",
    "LOOK_FOR",
    "STUART_RULES",
    "WHO_LABELS",
    "WHO_RULES",
    "Modifier",
    "Rule",
    "RuleSet",
    "classify",
    "deceased",
    "in_touch",
]

_GRIEF, _DISPUTE = ProblemArea.GRIEF, ProblemArea.ROLE_DISPUTE
_TRANSITION, _DEFICITS = ProblemArea.ROLE_TRANSITION, ProblemArea.INTERPERSONAL_DEFICITS
# Ranking ties go "grief, role dispute, role transition" (the case format: Ranking); deficits last.
_AREA_RANK: Mapping[ProblemArea, int] = MappingProxyType(
    {_GRIEF: 0, _DISPUTE: 1, _TRANSITION: 2, _DEFICITS: 3}
)

#: The manual's names of the areas [GUIDE].
DEFAULT_LABELS: Mapping[ProblemArea, str] = MappingProxyType(
    {
        _GRIEF: "grief",
        _DISPUTE: "role dispute",
        _TRANSITION: "role transition",
        _DEFICITS: "interpersonal deficits",
    }
)
#: WHO group IPT "renames them grief, disputes, life changes, loneliness/social isolation" [WHO].
WHO_LABELS: Mapping[ProblemArea, str] = MappingProxyType(
    {_GRIEF: "grief", _DISPUTE: "disputes", _TRANSITION: "life changes", _DEFICITS: "loneliness"}
)


def _days(days: int) -> str:
    """Where a date lies relative to onset, in words: ``"91 days before onset"``."""
    if days == 0:
        return "on the day of onset"
    unit = "day" if days in (1, -1) else "days"
    return f"{abs(days)} {unit} {'before' if days < 0 else 'after'} onset"


def _ids(ids: list[str], most: int = 8) -> str:
    """A list of ids for a note, shortened for large inventories."""
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _either(words: list[str]) -> str:
    """``"daily, weekly or monthly"``; ``"(none)"`` for no words."""
    if len(words) < 2:
        return "".join(words) or "(none)"
    return f"{', '.join(words[:-1])} or {words[-1]}"


@functools.lru_cache(maxsize=4096)
def _months_before(day: date, months: int) -> date:
    """``add_months(day, -months)``, remembered: every rule of a classification asks for it."""
    return add_months(day, -months)


def _ring_words(value: frozenset[int]) -> str:
    """``"1-3"`` for a run of rings, ``"1, 3"`` otherwise."""
    rings = sorted(value)
    span = len(rings) > 1 and rings == list(range(rings[0], rings[-1] + 1))
    return f"{rings[0]}-{rings[-1]}" if span else ", ".join(map(str, rings))


def _f(kind: type, what: str, **kw: Any) -> Any:  # pragma: no mutate block
    """An attrs field whose validator raises :class:`IptError` naming the class, field and value.
    (Called only at import, to build the classes: mutation testing cannot reach it, and the
    fields' refusals are tested through :class:`Rule` and :class:`Modifier`.)"""
    return attrs.field(validator=_checks.instance_of(kind, what), **kw)


# --------------------------------------------------------------------------------------------
# Rules, modifiers and rule sets
# --------------------------------------------------------------------------------------------

#: A rule's function: (case, rule set) to findings, with optional ``str`` notes on what it set aside.
FindFn = Callable[[Case, "RuleSet"], Iterable["Finding | str"]]
#: A rule's optional warnings, given the findings it made.
WarnFn = Callable[[Case, "RuleSet", tuple[Finding, ...]], Iterable[str]]


def _callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not (callable(value) or (value is None and attribute.default is None)):
        raise IptError(f"{type(instance).__name__}.{attribute.name} must be a function")


# The placeholders of a rule's looks_for, filled in from the rule set's settings (RuleSet.words).
_PLACEHOLDERS = ("window", "rings", "dispute_rings", "threshold", "contacts")
_PLACES = ", ".join(f"{{{name}}}" for name in _PLACEHOLDERS)


def _template(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """``looks_for`` is text with the placeholders and every other brace doubled, so that a
    rule set can always fill it in; anything else is refused here, never later in a rule set."""
    try:
        fields = [(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(value)]
    except ValueError:
        problems = ["a { or } outside a placeholder: a brace of the text is written {{ or }}"]
    else:
        problems = [
            f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}} is none of them"
            for name, conv, spec in fields
            if name is not None and (name not in _PLACEHOLDERS or conv or spec)
        ]
    if problems:
        must = f"text whose only placeholders are {_PLACES} ({'; '.join(problems)})"
        raise _checks.refusal(attribute.name, must, abridge(value))


@attrs.frozen(kw_only=True)
class Rule:
    """One classification rule: the area it finds, its source, and a pure function from a case.

    Args:
        id: stable and unique in its rule set (``"grief.death"``).
        area: the problem area of its findings.
        source: the short keys of the bibliography (``"[ISIPT; GUIDE]"``).
        quote: the words of the reference that the rule encodes.
        looks_for: what it checks, in words: a template whose placeholders ``{window}``,
            ``{rings}``, ``{dispute_rings}``, ``{threshold}`` and ``{contacts}`` are filled in
            from the rule set's settings; a brace of the text itself is doubled (``{{``, ``}}``).
            Any other brace or placeholder raises :class:`IptError` here.
        find: ``find(case, rules)`` yields :class:`Finding` s of ``area`` and, optionally, ``str``
            notes on what it looked at and set aside. Pure: same case, same findings.
        last_resort: run only when every other rule found nothing (deficits [GUIDE]).
        warn: ``warn(case, rules, findings)`` yields warnings about the findings it made.
    """

    id: str = _f(str, "a rule id")
    area: ProblemArea = _f(ProblemArea, "a ProblemArea", converter=_checks.area)
    source: str = _f(str, "a string")
    quote: str = _f(str, "a string")
    looks_for: str = attrs.field(
        validator=attrs.validators.and_(_checks.instance_of(str, "a string"), _template)
    )
    find: FindFn = attrs.field(validator=_callable)
    last_resort: bool = _f(bool, "True or False", default=False)
    warn: WarnFn | None = attrs.field(default=None, validator=_callable)


@attrs.frozen(kw_only=True)
class Modifier:
    """A complicating factor that marks every finding instead of being an area of its own.

    ``test(case, rules)`` returns a short note when the factor is present, else ``None``.
    """

    id: str = _f(str, "an id")
    name: str = _f(str, "a string")
    source: str = _f(str, "a string")
    quote: str = _f(str, "a string")
    test: Callable[[Case, RuleSet], str | None] = attrs.field(validator=_callable)


def _labels(value: Any) -> Any:
    """Labels not given keep the manual's names."""
    if not isinstance(value, Mapping):
        return value
    return FrozenMap({**DEFAULT_LABELS, **{_checks.area(k): v for k, v in value.items()}})


def _contacts(value: Any) -> Any:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    return frozenset(_checks.word(Contact, v) for v in value)


def _frozen(value: Any) -> Any:
    return frozenset(value) if isinstance(value, list | tuple | set | range) else value


#: The longest window, in months, as :func:`iptcore.deidentify` accepts for its ``windows``: a
#: rule set's window can always be given to it.
_MOST_MONTHS = 1200

# Each setting's check, as (test, what it must be); the message names the setting.
_SETTINGS: Mapping[str, tuple[Callable[[Any], bool], str]] = MappingProxyType(
    {
        "name": (lambda v: isinstance(v, str), "a string"),
        "rules": (
            lambda v: isinstance(v, tuple) and all(isinstance(r, Rule) for r in v),
            "a tuple of Rule",
        ),
        "modifiers": (
            lambda v: isinstance(v, tuple) and all(isinstance(m, Modifier) for m in v),
            "a tuple of Modifier",
        ),
        "window_months": (
            lambda v: type(v) is int and 1 <= v <= _MOST_MONTHS,
            f"a whole number of months from 1 to {_MOST_MONTHS}",
        ),
        "close_rings": (
            lambda v: isinstance(v, frozenset) and bool(v) and v <= {1, 2, 3, 4},
            "a non-empty set of rings from 1 to 4",
        ),
        "attachment_threshold": (lambda v: type(v) is int and v >= 0, "a whole number, 0 or more"),
        "attachment_contacts": (
            lambda v: isinstance(v, frozenset) and all(isinstance(c, Contact) for c in v),
            "a set of contact words (daily, weekly, monthly, rarely, never)",
        ),
        "dispute_rings": (
            lambda v: isinstance(v, frozenset) and bool(v) and v <= {1, 2, 3, 4},
            "a non-empty set of rings from 1 to 4",
        ),
        "pregnancy_loss_grief": (lambda v: type(v) is bool, "True or False"),
        "max_focus": (
            lambda v: type(v) is int and v in (1, 2),
            '1 or 2 ("only one problem area", at most two [GUIDE])',
        ),
        "labels": (
            lambda v: (
                isinstance(v, Mapping)
                and len(v) == 4
                and all(isinstance(v.get(a), str) for a in ProblemArea)
            ),
            "a mapping of each problem area to a name",
        ),
    }
)


def _setting(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    test, what = _SETTINGS[attribute.name]
    if not test(value):
        raise IptError(f"RuleSet {attribute.name} must be {what}, got {value!r}")


@attrs.frozen(kw_only=True)
class RuleSet:
    """The rules and their settings: a value to copy and change, never to mutate.

    Settings (the case format makes the window, the rings and the thresholds settings of the rule
    set, not constants):

    - ``window_months``: how far before onset a death or life change may lie (12; from 1 to
      1,200 months, the windows :func:`iptcore.deidentify` keeps dates in or out of);
    - ``close_rings``: the rings that count as close for grief and deficits ({1, 2});
    - ``dispute_rings``: the rings a role dispute may be with ({1, 2, 3}): "the patient and at
      least one significant other" [ISIPT; GUIDE];
    - ``attachment_threshold``: deficits need fewer than this many close people in touch (2);
    - ``attachment_contacts``: what counts as in touch (daily, weekly, monthly);
    - ``pregnancy_loss_grief``: a pregnancy loss in the window is grieved, not a transition (True);
    - ``max_focus``: the size of the focus: "try to focus treatment on only one problem area,
      depending on which one seems most important to the patient" [GUIDE ch. 6] (1; at most 2);
    - ``labels``: the areas' names in reports and formulations.

    >>> from iptcore import DEFAULT_RULES
    >>> six = DEFAULT_RULES.evolve(window_months=6, name="six-month window")
    >>> six.window_months, DEFAULT_RULES.window_months
    (6, 12)
    >>> DEFAULT_RULES.evolve(max_focus=3)
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: RuleSet max_focus must be 1 or 2 ("only one problem area", at most two [GUIDE]), got 3
    """

    name: str = attrs.field(validator=_setting)
    rules: tuple[Rule, ...] = attrs.field(converter=_checks.as_tuple, validator=_setting)
    modifiers: tuple[Modifier, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_setting
    )
    window_months: int = attrs.field(default=12, validator=_setting)
    close_rings: frozenset[int] = attrs.field(
        default=frozenset({1, 2}), converter=_frozen, validator=_setting
    )
    attachment_threshold: int = attrs.field(default=2, validator=_setting)
    attachment_contacts: frozenset[Contact] = attrs.field(
        default=frozenset({Contact.DAILY, Contact.WEEKLY, Contact.MONTHLY}),
        converter=_contacts,
        validator=_setting,
    )
    dispute_rings: frozenset[int] = attrs.field(
        default=frozenset({1, 2, 3}), converter=_frozen, validator=_setting
    )
    pregnancy_loss_grief: bool = attrs.field(default=True, validator=_setting)
    max_focus: int = attrs.field(default=1, validator=_setting)
    labels: Mapping[ProblemArea, str] = attrs.field(
        default=DEFAULT_LABELS, converter=_labels, validator=_setting, hash=False
    )
    # The settings in words and each rule's looks_for filled in, computed once (cheap classify).
    _words: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False, hash=False)
    #: (rule, what it looks for) in the order classify runs them: the last-resort rules last.
    run_order: tuple[tuple[Rule, str], ...] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    # classify's plan, computed once: for each rule in run order, its position in ``rules`` and
    # the Check it reports when it is not applied (a value that no case changes).
    _steps: tuple[tuple[Rule, str, int, Check], ...] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        ids = [r.id for r in self.rules]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise IptError(f"RuleSet rules repeat the id(s) {', '.join(repeated)}")
        words = {
            "window": f"{self.window_months} months",
            "rings": _ring_words(self.close_rings),
            "dispute_rings": _ring_words(self.dispute_rings),
            "threshold": str(self.attachment_threshold),
            "contacts": _either([c.value for c in Contact if c in self.attachment_contacts]),
        }
        words.update({r.id: r.looks_for.format(**words) for r in self.rules})
        object.__setattr__(self, "_words", FrozenMap(words))
        # "Deficits only when nothing else is found" [GUIDE]: last-resort rules run after the others.
        order = tuple((r, words[r.id]) for r in sorted(self.rules, key=lambda r: r.last_resort))
        object.__setattr__(self, "run_order", order)
        where = {r.id: i for i, r in enumerate(self.rules)}
        steps = tuple(
            (r, looked_for, where[r.id], _not_applied(r, looked_for)) for r, looked_for in order
        )
        object.__setattr__(self, "_steps", steps)

    def evolve(self, **changes: Any) -> RuleSet:
        """A copy with some settings (or ``rules``, ``modifiers``, ``name``, ``labels``) changed.

        Raises:
            IptError: for an unknown setting or a value it does not accept.
        """
        known = {a.name for a in attrs.fields(RuleSet) if a.init}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise IptError(
                f"RuleSet has no setting {', '.join(unknown)}: {', '.join(sorted(known))}"
            )
        return attrs.evolve(self, **changes)

    def extend(self, *rules: Rule, name: str | None = None) -> RuleSet:
        """A copy with ``rules`` added after the existing ones (ids must stay unique)."""
        return self.evolve(rules=self.rules + rules, name=name or self.name)

    def without(self, *rule_ids: str) -> RuleSet:
        """A copy without the rules ``rule_ids``; an id it does not hold raises IptError."""
        for rid in rule_ids:
            self.rule(rid)
        return self.evolve(rules=tuple(r for r in self.rules if r.id not in rule_ids))

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``; :class:`IptError` naming the ids held if there is none."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise IptError(f"no rule {rule_id!r} in {self.name}: it holds {', '.join(self.ids)}")

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the rules, in order."""
        return tuple(r.id for r in self.rules)

    def window_start(self, onset: date) -> date:
        """The first day of the window: ``window_months`` calendar months before ``onset``."""
        return _months_before(onset, self.window_months)

    def words(self, key: str) -> str:
        """A setting in words (``"window"``, ``"rings"``, ``"threshold"``, ``"contacts"``) or a
        rule's ``looks_for`` with the settings filled in (by rule id)."""
        return self._words[key]

    def describe(self) -> str:
        """The rule reference: each rule with what it looks for, its source and quote; settings."""
        lines = [f"Rule set {self.name!r}"]
        for r in self.rules:
            last = " (last resort: only when no other rule finds anything)" if r.last_resort else ""
            lines += [
                f"- {r.id} -> {self.labels[r.area]}{last}",
                f"    looks for: {self.words(r.id)}",
                f"    source: {r.source} {r.quote}",
            ]
        for m in self.modifiers:
            lines += [f"- modifier {m.id}: {m.name}", f"    source: {m.source} {m.quote}"]
        w = self._words
        lines.append(
            f"Settings: window {w['window']}; close rings {w['rings']}; dispute rings "
            f"{w['dispute_rings']}; attachment threshold {w['threshold']} people in touch "
            f"{w['contacts']}; pregnancy loss "
            f"{'grieved' if self.pregnancy_loss_grief else 'a transition'}; a focus of at most "
            f"{self.max_focus} area(s)"
        )
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Who is in touch: one helper for the rules and the inventory
# --------------------------------------------------------------------------------------------

#: What counts as "in touch": contact daily, weekly or monthly (the case format's default rules).
IN_TOUCH: frozenset[Contact] = frozenset({Contact.DAILY, Contact.WEEKLY, Contact.MONTHLY})


_CONTACTS = frozenset(Contact)


def _contact_set(value: object) -> frozenset[Contact]:
    """``value`` as a set of :class:`Contact`; an IptError naming ``contacts`` when it is not a
    collection of contact words (quoting what was given, a one-pass iterable as a list)."""
    given = (
        value if isinstance(value, Collection) or not isinstance(value, Iterable) else list(value)
    )
    words = _contacts(given)  # the rule set's own converter: a str or a non-iterable as given
    if not (isinstance(words, frozenset) and all(isinstance(w, Contact) for w in words)):
        must = "a collection of contact words (" + ", ".join(c.value for c in Contact) + ")"
        raise _checks.refusal("contacts", must, given)
    return words


def deceased(case: Case) -> frozenset[str]:
    """The ids of the people whose ``death`` the timeline records."""
    return frozenset(e.person for e in case.events if e.kind is EventKind.DEATH and e.person)


def in_touch(
    case: Case, contacts: Iterable[Contact | str] = IN_TOUCH, *, dead: frozenset[str] | None = None
) -> tuple[Person, ...]:
    """The living people of ``case`` whose ``contact`` is one of ``contacts``, in case order.

    A person whose death is recorded is never in touch, whatever their ``contact`` says; a person
    whose contact is not recorded is not counted. The classification rules and
    :meth:`iptcore.Inventory.summary` both read it, so that the two never disagree. ``dead`` is the
    :func:`deceased` ids when the caller already has them.

    Raises:
        IptError: when ``case`` is not a Case, ``contacts`` is not a collection of contact words
            (``daily``, ``weekly``, ``monthly``, ``rarely``, ``never``, or :class:`Contact`
            members), or ``dead`` is not a set of ids.
    """
    _checks.argument("case", case, Case)
    if isinstance(contacts, frozenset) and contacts <= _CONTACTS:
        allowed = contacts
    else:
        allowed = _contact_set(contacts)
    if dead is not None and not isinstance(dead, frozenset | set):
        raise _checks.refusal("dead", "a set of person ids, or None", dead)
    gone = deceased(case) if dead is None else dead
    return tuple([p for p in case.people if p.contact in allowed and p.id not in gone])


# --------------------------------------------------------------------------------------------
# The default rules (the case format's default rules, Version 1.1, with their sources)
# --------------------------------------------------------------------------------------------


_NOT_APPLIED = "not applied: another area was found"
# The results the engine builds from values it checked, without checking them again: the public
# constructors still check every value a user (or a custom rule) builds.
_new_finding = trusted(Finding)
_new_evidence = trusted(Evidence)
_new_check = trusted(Check)
_new_classification = trusted(Classification)


@functools.lru_cache(maxsize=512, typed=True)
def _check(
    rule: str, area: ProblemArea, source: str, looked_for: str, found: int, notes: tuple[str, ...]
) -> Check:
    """A rule's check, made of its arguments alone and so remembered: most recur case after case
    ("no death on the timeline"; one finding and nothing set aside)."""
    return _new_check(rule=rule, area=area, source=source, looked_for=looked_for, applied=True,
                      found=found, notes=notes)  # fmt: skip


def _not_applied(rule: Rule, looked_for: str) -> Check:
    """The check of a last-resort ``rule`` when another area was found: the same for any case."""
    return _new_check(rule=rule.id, area=rule.area, source=rule.source, looked_for=looked_for,
                      applied=False, found=0, notes=(_NOT_APPLIED,))  # fmt: skip


def _finding(
    rule: Rule,
    case: Case,
    when: date,
    what: str,
    why: str,
    *,
    person: str | None = None,
    kind: str = "event",
    event: Event | None = None,
    dispute: Dispute | None = None,
    people: tuple[str, ...] = (),
    **more: Any,
) -> Finding:
    """A finding of ``rule`` anchored at ``when``: evidence ``what``, a one-sentence rationale."""
    days = (when - case.onset).days
    summary = f"{what}, {_days(days)}"
    return _new_finding(
        area=rule.area,
        anchor=when,
        rule=rule.id,
        source=rule.source,
        rationale=f"Rule {rule.id} {rule.source}: {summary}, {why}.",
        evidence=_new_evidence(kind=kind, date=when, days_from_onset=days, summary=summary,
                               person=person, event=event, dispute=dispute, people=people),
        person=person,
        **more,
    )  # fmt: skip


_COMPLICATED = frozenset({Mourning.AVOIDED, Mourning.PROLONGED})
_DELAYED_PROMPT = (
    "assess delayed or chronic grief: a close death long before onset whose mourning was never "
    "completed can be the focus (the Guide's hidden death) [KLERMAN1984; GUIDE]"
)


def _find_grief(case: Case, rules: RuleSet) -> Iterator[Finding | str]:
    """Rule 1 (a), (b) and (c); see :data:`GRIEF` for the sources."""
    onset, rings = case.onset, rules.close_rings
    start = closeness = None
    for e in case.events:
        kind = e.kind
        if kind is EventKind.PREGNANCY_LOSS and rules.pregnancy_loss_grief:
            start = start or rules.window_start(onset)
            what = f"pregnancy loss on {e.date}"
            if e.date < start:
                yield f"{what}: before the window (from {start})"
            else:
                why = f"a perinatal loss within the window from {start}, grieved, not a transition"
                yield _finding(GRIEF, case, e.date, what, why, event=e)
            continue
        if kind is not EventKind.DEATH:
            continue
        if closeness is None:
            start = start or rules.window_start(onset)
            closeness = {p.id: p.closeness for p in case.people}
        near = closeness.get(e.person or "")
        mourning = e.effective_mourning
        what = f"death of {e.person} on {e.date.isoformat()}, mourning {mourning}"
        assert start is not None  # set with closeness, just above
        if near not in rings:
            yield f"{what}: closeness {near}, not a close ring ({rules.words('rings')})"
        elif mourning is Mourning.RESOLVED:
            yield f"{what}: mourning is resolved"
        elif start <= e.date:  # and not after assessed: the case format guarantees it
            why = f"closeness {near}, within the window from {start}"
            yield _finding(GRIEF, case, e.date, what, why, person=e.person, event=e)
        elif mourning in _COMPLICATED:
            why = f"closeness {near}, before the window but complicated grief, however long ago"
            yield _finding(GRIEF, case, e.date, what, why, person=e.person, event=e)
        else:
            why = f"closeness {near}, before the window with mourning ongoing: delayed grief to assess"
            yield _finding(GRIEF, case, e.date, what, why, person=e.person, event=e,
                           deferred=True, prompt=_DELAYED_PROMPT)  # fmt: skip
    if start is None:
        yield "no death on the timeline"


GRIEF = Rule(
    id="grief.death",
    area=_GRIEF,
    source="[ISIPT; GUIDE; KLERMAN1984]",
    quote=(
        '"Death of a person close to the patient, associated with onset or maintenance" [ISIPT]; '
        '"complicated grief: mourning postponed, avoided or prolonged" [GUIDE]; delayed and '
        "chronic grief are abnormal grief [KLERMAN1984], so a close death long before onset with "
        "mourning never completed is a grief focus to assess (after every other candidate); a "
        "perinatal loss is mourned (a setting: pregnancy_loss_grief)"
    ),
    looks_for=(
        "a death of a person at closeness {rings}, mourning not resolved, from {window} before "
        "onset to assessment, or with mourning avoided or prolonged however long ago, or ongoing "
        "before that (delayed grief, to assess); a pregnancy loss in that window"
    ),
    find=_find_grief,
)

_ENDING = frozenset({EventKind.SEPARATION, EventKind.DIVORCE})
_STAGE_PROMPT = (
    "assess the dispute's stage: renegotiation (both still trying), impasse (talking has stopped) "
    "or dissolution (beyond repair) [GUIDE]"
)
_ENDED_PROMPT = (
    "confirm the stage: a separation or divorce is evidence, not proof, of dissolution; "
    '"diagnose the seriousness of the dispute" [GUIDE]'
)


def _dispute_reason(case: Case, rules: RuleSet, p: Person, d: Dispute) -> str | None:
    """Why ``d``, the dispute of ``p``, is not a rule 2 candidate, or ``None`` when it is one."""
    if p.closeness not in rules.dispute_rings:
        return f"closeness {p.closeness}, not a ring a dispute counts in ({rules.words('dispute_rings')})"
    if d.effective_expectations is not Expectations.NONRECIPROCAL:
        return "expectations reciprocal"
    if d.ended is not None and d.ended < case.onset:
        return f"ended {d.ended}, before onset"
    return None


def _endings(case: Case) -> dict[str, Event]:
    """The earliest separation or divorce naming each person; ties by content, never by input
    order."""
    endings: dict[str, Event] = {}
    for e in case.events:
        if e.kind in _ENDING and e.person is not None:
            first = endings.get(e.person)
            if first is None or (e.date, repr(e)) < (first.date, repr(first)):
                endings[e.person] = e
    return endings


def _disputed(case: Case, rules: RuleSet) -> frozenset[str]:
    """The people whose dispute is a rule 2 candidate (empty when the rule set has no rule 2)."""
    if not any(r.id == DISPUTE.id for r in rules.rules):
        return frozenset()
    return frozenset(
        p.id
        for p in case.people
        if p.dispute is not None and _dispute_reason(case, rules, p, p.dispute) is None
    )


def _find_disputes(case: Case, rules: RuleSet) -> Iterator[Finding | str]:
    """Rule 2; see :data:`DISPUTE` for the sources. The stage is the given one; without one it is
    dissolution when a separation or divorce names that person (that event is the dispute's
    evidence, never also a transition), and otherwise unknown (the finding says to assess it)."""
    any_dispute = False
    endings: dict[str, Event] | None = None
    for p in case.people:
        d = p.dispute
        if d is None:
            continue
        any_dispute = True
        what = f"dispute with {p.id} since {d.since.isoformat()}"
        reason = _dispute_reason(case, rules, p, d)
        if reason is not None:
            yield f"{what}: {reason}"
            continue
        if endings is None:
            endings = _endings(case)
        ending = endings.get(p.id)
        stage, prompt = d.stage, None
        basis: str | None = "given"
        if stage is None and ending is not None:
            stage, basis, prompt = DisputeStage.DISSOLUTION, "inferred", _ENDED_PROMPT
        elif stage is None:
            basis, prompt = None, _STAGE_PROMPT
        if ending is not None:
            what += f", with the {ending.kind} on {ending.date}"
        how = f"inferred from the {ending.kind}" if ending and basis == "inferred" else basis
        why = (
            f"closeness {p.closeness}, non-reciprocal expectations with {d.effective_conflict} "
            "conflict, "
            + (f"ended {d.ended}, after onset" if d.ended else "not ended")
            + (f"; stage {stage} ({how})" if stage else "; stage to assess")
        )
        yield _finding(DISPUTE, case, d.since, what, why, person=p.id, dispute=d, kind="dispute",
                       event=ending, stage=stage, stage_basis=basis, prompt=prompt)  # fmt: skip
    if not any_dispute:
        yield "no person has a dispute"


DISPUTE = Rule(
    id="dispute.nonreciprocal",
    area=_DISPUTE,
    source="[ISIPT; GUIDE]",
    quote=(
        '"Non-reciprocal expectations about the relationship between the patient and at least one '
        'significant other ... with current overt or covert conflict" [ISIPT; GUIDE]; stages '
        'renegotiation, impasse, dissolution: "diagnose the seriousness of the dispute" [GUIDE]'
    ),
    looks_for=(
        "a dispute of non-reciprocal expectations with a person at closeness {dispute_rings} that "
        "had not ended before onset"
    ),
    find=_find_disputes,
)

_DIFFICULTY_PROMPT = (
    "confirm that the patient has difficulty coping with this change: the area is difficulty "
    "with a change, not the change itself [ISIPT; GUIDE]"
)


def _find_transitions(case: Case, rules: RuleSet) -> Iterator[Finding | str]:
    """Rule 3; see :data:`TRANSITION` for the sources."""
    start = window = disputed = None
    for e in case.events:
        kind = e.kind
        if kind is EventKind.DEATH or (
            kind is EventKind.PREGNANCY_LOSS and rules.pregnancy_loss_grief
        ):
            continue
        if start is None:
            start = rules.window_start(case.onset)
            window = start.isoformat()  # dates as text: isoformat() is str() without the detour
        day = e.date.isoformat()
        what = f"{kind} ({e.description})" if e.description else f"{kind}"
        what += f" involving {e.person} on {day}" if e.person else f" on {day}"
        if e.date < start:  # never after assessed: the case format guarantees it
            yield f"{what}: before the window (from {window})"
            continue
        if kind in _ENDING and e.person is not None:
            if disputed is None:  # only a separation or divorce naming someone needs them
                disputed = _disputed(case, rules)
            if e.person in disputed:
                yield f"{what}: the evidence of the dispute with {e.person}, not also a transition"
                continue
        if e.coping is Coping.ADJUSTING:
            yield f"{what}: the patient is adjusting to it (coping adjusting)"
        else:
            why = f"a life change within the window from {window}"
            if e.coping is Coping.DIFFICULT:
                why += ", with difficulty coping"
                prompt = None
            else:
                why += ", difficulty to confirm"
                prompt = _DIFFICULTY_PROMPT
            yield _finding(TRANSITION, case, e.date, what, why, person=e.person, event=e,
                           prompt=prompt)  # fmt: skip
    if start is None:
        yield "no life change on the timeline"


TRANSITION = Rule(
    id="transition.life_change",
    area=_TRANSITION,
    source="[ISIPT; GUIDE; CASEBOOK]",
    quote=(
        '"Difficulty coping with a change of life circumstances" [ISIPT; GUIDE], with the '
        "Casebook's examples [CASEBOOK]; \"Only a death counts: other losses are role "
        'transitions" [GUIDE]; a change the patient is adjusting to is not one'
    ),
    looks_for=(
        "a life change (any event but a death or a grieved pregnancy loss) from {window} before "
        "onset to assessment that the patient is not adjusting to, and that is not the evidence "
        "of a dispute"
    ),
    find=_find_transitions,
)


def _close_in_touch(case: Case, rules: RuleSet) -> tuple[list[str], list[str], list[str]]:
    """The living close people in touch, the living confidants in touch (any ring), and the close
    people whose contact is not given."""
    rings, dead = rules.close_rings, deceased(case)
    close: list[str] = []
    confidants: list[str] = []
    for p in in_touch(case, rules.attachment_contacts, dead=dead):
        if p.closeness in rings:
            close.append(p.id)
        if p.confidant:
            confidants.append(p.id)
    unknown = [
        p.id for p in case.people if p.contact is None and p.closeness in rings and p.id not in dead
    ]
    return sorted(close), sorted(confidants), sorted(unknown)


def _touch_words(count: int, rules: RuleSet) -> str:
    noun = "person" if count == 1 else "people"
    return f"{count} living {noun} at closeness {rules.words('rings')} in touch {rules.words('contacts')}"


_LONGSTANDING_PROMPT = (
    "confirm that the paucity of attachments is long-standing (patient.isolation): deficits "
    'patients are "isolated and lonely, and chronically so" [GUIDE]'
)


def _find_deficits(case: Case, rules: RuleSet) -> Iterator[Finding | str]:
    """Rule 4; see :data:`DEFICITS` for the sources (contact not given counts as not in touch, and
    is noted)."""
    close, confidants, unknown = _close_in_touch(case, rules)
    count, need = len(close), rules.attachment_threshold
    if unknown:
        yield f"contact not given for {_ids(unknown)}: counted as not in touch"
    if confidants:
        yield f"a living confidant in touch ({_ids(confidants)}): not isolated"
        return
    what = _touch_words(count, rules) + (f" ({_ids(close)})" if close else "")
    if count >= need:
        yield f"{what}: not fewer than {need}"
        return
    isolation = case.patient.isolation if case.patient is not None else None
    if isolation is Isolation.RECENT:
        yield f"{what}, but the isolation is recent (patient.isolation): part of the episode"
        return
    why = (
        f"fewer than {need}, no confidant in touch, and no death, dispute or life change was found"
    )
    if isolation is Isolation.LONGSTANDING:
        why += "; long-standing"
    yield _finding(DEFICITS, case, case.onset, what, why, kind="inventory", people=tuple(close),
                   prompt=None if isolation else _LONGSTANDING_PROMPT)  # fmt: skip


def _warn_isolation(case: Case, rules: RuleSet, findings: tuple[Finding, ...]) -> Iterator[str]:
    """ "Isolation that follows a death, dispute or life change is a consequence, not deficits:
    compare relationships before and during the episode" [CASEBOOK]."""
    if not findings:
        return
    earlier = sorted(
        [f"{e.kind} on {e.date}" for e in case.events]
        + [f"dispute with {p.id} since {p.dispute.since}" for p in case.people if p.dispute]
    )
    if earlier:
        yield (
            f"isolation may have followed {_ids(earlier, 4)}, which the rules set aside; isolation "
            "that follows a death, dispute or life change is its consequence, not interpersonal "
            "deficits: compare relationships before and during the episode [CASEBOOK]"
        )


DEFICITS = Rule(
    id="deficits.isolation",
    area=_DEFICITS,
    source="[GUIDE]",
    quote=(
        '"None of the above": no death, no dispute, no life change, with a long-standing paucity '
        'of attachments, patients "isolated and lonely, and chronically so"; "If any of the other '
        'problem areas can be found, do not use interpersonal deficits as a focus" [GUIDE ch. 8]'
    ),
    looks_for=(
        "no living confidant in touch, fewer than {threshold} living people at closeness {rings} "
        "in touch {contacts}, and isolation not recent"
    ),
    find=_find_deficits,
    last_resort=True,
    warn=_warn_isolation,
)


def _sensitivity(case: Case, rules: RuleSet) -> str | None:
    """Stuart's interpersonal sensitivity: the clinician's judgement of a long-standing difficulty
    in forming and keeping relationships, read from ``patient.isolation``, never from a count."""
    if case.patient is not None and case.patient.isolation is Isolation.LONGSTANDING:
        return "long-standing isolation recorded by the clinician"
    return None


SENSITIVITY = Modifier(
    id="interpersonal_sensitivity",
    name="interpersonal sensitivity",
    source="[STUART]",
    quote=(
        "Stuart & Robertson use three areas and treat interpersonal sensitivity as a complicating "
        "factor [STUART]; it is the clinician's judgement (here patient.isolation longstanding), "
        "not a count of contacts"
    ),
    test=_sensitivity,
)

#: The case format's default rules, Version 1.1 [GUIDE; ISIPT; KLERMAN1984; CASEBOOK].
DEFAULT_RULES = RuleSet(name="default", rules=(GRIEF, DISPUTE, TRANSITION, DEFICITS))
#: The default rules with the WHO group names: grief, disputes, life changes, loneliness [WHO].
WHO_RULES = DEFAULT_RULES.evolve(name="who", labels=WHO_LABELS)
#: Stuart & Robertson: three areas; interpersonal sensitivity a modifier on findings [STUART].
STUART_RULES = RuleSet(name="stuart", rules=(GRIEF, DISPUTE, TRANSITION), modifiers=(SENSITIVITY,))

# --------------------------------------------------------------------------------------------
# classify
# --------------------------------------------------------------------------------------------


def _rank_key(f: Finding, onset: date) -> tuple[Any, ...]:
    """The case format's ranking: candidates anchored on or before onset rank above those after
    it; before onset, the latest anchor first; after onset, the earliest first; ties go grief, role
    dispute, role transition; then the deferred candidates (delayed grief to assess), latest first.
    The rest of the key only makes the order independent of the input's."""
    day = f.anchor.toordinal()
    after = f.anchor > onset and not f.deferred
    return (f.deferred, after, day if after else -day, _AREA_RANK[f.area], f.rule,
            f.person or "", _Tie(f))  # fmt: skip


class _Tie:
    """The last word of the ranking key: findings equal so far compare by their full text, computed
    only when needed, so that the order never depends on the order of the input."""

    __slots__ = ("_text", "finding")

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        self._text: str | None = None

    def text(self) -> str:
        """The finding's full text, built once: a sort compares a tied finding many times."""
        if self._text is None:
            self._text = repr(self.finding)
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Tie) and self.finding == other.finding

    def __lt__(self, other: _Tie) -> bool:
        return self.text() < other.text()


def classify(case: Case, rules: RuleSet = DEFAULT_RULES) -> Classification:
    """Find the candidate problem areas of ``case`` and rank them into a focus of one or two.

    Args:
        case: the case; its inventory and timeline are read.
        rules: the rule set; :data:`DEFAULT_RULES` are the case format's rules.

    Returns:
        The :class:`Classification`: ``focus`` (0-2 areas, primary first), the ranked
        ``candidates``, what each rule ``checked``, and ``warnings``. Deterministic: the order of
        people and events in the case does not change it.

    Raises:
        IptError: when ``case`` is not a Case or ``rules`` not a RuleSet, or when a rule yields
            something that is neither a Finding of its area nor a str note.

    >>> from datetime import date
    >>> from iptcore import Case, Person, classify
    >>> lonely = Case(id="fictional-2", assessed=date(2026, 1, 5), onset=date(2025, 10, 1),
    ...               people=(Person(id="mother", role="parent", closeness=1, contact="monthly"),))
    >>> classify(lonely).focus
    (<ProblemArea.INTERPERSONAL_DEFICITS: 'interpersonal_deficits'>,)
    """
    _checks.argument("case", case, Case)
    _checks.argument("rules", rules, RuleSet)
    found: list[Finding] = []
    checks: list[Check | None] = [None] * len(rules.rules)
    warnings: list[str] = []
    for rule, looked_for, position, not_applied in rules._steps:
        if rule.last_resort and found:
            checks[position] = not_applied
            continue
        mine: list[Finding] = []
        notes: list[str] = []
        area = rule.area
        check: Callable[..., Check] = _check  # remembered, unless a note is a str subclass
        for item in rule.find(case, rules):
            if type(item) is str:
                notes.append(item)
            elif isinstance(item, Finding) and item.area is area:
                mine.append(item)
            elif isinstance(item, str):
                notes.append(item)
                check = _check.__wrapped__
            else:
                raise IptError(f"rule {rule.id} yielded {item!r}: not a Finding of {rule.area}")
        if len(notes) > 1:
            notes.sort()
        if rule.warn is not None:
            warnings.extend(rule.warn(case, rules, tuple(mine)))
        checks[position] = check(rule.id, area, rule.source, looked_for, len(mine), tuple(notes))
        found += mine
    for modifier in rules.modifiers:
        note = modifier.test(case, rules)
        if note is not None and found:
            found = [attrs.evolve(f, modifiers=(*f.modifiers, modifier.id)) for f in found]
        elif note is not None:
            warnings.append(
                f"{modifier.name} ({note}) {modifier.source}: no area of {rules.name} holds it"
            )
    onset = case.onset
    ranked = sorted(found, key=lambda f: _rank_key(f, onset)) if len(found) > 1 else found
    priority, chosen = case.priority, False
    if priority is not None:
        # A priority that names a candidate's area moves that area first; one that names no
        # candidate is kept as a warning on the result, not an error (the case format).
        if any(f.area is priority for f in ranked):
            ranked.sort(key=lambda f: f.area is not priority)  # stable: keeps the ranking within
            chosen = True
        else:
            warnings.append(f"priority {priority} names no candidate area: the ranking decides")
    warnings.extend(caution_lines(case))
    return _new_classification(
        case_id=case.id,
        onset=onset,
        assessed=case.assessed,
        priority=priority,
        focus=_focus(ranked, rules.max_focus),
        focus_note=_focus_note(ranked, chosen, rules),
        candidates=tuple(ranked),
        checked=tuple(checks),  # every position is set above
        warnings=tuple(warnings),
        rules=rules,
    )


#: What to look for when no area is found (the case format's rule 5) [GUIDE].
LOOK_FOR = (
    "No problem area found yet. Look again for a hidden or delayed loss (a death long ago never "
    "mourned), a covert dispute (a disagreement not spoken of), and a change not yet named; "
    "the interpersonal inventory and the timeline around onset are where they show [GUIDE]."
)


def _focus_note(ranked: list[Finding], chosen: bool, rules: RuleSet) -> str:
    """Who chose the primary area: the patient (``priority``), or iptcore's provisional ranking."""
    if not ranked:
        return LOOK_FOR
    label = rules.labels[ranked[0].area]
    if chosen:
        return f"The primary area, {label}, was chosen with the patient (priority)."
    return (
        f"The primary area, {label}, is iptcore's provisional ranking, a heuristic: the patient "
        "chooses, and the focus should be the problem that seems most important to the patient "
        "[GUIDE]; record the choice as the case's priority."
    )


def _focus(ranked: list[Finding], max_focus: int) -> tuple[ProblemArea, ...]:
    """The case format: the focus is one area by default, the first candidate's; with
    ``max_focus`` 2 the next candidate of another area joins, and deficits never join another
    ("try to focus treatment on only one problem area" [GUIDE ch. 6])."""
    if not ranked:
        return ()
    first = ranked[0].area
    if first is _DEFICITS or max_focus == 1:
        return (first,)
    second = next((f.area for f in ranked if f.area not in (first, _DEFICITS)), None)
    return (first,) if second is None else (first, second)
