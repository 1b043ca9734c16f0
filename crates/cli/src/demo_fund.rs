//! The demo's stabilisation fund (issue 16): UNDP's Funding Facility for
//! Immediate Stabilization as it opened in June 2015 with USD 7 million from
//! the United States, its four windows and the expanded channel, a few
//! projects in liberated towns, deposits in three currencies, and a pledge
//! the donor marked for the small group until it is announced. The fund is
//! kept by the secretariat's member, whose user `usa` is its fund manager.
//! What the public record gives is said so in the fund's `source`; every
//! split after the US opening is illustrative, and the records say that.

use crate::demo_sources::{keep, mixed};
use anyhow::{Context, Result};
use coalesce_domain::fund::{
    Fund, FundKind, FundProject, FundProjectKind, FundWindow, ProjectStatus,
};
use coalesce_domain::source::Subject;
use coalesce_domain::Marking;
use coalesce_ledger::rates::{Decimal, Rate, RateSource};
use coalesce_ledger::Currency;
use coalesce_store::fund::FundOperation;
use coalesce_store::{Principal, Store};
use std::collections::BTreeMap;

const SOURCE: &str = "UNDP: the Funding Facility for Immediate Stabilization opened in June 2015 with an initial USD 7 million from the United States; by 2017 25 donors had given USD 703 million for 1,544 projects, by March 2019 27 donors about USD 1.04 billion for 3,159 projects, and by September 2023 3,651 projects were completed for about USD 1.01 billion. Only the US opening below is the public figure; the other donors' amounts, the allocations and the projects' budgets are illustrative.";

/// Projects: (code, title, window, P-code of the governorate, place, organisation, budget USD).
const PROJECTS: &[(&str, &str, &str, &str, &str, &str, i64)] = &[
    (
        "FFS-TKT-001",
        "Tikrit water network rehabilitation",
        "W1",
        "IQG16",
        "Tikrit, Salah al-Din",
        "UNDP",
        2_500_000,
    ),
    (
        "FFS-TKT-002",
        "Tikrit Teaching Hospital electricity and generators",
        "W1",
        "IQG16",
        "Tikrit, Salah al-Din",
        "UNDP",
        1_800_000,
    ),
    (
        "FFS-TKT-003",
        "Cash for work: rubble removal in Tikrit",
        "W2",
        "IQG16",
        "Tikrit, Salah al-Din",
        "UNDP",
        900_000,
    ),
    (
        "FFS-RMD-001",
        "Ramadi water treatment plant",
        "W1",
        "IQG01",
        "Ramadi, Anbar",
        "UNDP",
        3_000_000,
    ),
    (
        "FFS-RMD-002",
        "Support to the Ramadi municipality",
        "W3",
        "IQG01",
        "Ramadi, Anbar",
        "UNDP",
        600_000,
    ),
    (
        "FFS-MSL-001",
        "Community reconciliation in Mosul's eastern districts",
        "W4",
        "IQG15",
        "Mosul, Ninewa",
        "UNDP",
        400_000,
    ),
];

const ILLUSTRATIVE: &str =
    "Illustrative project of the demo: its budget and place are not UNDP's figures.";

fn usd(major: i64) -> i64 {
    major * 100
}

fn op(id: &str, date: &str, op: coalesce_ledger::fund::Op) -> FundOperation {
    FundOperation {
        id: Some(id.into()),
        op,
        value_date: date.into(),
        marking: None,
        stated_currency: None,
    }
}

