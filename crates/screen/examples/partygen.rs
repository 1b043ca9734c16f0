//! Generates a synthetic batch of shipment / transfer parties for the batch
//! benchmark (`bench/screen/batch.sh`): person names of many origins (incl.
//! Arabic transliterations), company names and vessel names, with a small
//! share of planted true hits: listed UN / OFAC names with realistic variation
//! (other transliteration, swapped order, dropped particles, a typo, case).
//!
//! `cargo run --release -p coalesce-screen --example partygen -- DATA OUT_DIR [N] [PLANTED_PERMILLE] [SEED]`
//!
//! Writes into OUT_DIR:
//! * `parties.csv`   `id,name,schema` (N rows);
//! * `truth.csv`     `id,list,reference,variant,listed_name` (planted rows only);
//! * `listnames.csv` `list,reference,strength,name`: every name of every entry
//!   (what a brute-force competitor screens against).

use coalesce_screen::eval::{syn_order, syn_particles, syn_translit, syn_typo, Rng};
use coalesce_screen::io::load_path;
use coalesce_screen::normalize::has_non_latin;
use coalesce_screen::{NameStrength, Schema};
use std::io::BufWriter;
use std::path::PathBuf;

const GIVEN: &[&str] = &[
    // Western / Nordic / Slavic / Latin
    "John",
    "Maria",
    "Peter",
    "Anna",
    "Lars",
    "Sofia",
    "Pierre",
    "Ingrid",
    "Tomasz",
    "Elena",
    "Olga",
    "Hans",
    "Klaus",
    "Giulia",
    "Marco",
    "Luis",
    "Carmen",
    "Jorge",
    "Ana",
    "Pedro",
    "Sven",
    "Erik",
    "Astrid",
    "Nils",
    "Katarzyna",
    "Piotr",
    "Ivan",
    "Dmitri",
    "Sergei",
    "Natalia",
    "Andrei",
    "Mikhail",
    "Yelena",
    "James",
    "Robert",
    "Sarah",
    "Emily",
    "David",
    "Michael",
    "Laura",
    "Thomas",
    "Jean",
    "Claire",
    "Francois",
    "Isabel",
    "Diego",
    "Mateus",
    "Joao",
    // Asian
    "Chen",
    "Wei",
    "Li",
    "Jun",
    "Yuki",
    "Hiroshi",
    "Kenji",
    "Min-jun",
    "Seo-yeon",
    "Priya",
    "Rahul",
    "Anil",
    "Sanjay",
    "Deepa",
    "Arjun",
    "Nguyen",
    "Thanh",
    "Somchai",
    "Budi",
    "Siti",
    // African
    "Kwame",
    "Chinedu",
    "Ngozi",
    "Oluwaseun",
    "Amara",
    "Kofi",
    "Abena",
    "Tendai",
    "Thabo",
    // Arabic / Persian / Turkish transliterations
    "Ahmed",
    "Ahmad",
    "Mohammed",
    "Muhammad",
    "Mohamed",
    "Mohamad",
    "Fatima",
    "Omar",
    "Umar",
    "Layla",
    "Karim",
    "Nadia",
    "Youssef",
    "Yusuf",
    "Samir",
    "Leila",
    "Rami",
    "Hana",
    "Tariq",
    "Mona",
    "Khalid",
    "Khaled",
    "Hussein",
    "Hassan",
    "Hasan",
    "Ali",
    "Abdullah",
    "Abdallah",
    "Abdulaziz",
    "Abdelrahman",
    "Ibrahim",
    "Ebrahim",
    "Mustafa",
    "Mostafa",
    "Saeed",
    "Said",
    "Walid",
    "Waleed",
    "Nasser",
    "Faisal",
    "Mahmoud",
    "Mahmud",
    "Jamal",
    "Salim",
    "Salem",
    "Reza",
    "Mehdi",
    "Hamid",
    "Farid",
    "Parisa",
    "Zahra",
    "Mehmet",
    "Ayse",
    "Emre",
    "Burak",
    "Aisha",
    "Aysha",
    "Mariam",
    "Maryam",
    "Noura",
    "Huda",
    "Rania",
    "Amal",
    "Bilal",
    "Anwar",
];

