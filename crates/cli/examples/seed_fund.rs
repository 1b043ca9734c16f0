//! Posts N ledger transfers into a stabilisation fund, in batches, on a
//! database that holds the demo scenario (`coalesce demo --no-serve
//! --database URL`), then times the fund's status table as members read
//! it. For `bench/fund/run.sh`.
//!
//! Usage: seed_fund URL N [BATCH] [READS]
//!
//! A fund of the secretariat's member with 4 windows and 3,000 projects
//! (the FFS's order of size); each round of 7 operations — a pledge (one
//! in ten marked for the small group), its commitment, the deposit with
//! the agent's fee, an allocation to a window, a project approval, a
//! disbursement with indirect costs, an expenditure — writes 9 transfers.

use coalesce_domain::fund::{
    Fund, FundKind, FundProject, FundProjectKind, FundWindow, ProjectStatus,
};
use coalesce_domain::{Marking, MemberCode, Role, Username};
use coalesce_ledger::fund::Op;
use coalesce_ledger::Currency;
use coalesce_store::fund::FundOperation;
use coalesce_store::{Principal, Store};
use std::time::Instant;

const PROJECTS: usize = 3_000;
const DONORS: [&str; 10] = [
    "USA", "GBR", "DEU", "NLD", "CAN", "AUS", "DNK", "NOR", "SWE", "JPN",
];

fn principal(u: &coalesce_store::accounts::User) -> anyhow::Result<Principal> {
    Ok(Principal {
        user_id: u.id.clone(),
        username: Username::parse(&u.username)?,
        member: MemberCode::parse(&u.member)?,
        role: Role::parse(&u.role)?,
    })
}

