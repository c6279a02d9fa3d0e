"""The pictures as a browser shows them: the closeness circle, the timeline, the state diagram
and the docs' landing page.

An SVG can be well-formed and still draw nothing (a wrong viewBox, text outside the canvas, a
page whose images do not load), or draw text too small to read once the page scales it down.
These tests render the pictures in headless Chromium (Debian's ``chromium``, which ``.ci/run``
installs): the landing page to a PNG that must not be blank, and each picture at the width the
docs show it, where the browser measures every text (its size on screen and its box) so that
the tests can require legible, unoverlapping labels. Without a ``chromium`` binary those tests
skip with the reason; the SVG parse checks run everywhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from iptcore import classify
from iptcore.draw import closeness_svg, state_diagram_svg, timeline_svg
from iptcore.vignettes import VIGNETTES, vignette

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def chromium() -> str:
    """The path of a Chromium binary, or skip the test saying why."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary on PATH (.ci/run installs Debian's chromium)")


def screenshot(url: str, png: Path, profile: Path, size: str = "800,800") -> None:
    """Render ``url`` headless to ``png``: no sandbox, GPU, network services or profile reuse."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={size}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0 or not png.is_file():
        tail = "\n".join(result.stderr.strip().splitlines()[-10:])
        pytest.fail(f"chromium made no screenshot (exit {result.returncode}):\n{tail}")


def pixels(png: Path) -> Any:
    """The decoded image as a float array of shape (height, width, channels)."""
    image = pytest.importorskip("matplotlib.image")
    return image.imread(png)


def assert_not_blank(png: Path) -> None:
    """The picture has content: its grey levels vary and a fair share of it is not background."""
    import numpy as np

    rgb = pixels(png)[..., :3]
    grey = rgb.mean(axis=2)
    assert min(grey.shape) > 100, f"{png.name} is only {grey.shape}"
    assert float(grey.std()) > 0.02, f"{png.name} is one flat colour (std {grey.std():.4f})"
    colours, counts = np.unique(rgb.reshape(-1, 3).round(2), axis=0, return_counts=True)
    background = counts.max() / counts.sum()
    assert background < 0.985, f"{png.name} is {background:.1%} one colour: nearly blank"
    assert len(colours) > 20, f"{png.name} has only {len(colours)} colours"


# -- runs everywhere -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_closeness_circle_svg_parses_with_its_rings_and_people(name: str) -> None:
    """Each vignette's closeness circle is well-formed SVG with four rings [MUFSON2004; DIETZ2015]."""
    case = vignette(name)
    root = ET.fromstring(closeness_svg(case.inventory))
    assert root.tag == f"{SVG}svg"
    assert len(root.get("viewBox", "").split()) == 4
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}desc") is not None
    rings = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "ring"]
    assert len(rings) == 4  # "Empty rings still show"
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for person in case.people:
        assert (person.name or person.id) in text


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_timeline_svg_parses(name: str) -> None:
    """Each vignette's timeline is well-formed SVG with a title and a description."""
    from iptcore import classify

    case = vignette(name)
    root = ET.fromstring(timeline_svg(case, classify(case)))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None


# -- in a browser ---------------------------------------------------------------------------------------


def test_closeness_circle_renders_in_chromium(tmp_path: Path) -> None:
    """The demo's closeness circle, as a browser draws it, is a picture and not a blank page."""
    chromium()
    svg = tmp_path / "closeness.svg"
    svg.write_text(closeness_svg(vignette("demo").inventory), encoding="utf-8")
    png = tmp_path / "closeness.png"
    screenshot(svg.as_uri(), png, tmp_path / "profile")
    assert_not_blank(png)


@pytest.fixture(scope="module")
def docs_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built by Sphinx into a temporary folder (once for these tests)."""
    for module in ("sphinx", "myst_parser", "furo", "sphinx_copybutton"):
        pytest.importorskip(module, reason=f"the docs extra is not installed ({module})")
    tmp_path = tmp_path_factory.mktemp("docs")
    out = tmp_path / "html"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            "docs",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert build.returncode == 0, build.stderr[-3000:]
    return out


def test_docs_landing_page_renders_in_chromium(docs_html: Path, tmp_path: Path) -> None:
    """The documentation's landing page, built by Sphinx, shows text and its picture in a browser."""
    chromium()
    index = docs_html / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "quickstart-closeness.svg" in html  # the landing page shows the closeness circle
    assert (docs_html / "_images" / "quickstart-closeness.svg").is_file()
    png = tmp_path / "index.png"
    screenshot(index.as_uri(), png, tmp_path / "profile", size="1200,1400")
    assert_not_blank(png)


