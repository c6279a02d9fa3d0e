"""The interpersonal inventory in the formats of personal-network research: egor tables and GraphML.

An IPT inventory is an ego-centred (personal) network: the patient is the ego, the people of the
inventory are the alters, the ties of the case are the alter-alter ties. This module writes it, and
reads it back, in two forms that network researchers use:

- **egor tables**, the layout of the R package egor (Krenz et al.) [EGOR]: one table of egos, one
  of alters and one of alter-alter ties, joined by an ego id. The column names are egor's defaults
  (``egoID``, ``alterID``, ``Source``, ``Target``), so ``egor::egor(alters, egos, aaties)`` reads
  the files as they are. As CSV files (:func:`to_egor_csv`, :func:`from_egor_csv`) or pandas
  DataFrames (:func:`to_egor_frames`, :func:`from_egor_frames`, with the ``dataframe`` extra).
- **GraphML** through networkx (:func:`to_graph`, :func:`from_graph`, :func:`to_graphml`,
  :func:`from_graphml`), for Gephi, igraph, Cytoscape and networkx itself.

Reading back gives one :class:`EgoNetwork` per ego: the patient, the people and the ties, in the
order they had. :meth:`EgoNetwork.apply` puts them into a case (the case keeps its other fields);
:meth:`EgoNetwork.of` takes them from one. Every field of :class:`~iptcore.Patient`,
:class:`~iptcore.PatientScreening`, :class:`~iptcore.Person`, :class:`~iptcore.Dispute` and
:class:`~iptcore.Tie` survives the round trip. The life events are not part of the network and
are not in the tables (nor, then, their ``coping``): :meth:`EgoNetwork.apply` leaves a case's events
as they were.

The columns (and the GraphML attributes)
    egos: ``egoID`` (the case id), ``patient`` (whether the case has a patient record: an empty
    record and none differ), ``name``, ``born``, ``pronouns``, ``isolation``, ``screening``
    (whether the record has a screening: an empty screening and none differ; empty when there is
    no patient record), and the screening's fields ``screening_bipolar``,
    ``screening_psychotic_features``, ``screening_substance_dependence``,
    ``screening_cognitive_impairment``, ``screening_suicide_risk``.

    alters: ``egoID``, ``alterID`` (the person id), ``role``, ``closeness``, ``name``,
    ``contact``, ``confidant``, ``knows_about_depression``, ``satisfying``, ``unsatisfying``,
    ``wants_changed``, and the dispute's fields ``dispute_since``, ``dispute_expectations``,
    ``dispute_conflict``, ``dispute_stage``, ``dispute_ended`` (a person has a dispute when
    ``dispute_since`` is given).

    aaties: ``egoID``, ``Source``, ``Target`` (the two person ids of ``between``, in order),
    ``kind`` (``close`` or ``conflict``), one row per tie of the case, in order.

The flattening rules
    - an absent value (``None``) is an empty cell, or an absent attribute in GraphML;
    - a nested record (a person's dispute, the patient's screening) is one column per field,
      named ``<record>_<field>``;
    - words (role, contact, stages, ...) are their case-format words; dates ISO ``YYYY-MM-DD``;
      whole numbers plain; booleans ``TRUE``/``FALSE`` in CSV (R's spelling), ``bool`` in
      DataFrames and GraphML;
    - a list of texts (``satisfying``, ``unsatisfying``, ``wants_changed``) is one cell holding a
      JSON array of strings, ASCII-escaped (``["walks together", "humour"]``; ``[]`` when empty),
      which R reads with ``jsonlite::fromJSON``: networkx refuses list attributes, and one cell per
      list keeps every table rectangular;
    - CSV: UTF-8, a header row, every text quoted and nothing else, so that an empty text (``""``)
      and an absent one (an empty, unquoted cell) stay apart.

The GraphML graph
    One node ``@patient`` (:data:`iptcore.inventory.PATIENT`) with ``kind="patient"`` and the ego
    columns but ``egoID``; one node per person (the person id) with ``kind="person"`` and the alter
    columns but the ids; an edge from the patient to each person (``kind="relationship"``); an
    edge for each pair of people with ties (``kind="tie"``, booleans ``close`` and ``conflict``,
    and ``ties``, a JSON array of ``[index, Source, Target, kind]``, one per tie of the case on
    that pair, so that order, direction and repeats come back). The graph's ``egoID`` attribute is
    the case id. GraphML is XML 1.0, which cannot carry most control characters nor a carriage
    return in a text: a name holding one is refused with an :class:`~iptcore.IptError` (the lists
    are escaped JSON and always fit).

Bad tables raise :class:`~iptcore.CaseError` listing every problem at once, each at a path
``table[row].column`` (``alters.csv[2].closeness``, rows counted from 0 after the header).

>>> from iptcore.vignettes import vignette
>>> case = vignette("demo")                                           # fictional
>>> egos, alters, aaties = egor_rows([case])
>>> alters[0]["alterID"], alters[0]["role"], alters[0]["dispute_stage"]
('jon', 'partner', None)
>>> (back,) = from_egor_rows(egos, alters, aaties)
>>> back.apply(case) == case
True
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from iptcore import _checks
from iptcore.errors import CaseError, IptError, Problem

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from iptcore.case import Case, Dispute, Patient, Person, Tie

__all__ = [
    "AATIE_COLUMNS",
    "ALTER_COLUMNS",
    "EGO_COLUMNS",
    "EgoNetwork",
    "egor_rows",
    "from_egor_csv",
    "from_egor_frames",
    "from_egor_rows",
    "from_graph",
    "from_graphml",
    "to_egor_csv",
    "to_egor_frames",
    "to_graph",
    "to_graphml",
]

# Column -> kind of cell: text, int, bool, texts (a JSON array), date, or word (an enum's word).
_SCREENING: Final = (
    ("screening_bipolar", "bool"),
    ("screening_psychotic_features", "bool"),
    ("screening_substance_dependence", "bool"),
    ("screening_cognitive_impairment", "bool"),
    ("screening_suicide_risk", "word"),
)
_EGO: Final = (
    ("egoID", "text"),
    ("patient", "bool"),
    ("name", "text"),
    ("born", "int"),
    ("pronouns", "text"),
    ("isolation", "word"),
    ("screening", "bool"),
    *_SCREENING,
)
_DISPUTE: Final = (
    ("dispute_since", "date"),
    ("dispute_expectations", "word"),
    ("dispute_conflict", "word"),
    ("dispute_stage", "word"),
    ("dispute_ended", "date"),
)
_ALTER: Final = (
    ("egoID", "text"),
    ("alterID", "text"),
    ("role", "word"),
    ("closeness", "int"),
    ("name", "text"),
    ("contact", "word"),
    ("confidant", "bool"),
    ("knows_about_depression", "bool"),
    ("satisfying", "texts"),
    ("unsatisfying", "texts"),
    ("wants_changed", "texts"),
    *_DISPUTE,
)
_AATIE: Final = (("egoID", "text"), ("Source", "text"), ("Target", "text"), ("kind", "word"))

_PATIENT_OWN: Final = ("name", "born", "pronouns", "isolation")  # the ego columns a Patient takes

#: The columns of the ego table, in order.
EGO_COLUMNS: Final = tuple(name for name, _ in _EGO)
#: The columns of the alter table, in order.
ALTER_COLUMNS: Final = tuple(name for name, _ in _ALTER)
#: The columns of the alter-alter tie table, in order.
AATIE_COLUMNS: Final = tuple(name for name, _ in _AATIE)

_FILES: Final = ("egos.csv", "alters.csv", "aaties.csv")
_PATIENT_NODE: Final = "@patient"  # iptcore.inventory.PATIENT: no person id can hold "@"
# What XML 1.0 cannot carry in text content (and the carriage return, which parsers normalise).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b-\x0c\x0d\x0e-\x1f\ufffe\uffff]")


@attrs.frozen(kw_only=True)
class EgoNetwork:
    """One ego's network as the tables hold it: the patient, the people and the ties of a case.

    ``ego`` is the case id. Put it into a case with :meth:`apply`; take it from one with
    :meth:`of`.
    """

    ego: str
    patient: Patient | None = None
    people: tuple[Person, ...] = ()
    ties: tuple[Tie, ...] = ()

    @classmethod
    def of(cls, case: Case) -> EgoNetwork:
        """The network of ``case``."""
        return cls(ego=case.id, patient=case.patient, people=case.people, ties=case.ties)

    def apply(self, case: Case) -> Case:
        """``case`` with this network's patient, people and ties (checked again as a case).

        Raises:
            CaseError: when the result breaks a rule of the case (an event naming a person who is
                no longer there, for instance).
        """
        result: Case = attrs.evolve(case, patient=self.patient, people=self.people, ties=self.ties)
        return result


# --------------------------------------------------------------------------------------------
# Rows: the one flat form that the CSV files, the DataFrames and the GraphML attributes share
# --------------------------------------------------------------------------------------------


def _texts(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=True)


def _word(value: Any) -> str | None:
    return None if value is None else str(value.value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _ego_row(case: Case) -> dict[str, Any]:
    patient = case.patient
    s = patient.screening if patient else None
    return {
        "egoID": case.id,
        "patient": patient is not None,
        "name": patient.name if patient else None,
        "born": patient.born if patient else None,
        "pronouns": patient.pronouns if patient else None,
        "isolation": _word(patient.isolation) if patient else None,
        "screening": s is not None if patient else None,
        "screening_bipolar": s.bipolar if s else None,
        "screening_psychotic_features": s.psychotic_features if s else None,
        "screening_substance_dependence": s.substance_dependence if s else None,
        "screening_cognitive_impairment": s.cognitive_impairment if s else None,
        "screening_suicide_risk": _word(s.suicide_risk) if s else None,
    }


def _alter_row(ego: str, p: Person) -> dict[str, Any]:
    d = p.dispute
    return {
        "egoID": ego,
        "alterID": p.id,
        "role": _word(p.role),
        "closeness": p.closeness,
        "name": p.name,
        "contact": _word(p.contact),
        "confidant": p.confidant,
        "knows_about_depression": p.knows_about_depression,
        "satisfying": _texts(p.satisfying),
        "unsatisfying": _texts(p.unsatisfying),
        "wants_changed": _texts(p.wants_changed),
        "dispute_since": _day(d.since) if d else None,
        "dispute_expectations": _word(d.expectations) if d else None,
        "dispute_conflict": _word(d.conflict) if d else None,
        "dispute_stage": _word(d.stage) if d else None,
        "dispute_ended": _day(d.ended) if d else None,
    }


def _cases(cases: object) -> list[Case]:
    from iptcore.case import Case

    items = [cases] if isinstance(cases, Case) else list(cases)  # type: ignore[call-overload]
    for i, case in enumerate(items):
        _checks.argument(f"cases[{i}]", case, Case)
    ids = [c.id for c in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise IptError(f"cases: the ego ids (case ids) must be unique; repeated: {repeated}")
    return items


def egor_rows(
    cases: Case | Iterable[Case],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The ego, alter and alter-alter tie rows of ``cases`` (a case or several), as dicts.

    Values are JSON builtins (``None`` for absent); the module docstring lists the columns.

    Raises:
        IptError: when an item is not a Case, or two cases share an id.
    """
    egos, alters, aaties = [], [], []
    for case in _cases(cases):
        egos.append(_ego_row(case))
        alters += [_alter_row(case.id, p) for p in case.people]
        aaties += [
            {"egoID": case.id, "Source": t.between[0], "Target": t.between[1], "kind": t.kind.value}
            for t in case.ties
        ]
    return egos, alters, aaties


