//! The demo's coordination picture: the requirements of Iraq, the
//! contributions of the seed documents (Amerli, Germany's aircraft of
//! equipment, Canada's advisers, the training camps for the Syrian
//! opposition in SAU, TUR and QAT, training and mentoring in JOR, GEO and
//! IRQ, the 200 + 300 U.S. forces in Syria, stabilisation of retaken towns)
//! and the campaign indicators with the figures the documents give, each
//! dated as the documents date it.
//!
//! The documents name what was given, by whom and when; they rarely give
//! quantities. Where a record needs one that the documents do not state,
//! the description says "quantity illustrative".

use crate::demo_sources::keep;
use anyhow::{Context, Result};
use coalesce_domain::indicators::{IndicatorDraft, ValueDraft};
use coalesce_domain::needs::{
    AdminArea, ContributionDraft, DeliveryDraft, Measure, Place, RequirementDraft, Window,
};
use coalesce_domain::source::{Source, Subject};
use coalesce_domain::Marking;
use coalesce_store::{Principal, Store};
use std::collections::BTreeMap;

/// (name, P-code) of the Iraqi governorates the demo uses (OCHA COD-AB).
const ERBIL: (&str, &str) = ("Erbil", "IQG11");
const SALAH_AL_DIN: (&str, &str) = ("Salah Al-Din", "IQG16");
const BAGHDAD: (&str, &str) = ("Baghdad", "IQG08");

/// Where: (country, admin1, town).
type SeedPlace = (
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
);