const FAMILY: &[&str] = &[
    "Smith",
    "Johansson",
    "Novak",
    "Okafor",
    "Tanaka",
    "Fernandes",
    "Kowalski",
    "Schneider",
    "Rossi",
    "Dubois",
    "Petrov",
    "Larsen",
    "Moreau",
    "Silva",
    "Keller",
    "Garcia",
    "Martinez",
    "Lopez",
    "Gonzalez",
    "Rodrigues",
    "Muller",
    "Fischer",
    "Weber",
    "Becker",
    "Hansen",
    "Nielsen",
    "Andersson",
    "Nilsson",
    "Virtanen",
    "Korhonen",
    "Ivanov",
    "Smirnov",
    "Popescu",
    "Horvat",
    "Nagy",
    "Kovacs",
    "Papadopoulos",
    "Wilson",
    "Brown",
    "Taylor",
    "Walker",
    "O'Brien",
    "McDonald",
    "van der Berg",
    "de Jong",
    "Bakker",
    "Wang",
    "Zhang",
    "Liu",
    "Huang",
    "Zhao",
    "Sato",
    "Suzuki",
    "Kim",
    "Park",
    "Lee",
    "Sharma",
    "Patel",
    "Singh",
    "Gupta",
    "Reddy",
    "Tran",
    "Pham",
    "Wijaya",
    "Santoso",
    "Mensah",
    "Adeyemi",
    "Nwosu",
    "Mutasa",
    "Dlamini",
    "Haddad",
    "Mansour",
    "Khoury",
    "Saleem",
    "Farouk",
    "Nassar",
    "Aziz",
    "Darwish",
    "Hamdan",
    "Bakr",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Sahin",
    "Hosseini",
    "Rahimi",
    "Karimi",
    "Tehrani",
    "Hashemi",
    "Mousavi",
    "Qureshi",
    "Siddiqui",
    "Chaudhry",
    "Malik",
    "Khan",
    "Rahman",
    "Hussain",
    "Abbas",
    "Ismail",
    "Osman",
    "Suleiman",
    "Ibrahim",
    "Abdullah",
    "Saleh",
    "Yousef",
];

/// Arabic family names used with a particle: "Al-Harbi", "El Sayed", "bin Laden" style.
const ARABIC_FAMILY: &[&str] = &[
    "Harbi", "Otaibi", "Qahtani", "Ghamdi", "Zahrani", "Shehri", "Dosari", "Mutairi", "Anazi",
    "Shamsi", "Mansouri", "Maktoum", "Nuaimi", "Kaabi", "Hashimi", "Sayed", "Masri", "Tamimi",
    "Jaber", "Sabah", "Thani", "Khalifa", "Hamad", "Rashid", "Obaidi", "Jubouri", "Dulaimi",
    "Husseini", "Amiri", "Baghdadi", "Zubaidi", "Sharif", "Khatib", "Najjar", "Attar",
];

