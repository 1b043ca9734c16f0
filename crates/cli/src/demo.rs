//! `coalesce demo`: a node on a fresh database holding the coalition of the
//! seed documents (members as of early 2015, the core group of ten at Wales,
//! the 21 of the London small group, Iraq as partner, working groups, lines of
//! effort, notes dated as the documents date them), with a demo login for
//! every member.

use crate::demo_sources::keep;
use anyhow::{bail, Context, Result};
use coalesce_domain::note::NoteDraft;
use coalesce_domain::registry::NewMember;
use coalesce_domain::source::{Source, Subject};
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_store::registry::NewGroup;
use coalesce_store::{Principal, Store};
use std::collections::BTreeMap;

/// The member that runs the secretariat in the demo: the United States
/// convened the coalition and its Special Presidential Envoy coordinated it.
pub const SECRETARIAT: &str = "USA";

/// Members of the coalition in early 2015 ("over 60 countries have signed up",
/// London, 22 January 2015), with the partner nation. (code, name, kind, role, joined)
pub const MEMBERS: &[(&str, &str, &str, &str, &str)] = &[
    ("ALB", "Albania", "state", "member", "2014-12-03"),
    (
        "ARAB-LEAGUE",
        "League of Arab States",
        "organisation",
        "member",
        "2014-12-03",
    ),
    (
        "ARE",
        "United Arab Emirates",
        "state",
        "member",
        "2014-09-11",
    ),
    ("AUS", "Australia", "state", "member", "2014-09-05"),
    ("AUT", "Austria", "state", "member", "2014-12-03"),
    ("BEL", "Belgium", "state", "member", "2014-12-03"),
    ("BGR", "Bulgaria", "state", "member", "2014-12-03"),
    ("BHR", "Bahrain", "state", "member", "2014-09-11"),
    (
        "BIH",
        "Bosnia and Herzegovina",
        "state",
        "member",
        "2014-12-03",
    ),
    ("CAN", "Canada", "state", "member", "2014-09-05"),
    ("CYP", "Cyprus", "state", "member", "2014-12-03"),
    ("CZE", "Czech Republic", "state", "member", "2014-12-03"),
    ("DEU", "Germany", "state", "member", "2014-09-05"),
    ("DNK", "Denmark", "state", "member", "2014-09-05"),
    ("EGY", "Egypt", "state", "member", "2014-09-11"),
    ("ESP", "Spain", "state", "member", "2014-12-03"),
    ("EST", "Estonia", "state", "member", "2014-12-03"),
    (
        "EU",
        "European Union",
        "organisation",
        "member",
        "2014-12-03",
    ),
    ("FIN", "Finland", "state", "member", "2014-12-03"),
    ("FRA", "France", "state", "member", "2014-09-05"),
    ("GBR", "United Kingdom", "state", "member", "2014-09-05"),
    ("GEO", "Georgia", "state", "member", "2014-12-03"),
    ("GRC", "Greece", "state", "member", "2014-12-03"),
    ("HRV", "Croatia", "state", "member", "2014-12-03"),
    ("HUN", "Hungary", "state", "member", "2014-12-03"),
    ("IRL", "Ireland", "state", "member", "2014-12-03"),
    // The partner nation: not a member, so no join date.
    ("IRQ", "Iraq", "state", "partner", ""),
    ("ISL", "Iceland", "state", "member", "2014-12-03"),
    ("ITA", "Italy", "state", "member", "2014-09-05"),
    ("JOR", "Jordan", "state", "member", "2014-09-11"),
    ("JPN", "Japan", "state", "member", "2014-12-03"),
    ("KOR", "Republic of Korea", "state", "member", "2014-12-03"),
    ("KWT", "Kuwait", "state", "member", "2014-09-11"),
    ("LBN", "Lebanon", "state", "member", "2014-09-11"),
    ("LTU", "Lithuania", "state", "member", "2014-12-03"),
    ("LUX", "Luxembourg", "state", "member", "2014-12-03"),
    ("LVA", "Latvia", "state", "member", "2014-12-03"),
    ("MAR", "Morocco", "state", "member", "2014-12-03"),
    ("MDA", "Moldova", "state", "member", "2014-12-03"),
    ("MKD", "Macedonia", "state", "member", "2014-12-03"),
    ("MNE", "Montenegro", "state", "member", "2014-12-03"),
    ("NLD", "Netherlands", "state", "member", "2014-12-03"),
    ("NOR", "Norway", "state", "member", "2014-12-03"),
    ("NZL", "New Zealand", "state", "member", "2014-12-03"),
    ("OMN", "Oman", "state", "member", "2014-09-11"),
    ("PAN", "Panama", "state", "member", "2014-12-03"),
    ("POL", "Poland", "state", "member", "2014-09-05"),
    ("PRT", "Portugal", "state", "member", "2014-12-03"),
    ("QAT", "Qatar", "state", "member", "2014-09-11"),
    ("ROU", "Romania", "state", "member", "2014-12-03"),
    ("SAU", "Saudi Arabia", "state", "member", "2014-09-11"),
    ("SGP", "Singapore", "state", "member", "2014-12-03"),
    ("SOM", "Somalia", "state", "member", "2014-12-03"),
    ("SRB", "Serbia", "state", "member", "2014-12-03"),
    ("SVK", "Slovakia", "state", "member", "2014-12-03"),
    ("SVN", "Slovenia", "state", "member", "2014-12-03"),
    ("SWE", "Sweden", "state", "member", "2014-12-03"),
    ("TUR", "Turkey", "state", "member", "2014-09-05"),
    ("TWN", "Taiwan", "state", "member", "2014-12-03"),
    ("UKR", "Ukraine", "state", "member", "2014-12-03"),
    ("USA", "United States", "state", "member", "2014-09-05"),
    ("XKX", "Kosovo", "state", "member", "2014-12-03"),
];