struct SeedRequirement {
    key: &'static str,
    date: &'static str,
    line: &'static str,
    category: &'static str,
    title: &'static str,
    description: &'static str,
    /// ("quantity", n, unit) or ("money", minor units, currency).
    measure: (&'static str, i64, &'static str),
    place: SeedPlace,
    window: (&'static str, &'static str),
    priority: i64,
    marking: (&'static str, &'static [&'static str]),
    /// What the documents say (document, exact words) and what the
    /// scenario adds.
    source: SeedSource,
}

/// A record's source: the documents' words it rests on and, if anything
/// was added to them, what.
type SeedSource = (
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
);

/// Every requirement is Iraq's, recorded by Iraq.
const REQUIREMENTS: &[SeedRequirement] = &[
    SeedRequirement {
        key: "amerli", date: "2014-08-28", line: "humanitarian", category: "humanitarian-supplies",
        title: "Relief for besieged Amerli",
        description: "Amerli, in northern Iraq, has been surrounded by ISIL for two months: water, food and medical supplies for its citizens. A UN team is on the ground to receive and distribute them. Quantity illustrative.",
        measure: ("quantity", 109, "bundle"), place: ("IRQ", Some(SALAH_AL_DIN), Some("Amerli")),
        window: ("2014-08-28", "2014-09-05"), priority: 1, marking: ("GREEN", &["COALITION"]),
        source: (&[("000", "the shared effort by the military forces of the United States, France, Australia, and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli in northern Iraq"), ("000", "This town had been surrounded for two months by ISIL, but today is receiving humanitarian aid and supplies led by a UN team on the ground")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked.")),
    },
    SeedRequirement {
        key: "vests", date: "2014-09-01", line: "military-support", category: "protective-equipment",
        title: "Protective vests for forces fighting ISIL in the north",
        description: "Protective vests for Iraqi and Kurdish forces. Quantity illustrative.",
        measure: ("quantity", 8000, "vest"), place: ("IRQ", Some(ERBIL), Some("Erbil")),
        window: ("2014-09-01", "2014-12-31"), priority: 1, marking: ("GREEN", &["COALITION"]),
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked.")),
    },
    SeedRequirement {
        key: "night-vision", date: "2014-09-01", line: "military-support", category: "night-vision",
        title: "Night-vision devices",
        description: "Night-vision telescopes and goggles for forces in the north. Quantity illustrative.",
        measure: ("quantity", 600, "device"), place: ("IRQ", Some(ERBIL), Some("Erbil")),
        window: ("2014-09-01", "2014-12-31"), priority: 2, marking: ("GREEN", &["COALITION"]),
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked.")),
    },
    SeedRequirement {
        key: "radios", date: "2014-09-01", line: "military-support", category: "communications",
        title: "Communications equipment",
        description: "Radios for units in the north. Quantity illustrative.",
        measure: ("quantity", 1000, "radio"), place: ("IRQ", Some(ERBIL), Some("Erbil")),
        window: ("2014-09-01", "2014-12-31"), priority: 2, marking: ("GREEN", &["COALITION"]),
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked.")),
    },
    SeedRequirement {
        key: "mine-action", date: "2014-09-01", line: "military-support", category: "mine-action",
        title: "Mine search and disposal devices",
        description: "Devices for mine search and disposal, for forces clearing retaken ground. Quantity illustrative.",
        measure: ("quantity", 200, "kit"), place: ("IRQ", Some(ERBIL), Some("Erbil")),
        window: ("2014-09-01", "2015-06-30"), priority: 2, marking: ("GREEN", &["COALITION"]),
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked.")),
    },
    SeedRequirement {
        key: "advisers", date: "2014-09-05", line: "military-support", category: "advisers",
        title: "Military advisers for government forces",
        description: "Advisers to Iraqi government forces. Quantity illustrative.",
        measure: ("quantity", 100, "adviser"), place: ("IRQ", None, None),
        window: ("2014-09-05", "2015-09-30"), priority: 2, marking: ("GREEN", &["COALITION"]),
        source: (&[("004", "Canada announced it would deploy military officials to Iraq to advise government forces.")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked.")),
    },
    SeedRequirement {
        key: "brigades", date: "2015-01-22", line: "military-support", category: "training-course",
        title: "Train and equip 12 new Iraqi brigades",
        description: "Coalition training and advising efforts are underway and ramping up, with the goal of ultimately raising 12 new Iraqi brigades (London, 22 January 2015).",
        measure: ("quantity", 12, "brigade"), place: ("IRQ", None, None),
        window: ("2015-01-22", "2015-12-31"), priority: 1, marking: ("GREEN", &["COALITION"]),
        source: (&[("001", "Coalition training and advising efforts in Iraq are underway and ramping up, with the goal of ultimately raising 12 new Iraqi brigades.")], Some("Iraq's request and its window (to the end of 2015) are the scenario's; the goal of 12 brigades is the documents'.")),
    },
    SeedRequirement {
        key: "police", date: "2015-01-22", line: "stabilisation", category: "police",
        title: "Police for retaken towns",
        description: "Local and federal police trained to hold towns retaken from ISIL. Quantity illustrative.",
        measure: ("quantity", 3000, "police-officer"), place: ("IRQ", Some(BAGHDAD), None),
        window: ("2015-03-01", "2016-12-31"), priority: 2, marking: ("GREEN", &["COALITION"]),
        source: (&[("001", "These communities will need police and local governance")], Some("Iraq's request, its quantity, place and window are the scenario's: the documents say what was given, not what was asked. The place (Baghdad) is illustrative.")),
    },
    SeedRequirement {
        key: "electricity-water", date: "2015-04-15", line: "stabilisation", category: "electricity",
        title: "Electricity and water for Tikrit",
        description: "Restoring electricity and water so that families can return to Tikrit, through the UN stabilisation facility. Amount illustrative.",
        measure: ("money", 5_000_000_000, "USD"), place: ("IRQ", Some(SALAH_AL_DIN), Some("Tikrit")),
        window: ("2015-04-15", "2016-06-30"), priority: 1, marking: ("GREEN", &["COALITION"]),
        source: (&[("001", "They’ll need provisions for basic resources like electricity and water.")], Some("The Tikrit scenario is illustrative: the documents speak of electricity and water for liberated communities, not of Tikrit, amounts or a facility.")),
    },
    SeedRequirement {
        key: "water-tikrit", date: "2015-04-20", line: "stabilisation", category: "water",
        title: "Water purification for returning families in Tikrit",
        description: "Water purification units so that families can return to Tikrit. Quantity illustrative.",
        measure: ("quantity", 40, "unit"), place: ("IRQ", Some(SALAH_AL_DIN), Some("Tikrit")),
        window: ("2015-05-01", "2015-12-31"), priority: 1, marking: ("GREEN", &["COALITION"]),
        source: (&[("001", "They’ll need provisions for basic resources like electricity and water.")], Some("The Tikrit scenario is illustrative: the documents speak of water for liberated communities, not of Tikrit or purification units.")),
    },
    SeedRequirement {
        key: "governance", date: "2015-04-15", line: "stabilisation", category: "cash",
        title: "Local governance in liberated areas",
        description: "Support to local government in liberated areas: salaries, offices, services. Amount illustrative.",
        measure: ("money", 2_000_000_000, "USD"), place: ("IRQ", Some(SALAH_AL_DIN), None),
        window: ("2015-04-15", "2016-12-31"), priority: 3, marking: ("GREEN", &["COALITION"]),
        source: (&[("001", "These communities will need police and local governance")], Some("The Tikrit scenario is illustrative: amounts, place and window are the scenario's.")),
    },
];

struct SeedContribution {
    /// The recording member (one of the contributors).
    origin: &'static str,
    contributors: &'static [&'static str],
    /// A requirement key, or standalone.
    against: Option<&'static str>,
    /// For standalone contributions.
    line: &'static str,
    category: &'static str,
    title: &'static str,
    description: &'static str,
    measure: (&'static str, i64, &'static str),
    /// Standalone contributions name where and when.
    place: Option<SeedPlace>,
    window: Option<(&'static str, &'static str)>,
    marking: (&'static str, &'static [&'static str]),
    pledged: &'static str,
    committed: Option<&'static str>,
    /// (date, amount, evidence, receipt confirmed by IRQ on).
    deliveries: &'static [(&'static str, i64, &'static str, Option<&'static str>)],
    /// (role, kind, name): who else takes part, as the documents say.
    parties: &'static [(&'static str, &'static str, &'static str)],
    source: SeedSource,
}

const CONTRIBUTIONS: &[SeedContribution] = &[
    SeedContribution {
        origin: "USA", contributors: &["USA", "FRA", "AUS", "GBR"], against: Some("amerli"),
        line: "", category: "",
        title: "Amerli airdrop of humanitarian supplies",
        description: "A shared effort by the military forces of the United States, France, Australia and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli, led on the ground by a UN team.",
        measure: ("quantity", 109, "bundle"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2014-08-30", committed: Some("2014-08-30"),
        deliveries: &[("2014-08-30", 60, "Airdrop over Amerli, night of 30 August; UN team on the ground received the bundles.", Some("2014-09-01")),
                      ("2014-08-31", 49, "Second airdrop; supplies distributed by the UN team.", Some("2014-09-01"))],
        parties: &[("implementing_partner", "organisation", "United Nations")],
        source: (&[("000", "the shared effort by the military forces of the United States, France, Australia, and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli in northern Iraq"), ("000", "This town had been surrounded for two months by ISIL, but today is receiving humanitarian aid and supplies led by a UN team on the ground")], Some("The number of bundles and the airdrop dates (30 and 31 August 2014) are illustrative; the documents date the effort 'in recent days' before 5 September 2014.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: Some("vests"), line: "", category: "",
        title: "Protective vests (first German shipment)",
        description: "Part of the first shipment of German military aid: a German aircraft left on Friday 5 September 2014. Quantity illustrative.",
        measure: ("quantity", 4000, "vest"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2014-09-05", committed: Some("2014-09-05"),
        deliveries: &[],
        parties: &[],
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal"), ("004", "has already sent a plane carrying the first shipment of military aid for Iraq.")], Some("Quantity illustrative: the documents list what the plane carried, not how much. The plane left on 5 September 2014; its arrival is not dated, so no delivery is recorded.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: None, line: "military-support", category: "protective-equipment",
        title: "Helmets (first German shipment)",
        description: "Part of the first shipment of German military aid: helmets. Quantity illustrative.",
        measure: ("quantity", 4000, "helmet"), place: Some(("IRQ", Some(ERBIL), Some("Erbil"))),
        window: Some(("2014-09-05", "2014-09-30")),
        marking: ("GREEN", &["COALITION"]), pledged: "2014-09-05", committed: Some("2014-09-05"),
        deliveries: &[],
        parties: &[],
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal"), ("004", "has already sent a plane carrying the first shipment of military aid for Iraq.")], Some("Quantity illustrative: the documents list what the plane carried, not how much. The plane left on 5 September 2014; its arrival is not dated, so no delivery is recorded. Place (Erbil) illustrative.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: Some("night-vision"), line: "", category: "",
        title: "Night-vision telescopes (first German shipment)",
        description: "Part of the first shipment of German military aid. Quantity illustrative.",
        measure: ("quantity", 400, "device"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2014-09-05", committed: Some("2014-09-05"),
        deliveries: &[],
        parties: &[],
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal"), ("004", "has already sent a plane carrying the first shipment of military aid for Iraq.")], Some("Quantity illustrative: the documents list what the plane carried, not how much. The plane left on 5 September 2014; its arrival is not dated, so no delivery is recorded.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: Some("radios"), line: "", category: "",
        title: "Communications equipment (first German shipment)",
        description: "Part of the first shipment of German military aid. Quantity illustrative.",
        measure: ("quantity", 600, "radio"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2014-09-05", committed: Some("2014-09-05"),
        deliveries: &[],
        parties: &[],
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal"), ("004", "has already sent a plane carrying the first shipment of military aid for Iraq.")], Some("Quantity illustrative: the documents list what the plane carried, not how much. The plane left on 5 September 2014; its arrival is not dated, so no delivery is recorded.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: Some("mine-action"), line: "", category: "",
        title: "Mine search and disposal devices (first German shipment)",
        description: "Part of the first shipment of German military aid. Quantity illustrative.",
        measure: ("quantity", 120, "kit"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2014-09-05", committed: Some("2014-09-05"),
        deliveries: &[],
        parties: &[],
        source: (&[("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal"), ("004", "has already sent a plane carrying the first shipment of military aid for Iraq.")], Some("Quantity illustrative: the documents list what the plane carried, not how much. The plane left on 5 September 2014; its arrival is not dated, so no delivery is recorded.")),
    },
    SeedContribution {
        origin: "CAN", contributors: &["CAN"], against: Some("advisers"), line: "", category: "",
        title: "Canadian military advisers",
        description: "Canada will deploy military officials to Iraq to advise government forces (Wales, 5 September 2014). Quantity illustrative.",
        measure: ("quantity", 69, "adviser"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2014-09-05", committed: Some("2014-09-05"),
        deliveries: &[],
        parties: &[],
        source: (&[("004", "Canada announced it would deploy military officials to Iraq to advise government forces.")], Some("The number of advisers is illustrative; their deployment is not dated in the documents, so no delivery is recorded.")),
    },
    SeedContribution {
        origin: "USA", contributors: &["USA"], against: Some("brigades"), line: "", category: "",
        title: "Training and advising of new Iraqi brigades",
        description: "Coalition training and advising efforts in Iraq are underway and ramping up (London, 22 January 2015). Quantity illustrative.",
        measure: ("quantity", 6, "brigade"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2015-01-22", committed: Some("2015-01-22"), deliveries: &[],
        parties: &[],
        source: (&[("001", "Coalition training and advising efforts in Iraq are underway and ramping up, with the goal of ultimately raising 12 new Iraqi brigades.")], Some("The share of the goal (6 of 12 brigades) is illustrative.")),
    },
    SeedContribution {
        origin: "ITA", contributors: &["ITA"], against: Some("police"), line: "", category: "",
        title: "Police training by the Carabinieri",
        description: "Training of Iraqi police for retaken towns; discussed in the small group only. Quantity illustrative.",
        measure: ("quantity", 1500, "police-officer"), place: None, window: None,
        marking: ("AMBER", &["GROUP:small-group"]), pledged: "2015-06-01", committed: Some("2015-07-01"),
        deliveries: &[("2015-12-15", 500, "First cohort graduated.", None)],
        parties: &[],
        source: (&[], Some("Illustrative: not in the documents. A contribution discussed in the small group only (TLP:AMBER), to show restricted sharing.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: Some("electricity-water"), line: "", category: "",
        title: "Stabilisation funding: electricity and water in Tikrit",
        description: "German funding through the UN stabilisation facility. Amount illustrative.",
        measure: ("money", 1_500_000_000, "USD"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2015-05-01", committed: Some("2015-05-15"),
        deliveries: &[("2015-06-30", 750_000_000, "First tranche transferred to the facility.", Some("2015-07-10"))],
        parties: &[],
        source: (&[("001", "They’ll need provisions for basic resources like electricity and water.")], Some("The Tikrit scenario is illustrative: donor, amount, dates and tranche.")),
    },
    SeedContribution {
        origin: "ARE", contributors: &["ARE"], against: Some("electricity-water"), line: "", category: "",
        title: "Stabilisation funding: Tikrit",
        description: "Funding through the UN stabilisation facility. Amount illustrative.",
        measure: ("money", 1_000_000_000, "USD"), place: None, window: None,
        marking: ("GREEN", &["COALITION"]), pledged: "2015-05-20", committed: None, deliveries: &[],
        parties: &[],
        source: (&[("001", "They’ll need provisions for basic resources like electricity and water.")], Some("The Tikrit scenario is illustrative: donor, amount and date.")),
    },
    SeedContribution {
        origin: "ARE", contributors: &["ARE"], against: None, line: "stabilisation", category: "water",
        title: "Water purification units for Tikrit",
        description: "Standalone pledge of water purification units. Quantity illustrative.",
        measure: ("quantity", 20, "unit"), place: Some(("IRQ", Some(SALAH_AL_DIN), Some("Tikrit"))),
        window: Some(("2015-05-01", "2015-08-31")),
        marking: ("GREEN", &["COALITION"]), pledged: "2015-05-02", committed: None, deliveries: &[],
        parties: &[],
        source: (&[("001", "They’ll need provisions for basic resources like electricity and water.")], Some("The Tikrit scenario is illustrative: a standalone pledge for the allocation to match.")),
    },
    SeedContribution {
        origin: "DEU", contributors: &["DEU"], against: None, line: "stabilisation", category: "water",
        title: "Mobile water treatment for Tikrit",
        description: "Standalone pledge, overlapping the UAE's: the duplication view flags it. Quantity illustrative.",
        measure: ("quantity", 10, "unit"), place: Some(("IRQ", Some(SALAH_AL_DIN), Some("Tikrit"))),
        window: Some(("2015-07-01", "2015-10-31")),
        marking: ("GREEN", &["COALITION"]), pledged: "2015-06-10", committed: None, deliveries: &[],
        parties: &[],
        source: (&[("001", "They’ll need provisions for basic resources like electricity and water.")], Some("The Tikrit scenario is illustrative: a pledge overlapping another, for the duplication view to flag.")),
    },
    SeedContribution {
        origin: "SAU", contributors: &["SAU"], against: None, line: "military-support", category: "training-course",
        title: "Training camp for Syrian opposition forces (Saudi Arabia)",
        description: "This spring, training for the Syrian opposition forces begins at camps in Saudi Arabia, Turkey and Qatar (London, 22 January 2015).",
        measure: ("quantity", 1, "camp"), place: Some(("SAU", None, None)), window: Some(("2015-03-20", "2015-12-31")),
        marking: ("GREEN", &["COALITION"]), pledged: "2015-01-22", committed: None, deliveries: &[],
        parties: &[],
        source: (&[("001", "this spring, we’re going to begin training for the Syrian opposition forces at camps in Saudi Arabia, Turkey, and Qatar.")], Some("The window's dates stand for 'this spring'; the quantity (one camp) is the documents' 'camps in Saudi Arabia, Turkey, and Qatar'.")),
    },
    SeedContribution {
        origin: "TUR", contributors: &["TUR"], against: None, line: "military-support", category: "training-course",
        title: "Training camp for Syrian opposition forces (Turkey)",
        description: "This spring, training for the Syrian opposition forces begins at camps in Saudi Arabia, Turkey and Qatar (London, 22 January 2015).",
        measure: ("quantity", 1, "camp"), place: Some(("TUR", None, None)), window: Some(("2015-03-20", "2015-12-31")),
        marking: ("GREEN", &["COALITION"]), pledged: "2015-01-22", committed: None, deliveries: &[],
        parties: &[],
        source: (&[("001", "this spring, we’re going to begin training for the Syrian opposition forces at camps in Saudi Arabia, Turkey, and Qatar.")], Some("The window's dates stand for 'this spring'; the quantity (one camp) is the documents' 'camps in Saudi Arabia, Turkey, and Qatar'.")),
    },
    SeedContribution {
        origin: "QAT", contributors: &["QAT"], against: None, line: "military-support", category: "training-course",
        title: "Training camp for Syrian opposition forces (Qatar)",
        description: "This spring, training for the Syrian opposition forces begins at camps in Saudi Arabia, Turkey and Qatar (London, 22 January 2015).",
        measure: ("quantity", 1, "camp"), place: Some(("QAT", None, None)), window: Some(("2015-03-20", "2015-12-31")),
        marking: ("GREEN", &["COALITION"]), pledged: "2015-01-22", committed: None, deliveries: &[],
        parties: &[],
        source: (&[("001", "this spring, we’re going to begin training for the Syrian opposition forces at camps in Saudi Arabia, Turkey, and Qatar.")], Some("The window's dates stand for 'this spring'; the quantity (one camp) is the documents' 'camps in Saudi Arabia, Turkey, and Qatar'.")),
    },
    SeedContribution {
        origin: "USA", contributors: &["USA"], against: None, line: "military-support", category: "advisers",
        title: "U.S. Special Operations forces in Syria",
        description: "300 U.S. Special Operations forces already in Syria (London defence ministerial, 15 December 2016).",
        measure: ("quantity", 300, "special-operations-personnel"), place: Some(("SYR", None, None)),
        window: Some(("2016-12-15", "2017-06-30")),
        marking: ("GREEN", &["COALITION"]), pledged: "2016-12-15", committed: Some("2016-12-15"),
        deliveries: &[("2016-12-15", 300, "Already there, as stated at the London defence ministerial.", None)],
        parties: &[],
        source: (&[("003", "adding 200 additional U.S. forces to Syria to join the 300 U.S. Special Operations forces already there.")], Some("Recorded on the day the document states they were already there; when they went is not in the documents. The window's end is illustrative.")),
    },
    SeedContribution {
        origin: "USA", contributors: &["USA"], against: None, line: "military-support", category: "advisers",
        title: "200 additional U.S. forces to Syria",
        description: "The United States took additional actions to accelerate its efforts by adding 200 additional U.S. forces in Syria, joining the 300 already there (London, 15 December 2016).",
        measure: ("quantity", 200, "special-operations-personnel"), place: Some(("SYR", None, None)),
        window: Some(("2016-12-15", "2017-06-30")),
        marking: ("GREEN", &["COALITION"]), pledged: "2016-12-15", committed: Some("2016-12-15"), deliveries: &[],
        parties: &[],
        source: (&[("003", "adding 200 additional U.S. forces to Syria to join the 300 U.S. Special Operations forces already there.")], Some("The window's end is illustrative.")),
    },
];

/// (reporting member, observed on, value, note, tlp, rel_to, the words
/// that state it: document, quote)
type SeedValue = (
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static str,
    &'static [&'static str],
    (&'static str, &'static str),
);

struct SeedIndicator {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    unit: &'static str,
    line: &'static str,
    direction: &'static str,
    aggregation: &'static str,
    baseline: (f64, &'static str),
    targets: &'static [(&'static str, f64)],
    values: &'static [SeedValue],
    /// What the definition adds to the documents (baselines, target dates).
    illustrative: &'static str,
}

const BASELINE: &str =
    "The baseline (none before the coalition's first figures) and its date are the demo's.";

const INDICATORS: &[SeedIndicator] = &[
    SeedIndicator {
        slug: "airstrikes", name: "Coalition airstrikes", unit: "airstrikes", line: "military-support",
        description: "Coalition airstrikes in Iraq and Syria (running total as reported).",
        direction: "increase", aggregation: "max", baseline: (0.0, "2014-09-05"), targets: &[],
        values: &[("USA", "2015-01-22", 2000.0, "Nearly 2,000 airstrikes now (London, 22 January 2015).", "CLEAR", &["COALITION"],
                   ("001", "ground forces, supported by nearly 2,000 airstrikes now, have reclaimed more than 700 square kilometers from Daesh."))],
        illustrative: BASELINE,
    },
    SeedIndicator {
        slug: "territory-retaken", name: "Territory retaken from ISIL", unit: "km²", line: "military-support",
        description: "Ground reclaimed from ISIL by ground forces supported by coalition airstrikes.",
        direction: "increase", aggregation: "max", baseline: (0.0, "2014-09-05"), targets: &[],
        values: &[("USA", "2015-01-22", 700.0, "More than 700 square kilometres reclaimed (London, 22 January 2015).", "CLEAR", &["COALITION"],
                   ("001", "have reclaimed more than 700 square kilometers from Daesh."))],
        illustrative: BASELINE,
    },
    SeedIndicator {
        slug: "new-brigades", name: "New Iraqi brigades raised", unit: "brigades", line: "military-support",
        description: "New Iraqi brigades trained and equipped by the coalition; the goal is 12 (London, 22 January 2015).",
        direction: "increase", aggregation: "max", baseline: (0.0, "2015-01-22"), targets: &[("2015-12-31", 12.0)],
        values: &[],
        illustrative: "The target's date (end of 2015) is the demo's: the documents give the goal of 12 brigades, not when.",
    },
    SeedIndicator {
        slug: "territory-held", name: "Share of Iraqi territory held by ISIL", unit: "%", line: "stabilisation",
        description: "ISIL controls less than 10 percent of Iraqi territory (London defence ministerial, 15 December 2016).",
        direction: "decrease", aggregation: "last", baseline: (40.0, "2014-09-05"), targets: &[("2016-12-31", 10.0)],
        values: &[("GBR", "2016-12-15", 10.0, "Less than 10 percent of Iraqi territory (Secretary Fallon, London, 15 December 2016).", "CLEAR", &["COALITION"],
                   ("003", "It controls less than 10 percent of Iraqi territory"))],
        illustrative: "The baseline (40 % in September 2014) and the target are the demo's; the documents give only the December 2016 figure.",
    },
    SeedIndicator {
        slug: "strongholds-retaken", name: "Former ISIL strongholds retaken", unit: "strongholds", line: "stabilisation",
        description: "Former ISIL strongholds in Iraq that have fallen.",
        direction: "increase", aggregation: "max", baseline: (0.0, "2014-09-05"), targets: &[],
        values: &[("GBR", "2016-12-15", 11.0, "11 former strongholds have fallen (Secretary Fallon, London, 15 December 2016).", "CLEAR", &["COALITION"],
                   ("003", "11 former [ISIL] strongholds have fallen"))],
        illustrative: BASELINE,
    },
    SeedIndicator {
        slug: "returned-home", name: "Iraqis returned home", unit: "people", line: "humanitarian",
        description: "Displaced Iraqis able to return to their homes.",
        direction: "increase", aggregation: "max", baseline: (0.0, "2014-09-05"), targets: &[],
        values: &[("GBR", "2016-12-15", 1_000_000.0, "A million Iraqis are now able to return to their homes (Secretary Fallon, London, 15 December 2016).", "CLEAR", &["COALITION"],
                   ("003", "a million Iraqis are now being able to return to their homes"))],
        illustrative: BASELINE,
    },
    SeedIndicator {
        slug: "syria-territory-lost", name: "Share of its Syrian territory ISIL has lost", unit: "%", line: "military-support",
        description: "The share of the territory ISIL once held in Syria that it has lost.",
        direction: "increase", aggregation: "max", baseline: (0.0, "2014-09-05"), targets: &[],
        values: &[("GBR", "2016-12-15", 25.0, "ISIL has lost a quarter of the territory it once held in Syria (Secretary Fallon, London, 15 December 2016).", "CLEAR", &["COALITION"],
                   ("003", "In Syria, the U.K. defense secretary said ISIL has lost a quarter of the territory it once held"))],
        illustrative: BASELINE,
    },
    SeedIndicator {
        slug: "fighters-killed", name: "ISIL fighters estimated killed", unit: "fighters", line: "military-support",
        description: "ISIL fighters estimated to have been killed (a lower bound: 'more than').",
        direction: "increase", aggregation: "max", baseline: (0.0, "2014-09-05"), targets: &[],
        values: &[("GBR", "2016-12-15", 25_000.0, "More than 25,000 of its fighters estimated killed (Secretary Fallon, London, 15 December 2016).", "CLEAR", &["COALITION"],
                   ("003", "more than 25,000 of its fighters have been estimated to have been killed"))],
        illustrative: BASELINE,
    },
    SeedIndicator {
        slug: "raqqa-distance", name: "Distance of local forces from Raqqa", unit: "miles", line: "military-support",
        description: "How far the local forces enveloping Raqqa are from the city.",
        direction: "decrease", aggregation: "last", baseline: (15.0, "2016-12-15"), targets: &[],
        values: &[("USA", "2016-12-15", 15.0, "Tens of thousands of local forces isolating and enveloping Raqqa are only 15 miles away (Secretary Carter, London, 15 December 2016).", "CLEAR", &["COALITION"],
                   ("003", "We’re now helping tens of thousands of local, capable, motivated forces to isolate and systematically envelope Raqqa, from which they are only 15 miles away."))],
        illustrative: "The baseline is the first figure the documents give.",
    },
    SeedIndicator {
        slug: "coalition-members", name: "Countries in the coalition", unit: "countries", line: "",
        description: "Countries that have joined the coalition (organisations such as the EU and the Arab League are members but not counted here).",
        direction: "increase", aggregation: "max", baseline: (10.0, "2014-09-05"), targets: &[],
        values: &[
            ("USA", "2014-09-05", 10.0, "The core coalition of ten at the NATO summit in Wales.", "CLEAR", &["COALITION"],
             ("004", "pressed a core coalition of 10 nations at a NATO summit in Wales on Friday")),
            ("USA", "2015-01-22", 60.0, "In Brussels there were representatives from 60 different countries; over 60 countries have signed up (London, 22 January 2015). The registry lists 60 countries (59 member states and Iraq, the partner) and 2 organisations: the documents give counts, not the list.", "CLEAR", &["COALITION"],
             ("001", "In total, over 60 countries have signed up to the global coalition")),
        ],
        illustrative: "60 stands for 'over 60': the documents give no exact count after Brussels.",
    },
];

/// The words the brigades' goal rests on.
const BRIGADES_GOAL: (&str, &str) = (
    "001",
    "Coalition training and advising efforts in Iraq are underway and ramping up, with the goal of ultimately raising 12 new Iraqi brigades.",
);

fn source(s: &SeedSource) -> Result<Source> {
    crate::demo_sources::source(s.0, s.1)
}

fn place(p: &SeedPlace) -> Result<Place> {
    let admin1 = p.1.map(|(n, c)| AdminArea::parse(n, c)).transpose()?;
    Ok(Place::parse(p.0, admin1, p.2, None)?)
}

fn measure(m: &(&str, i64, &str)) -> Result<Measure> {
    Ok(Measure::parse(m.0, m.1, m.2)?)
}

fn marking(m: &(&str, &[&str])) -> Result<Marking> {
    let rel: Vec<String> = m.1.iter().map(|s| s.to_string()).collect();
    Ok(Marking::parse(m.0, &rel)?)
}

/// Loads requirements, contributions (moved through their lifecycle on
/// their dates), indicators and their values.
pub async fn load(
    store: &Store,
    principals: &BTreeMap<&str, Principal>,
    day_ms: impl Fn(&str) -> Result<i64>,
) -> Result<()> {
    let who = |code: &str| {
        principals
            .get(code)
            .with_context(|| format!("no demo user for {code}"))
    };
    let irq = who("IRQ")?;
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for r in REQUIREMENTS {
        let draft = RequirementDraft::parse(
            r.title,
            r.description,
            "IRQ",
            r.line,
            r.category,
            measure(&r.measure)?,
            place(&r.place)?,
            Window::parse(r.window.0, r.window.1)?,
            r.priority,
            marking(&r.marking)?,
        )
        .with_context(|| format!("seed requirement {}", r.key))?;
        let created = store
            .create_requirement_at(irq, &draft, day_ms(r.date)?)
            .await?;
        keep(
            store,
            Some(irq),
            Subject::Record(created.id.clone()),
            &source(&r.source)?,
        )
        .await?;
        ids.insert(r.key, created.id);
    }
    for c in CONTRIBUTIONS {
        let p = who(c.origin)?;
        let contributors: Vec<String> = c.contributors.iter().map(|s| s.to_string()).collect();
        let against = match c.against {
            Some(key) => Some(
                ids.get(key)
                    .with_context(|| format!("no seed requirement {key}"))?
                    .clone(),
            ),
            None => None,
        };
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let draft = ContributionDraft::parse(
            c.title,
            c.description,
            &contributors,
            against.as_deref(),
            opt(c.line).as_deref(),
            opt(c.category).as_deref(),
            measure(&c.measure)?,
            c.place.as_ref().map(place).transpose()?,
            c.window.map(|(s, e)| Window::parse(s, e)).transpose()?,
            marking(&c.marking)?,
        )
        .and_then(|d| {
            let parties = c
                .parties
                .iter()
                .map(|(role, kind, name)| {
                    coalesce_domain::needs::Party::parse(role, kind, name, None)
                })
                .collect::<Result<Vec<_>, _>>()?;
            d.with_parties(parties)
        })
        .with_context(|| format!("seed contribution {}", c.title))?;
        let created = store
            .create_contribution_at(p, &draft, day_ms(c.pledged)?)
            .await?;
        keep(
            store,
            Some(p),
            Subject::Record(created.id.clone()),
            &source(&c.source)?,
        )
        .await?;
        // The documents report the joint contributions as made together: each
        // member named stands by it.
        for m in c.contributors.iter().filter(|m| **m != c.origin) {
            store
                .confirm_co_contribution(who(m)?, &created.id)
                .await
                .with_context(|| format!("{m} confirms {}", c.title))?;
        }
        if let Some(on) = c.committed {
            store
                .commit_contribution_at(p, &created.id, day_ms(on)?)
                .await?;
        }
        for (seq, (on, amount, evidence, confirmed)) in c.deliveries.iter().enumerate() {
            let d = DeliveryDraft::parse(on, *amount, evidence)?;
            store
                .deliver_contribution_at(p, &created.id, &d, day_ms(on)?)
                .await?;
            if let Some(when) = confirmed {
                store
                    .confirm_receipt_at(irq, &created.id, seq as i64 + 1, day_ms(when)?)
                    .await?;
            }
        }
    }
    let coordinator = who(crate::demo::SECRETARIAT)?;
    for i in INDICATORS {
        let targets: Vec<(String, f64)> =
            i.targets.iter().map(|(d, v)| (d.to_string(), *v)).collect();
        let draft = IndicatorDraft::parse(
            i.slug,
            i.name,
            i.description,
            i.unit,
            Some(i.line),
            i.direction,
            i.aggregation,
            i.baseline.0,
            Some(i.baseline.1),
            &targets,
        )
        .with_context(|| format!("seed indicator {}", i.slug))?;
        store
            .define_indicator_at(coordinator, &draft, day_ms(i.baseline.1)?)
            .await?;
        let quotes: Vec<(&str, &str)> = i.values.iter().map(|v| v.6).collect();
        let definition = if quotes.is_empty() {
            source(&(&[BRIGADES_GOAL], Some(i.illustrative)))?
        } else {
            crate::demo_sources::cites_adding(&quotes, i.illustrative)?
        };
        keep(store, None, Subject::Indicator(i.slug.into()), &definition).await?;
        for (member, on, value, note, tlp, rel, quote) in i.values {
            let v = ValueDraft::parse(on, *value, note, marking(&(*tlp, *rel))?)?;
            let by = who(member)?;
            let written = store
                .report_indicator_value_at(by, i.slug, &v, day_ms(on)?)
                .await?;
            keep(
                store,
                Some(by),
                Subject::Record(written.id),
                &crate::demo_sources::cites(&[*quote])?,
            )
            .await?;
        }
    }
    // The secretariat's first allocation run, so that a newcomer sees
    // proposals (the standalone water pledges for Tikrit) at once.
    let run = coalesce_api::allocation::run_allocation_now(store, coordinator)
        .await
        .map_err(|e| anyhow::anyhow!("demo allocation run: {}", e.detail))?;
    keep(
        store,
        Some(coordinator),
        Subject::Record(run.id),
        &crate::demo_sources::illustrative(
            "Computed by the secretariat's allocation over the demo's requirements and offers (the Tikrit scenario is illustrative).",
        )?,
    )
    .await?;
    Ok(())
}