def test_the_inventory_page_shows_its_closeness_circle(docs_html: Path) -> None:
    """The section "The closeness circle as a picture" shows the picture, drawn from the page's
    own case when the docs are built."""
    html = (docs_html / "inventory.html").read_text(encoding="utf-8")
    section = html[html.index("The closeness circle as a picture") :]
    assert "inventory-closeness.svg" in section.split("<h2", 1)[0]
    svg = (docs_html / "_images" / "inventory-closeness.svg").read_text(encoding="utf-8")
    assert "Closeness circle of case inventory-demo" in svg


def test_api_signatures_are_short_and_say_their_defaults(docs_html: Path) -> None:
    """No signature on any page shows a default's whole repr, a function's address or attrs'
    NOTHING: classify's default reads ``rules=DEFAULT_RULES``, SimulationParams' computed
    defaults ``...``, and VIGNETTES is documented without its 5,000-character value."""
    signatures = {}
    for page in sorted(docs_html.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for found in re.finditer(
            r'<dt class="sig sig-object py"[^>]*>(.*?)</dt>', text, flags=re.S
        ):
            words = html_text(found.group(1))
            name = re.match(r"(?:class\s+)?([\w.]+)", words)
            signatures[name.group(1) if name else words] = words
            assert " at 0x" not in words, words[:200]
            assert "NOTHING" not in words, words[:200]
            assert "attr_dict" not in words, words[:200]
            assert len(words) < 600, words[:200]
    assert "rules=DEFAULT_RULES" in signatures["iptcore.classify"]
    assert "baseline_mean=..." in signatures["iptcore.SimulationParams"]
    assert len(signatures["iptcore.vignettes.VIGNETTES"]) < 100


def html_text(fragment: str) -> str:
    """The words of an HTML fragment."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00b6", "").strip()


# -- measured in a browser, at the width the docs show each picture -------------------------------

#: The widths the docs give the pictures: the landing page shows the closeness circle at 560 px
#: (docs/index.md); other pages show a picture at its own width, up to the page's text column
#: (the furo theme's 46em, about 736 px, less the figure's padding).
CIRCLE_WIDTH = 560
COLUMN = 728
LEGIBLE = 11.0  # px on screen: the least text size anyone should have to read

_MEASURE = """
const found = {};
for (const holder of document.querySelectorAll('div[data-name]')) {
  const svg = holder.querySelector('svg');
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const kind = (e) => e.getAttribute('class') || (e.parentElement && e.parentElement.getAttribute('class')) || '';
  const texts = [];
  for (const t of svg.querySelectorAll('text')) {
    let size = parseFloat(getComputedStyle(t).fontSize);
    for (const s of t.querySelectorAll('tspan')) size = Math.min(size, parseFloat(getComputedStyle(s).fontSize));
    texts.push({kind: kind(t), size: size * t.getScreenCTM().a, box: box(t), words: t.textContent,
                halo: t.getAttribute('paint-order') === 'stroke'});
  }
  const marks = {};
  for (const cls of ['onset', 'assessed', 'anchor', 'person', 'event', 'axis']) {
    marks[cls] = [...svg.querySelectorAll('.' + cls)].map((e) => {
      const c = e.tagName === 'g' ? e.querySelector('circle') || e : e; return box(c); });
  }
  found[holder.dataset.name] = {svg: box(svg), texts: texts, marks: marks};
}
const pre = document.createElement('pre'); pre.id = 'measured';
pre.textContent = JSON.stringify(found); document.body.appendChild(pre);
"""


def measure(pictures: dict[str, tuple[str, int]], tmp_path: Path) -> dict[str, Any]:
    """Each SVG text drawn in Chromium at its width on the page (px): every text's size on screen,
    its box, and the boxes of the marks the tests look at."""
    browser = chromium()
    holders = "".join(
        f"<div data-name='{name}' style='width:{width}px'>"
        + re.sub(
            r"<svg ", f"<svg style='width:{width}px;height:auto;display:block' ", svg, count=1
        ).split("?>", 1)[-1]
        + "</div>"
        for name, (svg, width) in pictures.items()
    )
    page = tmp_path / "measure.html"
    page.write_text(
        f"<!DOCTYPE html><html><body style='margin:0'>{holders}<script>{_MEASURE}</script>"
        "</body></html>",
        encoding="utf-8",
    )
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r"<pre id=\"measured\">(.*?)</pre>", result.stdout, flags=re.S)
    if result.returncode != 0 or found is None:
        pytest.fail(
            f"chromium measured nothing (exit {result.returncode}):\n{result.stderr[-2000:]}"
        )
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    measured: dict[str, Any] = json.loads(text)
    return measured


Box = tuple[float, float, float, float]


def _meet(a: Box, b: Box, slack: float = 0.5) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def _legible(name: str, picture: dict[str, Any]) -> None:
    small = [(t["words"], round(t["size"], 1)) for t in picture["texts"] if t["size"] < LEGIBLE]
    assert not small, f"{name}: text under {LEGIBLE} px on screen: {small}"


def _apart(name: str, texts: list[dict[str, Any]]) -> None:
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert not _meet(a["box"], b["box"]), f"{name}: {a['words']!r} covers {b['words']!r}"


def test_closeness_circles_read_at_the_landing_pages_width(tmp_path: Path) -> None:
    """At 560 px, as the landing page shows it: every text 11 px or more on screen, no label over
    another label, another person's mark or the key, and the drawing filling the width (the key
    no longer pinned far right of the circle)."""
    measured = measure(
        {name: (closeness_svg(vignette(name)), CIRCLE_WIDTH) for name in sorted(VIGNETTES)},
        tmp_path,
    )
    for name, picture in measured.items():
        _legible(name, picture)
        labels = [t for t in picture["texts"] if t["kind"] == "label"]
        others = [t for t in picture["texts"] if t["kind"] != "label"]
        _apart(name, labels)
        for label in labels:
            for other in others:
                assert not _meet(label["box"], other["box"]), (name, label["words"], other["words"])
        marks = picture["marks"]["person"]
        for label in labels:
            assert sum(_meet(label["box"], m) for m in marks) <= 1, (name, label["words"])
        left, _, right, _ = picture["svg"]
        ink = [t["box"] for t in picture["texts"]] + marks
        used = max(b[2] for b in ink) - min(b[0] for b in ink)
        assert used >= 0.75 * (right - left), (
            f"{name}: drawing uses {used:.0f} of {right - left:.0f} px"
        )


def test_timelines_read_at_the_docs_width(tmp_path: Path) -> None:
    """At the docs' column width: text 11 px or more on screen, no label over another, each
    candidate its own disc (none overlapping), no event label or tick struck through by the onset
    or assessment line (a label that cannot keep clear has a rim that stops the line short), and
    what happened filling most of the axis rather than a third of it."""
    pictures = {}
    for name in sorted(VIGNETTES):
        case = vignette(name)
        svg = timeline_svg(case, classify(case))
        pictures[name] = (svg, min(COLUMN, round(float(re.findall(r"width='([0-9.]+)'", svg)[0]))))
    for name, picture in measure(pictures, tmp_path).items():
        case = vignette(name)
        _legible(name, picture)
        _apart(name, [t for t in picture["texts"] if t["kind"] != "anchor"])
        anchors = picture["marks"]["anchor"]
        assert len(anchors) == len(classify(case).candidates)
        for i, a in enumerate(anchors):
            for b in anchors[i + 1 :]:
                assert not _meet(a, b), f"{name}: two candidates' discs overlap"
        lines = picture["marks"]["onset"] + picture["marks"]["assessed"]
        for text in picture["texts"]:
            if text["kind"] in ("event-label", "tick-label") and not text["halo"]:
                for line in lines:
                    assert not _meet(text["box"], line, 0.0), f"{name}: {text['words']!r} struck"
        marks = picture["marks"]["event"] + anchors
        first = min(m[0] for m in marks) if marks else None
        axis = picture["marks"]["axis"]
        if first is not None:
            start, end = min(a[0] for a in axis), max(a[2] for a in axis)
            assessed = picture["marks"]["assessed"][0][0]
            assert assessed - first >= 0.45 * (end - start), f"{name}: the events are squeezed"


def test_state_diagram_reads_at_the_docs_width(tmp_path: Path) -> None:
    """The course page shows the state diagram at the column's width: text 11 px or more on
    screen, and no text over another."""
    svg = state_diagram_svg()
    width = min(COLUMN, round(float(re.findall(r"width='([0-9.]+)'", svg)[0])))
    (picture,) = measure({"states": (svg, width)}, tmp_path).values()
    _legible("states", picture)
    _apart("states", picture["texts"])


# -- the case report -----------------------------------------------------------------------------------

# Added to a copy of the page only: it writes where each section and picture was laid out into the
# DOM, which ``--dump-dom`` prints. The page itself has no script.
_PROBE = """<script>
const box = e => { const r = e.getBoundingClientRect();
  return {id: e.id || e.closest('section').id, tag: e.tagName.toLowerCase(),
          x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; };
document.documentElement.setAttribute('data-boxes', JSON.stringify({
  height: document.documentElement.scrollHeight,
  boxes: [...document.querySelectorAll('section, section svg')].map(box)}));
</script>"""


def layout(page: Path, profile: Path, width: int) -> dict[str, Any]:
    """The page's height and the boxes of its sections and pictures, as Chromium lays them out."""
    import html
    import json
    import re

    probe = page.with_name("probe.html")
    probe.write_text(
        page.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8"
    )
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    command += [f"--user-data-dir={profile}", f"--window-size={width},1000", "--dump-dom"]
    result = subprocess.run(
        [*command, probe.as_uri()], capture_output=True, text=True, timeout=120, check=False
    )
    found = re.search(r'data-boxes="([^"]*)"', result.stdout)
    assert found, f"chromium dumped no layout (exit {result.returncode}): {result.stderr[-500:]}"
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


def assert_region_drawn(rgb: Any, box: dict[str, Any], what: str) -> None:
    """The region of ``box`` holds something drawn: its grey levels vary, not all background."""
    import numpy as np

    x, y = round(box["x"]), round(box["y"])
    region = rgb[y : y + round(box["h"]), x : x + round(box["w"])]
    assert min(region.shape[:2]) > 40, f"{what} is only {region.shape[:2]} pixels"
    grey = region.mean(axis=2)
    assert float(grey.std()) > 0.05, f"{what} is one flat colour (std {grey.std():.4f})"
    _, counts = np.unique(region.reshape(-1, 3).round(2), axis=0, return_counts=True)
    assert counts.max() / counts.sum() < 0.97, f"{what} is nearly blank"


def test_case_report_renders_every_section_in_chromium(tmp_path: Path) -> None:
    """The case report of a course, opened in Chromium: every section and every picture is laid out
    where the screenshot shows something drawn."""
    chromium()
    pytest.importorskip("jinja2", reason="the report extra is not installed")
    from datetime import date

    from iptcore import Course, classify, plan_course
    from iptcore.report import case_report

    case = vignette("demo")
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=classify(case))
    course = Course.begin(case, plan).hold(measures={"phq9": [2, 2, 1, 2, 1, 1, 1, 1, 0]})
    page = tmp_path / "report.html"
    page.write_text(case_report(case, course=course.miss(reason="ill")), encoding="utf-8")
    width = 1000
    found = layout(page, tmp_path / "probe-profile", width)
    png = tmp_path / "report.png"
    screenshot(page.as_uri(), png, tmp_path / "profile", size=f"{width},{found['height']}")
    rgb = pixels(png)[..., :3]
    assert rgb.shape[0] >= found["height"] - 1
    sections = [b for b in found["boxes"] if b["tag"] == "section"]
    assert [b["id"] for b in sections] == [
        "inventory",
        "timeline",
        "classification",
        "cautions",
        "formulation",
        "sessions",
        "trajectory",
    ]
    for box in sections:
        assert_region_drawn(rgb, box, f"section {box['id']}")
    pictures = [b for b in found["boxes"] if b["tag"] == "svg"]
    assert [b["id"] for b in pictures] == ["inventory", "timeline", "trajectory", "trajectory"]
    for box in pictures:
        assert box["w"] > 300, f"a picture in {box['id']} is {box['w']} pixels wide"
        assert_region_drawn(rgb, box, f"the picture in {box['id']}")
