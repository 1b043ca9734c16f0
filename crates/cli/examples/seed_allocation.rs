//! Adds R open requirements (asked by IRQ, confirmed) and O standalone
//! pledges (offers) to a database that already holds the demo scenario,
//! for the API allocation benchmark (bench/allocate/api.sh): ten item
//! categories, ten towns, one line of effort, every record releasable to
//! the coalition, so that the secretariat's run takes all of them in. Most
//! offers name a town (they serve that town's needs of their category);
//! one in twenty serves the whole country. Written through the store's
//! batched import paths (audience rows, kept versions, audit).
//! Usage: seed_allocation URL REQUIREMENTS OFFERS

use coalesce_domain::needs::{ContributionDraft, Measure, Place, RequirementDraft, Window};
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_store::{Principal, Store};
use rand::{Rng, SeedableRng};

const CATEGORIES: [&str; 10] = [
    "protective-equipment",
    "night-vision",
    "communications",
    "mine-action",
    "vehicles",
    "humanitarian-supplies",
    "water",
    "electricity",
    "police",
    "cash",
];
const TOWNS: [&str; 10] = [
    "Tikrit", "Mosul", "Ramadi", "Fallujah", "Kirkuk", "Baiji", "Sinjar", "Amerli", "Samarra",
    "Hit",
];
const BATCH: usize = 2_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(nr), Some(no)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
        args.get(3).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        anyhow::bail!("usage: seed_allocation DATABASE_URL REQUIREMENTS OFFERS");
    };
    let store = Store::open(url).await?;
    let users = store.list_users().await?;
    let principal = |member: &str| -> anyhow::Result<Principal> {
        let u = users
            .iter()
            .find(|u| u.member == member && u.role != "viewer")
            .ok_or_else(|| anyhow::anyhow!("no user of {member}: load the demo first"))?;
        Ok(Principal {
            user_id: u.id.clone(),
            username: Username::parse(&u.username)?,
            member: MemberCode::parse(&u.member)?,
            role: Role::parse(&u.role)?,
        })
    };
    let irq = principal("IRQ")?;
    let donors: Vec<Principal> = ["GBR", "FRA", "DEU", "ITA", "CAN", "AUS"]
        .iter()
        .filter_map(|m| principal(m).ok())
        .collect();
    anyhow::ensure!(!donors.is_empty(), "no donor users: load the demo first");
    let coalition = Marking::parse("GREEN", &["COALITION".to_string()])?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let start = std::time::Instant::now();
    let mut made = 0;
    while made < nr {
        let n = BATCH.min(nr - made);
        let mut rows = Vec::with_capacity(n);
        for k in 0..n {
            let i = made + k;
            let d = RequirementDraft::parse(
                &format!("Need {i}"),
                "Synthetic requirement for the allocation benchmark.",
                "IRQ",
                "humanitarian",
                CATEGORIES[rng.gen_range(0..CATEGORIES.len())],
                Measure::quantity(rng.gen_range(10..500), "kit")?,
                Place::parse(
                    "IRQ",
                    None,
                    Some(TOWNS[rng.gen_range(0..TOWNS.len())]),
                    None,
                )?,
                Window::parse("2015-01-01", "2015-12-31")?,
                rng.gen_range(1..=5),
                coalition.clone(),
            )?;
            rows.push((i as u64, d));
        }
        store
            .import_requirements(&irq, &rows, |_, _| true)
            .await
            .map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
        made += n;
        eprintln!("{made} requirements");
    }
    eprintln!("{nr} requirements in {:.1}s", start.elapsed().as_secs_f64());
    let start = std::time::Instant::now();
    let mut made = 0;
    while made < no {
        let p = &donors[rng.gen_range(0..donors.len())];
        let n = BATCH.min(no - made);
        let mut rows = Vec::with_capacity(n);
        for k in 0..n {
            let i = made + k;
            let town = rng
                .gen_bool(0.95)
                .then(|| TOWNS[rng.gen_range(0..TOWNS.len())]);
            let month: u32 = rng.gen_range(1..=12);
            let d = ContributionDraft::parse(
                &format!("Offer {i}"),
                "",
                &[p.member.to_string()],
                None,
                Some("humanitarian"),
                Some(CATEGORIES[rng.gen_range(0..CATEGORIES.len())]),
                Measure::quantity(rng.gen_range(5..300), "kit")?,
                Some(Place::parse("IRQ", None, town, None)?),
                Some(Window::parse(
                    &format!("2015-{month:02}-01"),
                    &format!("2015-{month:02}-28"),
                )?),
                coalition.clone(),
            )?;
            rows.push((i as u64, d));
        }
        store
            .import_contributions(p, &rows, |_, _| true)
            .await
            .map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
        made += n;
        eprintln!("{made} offers");
    }
    eprintln!("{no} offers in {:.1}s", start.elapsed().as_secs_f64());
    Ok(())
}
