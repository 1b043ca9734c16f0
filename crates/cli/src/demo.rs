//! `coalesce demo`: a node on a fresh database holding the coalition of the
//! seed documents (members as of early 2015, the core group of ten at Wales,
//! the 21 of the London small group, Iraq as partner, working groups, lines of
//! effort, notes dated as the documents date them), with a demo login for
//! every member.

use anyhow::{bail, Context, Result};
use coalesce_domain::note::NoteDraft;
use coalesce_domain::registry::NewMember;
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
    ("IRQ", "Iraq", "state", "partner", "2014-09-05"),
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

/// Groups: (slug, name, kind, description, members). Working groups are
/// seeded with their co-chairs; chairs add members as they join.
pub const GROUPS: &[(&str, &str, &str, &str, &[&str])] = &[
    ("core-ten", "Core coalition (Wales, 5 September 2014)", "community", "The ten nations Secretary Kerry and Secretary Hagel convened at the NATO summit in Wales.", CORE_TEN),
    ("small-group", "Small group", "small_group", "Core members that meet regularly to coordinate the lines of effort (London, 22 January 2015: 21 members).", LONDON_SMALL_GROUP),
    ("ff-task-force", "Foreign terrorist fighters working group", "task_force", "The multinational task force agreed at Wales to share information about the flow of foreign fighters into Syria and from Syria into Iraq.", &["NLD", "TUR"]),
    ("counter-finance", "Counter-ISIL finance group", "working_group", "Stifling ISIL's sources of revenue, including any trade in petroleum products.", &["ITA", "SAU", "USA"]),
    ("stabilisation", "Stabilisation working group", "working_group", "Stabilisation of areas liberated from ISIL: police, governance, electricity, water.", &["DEU", "ARE"]),
    ("communications", "Strategic communications working group", "working_group", "De-legitimising ISIL's ideology; counter-messaging.", &["GBR", "ARE", "USA"]),
];

/// Lines of effort of the Wales joint statement (5 September 2014), then
/// those Secretary Kerry listed in London (22 January 2015).
pub const LINES_OF_EFFORT: &[(&str, &str, &str)] = &[
    ("military-support", "Military support to Iraqi partners", "Security assistance: training, advising, equipping the Iraqi security forces; air campaign."),
    ("foreign-fighters", "Stopping the flow of foreign fighters", "Disrupting the flow of foreign fighters into Syria and from Syria into Iraq."),
    ("counter-financing", "Countering ISIL's financing and funding", "Draining Daesh's financial resources, above all the trade in petroleum products."),
    ("humanitarian", "Addressing humanitarian crises", "Humanitarian relief to the victims, sheltering refugees."),
    ("counter-messaging", "De-legitimising ISIL's ideology", "Countering the narrative; defeating Daesh as an idea."),
    ("stabilisation", "Strengthening Iraq's capacity", "Stabilisation of liberated towns: police, governance, electricity, water."),
    ("homeland-protection", "Protecting our homelands", "Protecting coalition members' citizens from attacks and returning fighters."),
];

/// Notes that carry facts of the seed documents: (origin, date, title, body, tlp, rel_to, group).
/// (origin, date, title, body, tlp, rel_to, group)
type SeedNote = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
);

pub const NOTES: &[SeedNote] = &[
    ("USA", "2014-09-05", "Wales joint statement: five lines of effort",
     "Kerry and Hagel, NATO summit, Wales: an international coalition to defeat ISIL must coordinate across multiple lines of effort: military support to Iraqi partners; stopping the flow of foreign fighters; countering ISIL's financing and funding; addressing humanitarian crises; de-legitimizing ISIL's ideology. Work continues at the UN General Assembly, New York, from 16 September 2014.",
     "CLEAR", &["COALITION"], None),
    ("GBR", "2014-09-05", "Amerli: humanitarian supplies delivered",
     "Shared effort by the military forces of the United States, France, Australia and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli in northern Iraq, surrounded for two months by ISIL; aid and supplies led by a UN team on the ground.",
     "AMBER", &["USA", "FRA", "AUS"], None),
    ("DEU", "2014-09-05", "First shipment of military aid for Iraq",
     "A German aircraft left on Friday with protective vests, helmets, night vision telescopes, communications equipment and devices for mine search and disposal.",
     "GREEN", &["COALITION"], None),
    ("CAN", "2014-09-05", "Military advisers to Iraq",
     "Canada will deploy military officials to Iraq to advise government forces.",
     "GREEN", &["COALITION"], None),
    ("USA", "2014-09-05", "Task force on foreign fighters",
     "Agreed at Wales: a multinational task force will be formed to share more information about the flow of foreign fighters into Syria and from Syria into Iraq.",
     "AMBER", &["GROUP:core-ten"], Some("ff-task-force")),
    ("USA", "2014-09-05", "Petroleum revenue",
     "Agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.",
     "AMBER+STRICT", &["GROUP:core-ten"], Some("counter-finance")),
    ("GBR", "2015-01-22", "London small group: expert working groups",
     "21 key members met in London. As agreed in Brussels, an expert-level series of working groups will pool resources and expertise from coalition capitals. Progress: around 2,000 coalition airstrikes; 700 km² retaken. Plenary to convene again later this year.",
     "AMBER", &["GROUP:small-group"], Some("small-group")),
    ("IRQ", "2015-01-22", "Rebuilding the Iraqi security forces",
     "Target: 12 new Iraqi brigades trained and equipped. Increase in delivery of arms and munitions noted; the fiscal problem (oil at about 40 percent of last year's price; budget 85 percent oil) was discussed.",
     "AMBER", &["GROUP:small-group"], Some("small-group")),
    ("USA", "2016-12-15", "London defence ministerial",
     "200 additional U.S. forces to Syria, joining 300 U.S. Special Operations forces already there. ISIL controls less than 10 percent of Iraqi territory; 11 former strongholds have fallen; a million Iraqis able to return home.",
     "RED", &["GBR", "FRA", "DEU"], None),
];

