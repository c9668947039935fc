"""Render docs/architecture.yml (boxes on a grid, labelled edges) as docs/architecture.svg.

A dependency-free stand-in for Graphviz, which is not installed here: the
picture in the README is generated from a text source kept in the repository.
Usage: python scripts/architecture.py [SOURCE [TARGET]]; --check fails when TARGET is stale.
"""

import html
import sys
from pathlib import Path

import yaml

CELL_W, CELL_H, BOX_W, BOX_H, MARGIN, TOP = 268, 104, 244, 70, 20, 44
COLOURS = {"outside": "#ffffff", "global": "#fde9c8", "region": "#dbe8fb", "other": "#eeeeee"}


def box_xy(box):
    """Top-left corner of a box's rectangle."""
    return MARGIN + box["col"] * CELL_W, TOP + box["row"] * CELL_H


def anchor(box, other):
    """The middle of the side of `box` that faces `other`."""
    x, y = box_xy(box)
    if box["row"] == other["row"]:
        return (x + BOX_W, y + BOX_H / 2) if other["col"] > box["col"] else (x, y + BOX_H / 2)
    return (x + BOX_W / 2, y + BOX_H) if other["row"] > box["row"] else (x + BOX_W / 2, y)


def render(spec):
    """The SVG document of one spec."""
    boxes = spec["boxes"]
    cols = 1 + max(b["col"] for b in boxes.values())
    rows = 1 + max(b["row"] for b in boxes.values())
    width, height = 2 * MARGIN + cols * CELL_W, TOP + rows * CELL_H + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">'
        '<path d="M0,0 L10,4 L0,8 z" fill="#444"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{MARGIN}" y="26" font-size="15" font-weight="bold">{html.escape(spec["title"])}</text>',
    ]
    for name, box in boxes.items():
        x, y = box_xy(box)
        dash = ' stroke-dasharray="5,3"' if box["kind"] == "other" else ""
        out.append(f'<rect id="{name}" x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                   f'fill="{COLOURS[box["kind"]]}" stroke="#444"{dash}/>')
        for i, line in enumerate(box["label"]):
            weight = ' font-weight="bold"' if i == 0 else ""
            out.append(f'<text x="{x + BOX_W / 2}" y="{y + 20 + i * 17}" text-anchor="middle"{weight}>'
                       f"{html.escape(line)}</text>")
    for source, target, label in spec["edges"]:
        (x1, y1), (x2, y2) = anchor(boxes[source], boxes[target]), anchor(boxes[target], boxes[source])
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#444" marker-end="url(#arrow)"/>')
        if label:
            out.append(f'<text x="{(x1 + x2) / 2 + 6}" y="{(y1 + y2) / 2 + 4}" fill="#333" font-style="italic">'
                       f"{html.escape(label)}</text>")
    x = MARGIN
    for kind, text in spec["legend"].items():
        out.append(f'<rect x="{x}" y="{height - 22}" width="14" height="14" fill="{COLOURS[kind]}" stroke="#444"/>')
        out.append(f'<text x="{x + 20}" y="{height - 11}">{html.escape(text)}</text>')
        x += 40 + 7 * len(text)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    """Write (or with --check, compare) the SVG."""
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    top = Path(__file__).resolve().parent.parent
    source = Path(args[0]) if args else top / "docs/architecture.yml"
    target = Path(args[1]) if len(args) > 1 else top / "docs/architecture.svg"
    svg = render(yaml.safe_load(source.read_text(encoding="utf-8")))
    if check:
        if not target.is_file() or target.read_text(encoding="utf-8") != svg:
            sys.exit(f"{target} is stale: run python scripts/architecture.py")
        return
    target.write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