# -- reading rows back -------------------------------------------------------------------------


class _Reader:
    """Reads typed cells from rows, collecting every problem at its ``table[row].column``."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, where: str, column: str, message: str) -> None:
        self.problems.append(
            Problem(path=f"{where}.{column}" if column else where, message=message)
        )

    def cell(self, row: Mapping[str, Any], where: str, column: str, kind: str) -> Any:
        value = _absent(row.get(column))
        if value is None:
            return [] if kind == "texts" else None
        try:
            return _typed(value, kind)
        except ValueError as exc:
            self.fail(where, column, str(exc))
            return _BAD


_BAD: Final = object()


def _absent(value: Any) -> Any:
    """``None`` for every spelling of "no value" a table may hold (None, NaN, pandas' NA)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()  # a numpy scalar
    return value


_TRUE: Final = MappingProxyType(
    {
        "TRUE": True,
        "true": True,
        "True": True,
        "FALSE": False,
        "false": False,
        "False": False,
    }
)


def _typed(value: Any, kind: str) -> Any:
    if kind in ("text", "word"):
        if not isinstance(value, str):
            raise ValueError(f"must be text, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value.strip()):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"must be a whole number, got {value!r}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in _TRUE:
            return _TRUE[value]
        raise ValueError(f"must be TRUE or FALSE, got {value!r}")
    if kind == "date":
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"must be a date YYYY-MM-DD, got {value!r}")
    # texts: a JSON array of strings
    try:
        items = json.loads(value) if isinstance(value, str) else None
    except json.JSONDecodeError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f'must be a JSON array of texts such as ["a", "b"], got {value!r}')
    return items


