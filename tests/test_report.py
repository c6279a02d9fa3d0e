"""Tests for the case report (iptcore.report) and ``iptcore report``: one HTML page for people.

The page is parsed with the standard library's HTML parser, as a browser's first step would; that
it also draws is checked in Chromium by tests/test_browser.py.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest

from iptcore import Course, IptError, classify, dump_course, dump_plan, load_case, plan_course
from iptcore.cli import main
from iptcore.report import case_report
from iptcore.vignettes import document, vignette

pytest.importorskip("jinja2")

SECTIONS = (
    "inventory",
    "timeline",
    "classification",
    "cautions",
    "formulation",
    "sessions",
    "trajectory",
)
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


class Page(HTMLParser):
    """The tags, attributes and text of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def demo_course() -> Course:
    case = vignette("demo")
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=classify(case))
    course = Course.begin(case, plan).hold(measures={"phq9": [2, 2, 1, 2, 1, 1, 1, 1, 0]})
    return course.miss(reason="ill")


def hostile_case() -> Any:
    """The demo with markup in every free-text field a case file allows."""
    doc = document("demo")
    doc["patient"]["name"] = HOSTILE
    doc["patient"]["pronouns"] = HOSTILE
    for person in doc["people"]:
        person["name"] = HOSTILE
        person["satisfying"] = [HOSTILE]
        person["wants_changed"] = [HOSTILE]
    for event in doc["events"]:
        event["description"] = HOSTILE
    return load_case(doc)


# -- the page -----------------------------------------------------------------------------------


def test_every_section_has_its_heading_and_the_page_stands_alone() -> None:
    page = Page(case_report(vignette("demo"), course=demo_course()))
    assert len(page.all("h1")) == 1
    sections = [a["id"] for a in page.all("section")]
    assert sections == list(SECTIONS)
    headings = {a["id"] for a in page.all("h2")}
    assert {a["aria-labelledby"] for a in page.all("section")} == headings
    # Nothing to load, nothing to run: no script, no external stylesheet, image or frame.
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert page.all(tag) == [], tag
    assert all(not (a.get("href") or "#").startswith(("http", "//")) for a in page.all("a"))


def test_pictures_and_tables_are_accessible() -> None:
    """Every picture is role=img with a title and a description; every table has a caption and
    header cells with their scope [WCAG21]."""
    text = case_report(vignette("demo"), course=demo_course())
    page = Page(text)
    svgs = page.all("svg")
    assert len(svgs) == 4  # closeness circle, timeline, PHQ-9 and HAM-D-17 trajectories
    for svg in svgs:
        assert svg["role"] == "img"
        assert len((svg["aria-labelledby"] or "").split()) == 2
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids are unique in the page"
    assert text.count("<table>") == text.count("<caption>") > 0
    assert all(a.get("scope") in ("col", "row") for a in page.all("th"))
    assert "@media print" in text


def test_the_classification_shows_every_candidate_with_evidence_and_source() -> None:
    case = vignette("demo")
    classification = classify(case)
    page = Page(case_report(case, classification=classification)).words
    for finding in classification.candidates:
        assert " ".join(finding.evidence.summary.split()) in page
        assert finding.source in page
        assert finding.rule in page
    assert "Focus: role transition" in page  # one area by default; the dispute stays a candidate


def test_the_sessions_show_phases_tasks_techniques_and_what_happened() -> None:
    course = demo_course()
    page = Page(case_report(vignette("demo"), course=course)).words
    assert "held 2026-03-09" in page
    assert "missed 2026-03-16 (ill)" in page
    assert "Review of old and new roles" in page  # a technique, by its name
    assert "Interpersonal inventory: each important relationship" in page  # a task


def test_the_trajectory_draws_the_bands_and_every_score() -> None:
    """PHQ-9 bands 0-4 / 5-9 / 10-14 / 15-19 / 20-27 [KROENKE2001], one point per score."""
    text = case_report(vignette("demo"), course=demo_course())
    start = text.index("<svg", text.index('id="trajectory"'))
    svg = text[start : text.index("</svg>", start)]
    for band in (
        "minimal (0-4)",
        "mild (5-9)",
        "moderate (10-14)",
        "moderately severe (15-19)",
        "severe (20-27)",
    ):
        assert band in svg
    assert svg.count("<circle") == 2  # the case's PHQ-9 and the one taken in session 1


def test_without_plan_or_measures_the_page_says_so() -> None:
    page = Page(case_report(vignette("deficits"))).words
    assert "No plan or course was given" in page
    assert "The case has no measures yet" in page
    assert "The screening raised no caution" in page  # screen(case) by default


def test_a_screening_shows_its_cautions() -> None:
    @attrs.frozen
    class Caution:
        code: str
        message: str
        source: str

    cautions = [Caution("bipolar", "Screen for mania <first>", "[GUIDE]")]
    page = Page(case_report(vignette("demo"), screening=cautions)).words
    assert "bipolar : Screen for mania <first> [GUIDE]" in page
    assert (
        "The screening raised no caution" in Page(case_report(vignette("demo"), screening=[])).words
    )


def test_an_item_flag_is_a_caution() -> None:
    """A PHQ-9 item 9 above 0 is flagged [KROENKE2001], on the page as in the score."""
    doc = document("demo")
    doc["measures"][0]["items"][8] = 2
    page = Page(case_report(load_case(doc))).words
    assert "PHQ-9, 2026-03-02" in page


