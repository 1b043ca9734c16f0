//! Adds N reports with random kinds, words and markings to a database that
//! already holds the demo scenario (`coalesce demo --no-serve --database
//! URL`), through the store's own write path (audience, versions, search
//! index, STIX projection, audit), for the search, open-loop and export
//! benchmarks. The reports are written in transactions of 1,000 (the
//! layer's batch path an import takes; one writer's), each batch by one
//! user and at one time, 30 s apart per report, so that a million take
//! minutes, not the hours one transaction per report would.
//! Usage: seed_reports URL N

use coalesce_domain::report_record::ReportRecordKind;
use coalesce_domain::reports::ReportDraft;
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_store::{Principal, Store};
use rand::{Rng, SeedableRng};

/// Words reports are made of: given names and family names (some rare,
/// some common), places, commodities and ordinary words.
const GIVEN: [&str; 16] = [
    "Abu", "Muhammad", "Ahmed", "Omar", "Yusuf", "Khalid", "Ibrahim", "Hassan", "Ali", "Tariq",
    "Bilal", "Hamza", "Mustafa", "Samir", "Walid", "Zaid",
];
const FAMILY: [&str; 16] = [
    "al-Tunisi",
    "al-Shishani",
    "al-Britani",
    "al-Almani",
    "al-Faransi",
    "al-Iraqi",
    "al-Suri",
    "al-Maghribi",
    "al-Libi",
    "al-Masri",
    "al-Turki",
    "al-Urduni",
    "al-Kuwaiti",
    "al-Yemeni",
    "al-Sudani",
    "al-Somali",
];
const PLACES: [&str; 12] = [
    "Raqqa",
    "Mosul",
    "Tikrit",
    "Amerli",
    "Kobani",
    "Akcakale",
    "Gaziantep",
    "Ramadi",
    "Fallujah",
    "Deir-ez-Zor",
    "Tal-Afar",
    "Baiji",
];
const THINGS: [&str; 12] = [
    "crude",
    "oil",
    "refined",
    "products",
    "tanker",
    "trucks",
    "cash",
    "transfer",
    "passport",
    "border",
    "crossing",
    "recruiter",
];
const FILLER: [&str; 12] = [
    "reported",
    "seen",
    "near",
    "travelled",
    "through",
    "with",
    "from",
    "towards",
    "source",
    "assessed",
    "likely",
    "contact",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        anyhow::bail!("usage: seed_reports DATABASE_URL N");
    };
    let store = Store::open(url).await?;
    let principals: Vec<Principal> = store
        .list_users()
        .await?
        .iter()
        .filter(|u| u.role == "contributor" || u.role == "coordinator")
        .map(|u| {
            Ok(Principal {
                user_id: u.id.clone(),
                username: Username::parse(&u.username)?,
                member: MemberCode::parse(&u.member)?,
                role: Role::parse(&u.role)?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    anyhow::ensure!(!principals.is_empty(), "no users: load the demo first");
    let codes: Vec<String> = principals.iter().map(|p| p.member.to_string()).collect();
    let groups = ["GROUP:ff-task-force", "GROUP:core-ten", "COALITION"];
    let tlps = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
    let kinds = [
        "foreign-fighter-travel",
        "financing",
        "situation-report",
        "counter-messaging",
        "stabilisation-assessment",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let start = std::time::Instant::now();
    let t0 = 1_420_070_400_000i64; // 2015-01-01
    let pick =
        |rng: &mut rand::rngs::StdRng, words: &[&'static str]| words[rng.gen_range(0..words.len())];
    const BATCH: usize = 1_000;
    let mut batch = Vec::with_capacity(BATCH);
    let mut p = &principals[0];
    for i in 0..n {
        if i % BATCH == 0 {
            p = &principals[rng.gen_range(0..principals.len())];
        }
        let mut rel: Vec<String> = (0..rng.gen_range(0..4))
            .map(|_| codes[rng.gen_range(0..codes.len())].clone())
            .collect();
        if rng.gen_bool(0.4) {
            rel.push(groups[rng.gen_range(0..groups.len())].to_string());
        }
        let marking = Marking::parse(tlps[rng.gen_range(0..tlps.len())], &rel)?;
        let title = format!(
            "{} {} {} {}",
            pick(&mut rng, &GIVEN),
            pick(&mut rng, &FAMILY),
            pick(&mut rng, &FILLER),
            pick(&mut rng, &PLACES)
        );
        let body: Vec<&str> = (0..rng.gen_range(8..30))
            .map(|_| match rng.gen_range(0..4) {
                0 => pick(&mut rng, &PLACES),
                1 => pick(&mut rng, &THINGS),
                _ => pick(&mut rng, &FILLER),
            })
            .collect();
        let draft = ReportDraft::parse(
            kinds[rng.gen_range(0..kinds.len())],
            &title,
            &format!("{} (synthetic report {i})", body.join(" ")),
            None,
            None,
            marking,
            &[],
        )?;
        batch.push((draft.record_body(), draft.marking.clone()));
        if batch.len() == BATCH || i + 1 == n {
            let at = t0 + (i + 1 - batch.len()) as i64 * 30_000;
            store
                .create_records_at::<ReportRecordKind>(p, std::mem::take(&mut batch), at)
                .await?;
        }
        if (i + 1) % 10_000 == 0 {
            eprintln!(
                "{} reports ({:.0}/s)",
                i + 1,
                (i + 1) as f64 / start.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!("{n} reports in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}
