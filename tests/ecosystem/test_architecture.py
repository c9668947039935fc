"""The README's picture, docs/architecture.svg, is what its text source renders to."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

TOP = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def test_committed_svg_is_rendered_from_its_source():
    result = subprocess.run([sys.executable, str(TOP / "scripts/architecture.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_box_and_edge_of_the_source_is_drawn():
    spec = yaml.safe_load((TOP / "docs/architecture.yml").read_text(encoding="utf-8"))
    root = ET.parse(TOP / "docs/architecture.svg").getroot()
    drawn = {rect.get("id") for rect in root.iter(SVG + "rect") if rect.get("id")}
    assert drawn == set(spec["boxes"])
    assert len(list(root.iter(SVG + "line"))) == len(spec["edges"])
    assert all(edge[0] in spec["boxes"] and edge[1] in spec["boxes"] for edge in spec["edges"])
