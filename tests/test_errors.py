"""The error family as an API handler sends it: to_dict() of a problem and of a CaseError."""

from __future__ import annotations

import json
import pickle

import pytest

from iptcore import CaseError, Problem, load_case


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
