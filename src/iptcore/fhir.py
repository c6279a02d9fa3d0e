"""A case as a FHIR R4 Bundle, and its symptom measures read back from FHIR resources.

:func:`to_bundle` writes what iptcore knows of a case as FHIR R4 resources in one Bundle of type
``collection`` (hl7.org/fhir/R4/bundle.html), as plain JSON builtins (dicts, lists, strings,
numbers, booleans) ready for :func:`json.dumps`; :func:`measures_from` reads the symptom measures
back. The resources are checked against the R4B models of ``fhir.resources`` (R4B keeps the R4
content model of these five resources) before they are returned, so each one parses as a FHIR
resource; that check does not cover profiles, terminology bindings or whether a code exists.

What goes into the Bundle
    - each measure of ``case.measures``: a ``QuestionnaireResponse`` (status ``completed``,
      ``authored`` the measure's date, one item per item of the instrument, in order). For the
      PHQ-9 [KROENKE2001] and GAD-7 [SPITZER2006] the item ``linkId`` is the item's LOINC code and
      the answer a LOINC answer code (list LL358-3: LA6568-5 "Not at all" = 0, LA6569-3 "Several
      days" = 1, LA6570-1 "More than half the days" = 2, LA6571-9 "Nearly every day" = 3); the
      HAM-D-17 [HAMILTON1960] has no verified LOINC item codes here, so its linkIds are
      ``hamd17-1`` to ``hamd17-17`` and its answers ``valueInteger``. A missing item (``None``) is
      an item with no answer. Item texts are the instruments' own (the PHQ-9 and GAD-7 texts are
      copyright Pfizer Inc. and free to reproduce without permission [KROENKE2001; SPITZER2006]).
    - its total, when :func:`iptcore.score` can score it: an ``Observation`` (status ``final``,
      category ``survey``, ``effectiveDateTime`` the measure's date, ``valueInteger`` the total,
      ``derivedFrom`` the QuestionnaireResponse, ``interpretation`` the band). A total prorated for
      missing items (the mean of the answered items times the item count, rounded half up) says so
      in ``note``. A measure with more missing items than its instrument allows has no total, so
      no Observation. PHQ-9 totals are LOINC 44261-6 and GAD-7 totals 70274-6; no LOINC code for
      the HAM-D-17 total is verified here, so it is ``hamd17-total`` of iptcore's own code system
      :data:`MEASURES_SYSTEM`.
    - each goal (``course.goals`` when a course is given, else ``formulation.goals``): a ``Goal``
      with ``lifecycleStatus`` and, for an achievement code, ``achievementStatus`` (hl7.org/fhir/R4
      /goal.html); ``description`` the manual's words for the goal (or the problem area when it has
      none) and ``category`` its problem area.
    - the plan or the course: a ``CarePlan`` (intent ``plan``), one activity per session: held
      sessions ``completed`` and missed ones ``cancelled`` on the date they had, the sessions ahead
      ``scheduled`` on their date as it stands now (a moved session shows its new date). A plan
      is ``active``; a course is ``active`` while it runs, ``completed`` once it is finished or
      closed and ``revoked`` after a drop-out.
    - the formulation (or, without one, the classification): a ``ClinicalImpression`` (status
      ``completed``, ``date`` the case's ``assessed``) whose ``summary`` is the formulation's
      plain-language statement and whose ``finding`` s carry each focus area and its evidence.

What stays out
    Nothing of the case goes in unless named above: no patient fields, no names of people, no
    case id in clear, no free-text notes or reasons of the course, no goal ids (they hold person
    ids). ``subject`` is the reference the caller names (e.g. ``"Patient/123"``). Dates do go in
    (measure, session and assessment dates), and the formulation's statement and evidence name
    people as the case does: formulate a de-identified case (:meth:`iptcore.Case.deidentify`) to
    keep names out. The ``fullUrl`` of each entry is a name-based UUID (``uuid5``) of the case id
    and the resource's key, so that exporting the same inputs again gives the same Bundle; whoever
    knows a case id can recompute them. Each resource's ``id`` is the same UUID, so that the
    references still resolve when the resources are taken out of the Bundle.

Codes: the PHQ-9 panel 44249-1 and items 44250-9, 44255-8, 44259-0, 44254-1, 44251-7, 44258-2,
44252-5, 44253-3, 44260-8 and total 44261-6; the GAD-7 panel 69737-5 and items 69725-0, 68509-9,
69733-4, 69734-2, 69735-9, 69689-8, 69736-7 and total 70274-6; the answer list LL358-3 and its
four answers. These were checked against public FHIR implementation guides and examples (the HL7
personal health record format guide's GAD-7 response, the Medizininformatik-Initiative PROMs
module, published PHQ-9 Questionnaires and the LL358-3 value set), not against the LOINC database.

>>> from iptcore.vignettes import vignette
>>> bundle = to_bundle(vignette("demo"), subject="Patient/example")   # fictional
>>> [e["resource"]["resourceType"] for e in bundle["entry"]]
['QuestionnaireResponse', 'Observation', 'QuestionnaireResponse', 'Observation']
>>> measures_from(bundle) == vignette("demo").measures
True
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from iptcore import _checks
from iptcore.errors import CaseError, IptError, Problem

if TYPE_CHECKING:
    from iptcore.case import Case, Measure
    from iptcore.course import Course
    from iptcore.findings import Classification, Finding
    from iptcore.formulation import Formulation
    from iptcore.goals import Goal
    from iptcore.plan import CoursePlan

__all__ = [
    "AREAS_SYSTEM",
    "LOINC",
    "MEASURES_SYSTEM",
    "measures_from",
    "to_bundle",
]

#: The LOINC code system URI.
LOINC: Final = "http://loinc.org"
#: iptcore's own code system for what LOINC has no verified code for (the HAM-D-17 total).
MEASURES_SYSTEM: Final = "https://iptcore.invalid/fhir/CodeSystem/iptcore-measures"
#: iptcore's own code system for the four IPT problem areas (Goal and ClinicalImpression).
AREAS_SYSTEM: Final = "https://iptcore.invalid/fhir/CodeSystem/iptcore-problem-areas"
# The canonical URL of each instrument's questionnaire (iptcore's own: no resource is published).
_QUESTIONNAIRE: Final = "https://iptcore.invalid/fhir/Questionnaire/"
_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://iptcore.invalid/fhir")
_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
_ACHIEVEMENT: Final = "http://terminology.hl7.org/CodeSystem/goal-achievement"

# LOINC item codes, in item order (the panels 44249-1 and 69737-5).
_ITEMS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "phq9": (
            "44250-9",
            "44255-8",
            "44259-0",
            "44254-1",
            "44251-7",
            "44258-2",
            "44252-5",
            "44253-3",
            "44260-8",
        ),
        "gad7": ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"),
        "hamd17": tuple(f"hamd17-{n}" for n in range(1, 18)),
    }
)
_PANEL: Final[Mapping[str, str]] = MappingProxyType({"phq9": "44249-1", "gad7": "69737-5"})
# The total's coding: (system, code, display).
_TOTAL: Final[Mapping[str, tuple[str, str, str]]] = MappingProxyType(
    {
        "phq9": (
            LOINC,
            "44261-6",
            "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        ),
        "gad7": (
            LOINC,
            "70274-6",
            "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        ),
        "hamd17": (
            MEASURES_SYSTEM,
            "hamd17-total",
            "Hamilton Depression Rating Scale (17 items) total",
        ),
    }
)
# The answer list LL358-3 of the PHQ-9 and GAD-7 items: score -> (code, display).
_ANSWERS: Final = (
    ("LA6568-5", "Not at all"),
    ("LA6569-3", "Several days"),
    ("LA6570-1", "More than half the days"),
    ("LA6571-9", "Nearly every day"),
)
_ANSWER_SCORE: Final = MappingProxyType({code: n for n, (code, _) in enumerate(_ANSWERS)})
_AREA_WORDS: Final = MappingProxyType(
    {
        "grief": "Grief",
        "role_dispute": "Role dispute",
        "role_transition": "Role transition",
        "interpersonal_deficits": "Interpersonal deficits",
    }
)


def _models() -> Any:
    try:
        from fhir.resources.R4B import bundle
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "iptcore.fhir needs the 'fhir' extra: pip install 'iptcore[fhir]'"
        ) from exc
    return bundle


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


class _Writer:
    """Collects the entries of one Bundle, each with a stable ``urn:uuid:`` fullUrl."""

    def __init__(self, case_id: str, subject: str) -> None:
        self.case_id = case_id
        self.subject = {"reference": subject}
        self.entries: list[dict[str, Any]] = []

    def add(self, key: str, resource: dict[str, Any]) -> str:
        ident = str(uuid.uuid5(_NAMESPACE, f"{self.case_id}/{key}"))
        url = f"urn:uuid:{ident}"
        self.entries.append(
            {
                "fullUrl": url,
                "resource": {"resourceType": resource.pop("resourceType"), "id": ident, **resource},
            }
        )
        return url


def _area(area: Any) -> dict[str, Any]:
    value = area.value
    coding = {"system": AREAS_SYSTEM, "code": value, "display": _AREA_WORDS[value]}
    return {"coding": [coding], "text": _AREA_WORDS[value]}


def _answer(instrument: str, value: int) -> dict[str, Any]:
    if instrument == "hamd17":
        return {"valueInteger": value}
    code, display = _ANSWERS[value]
    return {"valueCoding": {"system": LOINC, "code": code, "display": display}}


def _measures(out: _Writer, measures: Sequence[Measure]) -> None:
    from iptcore.measures import instrument_spec, score

    seen: dict[tuple[date, str], int] = {}
    for m in measures:
        name = m.instrument.value
        nth = seen[m.date, name] = seen.get((m.date, name), -1) + 1
        spec = instrument_spec(name)
        items = []
        for code, item, value in zip(_ITEMS[name], spec.items, m.items, strict=True):
            entry: dict[str, Any] = {"linkId": code, "text": item.text}
            if value is not None:
                entry["answer"] = [_answer(name, value)]
            items.append(entry)
        response = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": _QUESTIONNAIRE + name,
            "status": "completed",
            "subject": out.subject,
            "authored": m.date.isoformat(),
            "item": items,
        }
        url = out.add(f"QuestionnaireResponse/{m.date}/{name}/{nth}", response)
        try:
            result = score(m.instrument, m.items)
        except IptError:
            continue  # more items missing than the instrument allows: no total
        system, code, display = _TOTAL[name]
        total: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": _CATEGORY, "code": "survey"}]}],
            "code": {"coding": [{"system": system, "code": code, "display": display}]},
            "subject": out.subject,
            "effectiveDateTime": m.date.isoformat(),
            "valueInteger": result.total,
            "interpretation": [{"text": result.band}],
            "derivedFrom": [{"reference": url}],
        }
        if result.prorated:
            answered = len(m.items) - len(result.missing)
            total["note"] = [
                {
                    "text": f"prorated from {answered} of {len(m.items)} items: the mean of the "
                    f"answered items times {len(m.items)}, rounded half up"
                }
            ]
        out.add(f"Observation/{m.date}/{name}/{nth}", total)


def _goals(out: _Writer, goals: Sequence[Goal]) -> list[str]:
    urls = []
    for goal in goals:
        status = goal.status
        resource: dict[str, Any] = {
            "resourceType": "Goal",
            "lifecycleStatus": status.lifecycle.code,
            "category": [_area(goal.area)],
            "description": {"text": goal.manual or _AREA_WORDS[goal.area.value]},
            "subject": out.subject,
        }
        if status.axis == "achievement":
            coding = {"system": _ACHIEVEMENT, "code": status.code}
            resource["achievementStatus"] = {"coding": [coding]}
        urls.append(out.add(f"Goal/{goal.id}", resource))
    return urls


def _activity(number: int, when: date, phase: str, status: str) -> dict[str, Any]:
    day = when.isoformat()
    detail: dict[str, Any] = {
        "status": status,
        "description": f"IPT session {number} ({phase} phase)",
        "scheduledPeriod": {"start": day, "end": day},
    }
    if status == "cancelled":
        detail["statusReason"] = {"text": "missed"}
    return {"detail": detail}


def _care_plan(
    out: _Writer, plan: CoursePlan | None, course: Course | None, goals: list[str]
) -> None:
    activities = []
    if course is not None:
        plan = course.plan
        for record in course.records:
            held = record.status.value == "held"
            activities.append(
                _activity(
                    record.number,
                    record.date,
                    record.phase.value,
                    "completed" if held else "cancelled",
                )
            )
        upcoming = course.next_session
        ahead = (
            [] if upcoming is None else [s for s in plan.sessions if s.number >= upcoming.number]
        )
        state = course.state.value
        status = {"finished": "completed", "closed": "completed", "dropped": "revoked"}.get(
            state, "active"
        )
    else:
        assert plan is not None
        ahead, status = list(plan.sessions), "active"
    activities += [_activity(s.number, s.date, s.phase.value, "scheduled") for s in ahead]
    days = [a["detail"]["scheduledPeriod"]["start"] for a in activities]
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": status,
        "intent": "plan",
        "title": f"Interpersonal psychotherapy: {plan.protocol.name}",
        "subject": out.subject,
        "period": {"start": min(days), "end": max(days)},
        "activity": activities,
    }
    if goals:
        resource["goal"] = [{"reference": url} for url in goals]
    out.add("CarePlan", resource)


def _impression(
    out: _Writer, assessed: date, findings: Sequence[Finding], summary: str | None
) -> None:
    resource: dict[str, Any] = {
        "resourceType": "ClinicalImpression",
        "status": "completed",
        "description": "Interpersonal psychotherapy (IPT) formulation: the problem area(s) of the "
        "focus",
        "subject": out.subject,
        "date": assessed.isoformat(),
    }
    if summary is not None:
        resource["summary"] = summary
    if findings:
        resource["finding"] = [
            {"itemCodeableConcept": _area(f.area), "basis": f.evidence.summary} for f in findings
        ]
    out.add("ClinicalImpression", resource)


def _same_case(case: Case, what: str, case_id: str) -> None:
    if case_id != case.id:
        raise IptError(f"to_bundle: the {what} is of case {case_id!r}, not of {case.id!r}")


def to_bundle(
    case: Case,
    *,
    subject: str,
    classification: Classification | None = None,
    formulation: Formulation | None = None,
    plan: CoursePlan | None = None,
    course: Course | None = None,
) -> dict[str, Any]:
    """The case as a FHIR R4 Bundle of type ``collection``, as JSON builtins.

    The module docstring lists what goes in and what stays out.

    Args:
        case: the case; its measures become QuestionnaireResponses and Observations.
        subject: the reference each resource points at, as the caller names it
            (``"Patient/123"``, ``"urn:uuid:..."``).
        classification: used for the ClinicalImpression when no formulation is given.
        formulation: its statement and focus findings become a ClinicalImpression, its goals
            Goals.
        plan: a :class:`~iptcore.CoursePlan` to write as a CarePlan of scheduled sessions.
        course: a :class:`~iptcore.Course` to write as a CarePlan of held, missed and scheduled
            sessions; its goals (with their current statuses) replace the formulation's.

    Raises:
        IptError: when ``subject`` is not a non-empty string, both ``plan`` and ``course`` are
            given, or the classification, formulation or course is of another case.
        ImportError: without the ``fhir`` extra.

    >>> from datetime import date
    >>> from iptcore import Case, Measure
    >>> case = Case(id="fictional-1", assessed=date(2026, 3, 2), onset=date(2026, 1, 5),
    ...             measures=(Measure(date=date(2026, 3, 2), instrument="gad7",
    ...                               items=(1, 2, None, 1, 1, 2, 1)),))
    >>> entries = to_bundle(case, subject="Patient/1")["entry"]
    >>> total = entries[1]["resource"]
    >>> total["code"]["coding"][0]["code"], total["valueInteger"], total["note"][0]["text"][:26]
    ('70274-6', 9, 'prorated from 6 of 7 items')
    >>> total["derivedFrom"][0]["reference"] == entries[0]["fullUrl"]
    True
    """
    from iptcore.case import Case
    from iptcore.course import Course
    from iptcore.findings import Classification
    from iptcore.formulation import Formulation
    from iptcore.plan import CoursePlan

    _checks.argument("case", case, Case)
    if not isinstance(subject, str) or not subject.strip():
        raise IptError(
            f"to_bundle: subject must be a reference such as 'Patient/123', got {subject!r}"
        )
    for name, value, cls in (
        ("classification", classification, Classification),
        ("formulation", formulation, Formulation),
        ("plan", plan, CoursePlan),
        ("course", course, Course),
    ):
        if value is not None and not isinstance(value, cls):
            raise IptError(
                f"to_bundle: {name} must be a {cls.__name__}, got {type(value).__name__}"
            )
    if plan is not None and course is not None:
        raise IptError("to_bundle: pass a plan or a course, not both (a course holds its plan)")
    if classification is not None:
        _same_case(case, "classification", classification.case_id)
    if formulation is not None:
        _same_case(case, "formulation", formulation.case_id)
    if course is not None:
        _same_case(case, "course", course.case.id)
    bundle_model = _models()
    out = _Writer(case.id, subject)
    _measures(out, case.measures)
    goals: Sequence[Goal] = ()
    if course is not None:
        goals = course.goals
    elif formulation is not None:
        goals = formulation.goals
    urls = _goals(out, goals)
    if plan is not None or course is not None:
        _care_plan(out, plan, course, urls)
    if formulation is not None:
        _impression(out, case.assessed, formulation.findings, formulation.statement)
    elif classification is not None:
        found = [classification.finding(a) for a in classification.focus]
        _impression(out, case.assessed, [f for f in found if f is not None], None)
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": out.entries}
    checked: dict[str, Any] = bundle_model.Bundle.model_validate(bundle).model_dump(mode="json")
    return checked


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _resources(resources: object) -> list[tuple[str, Any]]:
    """(path prefix, resource) for each resource of a Bundle or a list of resources."""
    if isinstance(resources, Mapping) and resources.get("resourceType") == "Bundle":
        entries = resources.get("entry") or []
        if not isinstance(entries, list):
            raise CaseError([Problem(path="entry", message="must be a list of entries")])
        return [
            (f"entry[{i}].resource", entry.get("resource"))
            if isinstance(entry, Mapping)
            else (f"entry[{i}]", entry)
            for i, entry in enumerate(entries)
        ]
    if isinstance(resources, Mapping):
        return [("", resources)]
    if isinstance(resources, Iterable) and not isinstance(resources, str | bytes):
        return [(f"[{i}]", r) for i, r in enumerate(resources)]
    raise CaseError(
        [Problem(path="", message=f"must be a Bundle or a list of resources, got {resources!r}")]
    )


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path or path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


def _loc(loc: Sequence[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _validate(kind: str, resource: Any, prefix: str, problems: list[Problem]) -> bool:
    """Whether ``resource`` parses as the R4B ``kind``; each problem reported at its path."""
    from pydantic import ValidationError

    module = __import__(f"fhir.resources.R4B.{kind.lower()}", fromlist=[kind])
    try:
        getattr(module, kind).model_validate(resource)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(Problem(path=_join(prefix, _loc(error["loc"])), message=error["msg"]))
        return False
    return True


def _instrument_of(resource: Mapping[str, Any]) -> str | None:
    canonical = resource.get("questionnaire")
    if isinstance(canonical, str):
        for name, panel in (*_PANEL.items(), ("hamd17", None)):
            if canonical.split("|")[0] == _QUESTIONNAIRE + name or (
                panel is not None and canonical.split("|")[0].rsplit("/", 1)[-1] == panel
            ):
                return name
    link_ids = {item.get("linkId") for item in resource.get("item") or ()}
    for name, codes in _ITEMS.items():
        if link_ids and link_ids <= {*codes, _TOTAL[name][1]}:
            return name
    return None


def _item_value(name: str, answer: Mapping[str, Any], top: int) -> int | str:
    """An answer's score, or a message saying why it has none."""
    coding = answer.get("valueCoding")
    if isinstance(coding, Mapping) and name != "hamd17":
        code = coding.get("code")
        if (
            coding.get("system") in (LOINC, None)
            and isinstance(code, str)
            and code in _ANSWER_SCORE
        ):
            return _ANSWER_SCORE[code]
        return f"is {code!r}, not a LOINC answer of list LL358-3 (LA6568-5 ... LA6571-9)"
    value = answer.get("valueInteger")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= top:
        return value
    if value is not None:
        return f"is {value!r}, outside 0-{top}"
    return f"must be a valueInteger{'' if name == 'hamd17' else ' or a LOINC valueCoding'}"


