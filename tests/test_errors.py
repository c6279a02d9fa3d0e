"""The error family as an API handler sends it: to_dict() of a problem and of a CaseError."""

from __future__ import annotations

import copy
import json
import pickle
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iptcore import (
    CaseError,
    Course,
    IptError,
    Person,
    Problem,
    classify,
    dump_case,
    dump_course,
    dump_plan,
    formulate,
    load_case,
    load_course,
    load_plan,
    plan_course,
)
from iptcore.errors import HIDDEN_KEY
from iptcore.limits import Limits
from iptcore.testing import case_documents
from iptcore.vignettes import vignette


def test_a_case_error_as_json_lists_every_problem() -> None:
    """An API handler returns ``err.to_dict()`` as it is: every problem, not the first five."""
    doc = {"id": "x", "assessed": "2026-02-30", "onset": "someday", "people": []}
    doc["people"] = [{"id": f"p{i}", "closeness": 9} for i in range(6)]
    with pytest.raises(CaseError) as info:
        load_case(doc)
    err = info.value
    out = json.loads(json.dumps(err.to_dict()))  # plain JSON builtins
    assert out["error"] == str(err)
    assert out["problems"] == [{"path": p.path, "message": p.message} for p in err.problems]
    assert len(out["problems"]) > 5  # the message shows five; the dict has them all
    assert {"path": "assessed", "message": "'2026-02-30' is not a real calendar date"} in out[
        "problems"
    ]


def test_problem_to_dict_and_a_pickled_error_keep_the_problems() -> None:
    problem = Problem(path="people[2].closeness", message="must be 1, 2, 3 or 4")
    assert problem.to_dict() == {"path": "people[2].closeness", "message": "must be 1, 2, 3 or 4"}
    err = CaseError([problem], subject="plan file")
    assert pickle.loads(pickle.dumps(err)).to_dict() == err.to_dict()
    assert err.to_dict()["error"].startswith("invalid plan file, 1 problem: people[2].closeness")


# -- Problems seen from a containing object (folded from the former mutation-test file) -------


def test_problems_move_under_their_container() -> None:
    """A problem of a value as a whole, seen from the field that holds it, is at that field; an
    item's problem joins its list without a dot; a CaseError has at least one problem."""
    assert Problem(path="", message="m").within("people[0]").path == "people[0]"
    assert Problem(path="[1]", message="m").within("ties").path == "ties[1]"
    assert Problem(path="role", message="m").within("people[0]").path == "people[0].role"
    assert Problem(path="role", message="m").within("").path == "role"
    with pytest.raises(ValueError, match="CaseError needs at least one problem"):
        CaseError([])


# -- redacted messages: what a log may keep -------------------------------------------------------
#
# Every string the input holds is made of the sentinel "zqx" (ids, names, notes, keys), and every
# number and date put in by a mutation is a sentinel too; the redacted form of whatever the
# loaders refuse must hold none of them, nor any date of the document.

SENTINEL = "zqx"
SENTINEL_INT = 987654
SENTINEL_VALUES: tuple[object, ...] = (
    "zqx",
    "zqx Quatermass",
    "zqx-secret.id",  # a valid id
    "2031-07-19",  # a real date, after any assessment
    "1917-03-08",  # a real date, long before
    "2031-02-30",  # no real date
    "iptcore.case/9zqx",
    "iptcore.case/7",
    "iptcore.plan/7",
    "iptcore.course/7",
    SENTINEL_INT,
    -SENTINEL_INT,
    1917,
    2031,
    98765.4,
    10**40 + SENTINEL_INT,
    ["zqx", 1917],
    {"zqx": "zqx"},
    True,
    None,
    "",
    " ",
)
FORBIDDEN_NUMBERS = ("987654", "987,654", "98765.4", "1917", "2031")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _forbidden(doc: object) -> set[str]:
    """What must not be in a redacted text: the sentinel, the sentinel numbers, and every date the
    document holds (as written in it)."""
    text = json.dumps(doc, default=str)
    return {SENTINEL, *FORBIDDEN_NUMBERS, *DATE.findall(text)}


def _assert_redacted(error: CaseError, forbidden: set[str]) -> None:
    redacted = error.redacted()
    texts = [str(redacted), json.dumps(redacted.to_dict())]
    texts += [str(p) for p in redacted.problems]
    for text in texts:
        low = text.lower()
        leaked = sorted(word for word in forbidden if word.lower() in low)
        assert not leaked, (leaked, text)
    # Redacting keeps every problem and its place (or the place with the input's keys hidden).
    assert len(redacted.problems) == len(error.problems)
    for plain, bare in zip(error.problems, redacted.problems, strict=True):
        assert bare.redacted() == bare
        assert bare.path == plain.path or HIDDEN_KEY in bare.path