def _build(reader: _Reader, where: str, cls: Any, columns: Mapping[str, str], **values: Any) -> Any:
    """``cls(**values)``, its CaseError problems reported at the columns they name."""
    if any(v is _BAD for v in values.values()):
        return None
    try:
        return cls(**values)
    except CaseError as exc:
        for problem in exc.problems:
            head = problem.path.split(".")[0].split("[")[0]
            reader.fail(where, columns.get(head, head), problem.message)
        return None


def _dispute(reader: _Reader, row: Mapping[str, Any], where: str) -> Dispute | None:
    from iptcore.case import Dispute

    values = {
        name[len("dispute_") :]: reader.cell(row, where, name, kind) for name, kind in _DISPUTE
    }
    if values["since"] is None:
        given = [f"dispute_{k}" for k, v in values.items() if v is not None]
        for column in given:
            reader.fail(where, column, "is given, but dispute_since is not: a dispute has a start")
        return None
    columns = {name[len("dispute_") :]: name for name, _ in _DISPUTE}
    result: Dispute | None = _build(reader, where, Dispute, columns, **values)
    return result


def _person(reader: _Reader, row: Mapping[str, Any], where: str, id_column: str) -> Person | None:
    from iptcore.case import Person

    fields = {
        name: kind for name, kind in _ALTER if name != "egoID" and not name.startswith("dispute_")
    }
    values = {
        ("id" if name == "alterID" else name): reader.cell(row, where, name, kind)
        for name, kind in fields.items()
        if name != "alterID" or id_column == "alterID"
    }
    if id_column != "alterID":
        values["id"] = row.get(id_column)
    for key in ("satisfying", "unsatisfying", "wants_changed"):
        if isinstance(values[key], list):
            values[key] = tuple(values[key])
    dispute = _dispute(reader, row, where)
    if any(reader.cell(row, where, n, k) is not None for n, k in _DISPUTE) and dispute is None:
        return None
    result: Person | None = _build(
        reader, where, Person, {"id": id_column}, dispute=dispute, **values
    )
    return result