const ORG_HEAD: &[&str] = &[
    "Gulf",
    "Nordic",
    "Blue Ocean",
    "Al Noor",
    "Meridian",
    "Red Sea",
    "Atlas",
    "Golden Star",
    "Silver Wave",
    "Caspian",
    "Baltic",
    "Pacific",
    "Atlantic",
    "Eastern",
    "Western",
    "Northern",
    "Horizon",
    "Sunrise",
    "Crescent",
    "Emerald",
    "Falcon",
    "Phoenix",
    "Orient",
    "Delta",
    "Sahara",
    "Arabian",
    "Levant",
    "Euphrates",
    "Tigris",
    "Nile",
    "Danube",
    "Rhine",
    "Sapphire",
    "Pearl",
    "Alpha",
    "Omega",
    "Summit",
    "Pioneer",
    "United",
    "Global",
    "Trans",
    "Inter",
    "Petro",
    "Hormuz",
    "Fujairah",
    "Jebel Ali",
    "Basra",
    "Aden",
    "Oman",
    "Qatar",
    "Kuwait",
    "Batumi",
    "Novorossiysk",
    "Singapore",
    "Rotterdam",
    "Antwerp",
    "Hamburg",
    "Piraeus",
    "Malta",
    "Cyprus",
    "Al Amal",
    "Al Baraka",
    "Al Rawabi",
    "Dar Al",
    "Bait Al",
    "Zenith",
    "Vanguard",
    "Sterling",
];
const ORG_BODY: &[&str] = &[
    "Petroleum",
    "Oil",
    "Oil & Gas",
    "Energy",
    "Bunkering",
    "Shipping",
    "Marine",
    "Maritime",
    "Tanker",
    "Logistics",
    "Trading",
    "General Trading",
    "Commodities",
    "Resources",
    "Fuels",
    "Refining",
    "Petrochemicals",
    "Navigation",
    "Freight",
    "Chartering",
    "Ship Management",
    "Offshore",
    "Holdings",
    "Investment",
    "Import Export",
    "Supply",
    "Exchange",
    "Finance",
];
const ORG_SUFFIX: &[&str] = &[
    "LLC",
    "Ltd",
    "Limited",
    "Co.",
    "Company",
    "Inc.",
    "Corp.",
    "GmbH",
    "AG",
    "SA",
    "S.A.",
    "BV",
    "NV",
    "AS",
    "AB",
    "Oy",
    "SpA",
    "SRL",
    "FZE",
    "FZCO",
    "DMCC",
    "JSC",
    "PJSC",
    "LLP",
    "Pte Ltd",
    "Sdn Bhd",
    "Trading Co. LLC",
    "Group",
    "Holding",
    "& Sons",
    "W.L.L.",
    "",
];
const VESSEL_PREFIX: &[&str] = &["MT", "M/T", "MV", "M/V", "", "", ""];
const VESSEL_A: &[&str] = &[
    "Ocean", "Sea", "Star", "Pacific", "Atlantic", "Golden", "Silver", "Blue", "Royal", "Grand",
    "Nordic", "Arctic", "Desert", "Crystal", "Pearl", "Coral", "Eagle", "Lady", "Princess",
    "Captain", "Stena", "Maersk", "Gulf", "Aegean", "Hellas", "Kapitan", "Akademik", "Sun",
];
const VESSEL_B: &[&str] = &[
    "Pearl",
    "Spirit",
    "Glory",
    "Pride",
    "Venture",
    "Voyager",
    "Explorer",
    "Navigator",
    "Trader",
    "Carrier",
    "Queen",
    "Star",
    "Wind",
    "Wave",
    "Horizon",
    "Breeze",
    "Dawn",
    "Legend",
    "Fortune",
    "Harmony",
    "Unity",
    "Hope",
    "Victory",
    "Express",
    "Progress",
    "Endeavour",
    "Dolphin",
    "Falcon",
];
const ROMAN: &[&str] = &[
    "", "", "", "", "I", "II", "III", "IV", "V", "1", "2", "7", "9",
];

fn pick<'a>(rng: &mut Rng, v: &[&'a str]) -> &'a str {
    v[rng.below(v.len())]
}