# -- untrusted text ---------------------------------------------------------------------------------


def test_markup_in_a_case_shows_as_text() -> None:
    """Names, notes, descriptions holding HTML or script are text on the page, never markup."""
    text = case_report(hostile_case())
    page = Page(text)
    assert page.all("script") == []
    assert page.all("img") == []
    assert all(not any(k.startswith("on") for k in a) for _, a in page.tags)
    assert HOSTILE in " ".join(page.text)  # shown, as text
    assert "&lt;script&gt;" in text


# -- deidentified -----------------------------------------------------------------------------------


def test_the_deidentified_copy_hides_names_and_free_text() -> None:
    case = vignette("demo")
    text = case_report(case, deidentify=True, seed=7)
    page = Page(text).words
    assert "Deidentified copy" in page
    for person in case.people:
        assert person.name is not None
        assert person.name not in text
    assert "Maya" not in text
    assert case.id not in text
    assert "moved 300 km" not in text  # an event's description is free text
    assert case_report(case, deidentify=True, seed=7) == text  # the same key, the same copy


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"deidentify": True}, "^seed: deidentify=True needs"),
        ({"seed": 7}, "^seed: is the deidentification key"),
        ({"deidentify": "yes"}, "^deidentify: must be True or False"),
        ({"deidentify": True, "seed": 7, "plan": "p"}, "^plan: with deidentify=True"),
        ({"deidentify": True, "seed": 7, "screening": []}, "^screening: with deidentify=True"),
        ({"plan": "p"}, r"^plan: must be an iptcore\.CoursePlan"),
        ({"classification": 3}, r"^classification: must be an iptcore\.Classification"),
        ({"rules": "stuart"}, r"^rules: must be an iptcore\.RuleSet"),
        ({"screening": 5}, "^screening: must be an iterable of cautions"),
        ({"screening": "warning"}, "^screening: must be an iterable of cautions"),
        ({"screening": [object()]}, r"^screening\[0\]: must have code, message and source"),
        (
            {"classification": "other"},
            "^classification: is of case 'vignette-widow', not 'demo-maya'",
        ),
        ({"course": "other"}, "^course: is the course of another case"),
        ({"plan": "mine", "course": "mine"}, "^plan: give a plan or a course"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict[str, Any], match: str) -> None:
    case = vignette("demo")
    other = vignette("widow")
    given = {
        "classification": {"other": classify(other)},
        "course": {
            "other": Course.begin(other, plan_course("ipc", start=date(2026, 3, 9))),
            "mine": demo_course(),
        },
        "plan": {"mine": plan_course("ipc", start=date(2026, 3, 9))},
    }
    kwargs = {k: given.get(k, {}).get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(IptError, match=match):
        case_report(case, **kwargs)


def test_not_a_case_names_the_argument() -> None:
    with pytest.raises(IptError, match=r"^case: must be an iptcore\.Case, got dict"):
        case_report(document("demo"))  # type: ignore[arg-type]


def test_without_jinja2_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ImportError, match=r"'report' extra: pip install \"iptcore\[report\]\""):
        case_report(vignette("demo"))


def test_the_template_is_package_data() -> None:
    """The template ships inside the package (hatchling puts every file of it in the wheel)."""
    template = resources.files("iptcore.report") / "templates" / "case.html.j2"
    assert template.is_file()


# -- the command line ---------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_the_command_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(document("demo")), encoding="utf-8")
    course = tmp_path / "course.json"
    course.write_text(json.dumps(dump_course(demo_course())), encoding="utf-8")
    html = tmp_path / "case.html"
    status, said = run("report", str(case), "--course", str(course), "-o", str(html))
    assert status == 0
    assert html.read_text(encoding="utf-8") == case_report(vignette("demo"), course=demo_course())
    assert f"Report written to {html}" in said
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(dump_plan(plan_course("ipc", start=date(2026, 3, 9)))), encoding="utf-8"
    )
    status, text = run("report", str(case), "--plan", str(plan), "--deidentify", "--seed", "k")
    assert status == 1  # a plan of the original case is refused with --deidentify
    status, text = run("report", str(case), "--deidentify", "--seed", "k")
    assert status == 0
    assert text.startswith("<!DOCTYPE html>")
    assert "Maya" not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.json"], "iptcore: error: "),
        (["{case}", "-o", "{tmp}/no/such/dir/case.html"], "iptcore: error: --output: cannot write"),
        (["{case}", "--seed", "k"], "iptcore: error: seed: is the deidentification key"),
        (["{case}", "--deidentify"], "iptcore: error: seed: deidentify=True needs"),
        (["{bad}"], "iptcore: error: {bad}: invalid case, 2 problems: "),
    ],
)
def test_every_failure_is_one_error_line(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(document("demo")), encoding="utf-8")
    doc = document("demo")
    doc["onset"] = "2026-04-01"
    doc["people"][1]["closeness"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    args = [a.format(case=case, tmp=tmp_path, bad=bad) for a in argv]
    status, out = run("report", *args)
    err = capsys.readouterr().err
    assert status == 1
    assert out == ""
    assert err.startswith(message.format(bad=bad))
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_the_command_without_jinja2_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(document("demo")), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "jinja2", None)
    status, _ = run("report", str(case))
    err = capsys.readouterr().err
    assert status == 1
    assert (
        err
        == "iptcore: error: iptcore.report needs the 'report' extra: pip install \"iptcore[report]\"\n"
    )