def _sentinelled_case(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with every id, name and free text made of the sentinel (references follow)."""
    doc = copy.deepcopy(doc)
    ids = {p["id"]: f"zqx-p{i}" for i, p in enumerate(doc.get("people", []))}
    doc["id"] = "zqx-case"
    if "patient" in doc:
        patient = doc["patient"]
        for key in ("name", "pronouns"):
            if key in patient:
                patient[key] = f"zqx {key}"
    for person in doc.get("people", []):
        person["id"] = ids[person["id"]]
        if "name" in person:
            person["name"] = "zqx name"
        for key in ("satisfying", "unsatisfying", "wants_changed"):
            if key in person:
                person[key] = ["zqx note"] * len(person[key])
    for tie in doc.get("ties", []):
        tie["between"] = [ids[pid] for pid in tie["between"]]
    for event in doc.get("events", []):
        if "person" in event:
            event["person"] = ids[event["person"]]
        if "description" in event:
            event["description"] = "zqx happened"
    if "extensions" in doc:
        doc["extensions"] = {"zqx": ["zqx"]}
    return doc


def _places(doc: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value in ``doc`` (the document itself is ``()``)."""
    out = [path]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _places(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _places(value, (*path, i))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _mutate(doc: Any, data: st.DataObject) -> Any:
    """``doc`` with one to four changes: a value replaced by a sentinel value, an unknown key
    added, a key removed, an item of a list repeated (an id used twice)."""
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        places = _places(doc)
        place = data.draw(st.sampled_from(places), label="place")
        kind = data.draw(st.sampled_from(["value", "key", "drop", "repeat"]), label="kind")
        target = _get(doc, place)
        value = copy.deepcopy(data.draw(st.sampled_from(SENTINEL_VALUES), label="value"))
        if kind == "value" and place:
            _get(doc, place[:-1])[place[-1]] = value
        elif kind == "value":
            doc = value
        elif kind == "key" and isinstance(target, dict):
            target[data.draw(st.sampled_from(["zqx", "zqx.key[0]", "", "Zqx_Key"]))] = value
        elif kind == "drop" and place and isinstance(_get(doc, place[:-1]), dict):
            del _get(doc, place[:-1])[place[-1]]
        elif kind == "repeat" and isinstance(target, list) and target:
            target.append(copy.deepcopy(target[0]))
    return doc


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(case_documents(max_people=4, max_events=4, max_measures=2), st.data())
def test_a_refused_case_redacts_every_value(doc: dict[str, Any], data: st.DataObject) -> None:
    """Whatever is wrong with a case document, the redacted error names the paths and the rules
    and holds nothing of the document: no id, name, note, key, number or date of it."""
    doc = _mutate(_sentinelled_case(doc), data)
    try:
        load_case(doc)
    except CaseError as error:
        _assert_redacted(error, _forbidden(doc))


def _plan_and_course() -> tuple[dict[str, Any], dict[str, Any]]:
    """A plan file and a course file of a fictional case whose ids and texts are sentinels."""
    case = load_case(_sentinelled_case(dump_case(vignette("dispute"))))
    classification = classify(case)
    plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=classification)
    course = Course.begin(case, plan, formulation=formulate(case, classification))
    course = course.hold(tasks=["sick_role"], homework="zqx homework", notes="zqx notes")
    course = course.miss(reason="zqx funeral")
    return dump_plan(plan), dump_course(course)


PLAN_DOC, COURSE_DOC = _plan_and_course()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["plan", "course"]), st.data())
def test_a_refused_plan_or_course_redacts_every_value(which: str, data: st.DataObject) -> None:
    """The same for plan and course files, whose steps are replayed through the course's rules."""
    doc = _mutate(PLAN_DOC if which == "plan" else COURSE_DOC, data)
    try:
        (load_plan if which == "plan" else load_course)(doc)
    except CaseError as error:
        _assert_redacted(error, _forbidden(doc))


def test_the_messages_of_the_issue_have_a_redacted_form() -> None:
    """The reproducers: "no person 'mary.smith'" and "is 2026-04-01, after assessed" quote the
    input; the redacted error keeps the paths and the rules and leaves the values out."""
    doc = {
        "format": "iptcore.case/1",
        "id": "mary-smith-2026",
        "assessed": "2026-03-02",
        "onset": "2026-04-01",
        "people": [{"id": "jon", "role": "partner", "closeness": 1, "mary.smith": "x"}],
        "events": [{"date": "2026-01-05", "kind": "death", "person": "mary.smith"}],
    }
    with pytest.raises(CaseError) as info:
        load_case(doc)
    plain, bare = str(info.value), str(info.value.redacted())
    assert "'mary.smith'" in plain
    assert "2026-04-01" in plain
    assert bare == (
        "invalid case, 3 problems: people[0][?]: is not a field of a person (the fields are: id, "
        "role, closeness, name, contact, confidant, knows_about_depression, satisfying, "
        "unsatisfying, wants_changed, dispute); onset: is after assessed; events[0].person: "
        "names nobody: no person of that id"
    )


