"""The one family of iptcore's errors.

Every error the library raises on purpose derives from :class:`IptError`:

- :class:`CaseError` (also a :class:`ValueError`) for a document or data that breaks its format: a
  case, plan or course file, or a case model value built in Python. It lists *every* problem found,
  each with the JSON path of the field at fault, the way cattrs collects every structuring error
  instead of stopping at the first;
- :class:`ProtocolError` for a step that the IPT protocol does not allow (an illegal step of a course);
- :class:`IptError` itself for anything else refused in a Python call: an argument of the wrong type
  or value (``dump_case(3)``), a value that a frozen value's field does not take, or a size past a
  documented limit (:mod:`iptcore.limits`; a size is no step the protocol forbids).

Every message has one form, the form of a :class:`Problem`: ``path: message``
(``closeness: must be a whole number, got True``), so that a file reader places a value's refusal
at its JSON path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = ["CaseError", "IptError", "Problem", "ProtocolError"]

# A message's path: names and indices joined by dots (``steps[2].plan.sessions[0].date``).
_LOCATED = re.compile(r"([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): (.*)", re.S)


class IptError(Exception):
    """Base of every error that iptcore raises on purpose."""


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in a case: where it is and what is wrong.

    ``path`` is a JSON path such as ``people[2].closeness``; ``""`` stands for the document as a whole.

    >>> str(Problem(path="people[2].closeness", message="must be 1, 2, 3 or 4"))
    'people[2].closeness: must be 1, 2, 3 or 4'
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def to_dict(self) -> dict[str, str]:
        """``{"path": ..., "message": ...}``, JSON-ready (for an API's error response).

        >>> Problem(path="onset", message="is after assessed").to_dict()
        {'path': 'onset', 'message': 'is after assessed'}
        """
        return {"path": self.path, "message": self.message}

    @classmethod
    def of_message(cls, message: str) -> Problem:
        """The problem that a message of the one form states: ``"path: what is wrong"`` at its
        path (a value's refusal names its field so), or the whole message at ``""`` when it names
        no path.

        >>> Problem.of_message("sessions[1].date: is not after session 0")
        Problem(path='sessions[1].date', message='is not after session 0')
        >>> Problem.of_message("the sessions would run past 9999-12-31").path
        ''
        """
        match = _LOCATED.fullmatch(message)
        if match is None:
            return cls(path="", message=message)
        return cls(path=match.group(1), message=match.group(2))

    def within(self, prefix: str) -> Problem:
        """The same problem seen from a containing object whose field is ``prefix``.

        >>> Problem(path="closeness", message="m").within("people[2]").path
        'people[2].closeness'
        """
        if not prefix:
            return self
        if not self.path:
            return Problem(path=prefix, message=self.message)
        sep = "" if self.path.startswith("[") else "."
        return Problem(path=f"{prefix}{sep}{self.path}", message=self.message)


class CaseError(IptError, ValueError):
    """A case that breaks the case format, with every problem found.

    >>> err = CaseError([Problem(path="onset", message="is after assessed")])
    >>> [str(p) for p in err.problems]
    ['onset: is after assessed']
    >>> isinstance(err, ValueError)
    True
    """

    problems: tuple[Problem, ...]
    #: What was invalid, for the message: ``"case"``, or e.g. ``"plan file"`` for other files that
    #: follow the case file's style.
    subject: str

    def __init__(self, problems: Iterable[Problem], *, subject: str = "case") -> None:
        self.problems = tuple(problems)
        self.subject = subject
        if not self.problems:
            raise ValueError("CaseError needs at least one problem")  # a bug in iptcore, not input
        count = len(self.problems)
        head = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {count - 5} more)" if count > 5 else ""
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"invalid {subject}, {count} {noun}: {head}{more}")

    def to_dict(self) -> dict[str, Any]:
        """``{"error": <the message>, "problems": [<each problem's to_dict()>]}``, JSON-ready: every
        problem, where the message lists only the first five.

        >>> CaseError([Problem(path="onset", message="is after assessed")]).to_dict()
        {'error': 'invalid case, 1 problem: onset: is after assessed', 'problems': [{'path': 'onset', 'message': 'is after assessed'}]}
        """
        return {"error": str(self), "problems": [p.to_dict() for p in self.problems]}

    def __reduce__(self) -> tuple[Any, ...]:
        # So that the error crosses process boundaries (process pools) intact.
        return (_rebuild_case_error, (type(self), self.problems, self.subject))


def _rebuild_case_error(
    cls: type[CaseError], problems: tuple[Problem, ...], subject: str
) -> CaseError:
    return cls(problems, subject=subject)


class ProtocolError(IptError):
    """A step that the IPT protocol does not allow; the object it was tried on is left unchanged."""
