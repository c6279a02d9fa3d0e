"""Tests that kill the mutants that survived in _checks.py, the validators every value class shares.

The briefing: "Bad input gets a clear message naming the field/argument and what was wrong". The
validator factories of _checks.py run when a class is defined, mostly at import; each is called
here from a test, with a class defined in the test, so that the mutation run maps a test to it and
sees every branch: the type, the bool that is not an int, the datetime that is not a date, the
empty and blank strings, the floor of a whole number, and each message form.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pytest

from iptcore import IptError
from iptcore import _checks as c


def _probe(validator: Any) -> type:
    @attrs.frozen
    class Probe:
        value: Any = attrs.field(validator=validator)

    return Probe


@pytest.mark.parametrize("form", [c.FORM, c.OWNER, c.FIELD, c.COLON])
def test_every_refusal_has_the_one_form_of_the_case_file(form: str) -> None:
    """One message form for every value: ``path: message``, as a case file's problems read."""
    with pytest.raises(IptError) as info:
        _probe(c.instance_of(date, "a date", form=form))(True)
    assert str(info.value) == "value: must be a date, got True"


def test_instance_of_refuses_bools_and_datetimes_where_they_do_not_belong() -> None:
    """A bool is not an int and a datetime is not a date (_checks.instance_of)."""
    number = _probe(c.instance_of(int, "a number"))
    assert number(3).value == 3
    with pytest.raises(IptError, match=r"^value: must be a number, got True$"):
        number(True)
    either = _probe(c.instance_of((int, bool), "a number or flag"))
    assert either(True).value is True
    day = _probe(c.instance_of(date, "a date"))
    assert day(date(2026, 3, 2)).value == date(2026, 3, 2)
    with pytest.raises(IptError, match=r"^value: must be a date, got datetime"):
        day(datetime(2026, 3, 2, 9))
    moment = _probe(c.instance_of((date, datetime), "a date or time"))
    assert moment(datetime(2026, 3, 2, 9)).value.hour == 9
    optional = _probe(c.instance_of(str, "a string", optional=True))
    assert optional(None).value is None
    with pytest.raises(IptError, match=r"^value: must be a string, got None$"):
        _probe(c.instance_of(str, "a string"))(None)


def test_flag_is_true_or_false_not_one_or_zero() -> None:
    on = _probe(c.flag())
    assert on(False).value is False
    with pytest.raises(IptError, match=r"^value: must be true or false, got 1$"):
        on(1)
    with pytest.raises(IptError, match=r"^value: must be on or off, got 0$"):
        _probe(c.flag("on or off", form=c.COLON))(0)


def test_text_may_refuse_empty_and_blank_strings() -> None:
    assert _probe(c.text())("").value == ""
    with pytest.raises(IptError, match=r"^value: must be a string, got 3$"):
        _probe(c.text())(3)
    not_empty = _probe(c.text("a word", empty=False))
    assert not_empty(" ").value == " "
    with pytest.raises(IptError, match=r"^value: must be a word, got ''$"):
        not_empty("")
    not_blank = _probe(c.text("a word", blank=False, form=c.FIELD))
    assert not_blank("a").value == "a"
    for bad in ("", "  "):
        with pytest.raises(IptError, match=r"^value: must be a word, got "):
            not_blank(bad)


def test_tuple_of_wants_a_tuple_of_its_kind() -> None:
    ints = _probe(c.tuple_of(int))
    assert ints((1, 2)).value == (1, 2)
    with pytest.raises(IptError, match=r"^value: must be a tuple of int, got \[1\]$"):
        ints([1])
    with pytest.raises(IptError, match=r"^value: must be a tuple of int, got \(1, 'a'\)$"):
        ints((1, "a"))
    with pytest.raises(IptError, match=r"^value: must be numbers, got \['a'\]$"):
        _probe(c.tuple_of(int, "numbers", form=c.COLON))(["a"])


def test_texts_may_refuse_blank_items() -> None:
    words = _probe(c.texts())
    assert words(("a", "")).value == ("a", "")
    with pytest.raises(IptError, match=r"^value: must be a tuple of strings, got \['a'\]$"):
        words(["a"])
    steps = _probe(c.texts("non-empty steps", blank=False, form=c.FIELD))
    assert steps(("a", "b")).value == ("a", "b")
    for bad in (("a", ""), ("a", " "), ("a", 3), ["a"]):
        with pytest.raises(IptError, match=r"^value: must be non-empty steps, got "):
            steps(bad)


def test_whole_numbers_and_their_floor() -> None:
    """A whole number is an int, not a bool; the floor is refused in the caller's words."""
    count = _probe(c.whole())
    assert count(-5).value == -5
    for bad in (True, 1.0, "1", None):
        with pytest.raises(IptError, match=r"^value: must be an integer, got "):
            count(bad)
    floored = _probe(c.whole(1, must="a count", form=c.COLON))
    assert floored(1).value == 1
    with pytest.raises(IptError, match=r"^value: must be a count, got 0$"):
        floored(0)
    worded = _probe(c.whole(1, form=c.FIELD, under="at least"))
    with pytest.raises(IptError, match=r"^value: must be at least 1, got 0$"):
        worded(0)
    assert worded(2).value == 2


def test_member_names_the_choices() -> None:
    from iptcore.terms import Phase

    assert c.member(Phase, "phase", "initial") is Phase.INITIAL
    with pytest.raises(IptError) as info:
        c.member(Phase, "phase", "closing")
    assert str(info.value) == (
        "phase: must be one of engagement, initial, middle, termination, maintenance, got 'closing'"
    )


def test_bools_and_datetimes_are_refused_inside_a_tuple_of_kinds() -> None:
    """A kind given as a tuple still refuses a bool where int is wanted (and bool is not)."""
    with pytest.raises(IptError, match=r"^value: must be a number or word, got True$"):
        _probe(c.instance_of((int, str), "a number or word"))(True)
    with pytest.raises(IptError, match=r"^value: must be a date or word, got datetime"):
        _probe(c.instance_of((date, str), "a date or word"))(datetime(2026, 3, 2, 9))


def test_the_owner_and_value_are_named_in_every_refusal() -> None:
    """Every refusal names the field and the value."""
    with pytest.raises(IptError, match=r"^value: must be words, got \['a'\]$"):
        _probe(c.texts("words", form=c.FIELD))(["a"])
    with pytest.raises(IptError, match=r"^value: must be steps, got \('a', ''\)$"):
        _probe(c.texts("steps", blank=False))(("a", ""))
    with pytest.raises(IptError, match=r"^value: must be an integer, got 0$"):
        _probe(c.whole(1))(0)