def _given_without(reader: _Reader, where: str, values: Mapping[str, Any], flag: str) -> None:
    for column, value in values.items():
        if value is not None:
            reader.fail(where, column, f"is given, but {flag} is FALSE")


def _screening(reader: _Reader, row: Mapping[str, Any], where: str) -> Any:
    """The patient's screening (``None`` when not recorded), or ``_BAD``."""
    from iptcore.case import PatientScreening

    has = reader.cell(row, where, "screening", "bool")
    values = {n: reader.cell(row, where, n, k) for n, k in _SCREENING}
    if has is None:
        reader.fail(where, "screening", "must be TRUE or FALSE: was a screening recorded?")
        return _BAD
    if has is False:
        _given_without(reader, where, values, "screening")
        return _BAD if any(v is not None for v in values.values()) else None
    if has is _BAD:
        return _BAD
    fields = {name[len("screening_") :]: value for name, value in values.items()}
    columns = {name[len("screening_") :]: name for name, _ in _SCREENING}
    result = _build(reader, where, PatientScreening, columns, **fields)
    return _BAD if result is None else result


def _patient(reader: _Reader, row: Mapping[str, Any], where: str) -> Patient | None:
    from iptcore.case import Patient

    has = reader.cell(row, where, "patient", "bool")
    if has is None:
        reader.fail(where, "patient", "must be TRUE or FALSE: does the case have a patient record?")
        return None
    if has is False:
        rest = {n: reader.cell(row, where, n, k) for n, k in _EGO if n not in ("egoID", "patient")}
        _given_without(reader, where, rest, "patient")
        return None
    values = {n: reader.cell(row, where, n, k) for n, k in _EGO if n in _PATIENT_OWN}
    screening = _screening(reader, row, where)
    if has is _BAD:
        return None
    result: Patient | None = _build(reader, where, Patient, {}, screening=screening, **values)
    return result


