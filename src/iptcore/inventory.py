"""The interpersonal inventory as a read-only networkx graph, with the queries clinicians ask of it.

The inventory is "a careful review of the patient's past and current social functioning and close
relationships" [COMP]: for each important person, the role, closeness, how often they are in touch,
what is satisfying and unsatisfying, whether they argue, whether the person knows the patient is
depressed [MUFSON2004; DIETZ2015]. The closeness circle puts the patient at the centre and
each person on one of four rings, ring 1 the innermost ([MUFSON2004; DIETZ2015]; the case format).

:class:`Inventory` reads all of this from a :class:`~iptcore.Case` (``case.inventory``) and offers it
two ways: small queries (:meth:`~Inventory.ring`, :meth:`~Inventory.confidants`,
:meth:`~Inventory.in_dispute`, ...), and :attr:`Inventory.graph`, a plain :class:`networkx.Graph`
that callers may read and run any networkx algorithm on, but not change.

The graph
    - one node :data:`PATIENT` for the patient, and one node per person, keyed by the person's id;
    - an edge between the patient and every person, carrying the relationship;
    - an edge between two people for each tie of the case (``close`` and/or ``conflict``).

    Every node and edge has a ``kind`` attribute (``"patient"``/``"person"``,
    ``"relationship"``/``"tie"``); the other attributes are listed in :meth:`Inventory.from_case`.
    Attributes whose value the case leaves out are absent (networkx's convention), so that
    ``nx.get_node_attributes(g, "contact")`` lists only the people whose contact is known.

This module and :mod:`iptcore.draw.case` are the only ones that import networkx.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Final, NoReturn

import attrs
import networkx as nx

from iptcore import _checks
from iptcore.case import Case, Contact, EventKind, Person, TieKind
from iptcore.errors import IptError
from iptcore.rules import DEFAULT_RULES, RuleSet, in_touch

if TYPE_CHECKING:
    from iptcore.case import Dispute

__all__ = ["PATIENT", "RINGS", "Inventory"]

#: The node key of the patient in :attr:`Inventory.graph`.
#:
#: Person ids are 1-64 ASCII letters, digits, ``.``, ``_`` and ``-`` (the case format), so a person
#: may well be called ``"patient"``; ``"@patient"`` holds a character that no id may hold and can never
#: be mistaken for a person. It is a plain string, so the graph still writes to any networkx format.
PATIENT: Final = "@patient"

#: The rings of the closeness circle, innermost first ([MUFSON2004; DIETZ2015]; the case format).
RINGS: Final = (1, 2, 3, 4)

# Contact's members run from the most to the least frequent.
_CONTACT_ORDER: Final = tuple(Contact)

_READ_ONLY = (
    "the inventory graph is read-only: it is shared by every user of the case. "
    "Change a copy (g = inventory.graph.copy()), or change the case with attrs.evolve"
)

# The Graph methods that networkx.freeze replaces (networkx/classes/function.py, freeze).
_GRAPH_CHANGES: Final = (
    "add_node",
    "add_nodes_from",
    "remove_node",
    "remove_nodes_from",
    "add_edge",
    "add_edges_from",
    "add_weighted_edges_from",
    "remove_edge",
    "remove_edges_from",
    "clear",
    "clear_edges",
)


def _refuse(*args: object, **kwargs: object) -> NoReturn:
    raise IptError(_READ_ONLY)


class _Attrs(dict[str, Any]):
    """A node, edge or graph attribute dict that refuses changes.

    :func:`networkx.freeze` stops changes to a graph's nodes and edges but not to their data; this
    closes that gap. Copies (``dict(d)``, ``d.copy()``, :func:`copy.copy`, :func:`copy.deepcopy`)
    are plain dicts, so ``graph.copy()``, ``nx.Graph(graph)`` and ``graph.to_directed()`` give a
    graph that the caller may change; a pickled graph stays as read-only as it was.
    """

    __slots__ = ()

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    update = _refuse
    pop = _refuse
    popitem = _refuse
    clear = _refuse
    setdefault = _refuse

    def __reduce_ex__(self, protocol: Any) -> tuple[type[_Attrs], tuple[dict[str, Any]]]:
        # dict.__init__ fills the new dict without calling the refusing methods above.
        return (_Attrs, (dict(self),))

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)


def _present(**values: Any) -> dict[str, Any]:
    """The keyword arguments whose value is given (not ``None``)."""
    return {k: v for k, v in values.items() if v is not None}


def _freeze(graph: nx.Graph) -> nx.Graph:
    """``graph``, frozen: no node, edge or attribute of it can change any more."""
    for node in graph:
        graph._node[node] = _Attrs(graph._node[node])
    for u, v in graph.edges():
        data = _Attrs(graph._adj[u][v])
        graph._adj[u][v] = data  # one dict for both directions, as networkx keeps it
        graph._adj[v][u] = data
    graph.graph = _Attrs(graph.graph)
    nx.freeze(graph)
    # One error for every attempt, structure and data alike, from iptcore's family.
    for name in _GRAPH_CHANGES:
        setattr(graph, name, _refuse)
    return graph


def _label(person: Person) -> str:
    return f"{person.name} [{person.id}]" if person.name else person.id


def _is_open(dispute: Dispute | None) -> bool:
    """A dispute is open when it has not ended (the case format: ``ended`` is optional)."""
    return dispute is not None and dispute.ended is None


@attrs.frozen(kw_only=True)
class Inventory:
    """The interpersonal inventory of a case: the people around the patient, as a graph.

    Build it with ``case.inventory`` (cached on the case) or :meth:`from_case`. It is immutable:
    to change the inventory, change the case with :func:`attrs.evolve` and read its inventory again.

    >>> from datetime import date
    >>> from iptcore import Case, Person, Dispute
    >>> case = Case(id="demo-inv", assessed=date(2026, 3, 2), onset=date(2025, 12, 1), people=(
    ...     Person(id="ana", name="Ana", role="partner", closeness=1, contact="daily",
    ...            dispute=Dispute(since=date(2025, 9, 1), stage="impasse")),
    ...     Person(id="ben", role="friend", closeness=2, contact="weekly", confidant=True),
    ... ))  # fictional
    >>> inventory = case.inventory
    >>> [p.id for p in inventory.ring(1)]
    ['ana']
    >>> inventory.graph.edges[PATIENT, "ana"]["conflict"]
    True
    >>> sorted(inventory.graph.nodes["ben"].items())[:3]
    [('closeness', 2), ('confidant', True), ('contact', <Contact.WEEKLY: 'weekly'>)]
    """

    case: Case = attrs.field(repr=lambda c: repr(c.id))
    graph: nx.Graph = attrs.field(init=False, eq=False, hash=False, repr=False)
    _deaths: dict[str, date] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __copy__(self) -> Inventory:
        return self  # immutable: a copy is the same value

    def __deepcopy__(self, memo: dict[int, Any]) -> Inventory:
        return self

    def __attrs_post_init__(self) -> None:
        _checks.argument("case", self.case, Case)
        deaths: dict[str, date] = {}
        for event in self.case.events:
            if event.kind is not EventKind.DEATH or event.person is None:
                continue
            # Two deaths of one person would be a mistake in the case; the first one counts.
            if event.person not in deaths or event.date < deaths[event.person]:
                deaths[event.person] = event.date
        object.__setattr__(self, "_deaths", deaths)
        object.__setattr__(self, "graph", _freeze(self._build()))

    @classmethod
    def from_case(cls, case: Case) -> Inventory:
        """The inventory of ``case`` (what ``case.inventory`` returns).

        Node attributes: the patient node :data:`PATIENT` has ``kind="patient"`` and the patient's
        ``name``, ``born`` and ``pronouns``; a person node has ``kind="person"``, ``role``,
        ``closeness``, ``name``, ``contact``, ``confidant``, ``knows_about_depression`` (the case's
        values, enums included), ``deceased`` (a ``death`` event names them) and ``died`` (its date).

        Edge attributes: patient to person, ``kind="relationship"``, ``closeness``, ``contact``,
        ``dispute`` (the :class:`~iptcore.Dispute`), ``conflict`` (``True`` while the dispute is open,
        that is not ended) and the inventory notes ``satisfying``, ``unsatisfying``,
        ``wants_changed`` when there are any. Person to person, ``kind="tie"``, ``close`` and
        ``conflict`` (booleans: a pair may be both).

        The graph's own attributes are ``case`` (the case id) and ``assessed``.

        Raises:
            IptError: ``case`` is not a :class:`~iptcore.Case`.
        """
        return cls(case=case)

    def _build(self) -> nx.Graph:
        case = self.case
        graph = nx.Graph(case=case.id, assessed=case.assessed)
        patient = case.patient
        graph.add_node(
            PATIENT,
            kind="patient",
            **(
                _present(name=patient.name, born=patient.born, pronouns=patient.pronouns)
                if patient is not None
                else {}
            ),
        )
        for person in case.people:
            died = self._deaths.get(person.id)
            graph.add_node(
                person.id,
                kind="person",
                role=person.role,
                closeness=person.closeness,
                deceased=died is not None,
                **_present(
                    name=person.name,
                    contact=person.contact,
                    confidant=person.confidant,
                    knows_about_depression=person.knows_about_depression,
                    died=died,
                ),
            )
            notes = {
                key: value
                for key, value in (
                    ("satisfying", person.satisfying),
                    ("unsatisfying", person.unsatisfying),
                    ("wants_changed", person.wants_changed),
                )
                if value
            }
            graph.add_edge(
                PATIENT,
                person.id,
                kind="relationship",
                closeness=person.closeness,
                conflict=_is_open(person.dispute),
                **_present(contact=person.contact, dispute=person.dispute),
                **notes,
            )
        for tie in case.ties:
            a, b = tie.between
            data = graph.get_edge_data(a, b) or {"kind": "tie", "close": False, "conflict": False}
            data[tie.kind.value] = True
            graph.add_edge(a, b, **data)
        return graph

    # -- the people --------------------------------------------------------------------------------
    @property
    def people(self) -> tuple[Person, ...]:
        """Everyone in the inventory, in the case's order."""
        return self.case.people

    def __len__(self) -> int:
        return len(self.case.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.case.people)

    def __contains__(self, person_id: object) -> bool:
        return isinstance(person_id, str) and person_id in self.graph and person_id != PATIENT

    def get(self, person_id: str, default: Person | None = None) -> Person | None:
        """The person with id ``person_id``, or ``default`` when there is none.

        >>> from datetime import date
        >>> from iptcore import Case, Person
        >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
        ...             people=(Person(id="mum", role="parent", closeness=2),))  # fictional
        >>> case.inventory.get("mum").role
        <Role.PARENT: 'parent'>
        >>> case.inventory.get("dad") is None
        True
        """
        try:
            return self.case.person(person_id)  # an index built once per case
        except KeyError:
            return default

    def ring(self, n: int) -> tuple[Person, ...]:
        """The people on ring ``n`` of the closeness circle (1 = innermost, 4 = outermost).

        Raises:
            IptError: ``n`` is not 1, 2, 3 or 4.

        >>> from datetime import date
        >>> from iptcore import Case
        >>> Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3)).inventory.ring(5)
        Traceback (most recent call last):
        ...
        iptcore.errors.IptError: ring: must be 1, 2, 3 or 4 (1 = innermost), got 5
        """
        if isinstance(n, bool) or not isinstance(n, int) or n not in RINGS:
            raise _checks.refusal("ring", "1, 2, 3 or 4 (1 = innermost)", n)
        return tuple(p for p in self.case.people if p.closeness == n)

    def confidants(self) -> tuple[Person, ...]:
        """The people the patient can talk to about what matters (``confidant`` is true)."""
        return tuple(p for p in self.case.people if p.confidant is True)

    def in_dispute(self) -> tuple[Person, ...]:
        """The people in an open dispute with the patient (a ``dispute`` that has not ``ended``)."""
        return tuple(p for p in self.case.people if _is_open(p.dispute))

    def lost(self) -> tuple[Person, ...]:
        """The people who died: those a ``death`` event of the timeline names."""
        return tuple(p for p in self.case.people if p.id in self._deaths)

    def died(self, person_id: str) -> date | None:
        """The date of the ``death`` event naming ``person_id``, or ``None``."""
        return self._deaths.get(person_id)

    def in_touch(self, at_least: Contact | str = Contact.MONTHLY) -> tuple[Person, ...]:
        """The living people in touch with the patient at least as often as ``at_least``.

        The default, ``monthly``, counts ``daily``, ``weekly`` and ``monthly`` contact, as the
        interpersonal deficits rule does. A person whose death is recorded is never in touch, and
        people whose contact is not recorded are not counted (:func:`iptcore.rules.in_touch`, the
        one helper the rules read too).

        Raises:
            IptError: ``at_least`` is not a contact frequency.
        """
        if not isinstance(at_least, str) or at_least not in Contact._value2member_map_:
            choices = ", ".join(c.value for c in Contact)
            raise _checks.refusal("at_least", f"one of {choices}", at_least)
        allowed = frozenset(_CONTACT_ORDER[: _CONTACT_ORDER.index(Contact(at_least)) + 1])
        return in_touch(self.case, allowed, dead=frozenset(self._deaths))

    # -- summaries -----------------------------------------------------------------------------------
    def summary(self, rules: RuleSet = DEFAULT_RULES) -> dict[str, Any]:
        """The support network in numbers (JSON-ready), read with the settings of ``rules``.

        Keys: ``people``; ``rings`` (``{"1": n, ..., "4": n}``); ``inner`` (people on the rule
        set's close rings, 1-2 by default); ``inner_in_dispute`` and ``inner_dispute_share`` (the
        share of the inner rings in an open dispute with the patient, ``None`` when the inner rings
        are empty); ``inner_in_touch`` (living inner-ring people in touch as the rule set counts
        it, the count the interpersonal deficits rule reads); ``confidants``; ``in_touch``
        (living people in touch as the rule set counts it); ``in_dispute``; ``lost``; ``ties``
        (``{"close": n, "conflict": n}``).

        Raises:
            IptError: when ``rules`` is not a :class:`~iptcore.RuleSet`.

        >>> from datetime import date
        >>> from iptcore import Case, Person
        >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
        ...             people=(Person(id="mum", role="parent", closeness=2, contact="weekly"),))
        >>> s = case.inventory.summary()  # fictional
        >>> s["rings"], s["inner_in_touch"], s["inner_dispute_share"]
        ({'1': 0, '2': 1, '3': 0, '4': 0}, 1, 0.0)
        """
        _checks.argument("rules", rules, RuleSet)
        people = self.case.people
        inner = [p for p in people if p.closeness in rules.close_rings]
        inner_disputes = sum(1 for p in inner if _is_open(p.dispute))
        touching = {
            p.id
            for p in in_touch(self.case, rules.attachment_contacts, dead=frozenset(self._deaths))
        }
        return {
            "people": len(people),
            "rings": {str(n): sum(1 for p in people if p.closeness == n) for n in RINGS},
            "inner": len(inner),
            "inner_in_dispute": inner_disputes,
            "inner_dispute_share": inner_disputes / len(inner) if inner else None,
            "inner_in_touch": sum(1 for p in inner if p.id in touching),
            "confidants": len(self.confidants()),
            "in_touch": len(touching),
            "in_dispute": len(self.in_dispute()),
            "lost": len(self._deaths),
            "ties": {
                kind.value: sum(1 for t in self.case.ties if t.kind is kind) for kind in TieKind
            },
        }

    def facts(self, person: Person) -> tuple[str, ...]:
        """What the closeness circle says of ``person``, in words (as :meth:`describe` shows it).

        >>> from datetime import date
        >>> from iptcore import Case, Person
        >>> mum = Person(id="mum", role="parent", closeness=2, contact="weekly", confidant=True)
        >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
        ...             people=(mum,))  # fictional
        >>> case.inventory.facts(mum)
        ('parent', 'in touch weekly', 'confidant')
        """
        facts = [person.role.value.replace("_", " ")]
        if person.contact is not None:
            facts.append(f"in touch {person.contact.value}")
        if person.confidant:
            facts.append("confidant")
        if person.dispute is not None:
            stage = person.dispute.stage.value if person.dispute.stage else "stage not assessed"
            state = f"ended {person.dispute.ended}" if person.dispute.ended else "open"
            facts.append(f"dispute since {person.dispute.since} ({stage}, {state})")
        died = self._deaths.get(person.id)
        if died is not None:
            facts.append(f"died {died}")
        return tuple(facts)

    def describe(self) -> str:
        """The inventory as text: the closeness circle ring by ring, the ties, the support summary.

        >>> from datetime import date
        >>> from iptcore import Case, Person
        >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
        ...             people=(Person(id="mum", name="Mary", role="parent", closeness=2),))
        >>> print(case.inventory.describe())  # fictional
        Interpersonal inventory of case demo: 1 person, 0 ties
        Ring 1 (innermost): (empty)
        Ring 2: Mary [mum]: parent
        Ring 3: (empty)
        Ring 4 (outermost): (empty)
        Support: 1 on rings 1-2 (0 in touch, 0 in open dispute: 0%); 0 confidants; 0 lost
        """
        people, ties = self.case.people, self.case.ties
        head = (
            f"Interpersonal inventory of case {self.case.id}: "
            f"{len(people)} {'person' if len(people) == 1 else 'people'}, "
            f"{len(ties)} {'tie' if len(ties) == 1 else 'ties'}"
        )
        lines = [head]
        where = {1: " (innermost)", 4: " (outermost)"}
        for n in RINGS:
            on_ring = self.ring(n)
            title = f"Ring {n}{where.get(n, '')}:"
            if not on_ring:
                lines.append(f"{title} (empty)")
            elif len(on_ring) == 1:
                lines.append(f"{title} {_label(on_ring[0])}: {', '.join(self.facts(on_ring[0]))}")
            else:
                lines.append(title)
                lines.extend(f"  - {_label(p)}: {', '.join(self.facts(p))}" for p in on_ring)
        for tie in ties:
            a, b = (self.get(pid) for pid in tie.between)
            if a is not None and b is not None:
                lines.append(f"Tie: {_label(a)} and {_label(b)}: {tie.kind.value}")
        s = self.summary()
        share = s["inner_dispute_share"]
        lines.append(
            f"Support: {s['inner']} on rings 1-2 ({s['inner_in_touch']} in touch, "
            f"{s['inner_in_dispute']} in open dispute: {share or 0:.0%}); "
            f"{s['confidants']} confidant{'' if s['confidants'] == 1 else 's'}; {s['lost']} lost"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The inventory as JSON-ready data: the people with their derived facts, ties, summary.

        >>> from datetime import date
        >>> from iptcore import Case, Person
        >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
        ...             people=(Person(id="mum", role="parent", closeness=2),))
        >>> case.inventory.to_dict()["people"]  # fictional
        [{'id': 'mum', 'role': 'parent', 'closeness': 2, 'in_dispute': False, 'deceased': False}]
        """
        people = []
        for p in self.case.people:
            entry: dict[str, Any] = {"id": p.id, "role": p.role.value, "closeness": p.closeness}
            entry.update(
                _present(
                    name=p.name,
                    contact=p.contact.value if p.contact else None,
                    confidant=p.confidant,
                    knows_about_depression=p.knows_about_depression,
                )
            )
            entry["in_dispute"] = _is_open(p.dispute)
            if p.dispute is not None:
                d = p.dispute
                entry["dispute"] = _present(
                    since=d.since.isoformat(),
                    ended=d.ended.isoformat() if d.ended else None,
                    stage=d.stage.value if d.stage else None,
                    expectations=d.effective_expectations.value,
                    conflict=d.effective_conflict.value,
                )
            died = self._deaths.get(p.id)
            entry["deceased"] = died is not None
            if died is not None:
                entry["died"] = died.isoformat()
            people.append(entry)
        return {
            "case_id": self.case.id,
            "people": people,
            "ties": [{"between": list(t.between), "kind": t.kind.value} for t in self.case.ties],
            "summary": self.summary(),
        }
