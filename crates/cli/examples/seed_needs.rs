//! Adds R requirements and C contributions (against them, a few standalone)
//! with random markings and lifecycles to a database that already holds the
//! demo scenario, for the dashboard benchmark (bench/needs/run.sh). Every
//! record goes through the store's own write paths (audience rows, kept
//! versions, audit), as it would in use.
//! Usage: seed_needs URL REQUIREMENTS CONTRIBUTIONS

use coalesce_domain::needs::{
    ContributionDraft, DeliveryDraft, Measure, Place, RequirementDraft, Window,
};
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_store::{Principal, Store};
use rand::{Rng, SeedableRng};

const LINES: [&str; 7] = [
    "military-support",
    "foreign-fighters",
    "counter-financing",
    "humanitarian",
    "counter-messaging",
    "stabilisation",
    "homeland-protection",
];
const CATEGORIES: [&str; 12] = [
    "protective-equipment",
    "night-vision",
    "communications",
    "mine-action",
    "vehicles",
    "training-course",
    "advisers",
    "humanitarian-supplies",
    "water",
    "electricity",
    "police",
    "cash",
];
const TOWNS: [&str; 8] = [
    "Tikrit", "Mosul", "Ramadi", "Fallujah", "Kirkuk", "Baiji", "Sinjar", "Amerli",
];

fn marking(rng: &mut impl Rng, codes: &[String], must: &str) -> anyhow::Result<Marking> {
    let tlps = ["CLEAR", "GREEN", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
    let mut rel: Vec<String> = (0..rng.gen_range(0..3))
        .map(|_| codes[rng.gen_range(0..codes.len())].clone())
        .collect();
    if rng.gen_bool(0.5) {
        rel.push(["COALITION", "GROUP:small-group", "GROUP:core-ten"][rng.gen_range(0..3)].into());
    }
    if !must.is_empty() {
        rel.push(must.to_string());
    }
    Ok(Marking::parse(tlps[rng.gen_range(0..tlps.len())], &rel)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(nr), Some(nc)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
        args.get(3).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        anyhow::bail!("usage: seed_needs DATABASE_URL REQUIREMENTS CONTRIBUTIONS");
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
    let irq = principals
        .iter()
        .find(|p| p.member.as_str() == "IRQ")
        .ok_or_else(|| anyhow::anyhow!("no irq user: load the demo first"))?
        .clone();
    let codes: Vec<String> = principals.iter().map(|p| p.member.to_string()).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let t0 = 1_420_070_400_000i64; // 2015-01-01
    let start = std::time::Instant::now();
    // Requirements: IRQ asks, every requirement readable by IRQ.
    let mut reqs: Vec<(String, String, Marking)> = Vec::with_capacity(nr);
    for i in 0..nr {
        let m = marking(&mut rng, &codes, "IRQ")?;
        let unit = "kit";
        let town = TOWNS[rng.gen_range(0..TOWNS.len())];
        let d = RequirementDraft::parse(
            &format!("Requirement {i}"),
            "Synthetic requirement for the dashboard benchmark.",
            "IRQ",
            LINES[i % LINES.len()],
            CATEGORIES[rng.gen_range(0..CATEGORIES.len())],
            Measure::quantity(rng.gen_range(10..5_000), unit)?,
            Place::parse("IRQ", None, Some(town), None)?,
            Window::parse("2015-01-01", "2016-12-31")?,
            rng.gen_range(1..=5),
            m.clone(),
        )?;
        let r = store
            .create_requirement_at(&irq, &d, t0 + i as i64 * 1_000)
            .await?;
        reqs.push((r.id, LINES[i % LINES.len()].to_string(), m));
    }
    eprintln!("{nr} requirements in {:.1}s", start.elapsed().as_secs_f64());
    let start = std::time::Instant::now();
    // Pledges are written in batches through the store's all-or-nothing
    // import path (one transaction per batch, each record with its audience
    // rows, kept version and audit entry); 10 % are then committed and half
    // of those delivered in part, one transition at a time.
    const BATCH: usize = 2_000;
    let mut made = 0usize;
    let mut moved: Vec<(usize, String, i64, u32)> = Vec::new();
    while made < nc {
        let pi = rng.gen_range(0..principals.len());
        let p = &principals[pi];
        let viewer = coalesce_domain::Viewer {
            member: p.member.clone(),
            groups: Default::default(),
        };
        let n = BATCH.min(nc - made);
        let mut rows = Vec::with_capacity(n);
        let mut months = Vec::with_capacity(n);
        for k in 0..n {
            let i = made + k;
            // 95 % against a requirement the contributor may read; else standalone.
            let rid = if rng.gen_bool(0.95) {
                let (id, _, m) = &reqs[rng.gen_range(0..reqs.len())];
                m.readable_by(&MemberCode::parse("IRQ")?, &viewer)
                    .then(|| id.clone())
            } else {
                None
            };
            let town = TOWNS[rng.gen_range(0..TOWNS.len())];
            let month: u32 = rng.gen_range(1..=12);
            let d = ContributionDraft::parse(
                &format!("Contribution {i}"),
                "",
                &[p.member.to_string()],
                rid.as_deref(),
                rid.is_none().then(|| LINES[rng.gen_range(0..LINES.len())]),
                rid.is_none()
                    .then(|| CATEGORIES[rng.gen_range(0..CATEGORIES.len())]),
                Measure::quantity(rng.gen_range(1..50), "kit")?,
                rid.is_none()
                    .then(|| Place::parse("IRQ", None, Some(town), None))
                    .transpose()?,
                rid.is_none()
                    .then(|| {
                        Window::parse(
                            &format!("2015-{month:02}-01"),
                            &format!("2015-{month:02}-28"),
                        )
                    })
                    .transpose()?,
                marking(&mut rng, &codes, "")?,
            )?;
            rows.push((i as u64, d));
            months.push(month);
        }
        let ids = store.import_contributions(p, &rows, |_, _| true).await?;
        for ((id, (_, d)), month) in ids.into_iter().zip(&rows).zip(months) {
            if rng.gen_bool(0.10) {
                moved.push((pi, id, d.measure.amount(), month));
            }
        }
        made += n;
        eprintln!(
            "{made} contributions ({:.0}/s)",
            made as f64 / start.elapsed().as_secs_f64()
        );
    }
    for (k, (pi, id, amount, month)) in moved.iter().enumerate() {
        let p = &principals[*pi];
        let at = t0 + k as i64 * 30_000;
        store.commit_contribution_at(p, id, at).await?;
        if k % 2 == 0 {
            let n = rng.gen_range(1..=*amount);
            let on = format!("2015-{month:02}-15");
            store
                .deliver_contribution_at(p, id, &DeliveryDraft::parse(&on, n, "")?, at + 1)
                .await?;
        }
        if (k + 1) % 10_000 == 0 {
            eprintln!("{} lifecycle steps", k + 1);
        }
    }
    eprintln!(
        "{nc} contributions in {:.1}s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