def _tie(reader: _Reader, row: Mapping[str, Any], where: str) -> Tie | None:
    from iptcore.case import Tie

    a, b = reader.cell(row, where, "Source", "text"), reader.cell(row, where, "Target", "text")
    kind = reader.cell(row, where, "kind", "word")
    for column, value in (("Source", a), ("Target", b), ("kind", kind)):
        if value is None:
            reader.fail(where, column, "is required")
    if None in (a, b, kind):
        return None
    result: Tie | None = _build(
        reader, where, Tie, {"between": "Source"}, between=(a, b), kind=kind
    )
    return result


def _check_columns(
    reader: _Reader, table: str, columns: Iterable[str], wanted: Sequence[str]
) -> bool:
    have = list(columns)
    missing = [c for c in wanted if c not in have]
    extra = [c for c in have if c not in wanted]
    for c in missing:
        reader.fail(table, c, "is a required column and is missing")
    for c in extra:
        reader.fail(table, c, "is no column of the table: " + ", ".join(wanted))
    return not missing and not extra


def from_egor_rows(
    egos: Sequence[Mapping[str, Any]],
    alters: Sequence[Mapping[str, Any]],
    aaties: Sequence[Mapping[str, Any]],
    *,
    names: Sequence[str] = ("egos", "alters", "aaties"),
) -> tuple[EgoNetwork, ...]:
    """One :class:`EgoNetwork` per ego row, in order, from rows as :func:`egor_rows` gives them.

    ``names`` are the table names used in the problem paths.

    Raises:
        CaseError: every problem of the tables at once (``alters[2].closeness``): a cell of the
            wrong kind, a value the case format refuses, an alter or tie whose ego is not in the
            ego table, a tie naming someone who is not an alter of its ego, a repeated id.
    """
    reader = _Reader()
    networks: dict[str, dict[str, Any]] = {}
    for table, rows, wanted in zip(
        names, (egos, alters, aaties), (EGO_COLUMNS, ALTER_COLUMNS, AATIE_COLUMNS), strict=True
    ):
        if rows and not _check_columns(reader, table, rows[0].keys(), wanted):
            raise CaseError(reader.problems)
    for i, row in enumerate(egos):
        where = f"{names[0]}[{i}]"
        ego = reader.cell(row, where, "egoID", "text")
        if ego is None or ego is _BAD:
            if ego is None:
                reader.fail(where, "egoID", "is required")
            continue
        if ego in networks:
            reader.fail(where, "egoID", f"repeats the ego {ego!r}")
            continue
        networks[ego] = {
            "patient": _patient(reader, row, where),
            "people": [],
            "ties": [],
            "ids": set(),
        }
    for table, rows, read in ((names[1], alters, "alter"), (names[2], aaties, "tie")):
        for i, row in enumerate(rows):
            where = f"{table}[{i}]"
            ego = _absent(row.get("egoID"))
            if ego not in networks:
                reader.fail(where, "egoID", f"names no ego of the {names[0]} table: {ego!r}")
                continue
            net = networks[ego]
            if read == "alter":
                person = _person(reader, row, where, "alterID")
                if person is None:
                    net["broken"] = True
                else:
                    if person.id in net["ids"]:
                        reader.fail(
                            where, "alterID", f"repeats the alter {person.id!r} of ego {ego!r}"
                        )
                    net["ids"].add(person.id)
                    net["people"].append(person)
            else:
                tie = _tie(reader, row, where)
                if tie is not None and not net.get("broken"):
                    for column, pid in zip(("Source", "Target"), tie.between, strict=True):
                        if pid not in net["ids"]:
                            reader.fail(where, column, f"names no alter of ego {ego!r}: {pid!r}")
                if tie is not None:
                    net["ties"].append(tie)
    if reader.problems:
        raise CaseError(reader.problems)
    return tuple(
        EgoNetwork(ego=ego, patient=n["patient"], people=tuple(n["people"]), ties=tuple(n["ties"]))
        for ego, n in networks.items()
    )


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def _csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    lines = [",".join(columns)]
    lines += [",".join(_csv_cell(row[c]) for c in columns) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def _parse_csv(text: str, table: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The header and rows of an RFC 4180 CSV text; a quoted cell is text, an empty unquoted one None."""
    records: list[list[Any]] = []
    record: list[Any] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j, parts = i + 1, []
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise CaseError([Problem(path=table, message="a quoted cell is never closed")])
                parts.append(text[j:k])
                if text.startswith('""', k):
                    parts.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            record.append("".join(parts))
        else:
            m = re.compile(r"[^,\r\n]*").match(text, i)
            assert m is not None
            raw = m.group(0)
            record.append(raw if raw else None)
            i = m.end()
        if i < n and text[i] == ",":
            i += 1
            if i == n:
                record.append(None)
            continue
        if text.startswith("\r\n", i):
            i += 2
        elif i < n and text[i] in "\r\n":
            i += 1
        elif i < n:
            raise CaseError(
                [Problem(path=f"{table}[{len(records) - 1}]", message="text after a quoted cell")]
            )
        records.append(record)
        record = []
    if record:
        records.append(record)
    if not records:
        raise CaseError([Problem(path=table, message="is empty: it needs at least its header row")])
    header = [str(h) for h in records[0]]
    rows = []
    for r, values in enumerate(records[1:]):
        if len(values) != len(header):
            raise CaseError(
                [
                    Problem(
                        path=f"{table}[{r}]",
                        message=f"has {len(values)} cells, the header {len(header)}",
                    )
                ]
            )
        rows.append(dict(zip(header, values, strict=True)))
    return header, rows


def to_egor_csv(
    cases: Case | Iterable[Case], directory: str | os.PathLike[str]
) -> tuple[Path, ...]:
    """Write ``egos.csv``, ``alters.csv`` and ``aaties.csv`` of ``cases`` into ``directory``.

    The directory is created if needed; the files are UTF-8 with ``\\r\\n`` line ends (RFC 4180).
    Returns the three paths.

    Raises:
        IptError: as :func:`egor_rows`.
    """
    tables = egor_rows(cases)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, columns, rows in zip(
        _FILES, (EGO_COLUMNS, ALTER_COLUMNS, AATIE_COLUMNS), tables, strict=True
    ):
        path = folder / name
        path.write_bytes(_csv_text(columns, rows).encode("utf-8"))
        paths.append(path)
    return tuple(paths)


def from_egor_csv(directory: str | os.PathLike[str]) -> tuple[EgoNetwork, ...]:
    """The ego networks of the ``egos.csv``, ``alters.csv`` and ``aaties.csv`` in ``directory``.

    Raises:
        CaseError: every problem at once, at ``alters.csv[2].closeness`` (rows from 0 after the
            header); a missing file or a file that is not CSV is one problem too.
    """
    folder = Path(directory)
    tables: list[list[dict[str, Any]]] = []
    problems = []
    for name, wanted in zip(_FILES, (EGO_COLUMNS, ALTER_COLUMNS, AATIE_COLUMNS), strict=True):
        try:
            header, rows = _parse_csv((folder / name).read_bytes().decode("utf-8"), name)
        except OSError as exc:
            problems.append(Problem(path=name, message=f"cannot be read: {exc.strerror or exc}"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(path=name, message="is not UTF-8 text"))
            continue
        except CaseError as exc:
            problems += exc.problems
            continue
        reader = _Reader()
        _check_columns(reader, name, header, wanted)
        problems += reader.problems
        tables.append(rows)
    if problems:
        raise CaseError(problems)
    return from_egor_rows(*tables, names=_FILES)


# --------------------------------------------------------------------------------------------
# pandas DataFrames
# --------------------------------------------------------------------------------------------


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "iptcore.network's DataFrames need the 'dataframe' extra: "
            "pip install 'iptcore[dataframe]'"
        ) from exc
    return pandas


def _frame(pd: Any, spec: Sequence[tuple[str, str]], rows: list[dict[str, Any]]) -> Any:
    frame = pd.DataFrame({name: [row[name] for row in rows] for name, _ in spec}, dtype=object)
    for name, kind in spec:
        if kind == "int":
            frame[name] = frame[name].astype("Int64")
        elif kind == "bool":
            frame[name] = frame[name].astype("boolean")
    return frame


def to_egor_frames(cases: Case | Iterable[Case]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ego, alter and alter-alter tie tables of ``cases`` as pandas DataFrames.

    Text columns are ``object`` (``None`` when absent), whole numbers ``Int64`` and booleans
    ``boolean`` (pandas' nullable types, ``<NA>`` when absent). Needs the ``dataframe`` extra.

    Raises:
        IptError: as :func:`egor_rows`.
        ImportError: without pandas.
    """
    pd = _pandas()
    tables = egor_rows(cases)
    egos, alters, aaties = (
        _frame(pd, spec, rows) for spec, rows in zip((_EGO, _ALTER, _AATIE), tables, strict=True)
    )
    return egos, alters, aaties


def from_egor_frames(
    egos: pd.DataFrame, alters: pd.DataFrame, aaties: pd.DataFrame
) -> tuple[EgoNetwork, ...]:
    """The ego networks of three DataFrames laid out as :func:`to_egor_frames` makes them.

    Absent values may be ``None``, ``NaN`` or ``<NA>``; numbers may be numpy or nullable types.

    Raises:
        CaseError: every problem at once, at ``alters[2].closeness`` (``2`` the row's position).
    """
    _pandas()
    tables = []
    reader = _Reader()
    for name, frame, wanted in zip(
        ("egos", "alters", "aaties"),
        (egos, alters, aaties),
        (EGO_COLUMNS, ALTER_COLUMNS, AATIE_COLUMNS),
        strict=True,
    ):
        if not hasattr(frame, "to_dict") or not hasattr(frame, "columns"):
            reader.fail(name, "", f"must be a pandas DataFrame, got {type(frame).__name__}")
            continue
        _check_columns(reader, name, [str(c) for c in frame.columns], wanted)
        tables.append(frame.to_dict("records"))
    if reader.problems:
        raise CaseError(reader.problems)
    return from_egor_rows(*tables)


# --------------------------------------------------------------------------------------------
# networkx graph and GraphML
# --------------------------------------------------------------------------------------------


def _xml_safe(value: Any, what: str) -> Any:
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise IptError(
                f"{what}: GraphML (XML 1.0) cannot carry the character U+{ord(bad.group()):04X}"
            )
    return value


def to_graph(case: Case) -> nx.Graph:
    """The inventory of ``case`` as a plain networkx graph of GraphML-ready attributes.

    The module docstring describes the nodes, edges and attributes. Unlike
    ``case.inventory.graph`` (read-only, enum and date values), this graph is the caller's to
    change, and every value in it is a string, a whole number or a boolean.

    Raises:
        IptError: when ``case`` is not a Case.
    """
    import networkx as nx

    (case,) = _cases([case])
    graph = nx.Graph(egoID=case.id)
    patient = {k: v for k, v in _ego_row(case).items() if k != "egoID" and v is not None}
    graph.add_node(_PATIENT_NODE, kind="patient", **patient)
    for person in case.people:
        row = _alter_row(case.id, person)
        data = {k: v for k, v in row.items() if k not in ("egoID", "alterID") and v is not None}
        graph.add_node(person.id, kind="person", **data)
        graph.add_edge(_PATIENT_NODE, person.id, kind="relationship")
    for index, tie in enumerate(case.ties):
        a, b = tie.between
        data = graph.get_edge_data(a, b) or {
            "kind": "tie",
            "close": False,
            "conflict": False,
            "ties": "[]",
        }
        listed = [*json.loads(data["ties"]), [index, a, b, tie.kind.value]]
        graph.add_edge(
            a, b, **{**data, tie.kind.value: True, "ties": json.dumps(listed, ensure_ascii=True)}
        )
    return graph


def from_graph(graph: nx.Graph) -> EgoNetwork:
    """The ego network of a graph laid out as :func:`to_graph` makes it.

    Raises:
        CaseError: every problem at once, at ``nodes[jon].closeness`` or ``edges[jon,ana].ties``.
    """
    reader = _Reader()
    ego = graph.graph.get("egoID")
    if not isinstance(ego, str):
        reader.fail("graph", "egoID", f"must be the case id, got {ego!r}")
    patient = None
    people = []
    for node, data in graph.nodes(data=True):
        where = f"nodes[{node}]"
        kind = data.get("kind")
        if kind == "patient":
            patient = _patient(reader, data, where)
        elif kind == "person":
            person = _person(reader, {**data, "alterID": str(node)}, where, "alterID")
            if person is not None:
                people.append(person)
        else:
            reader.fail(where, "kind", f"must be 'patient' or 'person', got {kind!r}")
    ties: list[tuple[int, Tie]] = []
    for a, b, data in graph.edges(data=True):
        where = f"edges[{a},{b}]"
        if data.get("kind") != "tie":
            continue
        try:
            listed = json.loads(data.get("ties", ""))
        except (TypeError, json.JSONDecodeError):
            listed = None
        if not isinstance(listed, list):
            reader.fail(where, "ties", "must be a JSON array of [index, Source, Target, kind]")
            continue
        for k, entry in enumerate(listed):
            ok = isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], int)
            if not ok or {entry[1], entry[2]} != {a, b}:
                reader.fail(
                    where,
                    f"ties[{k}]",
                    f"must be [index, Source, Target, kind] of this edge, got {entry!r}",
                )
                continue
            tie = _tie(
                reader,
                {"Source": entry[1], "Target": entry[2], "kind": entry[3]},
                f"{where}.ties[{k}]",
            )
            if tie is not None:
                ties.append((entry[0], tie))
    if reader.problems:
        raise CaseError(reader.problems)
    return EgoNetwork(
        ego=str(ego),
        patient=patient,
        people=tuple(people),
        ties=tuple(t for _, t in sorted(ties, key=lambda x: x[0])),
    )


def to_graphml(case: Case, path: str | os.PathLike[str] | io.IOBase) -> None:
    """Write the graph of :func:`to_graph` as GraphML to ``path`` (a file name or binary file).

    Raises:
        IptError: when a text holds a character XML 1.0 cannot carry (the node and attribute
            named).
    """
    import networkx as nx

    graph = to_graph(case)
    for node, data in graph.nodes(data=True):
        for key, value in data.items():
            _xml_safe(value, f"node {node!r}, attribute {key!r}")
    _xml_safe(graph.graph["egoID"], "graph attribute 'egoID'")
    nx.write_graphml(graph, path)


def from_graphml(path: str | os.PathLike[str] | io.IOBase) -> EgoNetwork:
    """The ego network of a GraphML file written by :func:`to_graphml`.

    Raises:
        CaseError: as :func:`from_graph`, and when the file is not GraphML.
    """
    import networkx as nx

    try:
        graph = nx.read_graphml(path)
    except (OSError, nx.NetworkXError, SyntaxError) as exc:
        raise CaseError([Problem(path="graphml", message=f"cannot be read: {exc}")]) from None
    return from_graph(graph)
