"""The pictures as a browser shows them: the closeness circle and the docs' landing page.

An SVG can be well-formed and still draw nothing (a wrong viewBox, text outside the canvas, a
page whose images do not load). These tests render the closeness circle and the landing page of
the documentation in headless Chromium (Debian's ``chromium``, which ``.ci/run`` installs) to a PNG,
decode it and require that it is not blank: its pixels must vary. Without a ``chromium`` binary
those tests skip with the reason; the SVG parse checks run everywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from iptcore.draw import closeness_svg, timeline_svg
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
    """Each vignette's closeness circle is well-formed SVG with four rings (Dietz et al. 2018)."""
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


def test_docs_landing_page_renders_in_chromium(tmp_path: Path) -> None:
    """The documentation's landing page, built by Sphinx, shows text and its picture in a browser."""
    chromium()
    for module in ("sphinx", "myst_parser", "furo", "sphinx_copybutton"):
        pytest.importorskip(module, reason=f"the docs extra is not installed ({module})")
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
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "quickstart-closeness.svg" in html  # the landing page shows the closeness circle
    assert (out / "_images" / "quickstart-closeness.svg").is_file()
    png = tmp_path / "index.png"
    screenshot(index.as_uri(), png, tmp_path / "profile", size="1200,1400")
    assert_not_blank(png)


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
