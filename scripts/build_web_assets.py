"""Vendor the workbench's JavaScript/CSS and basemap from npm packages into the package.

    python scripts/build_web_assets.py [--from DIR]

Runs ``npm pack`` for the pinned packages (or reads the tarballs already in ``--from DIR``), copies the
built files the workbench uses with each package's licence into
``sitroom/present/web/static/vendor/``, and converts world-atlas's 110m countries TopoJSON to GeoJSON
with the small decoder below (so nothing is fetched or converted at run time). Re-run it to update a
pinned version and review the diff.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO / "sitroom" / "present" / "web" / "static" / "vendor"
PACKAGES = {"leaflet": "1.9.4", "leaflet.markercluster": "1.5.3", "world-atlas": "2.0.2"}
FILES = {
    "leaflet": ["dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png",
                "dist/images/marker-icon.png", "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png",
                "LICENSE"],
    "leaflet.markercluster": ["dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
                              "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt"],
    "world-atlas": ["LICENSE"],
}  # fmt: skip


def topojson_to_geojson(topology: dict, name: str) -> dict:
    """A FeatureCollection of one object of a TopoJSON topology (quantized, delta-encoded arcs)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * scale[0] + translate[0], 4), round(y * scale[1] + translate[1], 4)])
        arcs.append(points)

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for index in indexes:
            part = arcs[index] if index >= 0 else arcs[~index][::-1]
            points += part[1:] if points else part  # consecutive arcs share their joining point
        return points

    features = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates = [ring(r) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append({
            "type": "Feature", "id": geometry.get("id"),
            "properties": {"name": geometry.get("properties", {}).get("name")},
            "geometry": {"type": kind, "coordinates": coordinates},
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder holding the npm tarballs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = args.source or work
        if args.source is None:
            specs = [f"{name}@{version}" for name, version in PACKAGES.items()]
            subprocess.run(["npm", "pack", *specs], cwd=work, check=True, capture_output=True)
        for name, version in PACKAGES.items():
            unpacked = work / f"x-{name}"
            with tarfile.open(source / f"{name}-{version}.tgz") as archive:
                archive.extractall(unpacked, filter="data")
            package = unpacked / "package"
            target = VENDOR / name
            shutil.rmtree(target, ignore_errors=True)
            for file in FILES[name]:
                destination = target / file.removeprefix("dist/")
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(package / file, destination)
            (target / "VERSION").write_text(f"{name} {version} (npm)\n")
            if name == "world-atlas":
                topology = json.loads((package / "countries-110m.json").read_text())
                geojson = topojson_to_geojson(topology, "countries")
                (target / "countries-110m.geojson").write_text(json.dumps(geojson, separators=(",", ":")))
    print(f"vendored {', '.join(PACKAGES)} into {VENDOR.relative_to(REPO)}")


if __name__ == "__main__":
    main()
