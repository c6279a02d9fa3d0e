"""Deidentification: a pseudonymous copy of a case that still classifies and schedules the same.

What :func:`deidentify` does to a case:

- **Names** go: the patient's ``name``, every person's ``name``.
- **Ids** become pseudonyms: each person id becomes ``person-`` plus 8 hexadecimal digits, and the
  case id ``case-`` plus 16, drawn from an HMAC-SHA-256 keyed by the seed: the same seed gives the
  same pseudonyms, and without the key they reveal nothing. Events and ties follow. A person's
  pseudonym is keyed by the case's id as well, so that the same id in two cases (``mum`` of two
  patients) gets two unrelated pseudonyms: copies of different cases cannot be linked through
  them, whatever key they share. The people's pseudonyms sort in the same order as their ids,
  because the classification rules break ties between equal findings by person id; so a
  person's pseudonym depends on the other ids of the case too, and a snapshot of the case with
  one more person may rename the others. The case id's pseudonym depends on the seed and the case
  id alone, so snapshots of one case keep their id.
- **Dates** all move by one offset: a whole number of weeks (52 to 520, that is 1 to 10 years,
  into the past), derived from the seed and the case id. Every interval and every weekday is kept,
  and so is each date's order against the others. Calendar months differ in length, so a
  whole-week shift can change how many days "12 months before onset" is (a leap day in or out);
  the offset is the first of the seed's candidates that leaves every date of the case on the same
  side of the start of each window of the classification rules (``windows``, by default the 12
  months of the case format), which is what makes the copy classify exactly like the original.
  Only a case that no past shift fits is moved into the future instead: one with dates near year
  1, or a patient born so near 1900 (the first year of birth the case format takes) that an
  earlier year of birth would fall before it.
- **Year of birth** moves with the dates (``born="shift"``, the default): the patient's age at
  assessment is kept exactly, no real year is left, and ages over 89 become 90, as the HIPAA Safe
  Harbor method groups them ([HIPAA], 45 CFR 164.514(b)(2)(i)(C)). ``"decade"`` also rounds it
  down to a decade, and there too no age comes out over 90 (an age the rounding would raise
  past 90 is 90); ``"drop"`` removes it. Keeping the true year is not offered: beside shifted
  dates it would make every age wrong and is itself a real date.
- **Free text** goes. The inventory notes (``satisfying``, ``unsatisfying``, ``wants_changed``)
  are dropped (``notes="drop"``, the default) or each replaced by ``"(removed)"`` (``"mark"``, to
  keep how many there were). Event descriptions are dropped, except on ``other_change``, which the
  case format requires to have one: there it becomes ``"(removed)"`` (with ``"mark"``, every
  description does). ``pronouns`` are kept only when made only of common pronoun words
  (``she/her``, ``they/them``, ...): anything else in that free-text field is dropped.
- **A course's free text** goes with :func:`strip_course_text`: each held session's ``notes`` are
  dropped; its ``homework`` and the ``reason`` of every step (a missed session's reason may name a
  funeral or a court date) become ``"(removed)"``, so that what was set or said still shows. What was done (the
  tasks, the techniques, other models' techniques by name, the measures) is kept: it is what a
  fidelity report reads. It does not touch the course's case, dates or goals: deidentify those
  apart, or share the course's session records rather than the course file.
- **Extensions** are dropped: they may hold anything, identifiers included.
  ``keep_extensions=True`` keeps them verbatim, and the caller answers for what they hold.

What is kept: roles, closeness, contact, confidants, disputes (with their shifted dates), mourning,
event kinds and coping, measures (shifted), the priority, the patient's isolation and screening
(clinical answers, not identifiers). Which people there are, and how they relate, is the
whole point of the case; that structure can itself be identifying in a small population, so treat
a deidentified case as pseudonymous data, not anonymous data.

**Linking is asked for, never the default.** The copies of different cases share nothing: not a
person's pseudonym, not the offset (pseudonymisation keyed by each case, in the terms of
[ENISA2019]). Research that follows one patient over several cases asks for a link:
``link="P-0042"`` (any name the study gives the patient; it is keyed and never written) makes the
copies made with the same key and link share their date shift, end their ids in the same part,
and give each person id the same last part of its pseudonym (``person-1a2b3c4d-5e6f7a8b``). What
is linked adds up: more dates, more people and more events of one person, which is easier to
recognise, and one true date learnt of one copy undoes the shift of all of them.

**The seed is a key.** Anyone who holds it and one true date of the case can undo the date shift,
and can recompute the pseudonym of any id they can guess. An empty key (``0``, ``""``, ``b""``) is
refused; a short one, a small integer or a word, is guessed by trying them all. Make one with
:func:`new_key` (256 random bits from :mod:`secrets`) and keep it apart from the data; use a new
key for each release that must not be joined with another. :func:`date_shift` and
:func:`pseudonyms` give its holder the offset and the mapping back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, Literal

import attrs

from iptcore import _checks
from iptcore._dates import add_months
from iptcore.case import Case, Event, EventKind, Patient
from iptcore.errors import CaseError, IptError

if TYPE_CHECKING:
    from iptcore.course import Course

__all__ = [
    "PLACEHOLDER",
    "date_shift",
    "deidentify",
    "new_key",
    "pseudonyms",
    "strip_course_text",
]

#: What replaces a removed free-text note where one must stay (``other_change`` needs a description).
PLACEHOLDER: Final = "(removed)"

# The offset range: at least a year, so that no date stays near its true value; at most ten years.
_MIN_WEEKS: Final = 52
_MAX_WEEKS: Final = 520
# Candidates tried per direction before giving up; most cases take the first, since only dates
# within a day or two of a window's start can cross it.
_TRIES: Final = 512

# HIPAA Safe Harbor: "all ages over 89 ... aggregated into a single category of age 90 or older"
# ([HIPAA], 45 CFR 164.514(b)(2)(i)(C)).
_OLDEST_AGE: Final = 90
_FIRST_BORN: Final = 1900  # the case format: born is a year 1900..assessed year

# Pronoun words kept in ``patient.pronouns``: English personal pronouns and common neopronouns.
_PRONOUN_WORDS: Final = frozenset(
    # A word list reads best as words.
    "he him his himself she her hers herself they them their theirs themself themselves "  # noqa: SIM905
    "it its itself ze zir zirs hir hirs xe xem xyr xyrs ey em eir eirs fae faer faers any all".split()
)
_PRONOUN_SPLIT = re.compile(r"\s*[/,]\s*|\s+")

_LABEL: Final = b"iptcore.deidentify/2"
# The seed is never quoted back: an error message may end up in a log.
_EMPTY_KEY: Final = (
    "seed: must not be empty (0, '' or b''): it is the key to the pseudonyms and the date shift; "
    "make one with iptcore.deidentify.new_key()"
)
# "person-" + 48 + a link's "-" and 8 = 64, the longest id.
_PERSON_LENGTHS: Final = (8, 16, 32, 48)

Born = Literal["shift", "decade", "drop"]
Notes = Literal["drop", "mark"]


def new_key() -> str:
    """A new random key for :func:`deidentify`: 256 bits from :mod:`secrets`, as 64 hexadecimal
    digits.

    Store it as you would a password, apart from the data it protects (a secrets manager, or a
    file only its owner may read), and keep it as long as anyone may need the way back
    (:func:`date_shift`, :func:`pseudonyms`). It is a string, so it goes to the command line's
    ``--seed`` and into a configuration file as it is.

    >>> key = new_key()
    >>> len(key), key == new_key()
    (64, False)
    """
    return secrets.token_hex(32)


def _key(seed: int | str | bytes) -> bytes:
    """The HMAC key of ``seed``: a hash, labelled with the scheme's version and the seed's type.

    An empty seed (``0``, ``""``, ``b""`` or a string of spaces) is refused: it is the key to
    every pseudonym and to the date shift, and the first one anybody would try.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | str | bytes):
        raise IptError(f"seed: must be an integer, a string or bytes, got {type(seed).__name__}")
    if isinstance(seed, int):
        if seed == 0:
            raise IptError(_EMPTY_KEY)
        # As bytes, not as decimal text: Python refuses to write an integer of more than 4,300
        # digits as text, and a key may be any integer.
        tag, raw = b"int", seed.to_bytes((seed.bit_length() + 8) // 8, "big", signed=True)
    elif isinstance(seed, str):
        if not seed.strip():
            raise IptError(_EMPTY_KEY)
        tag, raw = b"str", seed.encode("utf-8", "surrogatepass")
    else:
        if not seed:
            raise IptError(_EMPTY_KEY)
        tag, raw = b"bytes", bytes(seed)
    return hashlib.sha256(_LABEL + b"\0" + tag + b"\0" + raw).digest()


def _digest(key: bytes, *parts: str) -> bytes:
    # Each part with its length, so that no two lists of parts give the same message.
    message = b"".join(
        len(raw).to_bytes(8, "big") + raw
        for raw in (part.encode("utf-8", "surrogatepass") for part in parts)
    )
    return hmac.new(key, message, hashlib.sha256).digest()


def _check_link(link: object) -> str | None:
    if link is None:
        return None
    if not isinstance(link, str) or not link.strip():
        # The link is not quoted back: it may be a record number.
        raise IptError(f"link: must be a non-empty string or None, got {type(link).__name__}")
    return link


def _scope(case: Case, link: str | None) -> tuple[str, str]:
    """What the date shift is keyed by besides the key: the case, or the link that joins cases."""
    return ("case", case.id) if link is None else ("link", link)


def pseudonyms(case: Case, *, seed: int | str | bytes, link: str | None = None) -> dict[str, str]:
    """The pseudonym of every person id of ``case`` under ``seed`` (the key's holder's way back).

    >>> from datetime import date
    >>> from iptcore import Case, Person
    >>> case = Case(id="c1", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
    ...             people=(Person(id="mum", role="parent", closeness=2),))  # fictional
    >>> pseudonyms(case, seed="fictional key") == pseudonyms(case, seed="fictional key")
    True
    >>> pseudonyms(case, seed="fictional key")["mum"].startswith("person-")
    True

    The pseudonyms are keyed by the case's id as well: the same id in another case gets another
    pseudonym. They sort as the ids do (see the module docstring for why). With ``link``, each
    ends in a second part that is the same for the same id in every case of that link.
    """
    key = _key(seed)
    link = _check_link(link)
    ids = sorted(p.id for p in _check_case(case).people)
    digests = [_digest(key, "person", "case", case.id, pid).hex() for pid in ids]
    tails = dict.fromkeys(ids, "")
    if link is not None:
        tails = {pid: "-" + _digest(key, "person", "link", link, pid).hex()[:8] for pid in ids}
    for length in _PERSON_LENGTHS:
        tokens = sorted({digest[:length] for digest in digests})
        if len(tokens) == len(ids):
            # The i-th id in order gets the i-th token in order: tokens of one length sort as the
            # ids did, so every tie the rules break by person id is broken the same way (the
            # tokens differ, so a link's tail after them does not change the order).
            return {
                pid: f"person-{token}{tails[pid]}" for pid, token in zip(ids, tokens, strict=True)
            }
    raise IptError("pseudonyms collide even at full length")  # 2**-192: not expected, ever


def _case_pseudonym(key: bytes, case_id: str, link: str | None) -> str:
    name = f"case-{_digest(key, 'case', case_id).hex()[:16]}"
    if link is not None:
        name += f"-{_digest(key, 'case', 'link', link).hex()[:16]}"
    return name


def _check_case(case: object) -> Case:
    return _checks.argument("case", case, Case)


def _dates(case: Case) -> Iterable[date]:
    yield case.assessed
    yield case.onset
    for p in case.people:
        if p.dispute is not None:
            yield p.dispute.since
            if p.dispute.ended is not None:
                yield p.dispute.ended
    for e in case.events:
        yield e.date
    for m in case.measures:
        yield m.date


def _shifted_born(case: Case, shift: timedelta, born: Born) -> int | None:
    """The year of birth under ``shift`` and the ``born`` option; ``None`` when there is none."""
    if born == "drop" or case.patient is None or case.patient.born is None:
        return None
    assessed_year = (case.assessed + shift).year
    year = case.patient.born + assessed_year - case.assessed.year
    if born == "decade":
        year = year // 10 * 10
    # Last, so that it holds in every mode: rounding down to a decade must not make anyone older
    # than 90 at assessment. A year before 1900 is not clamped (that would change the age): the
    # shift that gives one does not fit.
    return max(year, assessed_year - _OLDEST_AGE)


def _fits(case: Case, shift: timedelta, windows: tuple[int, ...], born: Born) -> bool:
    """Whether ``shift`` keeps every date a real date and on its side of each window's start, and
    the year of birth valid."""
    days = list(_dates(case))
    try:
        min(days) + shift  # every date lies between the earliest and assessed
        latest = case.assessed + shift
    except OverflowError:
        return False
    for months in windows:
        # The rules test "between 12 months before onset and assessed" (the case format: rules 1
        # and 3): what must not change is which dates fall on or after the window's first day.
        start = add_months(case.onset, -months)
        moved = add_months(case.onset + shift, -months)
        if any((day >= start) != (day + shift >= moved) for day in days):
            return False
    year = _shifted_born(case, shift, born)
    return year is None or _FIRST_BORN <= year <= latest.year


def date_shift(
    case: Case,
    *,
    seed: int | str | bytes,
    windows: Iterable[int] = (12,),
    born: Born = "shift",
    link: str | None = None,
) -> timedelta:
    """The offset that :func:`deidentify` adds to every date of ``case`` under ``seed``.

    A whole number of weeks, 52 to 520 of them into the past (a negative offset): the first of the
    seed's candidates that leaves every date of the case on the same side of the start of each
    window of ``windows`` months before onset, and the year of birth at 1900 or later. A case
    that no past offset fits (dates near year 1, a birth near 1900) moves as far into the future.

    The candidates are drawn from the key and the case's id, so that cases do not share an offset;
    with ``link``, from the key and the link, so that the cases of one link share it (each case
    takes the first candidate that fits it, which is nearly always the first).

    Raises:
        IptError: a bad argument, or a case whose dates no offset fits.

    >>> from datetime import date
    >>> from iptcore import Case
    >>> case = Case(id="c1", assessed=date(2026, 1, 5), onset=date(2025, 11, 3))  # fictional
    >>> shift = date_shift(case, seed="fictional key")
    >>> shift.days % 7, -520 * 7 <= shift.days <= -52 * 7
    (0, True)
    """
    _check_case(case)
    months = _check_windows(windows)
    _check_choice("born", born, ("shift", "decade", "drop"))
    key = _key(seed)
    scope = _scope(case, _check_link(link))
    for direction in (-1, 1):
        for attempt in range(_TRIES):
            digest = _digest(key, "shift", *scope, str(direction), str(attempt))
            weeks = _MIN_WEEKS + int.from_bytes(digest[:8], "big") % (_MAX_WEEKS - _MIN_WEEKS + 1)
            shift = timedelta(weeks=direction * weeks)
            if _fits(case, shift, months, born):
                return shift
    raise IptError(
        f"no whole-week shift of {_MIN_WEEKS}-{_MAX_WEEKS} weeks keeps the dates of the case "
        f"valid and in or out of the windows of {list(months)} months as before"
    )


def _check_windows(windows: object) -> tuple[int, ...]:
    if isinstance(windows, str | bytes) or not isinstance(windows, Iterable):
        raise IptError(f"windows: must be whole numbers of months, got {windows!r}")
    months = tuple(windows)
    for m in months:
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 1200:
            raise IptError(f"windows: each must be a whole number of months 1-1200, got {m!r}")
    return months


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in choices:
        raise IptError(f"{name}: must be one of {', '.join(choices)}, got {value!r}")


def _pronouns(text: str | None) -> str | None:
    """``text`` when it is only pronoun words (``she/her``), else ``None``: it is free text."""
    if text is None:
        return None
    words = [w for w in _PRONOUN_SPLIT.split(text.strip().lower()) if w]
    return text if words and all(w in _PRONOUN_WORDS for w in words) else None


def _notes(notes: tuple[str, ...], mode: Notes) -> tuple[str, ...]:
    return (PLACEHOLDER,) * len(notes) if mode == "mark" else ()


def _description(event: Event, mode: Notes) -> str | None:
    if event.description is None:
        return None
    # the case format, Event: description is required "with other_change".
    if mode == "mark" or event.kind is EventKind.OTHER_CHANGE:
        return PLACEHOLDER
    return None


def deidentify(
    case: Case,
    *,
    seed: int | str | bytes,
    born: Born = "shift",
    notes: Notes = "drop",
    keep_extensions: bool = False,
    windows: Iterable[int] = (12,),
    link: str | None = None,
) -> Case:
    """A pseudonymous copy of ``case``: names and free text gone, ids renamed, dates shifted.

    The module docstring says exactly what is removed, what is kept and why.

    Args:
        case: the case.
        seed: the key (an integer, string or bytes): the same key gives the same copy. Keep it
            secret; its holder can undo the date shift (see :func:`date_shift`).
        born: ``"shift"`` (default: the year of birth moves with the dates, keeping the age),
            ``"decade"`` (also rounded down to a decade) or ``"drop"``.
        notes: ``"drop"`` (default) or ``"mark"`` (each note becomes ``"(removed)"``).
        keep_extensions: keep ``extensions`` verbatim (default ``False``: dropped).
        windows: the month windows before onset that every date stays in or out of; by default
            the 12 months of the classification rules. Give a rule set's ``window_months`` when
            it differs.
        link: ``None`` (default: the copy cannot be linked to the copy of any other case) or a
            name that joins the cases of one patient, such as a study's participant number: the
            copies made with the same key and link share a date shift, their ids end in the same
            part, and a person id gets the same last part of its pseudonym in each. The name
            itself is not written; linking adds up what is known of one person (see the module
            docstring).

    Raises:
        IptError: a bad argument (named in the message).

    >>> from datetime import date
    >>> from iptcore import Case, Event, Patient, Person
    >>> case = Case(id="maya-2026", assessed=date(2026, 3, 2), onset=date(2025, 12, 1),
    ...             patient=Patient(name="Maya (fictional)", born=1991, pronouns="she/her"),
    ...             people=(Person(id="jon", name="Jon", role="partner", closeness=1),),
    ...             events=(Event(date=date(2025, 11, 3), kind="job_loss", person="jon",
    ...                           description="laid off at the bakery"),))
    >>> copy = deidentify(case, seed="fictional key: make yours with new_key()")
    >>> copy.patient.name is None, copy.patient.pronouns
    (True, 'she/her')
    >>> copy.assessed.year - copy.patient.born  # the age at assessment is kept
    35
    >>> copy.people[0].name is None, copy.events[0].person == copy.people[0].id
    (True, True)
    >>> copy.events[0].description is None
    True
    >>> (copy.assessed - copy.onset) == (case.assessed - case.onset)
    True
    >>> copy.assessed.weekday() == case.assessed.weekday()
    True
    """
    _check_case(case)
    _check_choice("born", born, ("shift", "decade", "drop"))
    _check_choice("notes", notes, ("drop", "mark"))
    if not isinstance(keep_extensions, bool):
        raise IptError(f"keep_extensions: must be True or False, got {keep_extensions!r}")
    key = _key(seed)
    link = _check_link(link)
    shift = date_shift(case, seed=seed, windows=windows, born=born, link=link)
    names = pseudonyms(case, seed=seed, link=link)

    people = []
    for p in case.people:
        dispute = p.dispute
        if dispute is not None:
            dispute = attrs.evolve(
                dispute,
                since=dispute.since + shift,
                ended=dispute.ended + shift if dispute.ended is not None else None,
            )
        people.append(
            attrs.evolve(
                p,
                id=names[p.id],
                name=None,
                satisfying=_notes(p.satisfying, notes),
                unsatisfying=_notes(p.unsatisfying, notes),
                wants_changed=_notes(p.wants_changed, notes),
                dispute=dispute,
            )
        )
    events = tuple(
        attrs.evolve(
            e,
            date=e.date + shift,
            person=names[e.person] if e.person is not None else None,
            description=_description(e, notes),
        )
        for e in case.events
    )
    ties = tuple(attrs.evolve(t, between=tuple(names[pid] for pid in t.between)) for t in case.ties)
    measures = tuple(attrs.evolve(m, date=m.date + shift) for m in case.measures)
    patient: Patient | None = None
    if case.patient is not None:
        patient = Patient(
            born=_shifted_born(case, shift, born),
            pronouns=_pronouns(case.patient.pronouns),
            isolation=case.patient.isolation,
            screening=case.patient.screening,
        )
        if patient == Patient():
            patient = None
    try:
        return attrs.evolve(
            case,
            id=_case_pseudonym(key, case.id, link),
            assessed=case.assessed + shift,
            onset=case.onset + shift,
            patient=patient,
            people=tuple(people),
            ties=ties,
            events=events,
            measures=measures,
            extensions=case.extensions if keep_extensions else None,
        )
    except CaseError as exc:  # pragma: no cover - a bug here, not the caller's input
        raise IptError(f"deidentify made an invalid case: {exc}") from exc


def strip_course_text(course: Course) -> Course:
    """``course`` with the free text of its steps removed: notes, homework and reasons.

    Each held session's ``notes`` are dropped; its ``homework`` and every step's ``reason`` become
    :data:`PLACEHOLDER` (a renegotiated contract must keep a reason; that homework was set is
    kept). The tasks done, the techniques used
    and the measures stay, so the course replays to the same sessions and reads the same in
    :func:`iptcore.fidelity.adherence`. The course's case is not changed: pass it through
    :func:`deidentify` as well before sharing.

    >>> from datetime import date
    >>> from iptcore import Course, plan_course
    >>> from iptcore.vignettes import vignette
    >>> plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=["role_dispute"])
    >>> course = Course.begin(vignette("demo"), plan).hold(            # fictional
    ...     tasks=["sick_role"], homework="talk to Sam", notes="Sam moved out on Sunday")
    >>> bare = strip_course_text(course)
    >>> bare.records[0].notes, bare.records[0].homework, bare.records[0].tasks
    ('', '(removed)', ('sick_role',))
    """
    from iptcore.course import Course

    _checks.argument("course", course, Course)
    steps = tuple(
        attrs.evolve(
            step,
            notes="",
            homework=PLACEHOLDER if step.homework else "",
            reason=PLACEHOLDER if step.reason else "",
        )
        for step in course.steps
    )
    return Course(
        case=course.case, contract=course.contract, initial_goals=course.initial_goals, steps=steps
    )