def _response(prefix: str, resource: Mapping[str, Any], problems: list[Problem]) -> Any:
    from iptcore.case import Measure
    from iptcore.measures import Instrument, instrument_spec, score

    start = len(problems)
    name = _instrument_of(resource)
    if name is None:
        problems.append(
            Problem(
                path=_join(prefix, "questionnaire"),
                message="names no instrument iptcore knows (PHQ-9, GAD-7, HAM-D-17), and the item "
                "linkIds are not one instrument's codes",
            )
        )
        return None
    authored = resource.get("authored")
    when: date | None = None
    try:
        when = date.fromisoformat(str(authored)[:10])
    except ValueError:
        problems.append(
            Problem(path=_join(prefix, "authored"), message=f"must hold the date, got {authored!r}")
        )
    codes, spec = _ITEMS[name], instrument_spec(name)
    values: dict[str, int | None] = {}
    stated: tuple[str, int] | None = None
    for i, item in enumerate(resource.get("item") or ()):
        path, link = _join(prefix, f"item[{i}]"), item.get("linkId")
        answers = item.get("answer") or []
        if link == _TOTAL[name][1] and name in _PANEL:
            if len(answers) == 1 and isinstance(answers[0].get("valueInteger"), int):
                stated = (f"{path}.answer[0]", answers[0]["valueInteger"])
            else:
                problems.append(Problem(path=path, message="the total must be one valueInteger"))
            continue
        if link not in codes:
            problems.append(
                Problem(path=_join(path, "linkId"), message=f"{link!r} is no item of {name}")
            )
            continue
        if link in values:
            problems.append(Problem(path=_join(path, "linkId"), message=f"repeats item {link!r}"))
            continue
        if len(answers) > 1:
            problems.append(Problem(path=_join(path, "answer"), message="must hold one answer"))
            continue
        top = spec.items[codes.index(link)].maximum
        value = _item_value(name, answers[0], top) if answers else None
        if isinstance(value, str):
            problems.append(Problem(path=_join(path, "answer[0]"), message=value))
            continue
        values[link] = value
    if len(problems) > start or when is None:
        return None
    items = tuple(values.get(code) for code in codes)
    if stated is not None:
        try:
            total = score(name, items).total
        except IptError:
            total = None
        if total != stated[1]:
            problems.append(
                Problem(path=stated[0], message=f"is {stated[1]}, but the items total {total}")
            )
            return None
    return Measure(date=when, instrument=Instrument(name), items=items)