/// The core coalition of ten that met at the NATO summit in Wales, 5 September 2014.
pub const CORE_TEN: &[&str] = &[
    "USA", "GBR", "FRA", "DEU", "CAN", "AUS", "TUR", "ITA", "POL", "DNK",
];

/// The 21 members of the small group that met in London on 22 January 2015.
pub const LONDON_SMALL_GROUP: &[&str] = &[
    "AUS", "BHR", "BEL", "CAN", "DNK", "EGY", "FRA", "DEU", "IRQ", "ITA", "JOR", "KWT", "NLD",
    "NOR", "QAT", "SAU", "ESP", "TUR", "ARE", "GBR", "USA",
];

/// Groups: (slug, name, kind, description, members). Which members the
/// working groups had is history from outside the documents (see
/// `group_source`); the Wales task force's members are not named anywhere.
pub const GROUPS: &[(&str, &str, &str, &str, &[&str])] = &[
    ("core-ten", "Core coalition (Wales, 5 September 2014)", "community", "The ten nations Secretary Kerry and Secretary Hagel convened at the NATO summit in Wales.", CORE_TEN),
    ("small-group", "Small group", "small_group", "Core members that meet regularly to coordinate the lines of effort (London, 22 January 2015: 21 members).", LONDON_SMALL_GROUP),
    ("ff-task-force", "Multinational task force on foreign fighters (Wales)", "task_force", "Agreed at Wales on 5 September 2014 to share more information about the flow of foreign fighters into Syria and from Syria into Iraq. The documents name no members.", &[]),
    ("foreign-fighters-wg", "Foreign terrorist fighters working group", "working_group", "One of the expert-level working groups agreed in Brussels: the flow of foreign terrorist fighters.", &["NLD", "TUR"]),
    ("counter-finance", "Counter-ISIL finance group", "working_group", "One of the expert-level working groups agreed in Brussels: stifling ISIL's sources of revenue, including any trade in petroleum products.", &["ITA", "SAU", "USA"]),
    ("stabilisation", "Stabilisation working group", "working_group", "One of the expert-level working groups agreed in Brussels: stabilisation of areas liberated from ISIL (police, governance, electricity, water).", &["DEU", "ARE"]),
    ("communications", "Strategic communications working group", "working_group", "One of the expert-level working groups agreed in Brussels: de-legitimising ISIL's ideology, counter-messaging.", &["GBR", "ARE", "USA"]),
];

/// Published history the demo takes from outside the seed documents.
const COALITION_HISTORY: &str =
    "The Global Coalition against Daesh: its published partners and working groups (history, not in the seed documents)";
const JEDDAH: &str = "Jeddah Communiqué, 11 September 2014 (history, not in the seed documents)";
/// Members that met at Jeddah on 11 September 2014.
const JEDDAH_STATES: &[&str] = &[
    "ARE", "BHR", "EGY", "JOR", "KWT", "LBN", "OMN", "QAT", "SAU",
];

/// Where a member and its join date come from.
fn member_source(code: &str) -> Result<Source> {
    use crate::demo_sources::{cites, mixed};
    if CORE_TEN.contains(&code) {
        return cites(&[
            ("004", "pressed a core coalition of 10 nations at a NATO summit in Wales on Friday"),
            ("004", "In a private meeting with the foreign and defence ministers from the UK, France, Germany, Canada, Australia, Turkey, Italy, Poland and Denmark"),
        ]);
    }
    if code == "IRQ" {
        return cites(&[(
            "001",
            "Addressing a joint press conference with UK Foreign Secretary Philip Hammond and Iraqi Prime Minister Haider al-Abadi",
        )]);
    }
    if JEDDAH_STATES.contains(&code) {
        return mixed(
            &[("001", "in Brussels there were representatives from 60 different countries")],
            &[(JEDDAH, "Bahrain, Egypt, Iraq, Jordan, Kuwait, Lebanon, Oman, Qatar, Saudi Arabia, the United Arab Emirates and the United States agreed at Jeddah to join the fight against ISIL.")],
            Some("The join date is the Jeddah meeting's; the documents do not date when each member joined."),
        );
    }
    mixed(
        &[("001", "in Brussels there were representatives from 60 different countries")],
        &[(COALITION_HISTORY, "A partner of the coalition by early 2015.")],
        Some("The join date (the Brussels plenary, 3 December 2014) stands for 'by Brussels': the documents count 60 countries there and 'over 60' by 22 January 2015, but name no member beyond the core ten and Iraq."),
    )
}

