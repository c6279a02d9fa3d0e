"""Coverage-guided fuzzing of :func:`iptcore.load_case` with atheris (libFuzzer for Python).

The promise checked ("the public API"): whatever the input, ``load_case`` returns a ``Case`` or
raises ``CaseError`` and nothing else. When it accepts a document, four more things must hold:

- the case round-trips: ``load_case(dump_case(case)) == case``, and the dump is strict JSON text
  (``allow_nan=False``) that loads back to the same case;
- the document is valid under ``case_schema()`` ("every document ``load_case`` accepts is valid under
  it", the case format), with dates checked as real calendar dates;
- the same document given as a ``dict`` (parsed by plain ``json.loads``) gives the same case;
- a refused text that has no repeated key and no ``NaN``/``Infinity`` is refused as a ``dict`` too.

Run (see fuzz/README.md)::

    pip install atheris
    python fuzz/load_case_fuzz.py --seed-corpus /tmp/iptcore-fuzz/case
    nice -n 10 timeout 660 python fuzz/load_case_fuzz.py -max_total_time=600 \
        -artifact_prefix=/tmp/iptcore-fuzz/artifacts/case- /tmp/iptcore-fuzz/case

A token dictionary (every key and enum word of the case format) is written next to the corpus and
passed to libFuzzer unless ``-dict=`` is given. Each crash becomes a test in
``tests/test_regressions.py``.
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import sys
from datetime import date, timedelta
from typing import Any

import atheris

with atheris.instrument_imports(include=["iptcore"]):
    from iptcore.caseio import case_schema, dump_case, load_case
    from iptcore.errors import CaseError

import jsonschema

_VALIDATOR = jsonschema.Draft202012Validator(
    case_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


#: Findings reported but not yet fixed, whose oracle is skipped so that a run goes on to find others
#: (``IPTCORE_FUZZ_STRICT=1`` checks them too); each is an xfail test in tests/test_regressions.py.
#: None is open: F3 ("lone-surrogate") was fixed in fields.py.
OPEN_FINDINGS: frozenset[str] = frozenset()
KNOWN = frozenset() if os.environ.get("IPTCORE_FUZZ_STRICT") == "1" else OPEN_FINDINGS


class _Repeated(Exception):
    """A JSON text with a key given twice or a non-finite number (the text reader refuses it)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Repeated(key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Repeated(name)


def _plain(data: bytes) -> Any:
    """The document of ``data`` as plain ``json.loads`` reads it, or ``_Repeated``/``None``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except _Repeated:
        return _Repeated
    except (ValueError, RecursionError):
        return None


def _has_nonfinite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_nonfinite(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nonfinite(v) for v in value)
    return False


class Finding(AssertionError):
    """An oracle of this harness failed: a finding (the fuzzer saves the input as a crash)."""


def require(condition: bool, message: str) -> None:
    """Raise :class:`Finding` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Finding(message)


def require_problems(exc: CaseError) -> None:
    """A refusal must list its problems, each with a path and a message, and print."""
    require(bool(exc.problems), "a CaseError without problems")
    require(all(isinstance(p.path, str) and p.message for p in exc.problems), str(exc))
    str(exc)


def check(data: bytes) -> None:
    """One fuzz input: the oracles above; an AssertionError or any other exception is a finding."""
    try:
        case = load_case(data)
    except CaseError as exc:
        require_problems(exc)
        doc = _plain(data)
        if isinstance(doc, dict) and not _has_nonfinite(doc):
            try:
                load_case(doc)
            except CaseError:
                return
            raise Finding(f"refused as text but accepted as a dict: {exc}") from None
        return
    dumped = dump_case(case)
    require(load_case(dumped) == case, "load_case(dump_case(case)) != case")
    text = json.dumps(dumped, allow_nan=False)
    require(load_case(text) == case, "the dumped JSON text loads to another case")
    if "lone-surrogate" not in KNOWN:
        # The case file is "JSON (UTF-8)" (the case format): what is accepted can be written as UTF-8.
        json.dumps(dumped, ensure_ascii=False).encode("utf-8")
    doc = _plain(data)
    require(isinstance(doc, dict), "accepted as text but not a JSON object")
    errors = sorted(str(e.message) for e in _VALIDATOR.iter_errors(doc))
    require(not errors, f"accepted but invalid under case_schema(): {errors[:3]}")
    require(load_case(doc) == case, "the same document as a dict loads to another case")


def _seed_documents() -> list[dict[str, Any]]:
    """The vignettes and a few hundred generated valid documents (deterministic)."""
    from hypothesis import HealthCheck, given, settings

    from iptcore.testing import case_documents
    from iptcore.vignettes import VIGNETTES, document

    docs = [document(name) for name in VIGNETTES]

    @settings(
        max_examples=300,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case_documents())
    def collect(doc: dict[str, Any]) -> None:
        docs.append(doc)

    collect()
    return docs


def write_seed_corpus(directory: str, docs: list[Any] | None = None) -> int:
    """Write ``docs`` (by default the seed documents) as compact JSON files into ``directory``;
    the number written."""
    os.makedirs(directory, exist_ok=True)
    docs = _seed_documents() if docs is None else docs
    for i, doc in enumerate(docs):
        with open(os.path.join(directory, f"seed-{i:04d}.json"), "w", encoding="utf-8") as handle:
            json.dump(doc, handle, separators=(",", ":"), ensure_ascii=False)
    return len(docs)


def dictionary_tokens() -> list[str]:
    """Every key, enum word and constant of the case schema, as JSON string tokens."""
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    words.update(value)
                if key == "enum" and isinstance(value, list):
                    words.update(v for v in value if isinstance(v, str))
                if key == "const" and isinstance(value, str):
                    words.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(case_schema())
    tokens = [json.dumps(w) for w in sorted(words)]
    tokens += ['"2026-02-29"', '"2024-02-29"', '"0000-01-01"', '"9999-12-31"', "null", "true"]
    tokens += ["1.0", "1e400", "NaN", "-Infinity", "[]", "{}", "\\ud800", "\\u0000"]
    return tokens


def write_dictionary(path: str) -> None:
    """The libFuzzer dictionary file of :func:`dictionary_tokens`."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for i, token in enumerate(dictionary_tokens()):
            escaped = token.replace("\\", "\\\\").replace('"', '\\"')
            handle.write(f'kw{i}="{escaped}"\n')


# -- a structure-aware mutator ----------------------------------------------------------------------
# libFuzzer's byte mutations mostly break the JSON syntax, so that the checks behind the parser are
# reached rarely. Half of the mutations instead parse the input, change one node of the document
# (a value from the pool or another node of the same document, a key removed or added, a date moved
# by a few days, a list item repeated or dropped) and write it back, so that the fuzzer explores the
# cross-field rules as well as the parser.

_SCALARS: tuple[Any, ...] = (
    None, True, False, 0, 1, -1, 2, 3, 4, 5, 7, 17, 27, 52, 64, 1899, 1900, 2026, 2**31, 2**63,
    10**30, 1.0, 0.5, -0.0, 1e308, "", " ", "x", "0", "1", "null", "-", "a" * 65, "\u00e9",
    "\ud800", "\x00",
)  # fmt: skip


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    out = [(path, doc)]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _nodes(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _nodes(value, (*path, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return doc


def _nudged_date(text: str, rng: random.Random) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    delta = rng.choice([-1, 1, -7, 7, -30, 30, -365, 365, rng.randint(-4000, 4000)])
    try:
        return (day + timedelta(days=delta)).isoformat()
    except OverflowError:
        return text


def mutate_document(doc: Any, rng: random.Random, words: list[str]) -> Any:
    """``doc`` (a parsed JSON document, changed in place) with one structural change."""
    nodes = _nodes(doc)
    path, node = rng.choice(nodes)
    choice = rng.randrange(8)
    if choice == 0 and isinstance(node, str):
        return _replace(doc, path, _nudged_date(node, rng))
    if choice == 1 and isinstance(node, dict) and node:
        del node[rng.choice(list(node))]
        return doc
    if choice == 2 and isinstance(node, dict):
        node[rng.choice(words)] = (
            copy.deepcopy(rng.choice(nodes)[1]) if rng.random() < 0.3 else (rng.choice(_SCALARS))
        )
        return doc
    if choice == 3 and isinstance(node, list) and node:
        i = rng.randrange(len(node))
        if rng.random() < 0.5:
            node.insert(i, copy.deepcopy(node[i]))
        else:
            del node[i]
        return doc
    if choice == 4:
        return _replace(doc, path, copy.deepcopy(rng.choice(nodes)[1]))
    if choice == 5:
        return _replace(doc, path, rng.choice(words))
    if choice == 6 and isinstance(node, int) and not isinstance(node, bool):
        return _replace(doc, path, node + rng.choice([-1, 1, -2, 2]))
    return _replace(doc, path, rng.choice(_SCALARS))


def make_mutator(words: list[str]) -> Any:
    """A libFuzzer custom mutator: a structural change half the time, a byte mutation otherwise."""

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            try:
                doc = json.loads(data.decode("utf-8"))
            except (ValueError, RecursionError):
                doc = None
            if isinstance(doc, dict | list):
                for _ in range(rng.choice([1, 1, 1, 2, 3])):
                    doc = mutate_document(doc, rng, words)
                out = json.dumps(doc, ensure_ascii=rng.random() < 0.5, separators=(",", ":"))
                encoded = out.encode("utf-8", "surrogatepass")
                if len(encoded) <= max_size:
                    return encoded
        mutated: bytes = atheris.Mutate(data, max_size)
        return mutated

    return mutator


def _schema_words() -> list[str]:
    return [json.loads(t) for t in dictionary_tokens() if t.startswith('"') and "\\" not in t]


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[1] == "--seed-corpus":
        count = write_seed_corpus(argv[2])
        print(f"wrote {count} seed documents to {argv[2]}")
        return
    if not any(a.startswith("-dict=") for a in argv):
        corpora = [a for a in argv[1:] if not a.startswith("-")]
        where = os.path.join(corpora[0] if corpora else ".", os.pardir, "case.dict")
        write_dictionary(os.path.normpath(where))
        argv = [*argv, f"-dict={os.path.normpath(where)}"]
    atheris.Setup(argv, check, custom_mutator=make_mutator(_schema_words()))
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