fn round(k: usize, usd: Currency, small_group: &Marking) -> Vec<FundOperation> {
    let id = |what: &str| Some(format!("r{k}-{what}"));
    let window = format!("W{}", k % 4 + 1);
    let project = format!("P{:04}", k % PROJECTS);
    let org = ["UNDP", "UNICEF", "UNHABITAT", "IOM"][k % 4].to_string();
    let date = format!("{}-{:02}-15", 2015 + (k / 12) % 9, k % 12 + 1);
    let op = |id: Option<String>, op: Op| FundOperation {
        id,
        op,
        value_date: date.clone(),
        marking: None,
        stated_currency: None,
    };
    let mut pledge = op(
        id("pledge"),
        Op::Pledge {
            donor: DONORS[k % DONORS.len()].into(),
            amount: 1_000_000_000,
            currency: usd,
        },
    );
    if k.is_multiple_of(10) {
        pledge.marking = Some(small_group.clone());
    }
    let pledge_id = format!("r{k}-pledge");
    vec![
        pledge,
        op(
            id("commit"),
            Op::Commit {
                pledge: pledge_id.clone(),
                amount: None,
            },
        ),
        op(
            id("deposit"),
            Op::Deposit {
                commitment: pledge_id,
                amount: 1_000_000_000,
            },
        ),
        op(
            id("allocate"),
            Op::Allocate {
                window: window.clone(),
                amount: 900_000_000,
                currency: usd,
            },
        ),
        op(
            id("approve"),
            Op::Approve {
                window,
                project: project.clone(),
                amount: 800_000_000,
                currency: usd,
            },
        ),
        op(
            id("disburse"),
            Op::Disburse {
                project: project.clone(),
                org: org.clone(),
                amount: 700_000_000,
                currency: usd,
            },
        ),
        op(
            id("expend"),
            Op::Expend {
                project,
                org,
                amount: 500_000_000,
                currency: usd,
            },
        ),
    ]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        anyhow::bail!("usage: seed_fund DATABASE_URL N [BATCH] [READS]");
    };
    let batch_ops: usize = args.get(3).and_then(|b| b.parse().ok()).unwrap_or(1_000);
    let reads: usize = args.get(4).and_then(|b| b.parse().ok()).unwrap_or(2_000);
    let store = Store::open(url).await?;
    let secretariat = store
        .secretariat()
        .await?
        .ok_or_else(|| anyhow::anyhow!("no secretariat: load the demo first"))?;
    let users = store.list_users().await?;
    let manager = users
        .iter()
        .find(|u| u.member == secretariat.as_str() && u.role == "coordinator")
        .ok_or_else(|| anyhow::anyhow!("no coordinator of {secretariat}"))?;
    store.grant_fund_manager(&manager.username, true).await?;
    let manager = principal(manager)?;
    let coalition = Marking::parse("GREEN", &["COALITION".to_string()])?;
    let small_group = Marking::parse("AMBER", &["GROUP:small-group".to_string()])?;
    let fund = store
        .create_record::<FundKind>(
            &manager,
            Fund {
                name: "Bench fund".into(),
                agent: "UNDP".into(),
                base_currency: "USD".into(),
                fee_bp: 100,
                indirect_bp: 700,
                windows: (1..=4)
                    .map(|w| FundWindow {
                        code: format!("W{w}"),
                        name: format!("Window {w}"),
                    })
                    .collect(),
                opened: "2015-06-01".into(),
                source: "Generated for the benchmark.".into(),
            },
            coalition.clone(),
        )
        .await?;
    let projects: Vec<(FundProject, Marking)> = (0..PROJECTS)
        .map(|p| {
            (
                FundProject {
                    fund: fund.id.clone(),
                    code: format!("P{p:04}"),
                    title: format!("Project {p}"),
                    window: format!("W{}", p % 4 + 1),
                    pcode: "IQG18Q02".into(),
                    place: "Tikrit".into(),
                    organisation: "UNDP".into(),
                    line_of_effort: None,
                    activity_status: ProjectStatus::Ongoing,
                    budget: 100_000_000,
                    currency: "USD".into(),
                    source: String::new(),
                },
                coalition.clone(),
            )
        })
        .collect();
    store
        .create_records_at::<FundProjectKind>(&manager, projects, coalesce_store::now_ms())
        .await?;
    let usd = Currency::parse("USD")?;
    let start = Instant::now();
    let mut written = 0usize;
    let mut k = 0usize;
    let mut batches = 0usize;
    while written < n {
        let mut ops = Vec::with_capacity(batch_ops + 7);
        while ops.len() < batch_ops {
            ops.extend(round(k, usd, &small_group));
            k += 1;
        }
        written += store
            .fund_operations(Some(&manager), &fund.id, &ops)
            .await?
            .len();
        batches += 1;
        if batches.is_multiple_of(50) {
            eprint!("\r{written} transfers");
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!();
    println!(
        "{written} transfers in {batches} batches of {batch_ops} operations in {secs:.1} s: {:.0} transfers/s",
        written as f64 / secs
    );

    // The status table as a member inside the small group and one outside
    // read it, alternately.
    let readers: Vec<Principal> = users
        .iter()
        .filter(|u| u.role == "contributor" || u.role == "coordinator")
        .filter_map(|u| principal(u).ok())
        .take(6)
        .collect();
    let mut times = Vec::with_capacity(reads);
    let mut partial = 0;
    for i in 0..reads {
        let p = &readers[i % readers.len()];
        let t = Instant::now();
        let st = store.fund_status(p, &fund.id).await?;
        times.push(t.elapsed().as_secs_f64() * 1_000.0);
        partial += usize::from(st.partial);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "status table over {written} transfers, {reads} reads by {} members ({partial} partial): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        readers.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
    );
    let t = Instant::now();
    let (_, checked, problems) = store.fund_verify().await?;
    println!(
        "verify: {checked} transfers recomputed in {:.1} s, {} problems",
        t.elapsed().as_secs_f64(),
        problems.len()
    );
    anyhow::ensure!(problems.is_empty(), "verify: {problems:?}");
    Ok(())
}