/// Where a group and its members come from.
fn group_source(slug: &str) -> Result<Source> {
    use crate::demo_sources::{cites, cites_adding, mixed};
    const EXPERT_GROUPS: (&str, &str) = ("001", "As agreed in Brussels, we will establish an expert-level series of working groups to pool resources and expertise from coalition capitals in order to defeat Daesh as an organization.");
    let co_led = |who: &str| -> Result<Source> {
        mixed(
            &[EXPERT_GROUPS],
            &[(COALITION_HISTORY, who)],
            Some("Only the co-leads are listed; other members join as they take part."),
        )
    };
    match slug {
        "core-ten" => member_source("USA"),
        "small-group" => cites_adding(
            &[("001", "21 key members of the global coalition met in London today (Jan.22) to review and discuss efforts to degrade and defeat ISIL")],
            "Which 21 members: the documents do not name them; the list is the demo's.",
        ),
        "ff-task-force" => cites(&[("000", "a multinational task force will be formed to share more information about the flow of foreign fighters into Syria and from Syria into Iraq.")]),
        "foreign-fighters-wg" => co_led("The foreign terrorist fighters working group was co-led by the Netherlands and Turkey."),
        "counter-finance" => co_led("The Counter-ISIL Finance Group was co-led by Italy, Saudi Arabia and the United States."),
        "stabilisation" => co_led("The stabilisation working group was co-chaired by Germany and the United Arab Emirates."),
        "communications" => co_led("The communications working group was co-led by the United Kingdom, the United Arab Emirates and the United States."),
        other => anyhow::bail!("no source for demo group {other}"),
    }
}

/// Lines of effort of the Wales joint statement (5 September 2014), then
/// those Secretary Kerry listed in London (22 January 2015): (slug, name,
/// description, the words that name it: document, quote).
pub const LINES_OF_EFFORT: &[(&str, &str, &str, (&str, &str))] = &[
    ("military-support", "Military support to Iraqi partners", "Security assistance: training, advising, equipping the Iraqi security forces; air campaign.", ("000", "Military support to Iraqi partners")),
    ("foreign-fighters", "Stopping the flow of foreign fighters", "Disrupting the flow of foreign fighters into Syria and from Syria into Iraq.", ("000", "Stopping the flow of foreign fighters")),
    ("counter-financing", "Countering ISIL's financing and funding", "Draining Daesh's financial resources, above all the trade in petroleum products.", ("000", "Countering ISIL's financing and funding")),
    ("humanitarian", "Addressing humanitarian crises", "Humanitarian relief to the victims, sheltering refugees.", ("000", "Addressing humanitarian crises")),
    ("counter-messaging", "De-legitimising ISIL's ideology", "Countering the narrative; defeating Daesh as an idea.", ("000", "De-legitimizing ISIL's ideology")),
    ("stabilisation", "Strengthening Iraq's capacity", "Stabilisation of liberated towns: police, governance, electricity, water.", ("001", "strengthening the capacity of Iraq to stand on its own")),
    ("homeland-protection", "Protecting our homelands", "Protecting coalition members' citizens from attacks and returning fighters.", ("001", "protecting our homelands")),
];

/// A note that carries facts of the seed documents, with the words it
/// quotes: (document number, exact words).
pub struct SeedNote {
    pub origin: &'static str,
    pub date: &'static str,
    pub title: &'static str,
    pub body: &'static str,
    pub tlp: &'static str,
    pub rel_to: &'static [&'static str],
    pub cites: &'static [(&'static str, &'static str)],
    pub illustrative: Option<&'static str>,
}