fn person(rng: &mut Rng) -> String {
    let r = rng.below(100);
    if r < 30 {
        // Arabic: Given [bin|ibn|""] Father [Al-|Al |El |al-]Family
        let given = pick(rng, GIVEN);
        let mut s = given.to_string();
        if rng.below(2) == 0 {
            match rng.below(4) {
                0 => s.push_str(" bin "),
                1 => s.push_str(" ibn "),
                _ => s.push(' '),
            }
            s.push_str(pick(rng, GIVEN));
        }
        let part = pick(rng, &["Al-", "Al ", "El-", "El ", "al-", "Al"]);
        s.push(' ');
        s.push_str(part);
        s.push_str(pick(rng, ARABIC_FAMILY));
        s
    } else if r < 45 {
        // Family-first (registers, East Asian order, "SURNAME, Given")
        let f = pick(rng, FAMILY);
        let g = pick(rng, GIVEN);
        if rng.below(2) == 0 {
            format!("{}, {g}", f.to_uppercase())
        } else {
            format!("{f} {g}")
        }
    } else {
        let mut s = pick(rng, GIVEN).to_string();
        if rng.below(3) == 0 {
            s.push(' ');
            s.push_str(pick(rng, GIVEN));
        }
        s.push(' ');
        s.push_str(pick(rng, FAMILY));
        if rng.below(8) == 0 {
            s.push('-');
            s.push_str(pick(rng, FAMILY));
        }
        s
    }
}

fn company(rng: &mut Rng) -> String {
    let mut s = format!("{} {}", pick(rng, ORG_HEAD), pick(rng, ORG_BODY));
    if rng.below(4) == 0 {
        s = format!("{} {}", pick(rng, FAMILY), pick(rng, ORG_BODY));
    }
    let suf = pick(rng, ORG_SUFFIX);
    if !suf.is_empty() {
        s.push(' ');
        s.push_str(suf);
    }
    if rng.below(10) == 0 {
        s = s.to_uppercase();
    }
    s
}

fn vessel(rng: &mut Rng) -> String {
    let mut s = String::new();
    let p = pick(rng, VESSEL_PREFIX);
    if !p.is_empty() {
        s.push_str(p);
        s.push(' ');
    }
    if rng.below(4) == 0 {
        s.push_str(pick(rng, GIVEN));
    } else {
        s.push_str(pick(rng, VESSEL_A));
        s.push(' ');
        s.push_str(pick(rng, VESSEL_B));
    }
    let r = pick(rng, ROMAN);
    if !r.is_empty() {
        s.push(' ');
        s.push_str(r);
    }
    if rng.below(2) == 0 {
        s = s.to_uppercase();
    }
    s
}

/// Swaps the first word to the end: `First Middle Last` -> `Middle Last First`.
fn rotate(name: &str) -> Option<String> {
    let w: Vec<&str> = name.split_whitespace().collect();
    if w.len() < 2 {
        return None;
    }
    Some(format!("{} {}", w[1..].join(" "), w[0]))
}

/// Drops a legal-form suffix (`LLC`, `Ltd`, ...) of a company name.
fn drop_suffix(name: &str) -> Option<String> {
    let w: Vec<&str> = name.split_whitespace().collect();
    let last = w.last()?.trim_end_matches('.').to_ascii_lowercase();
    let forms = [
        "llc",
        "ltd",
        "limited",
        "co",
        "company",
        "inc",
        "corp",
        "corporation",
        "gmbh",
        "sa",
        "fze",
        "jsc",
        "plc",
        "llp",
        "establishment",
        "est",
    ];
    (w.len() >= 3 && forms.contains(&last.as_str())).then(|| w[..w.len() - 1].join(" "))
}

