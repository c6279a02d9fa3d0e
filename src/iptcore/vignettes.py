"""Fictional teaching cases, as case-file documents: the demo case and one vignette per problem area.

Every person, name and date here is invented. Three vignettes follow the shape of published
teaching cases, with fictional details and the published focus:

- ``widow``: a 74-year-old widow whose husband of 45 years died six months before assessment,
  tearful and withdrawn since (after Miller 2005): grief.
- ``perinatal``: a pregnant woman, the pregnancy unplanned and a month before onset, in a
  long-running impasse with her partner (after the Casebook of IPT, perinatal chapter): role
  transition first, role dispute second (a candidate; in the focus with ``max_focus=2``), stage
  impasse.
- ``deficits``: a man with a mother he sees monthly and a coworker, and no deaths, disputes or
  changes, isolated long before the episode (after the Guide, 2018): interpersonal deficits.

``dispute`` and ``transition`` complete the four areas for learners; ``demo`` is the case that
``python -m iptcore demo`` walks through.

>>> from iptcore.vignettes import VIGNETTES, vignette
>>> sorted(VIGNETTES)
['deficits', 'demo', 'dispute', 'perinatal', 'transition', 'widow']
>>> vignette("widow").people[0].role
<Role.SPOUSE: 'spouse'>
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from iptcore._fields import freeze_json, thaw_json
from iptcore.case import Case
from iptcore.errors import IptError

__all__ = ["VIGNETTES", "document", "vignette"]


def _fictional(source: str) -> dict[str, Any]:
    return {"iptcore": {"fictional": True, "after": source}}


def _read_only(docs: dict[str, dict[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    """The documents as read-only JSON objects (lists as tuples), all the way down: a caller that
    writes into ``VIGNETTES["demo"]`` must not change the vignette for every other caller."""
    return MappingProxyType({name: freeze_json(doc) for name, doc in docs.items()})


_DOCS: Mapping[str, Mapping[str, Any]] = _read_only(
    {
        "demo": {
            "format": "iptcore.case/1",
            "id": "demo-maya",
            "assessed": "2026-03-02",
            "onset": "2025-12-01",
            "patient": {"name": "Maya (fictional)", "born": 1991, "pronouns": "she/her"},
            "people": [
                {
                    "id": "jon",
                    "role": "partner",
                    "closeness": 1,
                    "name": "Jon",
                    "contact": "daily",
                    "confidant": False,
                    "knows_about_depression": True,
                    "satisfying": ["cooking together at weekends"],
                    "unsatisfying": ["argues about the move and who does what at home"],
                    "wants_changed": ["to be listened to about the new job"],
                    "dispute": {"since": "2025-09-20", "conflict": "overt"},
                },
                {
                    "id": "rosa",
                    "role": "parent",
                    "closeness": 2,
                    "name": "Rosa",
                    "contact": "weekly",
                    "confidant": True,
                    "knows_about_depression": True,
                },
                {
                    "id": "lena",
                    "role": "friend",
                    "closeness": 2,
                    "name": "Lena",
                    "contact": "rarely",
                    "confidant": True,
                    "knows_about_depression": False,
                    "wants_changed": ["to see her again since moving away"],
                },
                {"id": "tom", "role": "boss", "closeness": 3, "name": "Tom", "contact": "daily"},
                {
                    "id": "sam",
                    "role": "coworker",
                    "closeness": 4,
                    "name": "Sam",
                    "contact": "weekly",
                },
            ],
            "ties": [{"between": ["jon", "rosa"], "kind": "conflict"}],
            "events": [
                {
                    "date": "2025-10-06",
                    "kind": "new_job",
                    "description": "team lead in a new city",
                    "coping": "difficult",
                },
                {
                    "date": "2025-09-27",
                    "kind": "relocation",
                    "description": "moved 300 km for the job",
                    "coping": "difficult",
                },
            ],
            "measures": [
                {"date": "2026-03-02", "instrument": "phq9", "items": [2, 2, 2, 3, 1, 2, 1, 1, 0]},
                {
                    "date": "2026-03-02",
                    "instrument": "hamd17",
                    "items": [3, 2, 0, 2, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0],
                },
            ],
            "extensions": _fictional("a composite teaching case"),
        },
        "widow": {
            "format": "iptcore.case/1",
            "id": "vignette-widow",
            "assessed": "2026-02-10",
            "onset": "2025-09-01",
            "patient": {"name": "Edith (fictional)", "born": 1951, "pronouns": "she/her"},
            "people": [
                {
                    "id": "walter",
                    "role": "spouse",
                    "closeness": 1,
                    "name": "Walter",
                    "contact": "never",
                    "satisfying": ["45 years of marriage", "he handled the finances"],
                },
                {
                    "id": "claire",
                    "role": "child",
                    "closeness": 2,
                    "name": "Claire",
                    "contact": "weekly",
                    "knows_about_depression": True,
                },
                {
                    "id": "june",
                    "role": "friend",
                    "closeness": 3,
                    "name": "June",
                    "contact": "rarely",
                },
            ],
            "events": [{"date": "2025-08-10", "kind": "death", "person": "walter"}],
            "measures": [
                {
                    "date": "2026-02-10",
                    "instrument": "hamd17",
                    "items": [3, 2, 0, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 0, 1, 0],
                }
            ],
            "extensions": _fictional("Miller 2005, late-life grief"),
        },
        "perinatal": {
            "format": "iptcore.case/1",
            "id": "vignette-perinatal",
            "assessed": "2026-04-14",
            "onset": "2026-02-01",
            "patient": {
                "name": "Dana (fictional)",
                "born": 1996,
                "screening": {
                    "suicide_risk": "none",
                    "bipolar": False,
                    "psychotic_features": False,
                },
            },
            "people": [
                {
                    "id": "marc",
                    "role": "partner",
                    "closeness": 1,
                    "name": "Marc",
                    "contact": "daily",
                    "dispute": {"since": "2024-03-01", "stage": "impasse", "conflict": "covert"},
                    "unsatisfying": ["they have stopped talking about money and the future"],
                },
                {
                    "id": "ines",
                    "role": "sibling",
                    "closeness": 2,
                    "name": "Ines",
                    "contact": "weekly",
                },
            ],
            "events": [
                {
                    "date": "2026-01-02",
                    "kind": "pregnancy",
                    "description": "unplanned pregnancy",
                    "coping": "difficult",
                }
            ],
            "extensions": _fictional("Casebook of IPT, perinatal chapter"),
        },
        "deficits": {
            "format": "iptcore.case/1",
            "id": "vignette-deficits",
            "assessed": "2026-05-04",
            "onset": "2025-11-01",
            "patient": {
                "name": "Paul (fictional)",
                "born": 1984,
                "pronouns": "he/him",
                "isolation": "longstanding",
                "screening": {
                    "suicide_risk": "none",
                    "bipolar": False,
                    "psychotic_features": False,
                },
            },
            "people": [
                {"id": "mother", "role": "parent", "closeness": 2, "contact": "monthly"},
                {"id": "colleague", "role": "coworker", "closeness": 3, "contact": "weekly"},
            ],
            "extensions": _fictional("the Guide to IPT, 2018, interpersonal deficits"),
        },
        "dispute": {
            "format": "iptcore.case/1",
            "id": "vignette-dispute",
            "assessed": "2026-01-19",
            "onset": "2025-10-15",
            "patient": {
                "name": "Ravi (fictional)",
                "born": 1978,
                "pronouns": "he/him",
                "screening": {
                    "suicide_risk": "none",
                    "bipolar": False,
                    "psychotic_features": False,
                },
            },
            "people": [
                {
                    "id": "priya",
                    "role": "spouse",
                    "closeness": 1,
                    "contact": "daily",
                    "confidant": True,
                },
                {
                    "id": "anil",
                    "role": "sibling",
                    "closeness": 2,
                    "contact": "weekly",
                    "dispute": {"since": "2025-09-01", "stage": "renegotiation"},
                    "unsatisfying": ["disagree over who cares for their father"],
                },
            ],
            "extensions": _fictional("a composite role-dispute teaching case"),
        },
        "transition": {
            "format": "iptcore.case/1",
            "id": "vignette-transition",
            "assessed": "2026-06-01",
            "onset": "2026-02-15",
            "patient": {
                "name": "Hugo (fictional)",
                "born": 1960,
                "pronouns": "he/him",
                "screening": {
                    "suicide_risk": "none",
                    "bipolar": False,
                    "psychotic_features": False,
                },
            },
            "people": [
                {
                    "id": "ada",
                    "role": "spouse",
                    "closeness": 1,
                    "contact": "daily",
                    "confidant": True,
                },
                {"id": "ben", "role": "friend", "closeness": 2, "contact": "monthly"},
            ],
            "events": [
                {
                    "date": "2026-01-09",
                    "kind": "retirement",
                    "description": "retired after 38 years",
                    "coping": "difficult",
                }
            ],
            "extensions": _fictional("a composite role-transition teaching case"),
        },
    }
)

#: The fictional vignettes by name, as read-only case-file documents (see :func:`document`).
VIGNETTES: Mapping[str, Mapping[str, Any]] = _DOCS


def document(name: str) -> dict[str, Any]:
    """A fresh copy of the case-file document of vignette ``name`` (change it freely).

    Raises:
        IptError: if there is no such vignette.
    """
    if name not in _DOCS:
        raise IptError(f"no vignette {name!r}; the vignettes are: {', '.join(sorted(_DOCS))}")
    doc: dict[str, Any] = thaw_json(_DOCS[name])
    return doc


def vignette(name: str) -> Case:
    """The fictional vignette ``name`` as a :class:`~iptcore.Case`.

    >>> vignette("demo").patient.name
    'Maya (fictional)'
    """
    from iptcore.caseio import load_case

    return load_case(document(name))