/// Public statements are TLP:CLEAR or GREEN: the documents are published.
/// The one restricted note is an example, labelled illustrative.
pub const NOTES: &[SeedNote] = &[
    SeedNote { origin: "USA", date: "2014-09-05", title: "Wales joint statement: five lines of effort",
        body: "Kerry and Hagel, NATO summit, Wales: an international coalition to defeat ISIL must coordinate across multiple lines of effort: military support to Iraqi partners; stopping the flow of foreign fighters; countering ISIL's financing and funding; addressing humanitarian crises; de-legitimizing ISIL's ideology. We and the ministers agreed here today that there is no time to waste in building a broad international coalition to degrade and, ultimately, to destroy the threat posed by ISIL.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "To be effective, an international coalition to defeat ISIL must coordinate across multiple lines of effort, the statement said."), ("000", "We and the ministers agreed here today that there is no time to waste in building a broad international coalition to degrade and, ultimately, to destroy the threat posed by ISIL")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "A new and inclusive Iraqi government",
        body: "The formation of a new and inclusive government in Iraq will be a critical step in this effort, they said. We discussed in detail how NATO allies can extend immediate support to a new government in its efforts to unify the country against ISIL.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "The formation of a new and inclusive government in Iraq will be a critical step in this effort, they said."), ("000", "we discussed in detail how NATO allies can extend immediate support to a new government in its efforts to unify the country against ISIL.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "The Chapter 7 resolution of the Security Council",
        body: "The ministers noted the strong Chapter 7 United Nations Security Council Resolution enacted last month that calls on all member states to take decisive action to stop the flow of foreign fighters, counter ISIL's financing and combat its incitement. We agreed today that NATO allies in particular should work in concert towards these goals.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "the strong Chapter 7 United Nations Security Council Resolution enacted last month that calls on all member states to take decisive action to stop the flow of foreign fighters, counter ISIL's financing and combat its incitement"), ("000", "We agreed today that NATO allies in particular should work in concert towards these goals")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "A unified approach with every tool",
        body: "It will also require a unified approach at the international, regional and local level combining military, law enforcement, intelligence, economic and diplomatic tools. Our NATO allies and partners today have confirmed their readiness to be a full part of this coordinated approach. Over the coming days, we will continue the discussion with our partners in the region, who have an important role to play across these lines of effort.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "It will also require a unified approach at the international, regional and local level combining military, law enforcement, intelligence, economic and diplomatic tools"), ("000", "Our NATO allies and partners today have confirmed their readiness to be a full part of this coordinated approach"), ("000", "over the coming days, we will continue the discussion with our partners in the region, who have an important role to play across these lines of effort.")],
        illustrative: None },
    SeedNote { origin: "GBR", date: "2014-09-05", title: "Amerli: humanitarian supplies delivered",
        body: "Noted at Wales: the shared effort by the military forces of the United States, France, Australia, and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli in northern Iraq. This town had been surrounded for two months by ISIL, but today is receiving humanitarian aid and supplies led by a UN team on the ground.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "the shared effort by the military forces of the United States, France, Australia, and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli in northern Iraq"), ("000", "This town had been surrounded for two months by ISIL, but today is receiving humanitarian aid and supplies led by a UN team on the ground")],
        illustrative: None },
    SeedNote { origin: "DEU", date: "2014-09-05", title: "First shipment of military aid for Iraq",
        body: "Germany has also decided to aid Kurdish fighters battling the Islamic State group, and has already sent a plane carrying the first shipment of military aid for Iraq. The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal.",
        tlp: "GREEN", rel_to: &["COALITION"],
        cites: &[("004", "Germany, which has also decided to aid Kurdish fighters battling the Islamic State group"), ("004", "has already sent a plane carrying the first shipment of military aid for Iraq."), ("004", "The plane that left Germany on Friday was stocked with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal")],
        illustrative: None },
    SeedNote { origin: "CAN", date: "2014-09-05", title: "Military advisers to Iraq",
        body: "Canada announced it would deploy military officials to Iraq to advise government forces.",
        tlp: "GREEN", rel_to: &["COALITION"],
        cites: &[("004", "Canada announced it would deploy military officials to Iraq to advise government forces.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "Task force on foreign fighters",
        body: "Agreed at Wales: a multinational task force will be formed to share more information about the flow of foreign fighters into Syria and from Syria into Iraq.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "a multinational task force will be formed to share more information about the flow of foreign fighters into Syria and from Syria into Iraq.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "Petroleum revenue",
        body: "We also agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "We also agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.")],
        illustrative: None },
    SeedNote { origin: "GBR", date: "2014-09-05", title: "Proposal: NATO training and mentoring of forces in Jordan, Georgia and Iraq",
        body: "Prime Minister Cameron at the NATO summit, a proposal for NATO to agree, not a pledge of the United Kingdom: I hope we can agree to use our expertise to provide training and mentoring of forces in Jordan and Georgia, and also in Iraq when the new government has been established.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("000", "I hope we can agree to use our expertise to provide training and mentoring of forces in Jordan and Georgia, and also in Iraq when the new government has been established.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "What members can contribute",
        body: "Secretary Kerry to the core coalition: While noting that there would not be many willing to engage in military strikes, he said countries could instead provide intelligence, equipment, ammunition or weapons.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("004", "While noting that there would not be many willing to engage in military strikes, he said countries could instead provide intelligence, equipment, ammunition or weapons.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "U.S. airstrikes in Iraq, not yet in Syria",
        body: "The US has launched air strikes against IS targets in Iraq, and has been accused by the Syrian opposition of applying double standards as it has not yet intervened against the group in Syria.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("004", "The US has launched air strikes against IS targets in Iraq, and has been accused by the Syrian opposition of applying double standards as it has not yet intervened against the group in Syria")],
        illustrative: None },
    SeedNote { origin: "GBR", date: "2014-09-05", title: "The United Kingdom's part: action on the ground is needed",
        body: "Prime Minister Cameron: What is required is action on the ground, from the Kurds, from the new Iraqi government, from the neighbouring states. We’re arming the Kurds. we’re flying missions over Iraq. we’re supplying humanitarian aid.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("004", "What is required is action on the ground, from the Kurds, from the new Iraqi government, from the neighbouring states."), ("004", "We’re arming the Kurds"), ("004", "we’re flying missions over Iraq"), ("004", "we’re supplying humanitarian aid")],
        illustrative: None },
    SeedNote { origin: "FRA", date: "2014-09-05", title: "France would join a military coalition if Iraq asks",
        body: "President Hollande said France would join a military coalition to help battle Islamic State fighters in Iraq if asked by the government there, but did not provide specific details.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("004", "said France would join a military coalition to help battle Islamic State fighters in Iraq if asked by the government there, but did not provide specific details.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2014-09-05", title: "A plan together by the UN General Assembly",
        body: "Secretary Kerry at the NATO summit: because we must be able to have a plan together by the time we come to UNGA, we need to have this coalesce. We very much hope that people will be as declarative as some of our friends around the table have been in order to be clear about what they’re willing to commit. U.S. President Barack Obama would be leading a National Security Council meeting in New York in the course of United Nations General Assembly, which would focus specifically on the challenge of dealing with foreign fighters taking up arms with IS.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("002", "because we must be able to have a plan together by the time we come to UNGA, we need to have this coalesce."), ("002", "We very much hope that people will be as declarative as some of our friends around the table have been in order to be clear about what they’re willing to commit"), ("002", "U.S. President Barack Obama would be leading a National Security Council meeting in New York in the course of United Nations General Assembly, which would focus specifically on the challenge of dealing with foreign fighters taking up arms with IS.")],
        illustrative: None },
    SeedNote { origin: "GBR", date: "2015-01-22", title: "London small group: expert working groups",
        body: "21 key members of the global coalition met in London today (Jan.22) to review and discuss efforts to degrade and defeat ISIL. As agreed in Brussels, we will establish an expert-level series of working groups to pool resources and expertise from coalition capitals in order to defeat Daesh as an organization. The small group will continue to meet on a regular basis and continue, obviously, to consult with the full 60 members of the coalition, who will meet again as a full membership. The full plenary will convene again later this year in order to draw from the lessons that we have learned all around the world.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "21 key members of the global coalition met in London today (Jan.22) to review and discuss efforts to degrade and defeat ISIL"), ("001", "As agreed in Brussels, we will establish an expert-level series of working groups to pool resources and expertise from coalition capitals in order to defeat Daesh as an organization."), ("001", "The small group will continue to meet on a regular basis and continue, obviously, to consult with the full 60 members of the coalition, who will meet again as a full membership."), ("001", "The full plenary will convene again later this year in order to draw from the lessons that we have learned all around the world.")],
        illustrative: None },
    SeedNote { origin: "IRQ", date: "2015-01-22", title: "Rebuilding the Iraqi security forces",
        body: "We’ve had an update today from General Allen (John R. Allen, AO is a United States Marine Corps four-star general) on the work to rebuild, re-equip, and retrain the Iraqi Security Forces. Coalition training and advising efforts in Iraq are underway and ramping up, with the goal of ultimately raising 12 new Iraqi brigades.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "we’ve had an update today from General Allen (John R. Allen, AO is a United States Marine Corps four-star general) on the work to rebuild, re-equip, and retrain the Iraqi Security Forces"), ("001", "Coalition training and advising efforts in Iraq are underway and ramping up, with the goal of ultimately raising 12 new Iraqi brigades.")],
        illustrative: None },
    SeedNote { origin: "IRQ", date: "2015-01-22", title: "Iraq's fiscal problem",
        body: "Discussed at London: oil prices have dropped to about 40 percent of their level last year. the Iraqi economy and budget relies 85 percent on oil.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "oil prices have dropped to about 40 percent of their level last year"), ("001", "the Iraqi economy and budget relies 85 percent on oil")],
        illustrative: None },
    SeedNote { origin: "IRQ", date: "2015-01-22", title: "Prime Minister al-Abadi in London",
        body: "Addressing a joint press conference with UK Foreign Secretary Philip Hammond and Iraqi Prime Minister Haider al-Abadi. We congratulated him on the progress that has been made in Iraq in the hundred or so days since he formed his government and reaffirmed our support for what he is doing. The Iraqi Prime Minister said in the last month, there has been an increase in the air campaign against Daesh positions in terms of number and effectiveness.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "Addressing a joint press conference with UK Foreign Secretary Philip Hammond and Iraqi Prime Minister Haider al-Abadi"), ("001", "We congratulated him on the progress that has been made in Iraq in the hundred or so days since he formed his government and reaffirmed our support for what he is doing."), ("001", "The Iraqi Prime Minister said in the last month, there has been an increase in the air campaign against Daesh positions in terms of number and effectiveness")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2015-01-22", title: "Every member contributes: all 60",
        body: "Secretary Kerry in London: In total, over 60 countries have signed up to the global coalition. in Brussels there were representatives from 60 different countries representing a very broad, worldwide range of views and of priorities. The coalition came together around the joint statement that was issued out of the meeting in Brussels, and that outlines our multiple lines of effort. we appreciate the contribution of every single member, each of whom has chosen one line of effort or another. we all confirmed our commitment to the struggle, however long it takes and wherever it leads us.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "In total, over 60 countries have signed up to the global coalition"), ("001", "in Brussels there were representatives from 60 different countries representing a very broad, worldwide range of views and of priorities."), ("001", "The coalition came together around the joint statement that was issued out of the meeting in Brussels, and that outlines our multiple lines of effort"), ("001", "we appreciate the contribution of every single member, each of whom has chosen one line of effort or another."), ("001", "we all confirmed our commitment to the struggle, however long it takes and wherever it leads us")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2015-01-22", title: "A UN multi-partner recovery and stabilization fund",
        body: "Secretary Kerry in London: we commend the recent UN announcement of a multi-partner recover and stabilization fund, and this fund will support Iraqi- led stabilization efforts in communities that have been rescued from Daesh’s grip.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "we commend the recent UN announcement of a multi-partner recover and stabilization fund, and this fund will support Iraqi- led stabilization efforts in communities that have been rescued from Daesh’s grip.")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2015-01-22", title: "Washington summit on countering violent extremism",
        body: "President Obama has invited countries to come and join in a consultation about violent extremism in Washington in the month of February. We will have a subsequent ministerial meeting ourselves at the State Department.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("001", "President Obama has invited countries to come and join in a consultation about violent extremism in Washington in the month of February"), ("001", "we will have a subsequent ministerial meeting ourselves at the State Department")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2016-12-15", title: "London defence ministerial",
        body: "Adding 200 additional U.S. forces to Syria to join the 300 U.S. Special Operations forces already there. It controls less than 10 percent of Iraqi territory. 11 former [ISIL] strongholds have fallen. A million Iraqis are now being able to return to their homes.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("003", "adding 200 additional U.S. forces to Syria to join the 300 U.S. Special Operations forces already there."), ("003", "It controls less than 10 percent of Iraqi territory"), ("003", "11 former [ISIL] strongholds have fallen"), ("003", "a million Iraqis are now being able to return to their homes")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2016-12-15", title: "Secretary Carter at the London defence ministerial",
        body: "Defense Secretary Ash Carter said today in opening remarks at a meeting in London of defense ministers participating in the campaign to defeat ISIL. It must stay focused on the continued execution of the campaign plan into 2017. To do so, both the United States and the coalition must remain engaged militarily. We need to continue to counter not only the foreign fighters trying to escape ISIL, but also ISIL’s attempts to relocate and reinvent itself. We must be prepared to provide sustained assistance to the Iraqi security forces to consolidate security over the rest of the country, and to carry on our work to train, equip and support local police, border guards, and other forces to hold areas cleared from ISIL. The international community’s stabilization and governance efforts must not lag behind the military campaign. We’re now helping tens of thousands of local, capable, motivated forces to isolate and systematically envelope Raqqa, from which they are only 15 miles away. We’ve not only killed the chief of ISIL’s external operations, we’ve also taken out dozens of its external plotters -- including three last week in Raqqa who were directly involved in attacks and the plotting of attacks against our European allies. With over a third of the forces coming from non-U.S. partners.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("003", "Defense Secretary Ash Carter said today in opening remarks at a meeting in London of defense ministers participating in the campaign to defeat ISIL."), ("003", "it must stay focused on the continued execution of the campaign plan into 2017"), ("003", "To do so, both the United States and the coalition must remain engaged militarily."), ("003", "We need to continue to counter not only the foreign fighters trying to escape ISIL, but also ISIL’s attempts to relocate and reinvent itself"), ("003", "we must be prepared to provide sustained assistance to the Iraqi security forces to consolidate security over the rest of the country, and to carry on our work to train, equip and support local police, border guards, and other forces to hold areas cleared from ISIL"), ("003", "the international community’s stabilization and governance efforts must not lag behind the military campaign."), ("003", "We’re now helping tens of thousands of local, capable, motivated forces to isolate and systematically envelope Raqqa, from which they are only 15 miles away."), ("003", "We’ve not only killed the chief of ISIL’s external operations, we’ve also taken out dozens of its external plotters -- including three last week in Raqqa who were directly involved in attacks and the plotting of attacks against our European allies."), ("003", "with over a third of the forces coming from non-U.S. partners")],
        illustrative: None },
    SeedNote { origin: "GBR", date: "2016-12-15", title: "Secretary Fallon at the London defence ministerial",
        body: "That is going to demand greater operational coordination, greater intelligence and information sharing and greater alignment of weapons. I hope by the end of our conference today, we will have agreed that a military approach for 2017 to build on the real progress that has already been made. In Syria, the U.K. defense secretary said ISIL has lost a quarter of the territory it once held. More than 25,000 of its fighters have been estimated to have been killed.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("003", "that is going to demand greater operational coordination, greater intelligence and information sharing and greater alignment of weapons"), ("003", "I hope by the end of our conference today, we will have agreed that a military approach for 2017 to build on the real progress that has already been made"), ("003", "In Syria, the U.K. defense secretary said ISIL has lost a quarter of the territory it once held"), ("003", "more than 25,000 of its fighters have been estimated to have been killed")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2016-12-15", title: "Carrier strategic guidance signed in London",
        body: "Defense Secretary Ash Carter and U.K. Defense Secretary Michael Fallon sign a carrier strategic guidance document in London before a meeting of defense ministers. Defense Secretary Ash Carter talks with French Defense Minister Jean-Yves Le Drian and German Defense Minister Ursula von der Leyen in London.",
        tlp: "CLEAR", rel_to: &["COALITION"],
        cites: &[("003", "Defense Secretary Ash Carter and U.K. Defense Secretary Michael Fallon sign a carrier strategic guidance document in London before a meeting of defense ministers"), ("003", "Defense Secretary Ash Carter talks with French Defense Minister Jean-Yves Le Drian and German Defense Minister Ursula von der Leyen in London")],
        illustrative: None },
    SeedNote { origin: "USA", date: "2016-12-15", title: "Illustrative: planning note for three members",
        body: "Not from the documents. A TLP:RED note shared with three named members, to show that nobody else (the partner's liaison included) can read it or learn that it exists.",
        tlp: "RED", rel_to: &["GBR", "FRA", "DEU"],
        cites: &[],
        illustrative: Some("The whole note: an example of restricted sharing, not a fact of the documents.") },
];

pub(crate) fn day_ms(date: &str) -> Result<i64> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(date, &fmt).with_context(|| format!("bad seed date {date}"))?;
    Ok(d.midnight().assume_utc().unix_timestamp() * 1000 + 12 * 3600 * 1000)
}

pub(crate) fn random_password() -> String {
    coalesce_store::user_admin::random_password()
}

/// Loads the scenario into an empty store. Returns the demo password.
pub async fn load(store: &Store) -> Result<String> {
    load_registry(store).await?;
    // One shared password, hashed once: 60+ Argon2id hashes would add seconds
    // to every demo start for no protection (the password is printed).
    let password = random_password();
    let phc = hash_password(&password).await?;
    let principals = load_users(store, &phc, &|_| true, SECRETARIAT).await?;
    load_notes(store, &principals, &|_| true).await?;
    crate::demo_needs::load(store, &principals, day_ms).await?;
    load_reports(store, &principals).await?;
    crate::demo_fund::load(store, &principals).await?;
    crate::demo_meetings::load(store, &principals).await?;
    Ok(password)
}

/// The demo's one password, hashed (off the async workers).
pub(crate) async fn hash_password(password: &str) -> Result<String> {
    let pw = password.to_string();
    Ok(tokio::task::spawn_blocking(move || coalesce_store::accounts::hash_password(&pw)).await??)
}

/// The registry of the seed documents (members, groups, lines of effort,
/// each with its source) and the demo's settings, on an empty database.
pub(crate) async fn load_registry(store: &Store) -> Result<()> {
    if !store.is_empty().await? {
        bail!("the demo needs an empty database; this one already holds members");
    }
    store.set_setting("secretariat", SECRETARIAT).await?;
    store.set_setting("mode", "demo").await?;
    for (code, name, kind, role, joined) in MEMBERS {
        let joined = Some(*joined).filter(|j| !j.is_empty());
        store
            .create_member(None, &NewMember::parse(code, name, kind, role, joined)?)
            .await?;
        keep(
            store,
            None,
            Subject::Member(code.to_string()),
            &member_source(code)?,
        )
        .await?;
    }
    for (slug, name, kind, description, members) in GROUPS {
        let members: Vec<String> = members.iter().map(|m| m.to_string()).collect();
        store
            .create_group(
                None,
                &NewGroup::parse(slug, name, kind, description, &members)?,
            )
            .await?;
        keep(
            store,
            None,
            Subject::Group(slug.to_string()),
            &group_source(slug)?,
        )
        .await?;
    }
    for (slug, name, description, quote) in LINES_OF_EFFORT {
        store
            .create_line_of_effort(None, slug, name, description)
            .await?;
        keep(
            store,
            None,
            Subject::LineOfEffort(slug.to_string()),
            &crate::demo_sources::cites(&[*quote])?,
        )
        .await?;
    }
    Ok(())
}

/// A demo user (the member's code in lower case) for every member
/// `hosted` says this node hosts, and `admin` of `admin_member`.
pub(crate) async fn load_users(
    store: &Store,
    phc: &str,
    hosted: &dyn Fn(&str) -> bool,
    admin_member: &str,
) -> Result<BTreeMap<&'static str, Principal>> {
    let mut principals = BTreeMap::new();
    for (code, ..) in MEMBERS.iter().filter(|m| hosted(m.0)) {
        let role = if *code == SECRETARIAT {
            Role::Coordinator
        } else {
            Role::Contributor
        };
        let username = Username::parse(&code.to_lowercase())?;
        let member = MemberCode::parse(code)?;
        let u = store
            .insert_user(None, &username, &member, role, phc)
            .await?;
        principals.insert(
            *code,
            Principal {
                user_id: u.id,
                username,
                member,
                role,
            },
        );
    }
    store
        .insert_user(
            None,
            &Username::parse("admin")?,
            &MemberCode::parse(admin_member)?,
            Role::Admin,
            phc,
        )
        .await?;
    Ok(principals)
}