def _total_name(resource: Mapping[str, Any]) -> str | None:
    for coding in (resource.get("code") or {}).get("coding") or ():
        for name, (system, code, _) in _TOTAL.items():
            if coding.get("system") == system and coding.get("code") == code:
                return name
    return None


def measures_from(resources: object) -> tuple[Measure, ...]:
    """The measures of a FHIR Bundle or list of resources, as iptcore :class:`~iptcore.Measure` s.

    Each ``QuestionnaireResponse`` of the PHQ-9, GAD-7 or HAM-D-17 becomes one measure: the
    instrument from ``questionnaire`` (iptcore's canonical, or one ending in the LOINC panel code)
    or else from the item linkIds; the date from ``authored``; each item from its answer (a LOINC
    answer code of list LL358-3, or a ``valueInteger``); an item without an answer, or left out, is
    missing (``None``). A total item (44261-6, 70274-6) must equal iptcore's score of the items.

    An ``Observation`` of a total (44261-6, 70274-6, ``hamd17-total``) is checked against the
    response it is ``derivedFrom``; one without such a response is refused, since a
    :class:`~iptcore.Measure` holds item scores and cannot hold a total alone. Other resources
    (Goal, CarePlan, ClinicalImpression, other Observations) are not measures and are passed over.

    Raises:
        CaseError: every problem at once, each with its path (``entry[3].resource.item[2].answer[0]``
            in a Bundle, ``[3].item[2]`` in a list).
        ImportError: without the ``fhir`` extra.

    >>> from iptcore import Measure
    >>> measures_from([{"resourceType": "Observation", "status": "final",
    ...                 "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]},
    ...                 "valueInteger": 12}])
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid case, 1 problem: [0]: is a PHQ-9 total without the QuestionnaireResponse it is derived from; an iptcore Measure holds item scores, not a total alone
    """
    _models()
    problems: list[Problem] = []
    found: dict[str, Any] = {}
    measures: list[Any] = []
    totals: list[tuple[str, Mapping[str, Any], str]] = []
    urls: dict[int, str] = {}
    if isinstance(resources, Mapping) and resources.get("resourceType") == "Bundle":
        for i, entry in enumerate(resources.get("entry") or ()):
            if isinstance(entry, Mapping) and isinstance(entry.get("fullUrl"), str):
                urls[i] = entry["fullUrl"]
    for i, (prefix, resource) in enumerate(_resources(resources)):
        if not isinstance(resource, Mapping):
            problems.append(Problem(path=prefix, message="must be a FHIR resource (an object)"))
            continue
        kind = resource.get("resourceType")
        if kind == "QuestionnaireResponse":
            if not _validate(kind, resource, prefix, problems):
                continue
            measure = _response(prefix, resource, problems)
            if measure is not None:
                measures.append(measure)
                ident = resource.get("id")
                keys = [urls.get(i)]
                if ident:
                    keys += [f"urn:uuid:{ident}", f"QuestionnaireResponse/{ident}"]
                for key in keys:
                    if key:
                        found[key] = measure
        elif kind == "Observation":
            name = _total_name(resource)
            if name is not None and _validate(kind, resource, prefix, problems):
                totals.append((prefix, resource, name))
    for prefix, resource, name in totals:
        refs = [r.get("reference") for r in resource.get("derivedFrom") or ()]
        measure = next((found[r] for r in refs if r in found), None)
        title = {"phq9": "PHQ-9", "gad7": "GAD-7", "hamd17": "HAM-D-17"}[name]
        if measure is None:
            problems.append(
                Problem(
                    path=prefix,
                    message=f"is a {title} total without the QuestionnaireResponse it is derived "
                    "from; an iptcore Measure holds item scores, not a total alone",
                )
            )
            continue
        _check_total(prefix, resource, measure, problems)
    if problems:
        raise CaseError(problems)
    return tuple(measures)


def _check_total(
    prefix: str, resource: Mapping[str, Any], measure: Any, problems: list[Problem]
) -> None:
    from iptcore.measures import score

    value = resource.get("valueInteger")
    if value is None and isinstance(resource.get("valueQuantity"), Mapping):
        value = resource["valueQuantity"].get("value")
    try:
        total: int | None = score(measure.instrument, measure.items).total
    except IptError:
        total = None
    if value != total:
        problems.append(
            Problem(
                path=_join(prefix, "valueInteger"),
                message=f"is {value!r}, but the response it is derived from totals {total}",
            )
        )