/// A realistic variant of a listed name and what was done to it.
fn variant(name: &str, schema: Schema, rng: &mut Rng) -> (String, &'static str) {
    for _ in 0..6 {
        let k = rng.below(if schema == Schema::Person { 8 } else { 5 });
        let v = match k {
            0 => Some((name.to_string(), "exact")),
            1 => syn_typo(name, rng).map(|v| (v, "typo")),
            2 => syn_translit(name, rng).map(|v| (v, "transliteration")),
            3 => syn_particles(name).map(|v| (v, "particles_dropped")),
            4 => {
                if schema == Schema::Person {
                    Some((name.to_uppercase(), "upper_case"))
                } else {
                    drop_suffix(name).map(|v| (v, "legal_form_dropped"))
                }
            }
            5 => syn_order(name).map(|v| (v, "surname_first_comma")),
            6 => rotate(name).map(|v| (v, "order_swapped")),
            _ => syn_translit(name, rng)
                .and_then(|v| syn_typo(&v, rng))
                .map(|v| (v, "transliteration+typo")),
        };
        if let Some(v) = v {
            if !v.0.trim().is_empty() {
                return v;
            }
        }
    }
    (name.to_string(), "exact")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: partygen DATA OUT_DIR [N] [PLANTED_PERMILLE] [SEED]";
    let data = args.first().ok_or(usage)?;
    let out = PathBuf::from(args.get(1).ok_or(usage)?);
    let n: usize = args.get(2).map_or(Ok(1_000_000), |s| s.parse())?;
    let permille: usize = args.get(3).map_or(Ok(7), |s| s.parse())?;
    let seed: u64 = args.get(4).map_or(Ok(20_260_227), |s| s.parse())?;
    let lists = load_path(std::path::Path::new(data))?;
    std::fs::create_dir_all(&out)?;

    // Every name of every entry, for the brute-force competitor; plantable names:
    // Latin-script strong names (primary and strong aliases).
    let mut names = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(
        out.join("listnames.csv"),
    )?));
    names.write_record(["list", "reference", "strength", "name"])?;
    let mut plantable: Vec<(&str, &str, Schema, &str)> = Vec::new();
    for l in &lists {
        for e in &l.entities {
            for nm in &e.names {
                let strength = match nm.strength {
                    NameStrength::Strong => "strong",
                    NameStrength::Weak => "weak",
                    NameStrength::OriginalScript => "original",
                };
                names.write_record([&e.list, &e.reference, strength, &nm.value])?;
                if nm.strength == NameStrength::Strong
                    && !has_non_latin(&nm.value)
                    && nm.value.split_whitespace().count() >= 2
                {
                    plantable.push((&e.list, &e.reference, e.schema, &nm.value));
                }
            }
        }
    }
    names.flush()?;

    let mut rng = Rng::new(seed);
    let mut parties = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(
        out.join("parties.csv"),
    )?));
    let mut truth = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(
        out.join("truth.csv"),
    )?));
    parties.write_record(["id", "name", "schema"])?;
    truth.write_record(["id", "list", "reference", "variant", "listed_name"])?;
    let mut planted = 0usize;
    for i in 0..n {
        let id = format!("p{i:07}");
        if !plantable.is_empty() && rng.below(1000) < permille {
            let (list, reference, schema, name) = plantable[rng.below(plantable.len())];
            let (v, kind) = variant(name, schema, &mut rng);
            // Shipment data often lacks the party type: leave it out for a third.
            let sch = if rng.below(3) == 0 {
                ""
            } else {
                schema.as_str()
            };
            parties.write_record([id.as_str(), &v, sch])?;
            truth.write_record([id.as_str(), list, reference, kind, name])?;
            planted += 1;
        } else {
            let (name, schema) = match rng.below(100) {
                0..=49 => (person(&mut rng), Schema::Person),
                50..=84 => (company(&mut rng), Schema::Organization),
                _ => (vessel(&mut rng), Schema::Vessel),
            };
            let sch = if rng.below(3) == 0 {
                ""
            } else {
                schema.as_str()
            };
            parties.write_record([id.as_str(), &name, sch])?;
        }
    }
    parties.flush()?;
    truth.flush()?;
    eprintln!(
        "partygen: {n} parties, {planted} planted hits ({:.2}%), {} plantable listed names; written to {}",
        100.0 * planted as f64 / n.max(1) as f64,
        plantable.len(),
        out.display()
    );
    Ok(())
}