/// The demo's notes whose origin `hosted` says this node hosts, each with
/// its source.
pub(crate) async fn load_notes(
    store: &Store,
    principals: &BTreeMap<&str, Principal>,
    hosted: &dyn Fn(&str) -> bool,
) -> Result<usize> {
    let mut n_written = 0;
    for n in NOTES.iter().filter(|n| hosted(n.origin)) {
        let p = principals
            .get(n.origin)
            .with_context(|| format!("no demo user for {}", n.origin))?;
        let rel: Vec<String> = n.rel_to.iter().map(|s| s.to_string()).collect();
        let draft = NoteDraft::parse(n.title, n.body, Marking::parse(n.tlp, &rel)?, None)?;
        let note = store.create_note_at(p, &draft, day_ms(n.date)?).await?;
        let source = crate::demo_sources::source(n.cites, n.illustrative)
            .with_context(|| format!("the source of demo note {:?}", n.title))?;
        keep(store, Some(p), Subject::Record(note.id), &source).await?;
        n_written += 1;
    }
    Ok(n_written)
}

/// Reports of the seed documents' information sharing (issue 6): the task
/// force on the flow of foreign fighters and the petroleum-revenue effort,
/// about the places they name (no person is named in the documents).
async fn load_reports(store: &Store, principals: &BTreeMap<&str, Principal>) -> Result<()> {
    use crate::demo_sources::cites;
    use coalesce_domain::reports::{EntityDraft, ReportDraft};
    let usa = principals.get("USA").context("no demo user for USA")?;
    let rel = |t: &str, r: &[&str]| -> Result<Marking> {
        Ok(Marking::parse(
            t,
            &r.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )?)
    };
    let place = |name: &str, code: &str| -> Result<EntityDraft> {
        Ok(EntityDraft::parse(
            "place",
            name,
            &[],
            None,
            Some(code),
            &[],
            None,
            None,
            None,
            rel("GREEN", &["COALITION"])?,
        )?)
    };
    let at = day_ms("2014-09-05")?;
    let syria = store
        .create_entity_at(usa, &place("Syria", "SYR")?, at)
        .await?;
    let iraq = store
        .create_entity_at(usa, &place("Iraq", "IRQ")?, at)
        .await?;
    let flow_quote = (
        "000",
        "a multinational task force will be formed to share more information about the flow of foreign fighters into Syria and from Syria into Iraq.",
    );
    for e in [&syria, &iraq] {
        keep(
            store,
            Some(usa),
            Subject::Record(e.id.clone()),
            &cites(&[flow_quote])?,
        )
        .await?;
    }
    let flow = ReportDraft::parse(
        "situation-report",
        "Flow of foreign fighters into Syria and from Syria into Iraq",
        "Agreed at Wales: a multinational task force will share more information about the flow of foreign fighters into Syria and from Syria into Iraq, an acute threat to NATO allies.",
        Some("foreign-fighters"),
        Some("2014-09-05"),
        rel("GREEN", &["COALITION"])?,
        &[(syria.id.clone(), "destination".into()), (iraq.id.clone(), "destination".into())],
    )?;
    let flow = store.create_report_at(usa, &flow, at).await?;
    keep(
        store,
        Some(usa),
        Subject::Record(flow.id),
        &cites(&[flow_quote])?,
    )
    .await?;
    let oil = ReportDraft::parse(
        "financing",
        "Trade in petroleum products as ISIL's source of revenue",
        "Agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.",
        Some("counter-financing"),
        Some("2014-09-05"),
        rel("GREEN", &["COALITION"])?,
        &[(syria.id.clone(), "origin".into()), (iraq.id.clone(), "origin".into())],
    )?;
    let oil = store.create_report_at(usa, &oil, at).await?;
    keep(
        store,
        Some(usa),
        Subject::Record(oil.id),
        &cites(&[("000", "We also agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.")])?,
    )
    .await?;
    Ok(())
}

