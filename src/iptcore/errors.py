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

**Messages and logs.** A message says what was wrong with the value it quotes (``no person
'mary.smith'``, ``is 2026-04-01, after assessed (2026-03-02)``), which is what the person who
filled in the form needs, and what a log must not keep: the input is a case of mental-health
care. So every problem also has a redacted form, :meth:`Problem.redacted` and
:meth:`CaseError.redacted`: the path and the rule broken, with nothing from the input in it (no
value, no key the input made up, no count of its own). Each message is written with its value
part apart (``redacted_message``), not scrubbed afterwards. Log the redacted form; show the full
one to the user who sent the input.

>>> err = CaseError([Problem(path="events[0].person", message="names nobody: no person 'mary.smith'",
...                          redacted_message="names nobody: no person of that id")])
>>> str(err.redacted())
'invalid case, 1 problem: events[0].person: names nobody: no person of that id'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = ["HIDDEN_KEY", "CaseError", "IptError", "Problem", "ProtocolError"]

#: What a redacted path shows for a key that came from the input itself (an unknown key, a goal
#: id): ``people[0][?]`` for the path ``people[0].mary``.
HIDDEN_KEY = "[?]"

# A message's path: names and indices joined by dots (``steps[2].plan.sessions[0].date``).
_LOCATED = re.compile(r"([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): (.*)", re.S)


class IptError(Exception):
    """Base of every error that iptcore raises on purpose.

    ``redacted_message`` is the message with nothing from the input in it, where the code that
    raised the error gave one, else ``None`` (see the module docstring).
    """

    redacted_message: str | None = None

    def __init__(self, *args: object, redacted_message: str | None = None) -> None:
        super().__init__(*args)
        if redacted_message is not None:
            self.redacted_message = redacted_message


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in a case: where it is and what is wrong.

    ``path`` is a JSON path such as ``people[2].closeness``; ``""`` stands for the document as a whole.

    ``redacted_path`` and ``redacted_message`` are the path and the message with nothing from the
    input in them, given where they differ (``None``: the same): a path that holds a key of the
    input's own shows it as :data:`HIDDEN_KEY`, a message that quotes a value says the rule
    alone. They take no part in equality; :meth:`redacted` is the problem they make.

    >>> str(Problem(path="people[2].closeness", message="must be 1, 2, 3 or 4"))
    'people[2].closeness: must be 1, 2, 3 or 4'
    """

    path: str
    message: str
    redacted_path: str | None = attrs.field(default=None, eq=False, repr=False)
    redacted_message: str | None = attrs.field(default=None, eq=False, repr=False)

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

    def redacted(self) -> Problem:
        """The problem with nothing from the input: the path, with the input's own keys hidden,
        and the rule broken. What a log may keep.

        >>> Problem(path="onset", message="is 2026-04-01, after assessed (2026-03-02)",
        ...         redacted_message="is after assessed").redacted()
        Problem(path='onset', message='is after assessed')
        """
        return Problem(
            path=self.path if self.redacted_path is None else self.redacted_path,
            message=self.message if self.redacted_message is None else self.redacted_message,
        )

    def within(self, prefix: str) -> Problem:
        """The same problem seen from a containing object whose field is ``prefix``.

        >>> Problem(path="closeness", message="m").within("people[2]").path
        'people[2].closeness'
        """
        if not prefix:
            return self
        hidden = self.redacted_path
        return Problem(
            path=_join(prefix, self.path),
            message=self.message,
            redacted_path=None if hidden is None else _join(prefix, hidden),
            redacted_message=self.redacted_message,
        )


def _join(prefix: str, path: str) -> str:
    if not path:
        return prefix
    sep = "" if path.startswith("[") else "."
    return f"{prefix}{sep}{path}"


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

    def redacted(self) -> CaseError:
        """The same error with every problem :meth:`Problem.redacted`: the paths and the rules
        broken, nothing from the input. Log ``str(err.redacted())`` (or its :meth:`to_dict`).

        >>> err = CaseError([Problem(path="onset", message="is 2026-04-01, after assessed (2026-03-02)",
        ...                          redacted_message="is after assessed")])
        >>> str(err.redacted())
        'invalid case, 1 problem: onset: is after assessed'
        """
        return CaseError([p.redacted() for p in self.problems], subject=self.subject)

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