def test_a_redacted_form_takes_no_part_in_equality_and_survives_pickling() -> None:
    """Two problems at one path with one message are the same problem; a pickled error (a
    process pool's) keeps what its log may show."""
    plain = Problem(path="onset", message="is 2026-04-01, after assessed (2026-03-02)")
    marked = Problem(
        path="onset",
        message="is 2026-04-01, after assessed (2026-03-02)",
        redacted_message="is after assessed",
    )
    assert plain == marked
    assert hash(plain) == hash(marked)
    assert repr(marked) == repr(plain)
    assert plain.redacted() == plain  # a message that quotes nothing is its own redacted form
    error = CaseError([marked.within("people[1]")])
    again = pickle.loads(pickle.dumps(error))
    assert str(again.redacted()) == "invalid case, 1 problem: people[1].onset: is after assessed"


def test_a_refused_python_value_is_redacted_to_its_kind() -> None:
    """A value built in Python is refused in the one form; its redacted form names the kind of
    the value, not the value."""
    with pytest.raises(CaseError) as info:
        Person(id="mary.smith", role="partner", closeness="Mary Smith")  # type: ignore[arg-type]
    (problem,) = info.value.redacted().problems
    assert str(problem) == "closeness: must be a whole number (a JSON integer), got a string"
    with pytest.raises(IptError) as raised:
        plan_course("ipt", start="Mary's birthday")
    assert "Mary" in str(raised.value)
    assert raised.value.redacted_message == (
        "start: must be a date written YYYY-MM-DD, got a string"
    )


def test_a_replayed_course_names_the_rule_and_not_the_dates() -> None:
    """A course file's step that the protocol refuses: the redacted form says which rule, not
    the dates or numbers it quotes."""
    doc = copy.deepcopy(COURSE_DOC)
    doc["steps"][0]["number"] = 2
    with pytest.raises(CaseError) as info:
        load_course(doc)
    (problem,) = info.value.problems
    assert "session 2 is not the next session due" in problem.message
    assert str(problem.redacted()) == "steps[0]: cannot hold in state initial"


def test_a_message_without_a_redacted_form_from_a_replay_is_withheld() -> None:
    """What a course's own rules refuse without saying what the value part is, the redacted form
    withholds: it may quote the file."""
    doc = copy.deepcopy(PLAN_DOC)
    doc["sessions"][1]["date"] = "1917-03-08"
    with pytest.raises(CaseError) as info:
        load_plan(doc)
    assert "1917-03-08" in str(info.value)
    assert "1917" not in str(info.value.redacted())
    assert "withheld" in str(info.value.redacted())


# -- the shared refusal words: an argument or a limit refused in the one form --------------------


@pytest.mark.parametrize(
    ("value", "message", "redacted"),
    [
        (None, "got None", "got null"),
        (True, "got True", "got a boolean"),
        ("jon", "got 'jon'", "got a string"),
        (987654, "got 987654", "got an integer"),
        (98765.4, "got 98765.4", "got a number"),
        ({"max_bytes": 1917}, "got {'max_bytes': 1917}", "got an object"),
        (["jon"], "got ['jon']", "got a list"),
        (date(2031, 7, 19), "got datetime.date(2031, 7, 19)", "got a date"),
    ],
)
def test_a_refused_argument_is_redacted_to_the_kind_of_its_value(
    value: object, message: str, redacted: str
) -> None:
    """An argument of the wrong type is refused in the one form, ``field: must be <rule>, got
    <value>``. Errors have a redacted form for logs: paths and rules, nothing from the input (the
    kind of the value in words, never the value)."""
    with pytest.raises(IptError) as info:
        load_case({}, limits=value)  # type: ignore[arg-type]
    assert str(info.value) == f"limits: must be a Limits value, {message}"
    assert info.value.redacted_message == f"limits: must be a Limits value, {redacted}"
    assert not isinstance(info.value, CaseError)  # an argument, not the document, is at fault


@pytest.mark.parametrize(
    ("changes", "message", "redacted"),
    [
        ({"max_bytes": 0}, "max_bytes: {} 0", "max_bytes: {} an integer"),
        ({"max_people": True}, "max_people: {} True", "max_people: {} a boolean"),
        ({"max_text": "jon"}, "max_text: {} 'jon'", "max_text: {} a string"),
        ({"max_notes": None}, "max_notes: {} None", "max_notes: {} null"),
        ({"max_steps": 1917.5}, "max_steps: {} 1917.5", "max_steps: {} a number"),
    ],
)
def test_a_refused_limit_is_redacted_to_the_kind_of_its_value(
    changes: dict[str, Any], message: str, redacted: str
) -> None:
    """Limits: "IptError when a limit is not a whole number of 1 or more (named in the message)",
    in the one form. Errors have a redacted form for logs: paths and rules, nothing from the input
    (the kind of the value, never the value)."""
    rule = "must be a whole number of 1 or more, got"
    with pytest.raises(IptError) as info:
        Limits(**changes)
    assert str(info.value) == message.format(rule)
    assert info.value.redacted_message == redacted.format(rule)