pub async fn run(
    listen: &str,
    database: Option<String>,
    no_serve: bool,
    sanctions: Vec<std::path::PathBuf>,
    public_url: Option<String>,
) -> Result<()> {
    // Checked before anything is written.
    let public_url = crate::public_url_of(listen, public_url)?;
    let url = match database {
        Some(u) => u,
        None => {
            let path =
                std::env::temp_dir().join(format!("coalesce-demo-{}.db", std::process::id()));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite://{}", path.display())
        }
    };
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open database {}", crate::redact(&url)))?;
    // A served demo is a node like any other: its identity is made first,
    // so every version of the scenario is signed by it.
    if !no_serve {
        let key =
            crate::node::load_or_create(&store, &url, &crate::node::KeyArg { node_key: None })
                .await?;
        println!("node key {}", key.fingerprint());
    }
    let password = load(&store).await?;
    println!(
        "coalesce demo: {} members (60 countries, Iraq the partner among them, and 2 organisations), {} groups, {} lines of effort, {} notes; every record cites its seed document or is labelled illustrative",
        MEMBERS.len(),
        GROUPS.len(),
        LINES_OF_EFFORT.len(),
        NOTES.len()
    );
    println!("database: {}", crate::redact(&url));
    println!("demo logins: one per member, username = member code in lower case (usa, gbr, fra, irq, arab-league, ...), and admin");
    println!("demo password: {password}");
    println!("the stabilisation fund (FFIS): usa is its fund manager; see `coalesce fund list`");
    println!(
        "meetings: Wales to the London defence ministerial; follow-up judged as of {} (see /commitments)",
        crate::demo_meetings::DEMO_AS_OF
    );
    let mut state = coalesce_api::AppState::new(store)
        .with_public_url(&public_url)
        .map_err(anyhow::Error::msg)?;
    let paths = if sanctions.is_empty() {
        let default = std::path::PathBuf::from("../shared/data/sanctions");
        if default.is_dir() {
            vec![default]
        } else {
            vec![]
        }
    } else {
        sanctions
    };
    if paths.is_empty() {
        println!("sanctions lists: none found (pass --sanctions PATH); screening is off");
    } else {
        // The demo runs without lists rather than not at all.
        match crate::load_sanctions(&paths).await {
            Ok(screener) => {
                println!(
                    "{}",
                    crate::record_sanctions(&state.store, &screener).await?
                );
                crate::spawn_rescreen(&state, screener.clone());
                state = state.with_screener(screener);
            }
            Err(e) => println!(
                "sanctions lists: none loaded ({}); screening is off",
                coalesce_store::one_line(&format!("{e:#}"))
            ),
        }
    }
    if no_serve {
        return Ok(());
    }
    tokio::spawn(crate::scheduled_purge(state.store.clone()));
    crate::server::serve(
        listen,
        state,
        Some(Box::new(|addr| {
            println!("open http://{addr}/ and log in (e.g. as usa); Ctrl-C stops the demo");
        })),
        crate::pull::PullConfig::default(),
        crate::server::Limits::default(),
    )
    .await
}
