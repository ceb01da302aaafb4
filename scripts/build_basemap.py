"""Build the reports' offline basemap (sitroom/data/basemap/) from the npm package ``world-atlas``.

``world-atlas`` ships Natural Earth's 1:110m countries as TopoJSON. Reports draw their map with
matplotlib and never fetch tiles, so a small GeoJSON copy is kept in the repository. Regenerate it with

    npm pack world-atlas            # world-atlas-2.0.2.tgz
    python scripts/build_basemap.py world-atlas-2.0.2.tgz

The TopoJSON arcs are delta-encoded, quantised integers; decoding follows the TopoJSON specification
(https://github.com/topojson/topojson-specification): undo the deltas, apply the transform, and join
the arcs of each ring (a negative index ~i is arc i reversed; consecutive arcs share an end point).
Coordinates are rounded to 0.01° (about 1 km, far below what 1:110m resolves) to keep the file small.
"""

from __future__ import annotations

import argparse
import json
import tarfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "sitroom" / "data" / "basemap"
DIGITS = 2


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
            else:
                points.append((round(position[0], DIGITS), round(position[1], DIGITS)))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return [list(p) for p in points]


def feature(geometry: dict, arcs) -> dict | None:
    kind = geometry.get("type")
    if kind == "Polygon":
        coordinates = [ring(r, arcs) for r in geometry["arcs"]]
    elif kind == "MultiPolygon":
        coordinates = [[ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    else:
        return None  # 110m countries and land hold only (multi)polygons
    return {
        "type": "Feature",
        "id": geometry.get("id"),
        "properties": {"name": (geometry.get("properties") or {}).get("name")},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def convert(topology: dict, obj: str) -> dict:
    arcs = decode_arcs(topology)
    geometries = topology["objects"][obj]["geometries"]
    features = [f for f in (feature(g, arcs) for g in geometries) if f is not None]
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package", help="world-atlas-*.tgz from `npm pack world-atlas`, or its unpacked folder"
    )
    args = parser.parse_args()
    source = Path(args.package)
    files: dict[str, bytes] = {}
    if source.is_dir():
        for name in ("countries-110m.json", "LICENSE", "package.json"):
            files[name] = (source / name).read_bytes()
    else:
        with tarfile.open(source) as tar:
            for name in ("countries-110m.json", "LICENSE", "package.json"):
                member = tar.extractfile(f"package/{name}")
                assert member is not None, name
                files[name] = member.read()
    version = json.loads(files["package.json"])["version"]
    topology = json.loads(files["countries-110m.json"])
    TARGET.mkdir(parents=True, exist_ok=True)
    collection = convert(topology, "countries")
    (TARGET / "countries-110m.geojson").write_text(
        json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    (TARGET / "LICENSE-world-atlas").write_bytes(files["LICENSE"])
    print(f"{len(collection['features'])} countries from world-atlas {version} → {TARGET}")


if __name__ == "__main__":
    main()