pub(crate) fn day_ms(date: &str) -> Result<i64> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(date, &fmt).with_context(|| format!("bad seed date {date}"))?;
    Ok(d.midnight().assume_utc().unix_timestamp() * 1000 + 12 * 3600 * 1000)
}

fn random_password() -> String {
    use rand::Rng;
    // No look-alike characters: read off a terminal and typed by hand.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let chunk = |rng: &mut rand::rngs::OsRng| {
        (0..4)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect::<String>()
    };
    format!(
        "{}-{}-{}-{}",
        chunk(&mut rng),
        chunk(&mut rng),
        chunk(&mut rng),
        chunk(&mut rng)
    )
}

/// Loads the scenario into an empty store. Returns the demo password.
pub async fn load(store: &Store) -> Result<String> {
    if !store.is_empty().await? {
        bail!("the demo needs an empty database; this one already holds members");
    }
    store.set_setting("secretariat", SECRETARIAT).await?;
    store.set_setting("mode", "demo").await?;
    for (code, name, kind, role, joined) in MEMBERS {
        store
            .create_member(
                None,
                &NewMember::parse(code, name, kind, role, Some(joined))?,
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
    }
    for (slug, name, description) in LINES_OF_EFFORT {
        store
            .create_line_of_effort(None, slug, name, description)
            .await?;
    }
    // One shared password, hashed once: 60+ Argon2id hashes would add seconds
    // to every demo start for no protection (the password is printed).
    let password = random_password();
    let pw = password.clone();
    let phc =
        tokio::task::spawn_blocking(move || coalesce_store::accounts::hash_password(&pw)).await??;
    let mut principals = BTreeMap::new();
    for (code, ..) in MEMBERS {
        let role = if *code == SECRETARIAT {
            Role::Coordinator
        } else {
            Role::Contributor
        };
        let username = Username::parse(&code.to_lowercase())?;
        let member = MemberCode::parse(code)?;
        let u = store
            .insert_user(None, &username, &member, role, &phc)
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
            &MemberCode::parse(SECRETARIAT)?,
            Role::Admin,
            &phc,
        )
        .await?;
    for (origin, date, title, body, tlp, rel_to, group) in NOTES {
        let p = principals
            .get(origin)
            .with_context(|| format!("no demo user for {origin}"))?;
        let rel: Vec<String> = rel_to.iter().map(|s| s.to_string()).collect();
        let draft = NoteDraft::parse(title, body, Marking::parse(tlp, &rel)?, *group)?;
        store.create_note_at(p, &draft, day_ms(date)?).await?;
    }
    crate::demo_needs::load(store, &principals, day_ms).await?;
    load_reports(store, &principals).await?;
    crate::demo_fund::load(store, &principals).await?;
    crate::demo_meetings::load(store, &principals).await?;
    Ok(password)
}

/// Reports of the seed documents' information sharing (issue 6): the task
/// force on the flow of foreign fighters and the petroleum-revenue effort,
/// about the places they name (no person is named in the documents).
async fn load_reports(store: &Store, principals: &BTreeMap<&str, Principal>) -> Result<()> {
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
    let flow = ReportDraft::parse(
        "situation-report",
        "Flow of foreign fighters into Syria and from Syria into Iraq",
        "Agreed at Wales: a multinational task force will share more information about the flow of foreign fighters into Syria and from Syria into Iraq, an acute threat to NATO allies.",
        Some("foreign-fighters"),
        Some("2014-09-05"),
        rel("AMBER", &["GROUP:ff-task-force", "GROUP:core-ten"])?,
        &[(syria.id.clone(), "destination".into()), (iraq.id.clone(), "destination".into())],
    )?;
    store.create_report_at(usa, &flow, at).await?;
    let oil = ReportDraft::parse(
        "financing",
        "Trade in petroleum products as ISIL's source of revenue",
        "Agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.",
        Some("counter-financing"),
        Some("2014-09-05"),
        rel("AMBER+STRICT", &["GROUP:counter-finance"])?,
        &[(syria.id.clone(), "origin".into()), (iraq.id.clone(), "origin".into())],
    )?;
    store.create_report_at(usa, &oil, at).await?;
    Ok(())
}

pub async fn run(
    listen: &str,
    database: Option<String>,
    no_serve: bool,
    sanctions: Vec<std::path::PathBuf>,
) -> Result<()> {
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
    let password = load(&store).await?;
    println!(
        "coalesce demo: {} members, {} groups, {} lines of effort, {} notes",
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
    let mut state = coalesce_api::AppState::new(store);
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
    crate::server::serve(
        listen,
        state,
        Some(Box::new(|addr| {
            println!("open http://{addr}/ and log in (e.g. as usa); Ctrl-C stops the demo");
        })),
    )
    .await
}
