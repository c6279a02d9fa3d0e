"""Tests of iptcore._checks: the shared converters and validators of the frozen values.

Every refusal is an IptError with the wording of the form it was given (the house style, one error family).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import _checks
from iptcore.errors import IptError
from iptcore.terms import DisputeStage, Phase, ProblemArea


@attrs.frozen(kw_only=True)
class Sample:
    """A fictional value with one field of each kind the checks cover."""

    area: ProblemArea = attrs.field(
        converter=_checks.area,
        validator=_checks.instance_of(ProblemArea, "a ProblemArea"),
    )
    day: date = attrs.field(
        default=date(2026, 1, 5), validator=_checks.instance_of(date, "a date", form=_checks.COLON)
    )
    count: int = attrs.field(default=0, validator=_checks.whole(0, must="a whole number"))
    on: bool = attrs.field(default=False, validator=_checks.flag(form=_checks.FIELD))
    title: str = attrs.field(default="x", validator=_checks.text("text", empty=False))
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.texts(blank=False)
    )


def test_word_converts_words_and_leaves_the_rest_for_the_validator() -> None:
    """A word becomes its member; an unknown word is refused by the validator, naming the field."""
    assert Sample(area="grief").area is ProblemArea.GRIEF
    with pytest.raises(IptError, match=r"^area: must be a ProblemArea, got 'sorrow'$"):
        Sample(area="sorrow")
    with pytest.raises(IptError, match=r"^area: must be a ProblemArea, got \['grief'\]$"):
        Sample(area=["grief"])


@given(st.sampled_from(list(DisputeStage)))
def test_word_is_the_identity_on_members_and_their_words(stage: DisputeStage) -> None:
    """Property: a member and its word both convert to the member."""
    assert _checks.stage(stage) is stage
    assert _checks.stage(str(stage.value)) is stage
    assert _checks.word(DisputeStage, str(stage.value)) is stage


def test_member_refuses_with_the_known_words() -> None:
    """The insisting converter lists every word of the enum."""
    assert _checks.member(Phase, "phase", "middle") is Phase.MIDDLE
    with pytest.raises(IptError, match=r"^area: must be one of grief, role_dispute, "):
        _checks.member(ProblemArea, "area:", 3)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": datetime(2026, 1, 5, 9)}, r"^day: must be a date, got datetime"),
        ({"count": True}, r"^count: must be a whole number, got True$"),
        ({"count": -1}, r"^count: must be a whole number, got -1$"),
        ({"on": 1}, r"^on: must be true or false, got 1$"),
        ({"title": ""}, r"^title: must be text, got ''$"),
        ({"notes": ("a", " ")}, r"^notes: must be a tuple of strings, got \('a', ' '\)$"),
        ({"notes": "ab"}, r"^notes: must be a tuple of strings, got 'ab'$"),
    ],
)
def test_each_check_refuses_in_its_form(changes: dict[str, Any], message: str) -> None:
    """Each refusal is an IptError in the form it was given, naming the field and the value."""
    with pytest.raises(IptError, match=message):
        Sample(area="grief", **changes)


def test_a_list_becomes_a_tuple() -> None:
    """Lists convert to tuples, so a value stays hashable and frozen."""
    assert Sample(area="grief", notes=["a", "b"]).notes == ("a", "b")


def test_whole_below_low_has_its_own_wording() -> None:
    """``under`` words the refusal of a number below ``low``."""

    @attrs.frozen
    class Scale:
        top: int = attrs.field(
            validator=_checks.whole(
                1, form=_checks.FIELD, under="{field} must be at least {low}, got {value}"
            )
        )

    with pytest.raises(IptError, match=r"^top: must be at least 1, got 0$"):
        Scale(0)
    with pytest.raises(IptError, match=r"^top: must be an integer, got '1'$"):
        Scale("1")  # type: ignore[arg-type]


def test_tuple_of_and_tuple_from() -> None:
    """The validator refuses a tuple with a wrong item; the converter names the item's index."""

    @attrs.frozen
    class Box:
        items: tuple[int, ...] = attrs.field(validator=_checks.tuple_of(int, form=_checks.FIELD))

    with pytest.raises(IptError, match=r"^items: must be a tuple of int, got \(1, 'x'\)$"):
        Box((1, "x"))  # type: ignore[arg-type]
    assert _checks.tuple_from(int, "counts", iter([1, 2])) == (1, 2)
    with pytest.raises(IptError, match=r"^counts: must be a list of int, got 'ab'$"):
        _checks.tuple_from(int, "counts", "ab")
    with pytest.raises(IptError, match=r"^counts\[1\]: must be a int, got None$"):
        _checks.tuple_from(int, "counts", [1, None])