pub async fn load(store: &Store, principals: &BTreeMap<&str, Principal>) -> Result<()> {
    use coalesce_ledger::fund::Op;
    let usa = principals.get("USA").context("no demo user for USA")?;
    store
        .grant_fund_manager(usa.username.as_str(), true)
        .await?;
    let coalition = Marking::parse("GREEN", &["COALITION".to_string()])?;
    let windows = [
        ("W1", "Public works and light infrastructure"),
        ("W2", "Livelihoods"),
        ("W3", "Capacity support to local government"),
        ("W4", "Social cohesion"),
        ("ESC", "Expanded stabilisation channel"),
    ];
    let fund = store
        .create_record::<FundKind>(
            usa,
            Fund {
                name: "Funding Facility for Immediate Stabilization (FFIS)".into(),
                agent: "UNDP (administrative agent)".into(),
                base_currency: "USD".into(),
                fee_bp: 100,
                indirect_bp: 700,
                windows: windows
                    .iter()
                    .map(|(c, n)| FundWindow {
                        code: (*c).into(),
                        name: (*n).into(),
                    })
                    .collect(),
                opened: "2015-06-01".into(),
                source: SOURCE.into(),
            },
            coalition.clone(),
        )
        .await?;
    let projects: Vec<(FundProject, Marking)> = PROJECTS
        .iter()
        .map(|(code, title, window, pcode, place, org, budget)| {
            (
                FundProject {
                    fund: fund.id.clone(),
                    code: (*code).into(),
                    title: (*title).into(),
                    window: (*window).into(),
                    pcode: (*pcode).into(),
                    place: (*place).into(),
                    organisation: (*org).into(),
                    line_of_effort: Some("stabilisation".into()),
                    activity_status: ProjectStatus::Ongoing,
                    budget: usd(*budget),
                    currency: "USD".into(),
                    source: ILLUSTRATIVE.into(),
                },
                coalition.clone(),
            )
        })
        .collect();
    let project_ids = store
        .create_records_at::<FundProjectKind>(usa, projects, coalesce_store::now_ms())
        .await?;
    let undp = (
        "UNDP, Funding Facility for Stabilization: annual reports 2015-2023 (history, not in the seed documents)",
        SOURCE,
    );
    let un_fund = (
        "001",
        "we commend the recent UN announcement of a multi-partner recover and stabilization fund",
    );
    keep(
        store,
        Some(usa),
        Subject::Record(fund.id.clone()),
        &mixed(
            &[un_fund],
            &[undp],
            Some("The fee and indirect-cost rates and the windows' names are the demo's reading of UNDP's reports; the opening day stands for 'June 2015'."),
        )?,
    )
    .await?;
    for id in project_ids {
        keep(
            store,
            Some(usa),
            Subject::Record(id),
            &mixed(&[un_fund], &[], Some(ILLUSTRATIVE))?,
        )
        .await?;
    }
    let rate = |from: &str, date: &str, v: &str| -> Result<(u64, Rate)> {
        Ok((
            0,
            Rate {
                from: Currency::parse(from)?,
                to: Currency::parse("USD")?,
                date: date.into(),
                value: Decimal::parse(v)?,
                source: RateSource::Manual(
                    "demo: rounded to the month's order of size, not an official rate".into(),
                ),
            },
        ))
    };
    store
        .import_rates(
            None,
            &[
                rate("EUR", "2015-07-01", "1.10")?,
                rate("EUR", "2016-01-01", "1.09")?,
                rate("GBP", "2015-07-01", "1.56")?,
                rate("GBP", "2016-01-01", "1.47")?,
            ],
        )
        .await?;
    let (usd_c, eur, gbp) = (
        Currency::parse("USD")?,
        Currency::parse("EUR")?,
        Currency::parse("GBP")?,
    );
    let mut kwt = op(
        "kwt-2015",
        "2015-11-01",
        Op::Pledge {
            donor: "KWT".into(),
            amount: usd(2_000_000),
            currency: usd_c,
        },
    );
    // Not yet announced: the small group alone reads it.
    kwt.marking = Some(Marking::parse("AMBER", &["GROUP:small-group".to_string()])?);
    let ops = vec![
        // The opening: the US USD 7 million (public figure).
        op(
            "usa-2015",
            "2015-06-15",
            Op::Pledge {
                donor: "USA".into(),
                amount: usd(7_000_000),
                currency: usd_c,
            },
        ),
        op(
            "usa-2015-commit",
            "2015-06-20",
            Op::Commit {
                pledge: "usa-2015".into(),
                amount: None,
            },
        ),
        op(
            "usa-2015-deposit",
            "2015-06-25",
            Op::Deposit {
                commitment: "usa-2015".into(),
                amount: usd(7_000_000),
            },
        ),
        // Illustrative donors in their own currencies.
        op(
            "deu-2015",
            "2015-07-10",
            Op::Pledge {
                donor: "DEU".into(),
                amount: 500_000_000,
                currency: eur,
            },
        ),
        op(
            "deu-2015-commit",
            "2015-07-20",
            Op::Commit {
                pledge: "deu-2015".into(),
                amount: None,
            },
        ),
        op(
            "deu-2015-deposit-1",
            "2015-08-05",
            Op::Deposit {
                commitment: "deu-2015".into(),
                amount: 300_000_000,
            },
        ),
        op(
            "deu-2015-deposit-2",
            "2016-01-15",
            Op::Deposit {
                commitment: "deu-2015".into(),
                amount: 200_000_000,
            },
        ),
        op(
            "gbr-2015",
            "2015-09-01",
            Op::Pledge {
                donor: "GBR".into(),
                amount: 200_000_000,
                currency: gbp,
            },
        ),
        op(
            "gbr-2015-commit",
            "2015-09-10",
            Op::Commit {
                pledge: "gbr-2015".into(),
                amount: Some(150_000_000),
            },
        ),
        op(
            "gbr-2015-deposit",
            "2015-10-01",
            Op::Deposit {
                commitment: "gbr-2015".into(),
                amount: 150_000_000,
            },
        ),
        op(
            "nld-2015",
            "2015-10-15",
            Op::Pledge {
                donor: "NLD".into(),
                amount: 100_000_000,
                currency: eur,
            },
        ),
        kwt,
        // Allocations to windows and approvals of the projects (USD cash).
        op(
            "alloc-2015-w1",
            "2015-07-01",
            Op::Allocate {
                window: "W1".into(),
                amount: usd(5_000_000),
                currency: usd_c,
            },
        ),
        op(
            "alloc-2015-w2",
            "2015-07-01",
            Op::Allocate {
                window: "W2".into(),
                amount: usd(1_000_000),
                currency: usd_c,
            },
        ),
        op(
            "approve-tkt-001",
            "2015-07-05",
            Op::Approve {
                window: "W1".into(),
                project: "FFS-TKT-001".into(),
                amount: usd(2_500_000),
                currency: usd_c,
            },
        ),
        op(
            "approve-tkt-002",
            "2015-07-05",
            Op::Approve {
                window: "W1".into(),
                project: "FFS-TKT-002".into(),
                amount: usd(1_800_000),
                currency: usd_c,
            },
        ),
        op(
            "approve-tkt-003",
            "2015-07-05",
            Op::Approve {
                window: "W2".into(),
                project: "FFS-TKT-003".into(),
                amount: usd(900_000),
                currency: usd_c,
            },
        ),
        op(
            "disburse-tkt-001",
            "2015-07-15",
            Op::Disburse {
                project: "FFS-TKT-001".into(),
                org: "UNDP".into(),
                amount: usd(2_000_000),
                currency: usd_c,
            },
        ),
        op(
            "disburse-tkt-003",
            "2015-07-15",
            Op::Disburse {
                project: "FFS-TKT-003".into(),
                org: "UNDP".into(),
                amount: usd(900_000),
                currency: usd_c,
            },
        ),
        op(
            "expend-tkt-001",
            "2015-12-31",
            Op::Expend {
                project: "FFS-TKT-001".into(),
                org: "UNDP".into(),
                amount: usd(1_200_000),
                currency: usd_c,
            },
        ),
        op(
            "expend-tkt-003",
            "2015-12-31",
            Op::Expend {
                project: "FFS-TKT-003".into(),
                org: "UNDP".into(),
                amount: usd(750_000),
                currency: usd_c,
            },
        ),
        op(
            "interest-2015",
            "2015-12-31",
            Op::Interest {
                amount: usd(12_500),
                currency: usd_c,
            },
        ),
    ];
    let transfers = store
        .fund_operations(Some(usa), &fund.id, &ops)
        .await
        .context("the demo fund's operations")?;
    let money = mixed(
        &[un_fund],
        &[undp],
        Some("Only the United States' opening USD 7 million (June 2015) is a public figure; the other donors, amounts, dates and allocations are the demo's."),
    )?;
    for t in transfers {
        keep(store, Some(usa), Subject::Transfer(t.id), &money).await?;
    }
    Ok(())
}
