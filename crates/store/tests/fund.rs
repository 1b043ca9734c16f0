//! The stabilisation fund's ledger in the database: the FFS opening, every
//! kind of bad input refused with its rule and nothing written, what the
//! database itself refuses, releasability of a donor's marked pledge, a
//! deposit in EUR converted at its value date's rate, and a property test:
//! random batches of operations (refused ones too, some concurrent) keep
//! every invariant — balances equal sums, the kept status table equals the
//! transfers' contributions, sources less uses equal what the accounts
//! hold, and the store agrees with the pure engine replaying what it
//! accepted. SQLite by default, PostgreSQL when COALESCE_TEST_POSTGRES is set.

use coalesce_domain::fund::{
    Fund, FundKind, FundProject, FundProjectKind, FundWindow, ProjectStatus,
};
use coalesce_domain::Marking;
use coalesce_ledger::fund::{Line, Op, Terms};
use coalesce_ledger::rates::{Decimal, Rate, RateSource};
use coalesce_ledger::{Currency, Ledger};
use coalesce_store::fund::{BreakdownBy, FundOperation};
use coalesce_store::testing::{execute_raw, fresh_store, seed_small, SEED_PASSWORD};
use coalesce_store::{Principal, Store, StoreError};
use proptest::prelude::*;

fn marking(tlp: &str, rel: &[&str]) -> Marking {
    let rel: Vec<String> = rel.iter().map(|s| s.to_string()).collect();
    Marking::parse(tlp, &rel).expect("marking")
}

fn usd() -> Currency {
    Currency::parse("USD").expect("USD")
}

fn eur() -> Currency {
    Currency::parse("EUR").expect("EUR")
}

async fn principal(s: &Store, user: &str) -> Principal {
    s.authenticate(user, SEED_PASSWORD, "test")
        .await
        .expect("auth")
        .expect("user")
}

fn ffs() -> Fund {
    Fund {
        name: "Funding Facility for Stabilization".into(),
        agent: "UNDP".into(),
        base_currency: "USD".into(),
        fee_bp: 100,
        indirect_bp: 700,
        windows: vec![
            FundWindow {
                code: "W1".into(),
                name: "Public works and light infrastructure".into(),
            },
            FundWindow {
                code: "W2".into(),
                name: "Livelihoods".into(),
            },
        ],
        opened: "2015-06-01".into(),
        source: String::new(),
    }
}

fn project(fund: &str, code: &str) -> FundProject {
    FundProject {
        fund: fund.into(),
        code: code.into(),
        title: format!("Project {code}"),
        window: "W1".into(),
        pcode: "IQG18Q02".into(),
        place: "Tikrit".into(),
        organisation: "UNDP".into(),
        line_of_effort: None,
        activity_status: ProjectStatus::Ongoing,
        budget: 100_000_000,
        currency: "USD".into(),
        source: String::new(),
    }
}

/// A fund of USA's, readable by the coalition, with two projects; `usa`
/// is its fund manager.
async fn fund_world() -> (Store, Principal, String) {
    let s = fresh_store().await.expect("store");
    seed_small(&s).await.expect("seed");
    s.grant_fund_manager("usa", true).await.expect("grant");
    let usa = principal(&s, "usa").await;
    let f = s
        .create_record::<FundKind>(&usa, ffs(), marking("GREEN", &["COALITION"]))
        .await
        .expect("fund");
    for code in ["P1", "P2"] {
        s.create_record::<FundProjectKind>(
            &usa,
            project(&f.id, code),
            marking("GREEN", &["COALITION"]),
        )
        .await
        .expect("project");
    }
    (s, usa, f.id)
}

fn op(id: &str, op: Op) -> FundOperation {
    FundOperation {
        id: Some(id.into()),
        op,
        value_date: "2015-06-15".into(),
        marking: None,
        stated_currency: None,
    }
}

async fn transfer_count(s: &Store) -> u64 {
    // Counting through an UPDATE that changes nothing would be refused by
    // the trigger; count through verify instead.
    s.fund_verify().await.expect("verify").1 as u64
}

#[tokio::test]
async fn the_ffs_opening_balances_and_reports_as_the_gateway_does() {
    let (s, usa, fund) = fund_world().await;
    let ops = vec![
        op(
            "usa-2015",
            Op::Pledge {
                donor: "USA".into(),
                amount: 700_000_000,
                currency: usd(),
            },
        ),
        op(
            "usa-2015-c",
            Op::Commit {
                pledge: "usa-2015".into(),
                amount: None,
            },
        ),
        op(
            "usa-2015-d",
            Op::Deposit {
                commitment: "usa-2015".into(),
                amount: 700_000_000,
            },
        ),
        op(
            "alloc-w1",
            Op::Allocate {
                window: "W1".into(),
                amount: 600_000_000,
                currency: usd(),
            },
        ),
        op(
            "approve-p1",
            Op::Approve {
                window: "W1".into(),
                project: "P1".into(),
                amount: 100_000_000,
                currency: usd(),
            },
        ),
        op(
            "disburse-p1",
            Op::Disburse {
                project: "P1".into(),
                org: "UNDP".into(),
                amount: 100_000_000,
                currency: usd(),
            },
        ),
        op(
            "expend-p1",
            Op::Expend {
                project: "P1".into(),
                org: "UNDP".into(),
                amount: 50_000_000,
                currency: usd(),
            },
        ),
    ];
    let written = s
        .fund_operations(Some(&usa), &fund, &ops)
        .await
        .expect("ops");
    // The deposit's fee and the disbursement's indirect costs are linked.
    assert!(written
        .iter()
        .any(|t| t.id == "usa-2015-d:fee" && t.amount == 7_000_000));
    assert!(written
        .iter()
        .any(|t| t.id == "disburse-p1:indirect" && t.amount == 7_000_000));
    assert!(written.iter().all(|t| t.seq > 0));
    let gbr = principal(&s, "gbr").await;
    let st = s.fund_status(&gbr, &fund).await.expect("status");
    assert!(!st.partial);
    assert_eq!(st.base.get(Line::Deposits), 700_000_000);
    assert_eq!(st.base.get(Line::AgentFees), 7_000_000);
    assert_eq!(st.base.get(Line::Committed), 700_000_000);
    assert_eq!(st.base.get(Line::Pledged), 0);
    assert_eq!(st.base.receivable(), 0);
    assert_eq!(st.base.with_agent(), 700_000_000 - 7_000_000 - 100_000_000);
    assert_eq!(
        st.base.with_organisations(),
        100_000_000 - 7_000_000 - 50_000_000
    );
    assert_eq!(st.by_currency["USD"], st.base);
    let (by_donor, _) = s
        .fund_breakdown(&gbr, &fund, BreakdownBy::Donor)
        .await
        .expect("breakdown");
    assert!(by_donor
        .iter()
        .any(|r| r.key == "USA" && r.line == Line::Deposits && r.amount == 700_000_000));
    let (by_project, _) = s
        .fund_breakdown(&gbr, &fund, BreakdownBy::Project)
        .await
        .expect("breakdown");
    assert!(by_project
        .iter()
        .any(|r| r.key == "P1" && r.line == Line::Expenditure && r.amount == 50_000_000));
    let page = s.fund_transfers(&gbr, &fund, None, 3).await.expect("page");
    assert_eq!(page.len(), 3);
    let rest = s
        .fund_transfers(&gbr, &fund, Some(page[2].seq), 100)
        .await
        .expect("rest");
    assert_eq!(page.len() + rest.len(), written.len());
    let (funds, n, problems) = s.fund_verify().await.expect("verify");
    assert_eq!((funds, n), (1, written.len()));
    assert!(problems.is_empty(), "{problems:?}");
    s.verify_audit().await.expect("audit").expect("chain");
}

#[tokio::test]
async fn bad_input_is_refused_with_its_rule_and_nothing_is_written() {
    let (s, usa, fund) = fund_world().await;
    let base = vec![
        op(
            "p",
            Op::Pledge {
                donor: "GBR".into(),
                amount: 100_000,
                currency: usd(),
            },
        ),
        op(
            "c",
            Op::Commit {
                pledge: "p".into(),
                amount: Some(80_000),
            },
        ),
        op(
            "d",
            Op::Deposit {
                commitment: "p".into(),
                amount: 50_000,
            },
        ),
    ];
    s.fund_operations(Some(&usa), &fund, &base)
        .await
        .expect("base");
    let before = transfer_count(&s).await;
    let cases: Vec<(Vec<FundOperation>, &str)> = vec![
        (
            vec![op(
                "c2",
                Op::Commit {
                    pledge: "p".into(),
                    amount: None,
                },
            )],
            "already_resolved",
        ),
        (
            vec![op("v", Op::Void { pledge: "p".into() })],
            "already_resolved",
        ),
        (
            vec![op(
                "d2",
                Op::Deposit {
                    commitment: "p".into(),
                    amount: 30_001,
                },
            )],
            "limit_exceeded",
        ),
        (
            vec![
                op(
                    "r1",
                    Op::Reverse {
                        transfer: "d".into(),
                    },
                ),
                op(
                    "r2",
                    Op::Reverse {
                        transfer: "r1".into(),
                    },
                ),
            ],
            "reversal_of_reversal",
        ),
        (
            vec![op(
                "z",
                Op::Pledge {
                    donor: "GBR".into(),
                    amount: 0,
                    currency: usd(),
                },
            )],
            "amount_not_positive",
        ),
        (
            vec![op(
                "e",
                Op::Pledge {
                    donor: "FRA".into(),
                    amount: 5_000,
                    currency: eur(),
                },
            )],
            "no_rate",
        ),
        (
            vec![op(
                "w",
                Op::Allocate {
                    window: "W9".into(),
                    amount: 1,
                    currency: usd(),
                },
            )],
            "invalid_operation",
        ),
        (
            vec![op(
                "x",
                Op::Approve {
                    window: "W1".into(),
                    project: "P9".into(),
                    amount: 1,
                    currency: usd(),
                },
            )],
            "invalid_operation",
        ),
        (
            vec![op(
                "d",
                Op::Interest {
                    amount: 5,
                    currency: usd(),
                },
            )],
            "duplicate_transfer",
        ),
        (
            // Good operations before a bad one are not written either.
            vec![
                op(
                    "ok",
                    Op::Interest {
                        amount: 5,
                        currency: usd(),
                    },
                ),
                op(
                    "big",
                    Op::Allocate {
                        window: "W1".into(),
                        amount: 1_000_000,
                        currency: usd(),
                    },
                ),
            ],
            "limit_exceeded",
        ),
    ];
    for (ops, rule) in cases {
        match s.fund_operations(Some(&usa), &fund, &ops).await {
            Err(StoreError::Ledger {
                rule: got, message, ..
            }) => {
                assert_eq!(got, rule, "{message}")
            }
            other => panic!("{ops:?}: expected {rule}, got {other:?}"),
        }
        assert_eq!(transfer_count(&s).await, before, "{rule}: nothing written");
    }
    // Who may record: a fund manager of the fund's member only.
    let gbr = principal(&s, "gbr").await;
    let interest = vec![op(
        "i",
        Op::Interest {
            amount: 5,
            currency: usd(),
        },
    )];
    assert!(matches!(
        s.fund_operations(Some(&gbr), &fund, &interest).await,
        Err(StoreError::Forbidden(_))
    ));
    s.grant_fund_manager("usa", false).await.expect("revoke");
    assert!(matches!(
        s.fund_operations(Some(&usa), &fund, &interest).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(transfer_count(&s).await, before);
    // The database itself refuses to change or delete a transfer.
    assert!(execute_raw(&s, "UPDATE ledger_transfers SET amount = 1")
        .await
        .is_err());
    assert!(execute_raw(&s, "DELETE FROM ledger_transfers")
        .await
        .is_err());
    let (_, _, problems) = s.fund_verify().await.expect("verify");
    assert!(problems.is_empty(), "{problems:?}");
    // A balance changed behind the ledger's back is found.
    execute_raw(&s, "UPDATE ledger_accounts SET debits_posted = debits_posted + 1 WHERE id LIKE '%/cash/unallocated/USD'")
        .await
        .expect("tamper");
    let (_, _, problems) = s.fund_verify().await.expect("verify");
    assert!(!problems.is_empty());
}

#[tokio::test]
async fn a_marked_pledge_is_read_only_by_its_audience_and_totals_say_partial() {
    let (s, usa, fund) = fund_world().await;
    let mut pledge = op(
        "gbr-quiet",
        Op::Pledge {
            donor: "GBR".into(),
            amount: 9_900_000,
            currency: usd(),
        },
    );
    pledge.marking = Some(marking("AMBER", &["GBR"]));
    let open = op(
        "usa-open",
        Op::Pledge {
            donor: "USA".into(),
            amount: 100_000,
            currency: usd(),
        },
    );
    // Its commitment follows the pledge's marking, whatever it is given.
    let mut commit = op(
        "gbr-quiet-c",
        Op::Commit {
            pledge: "gbr-quiet".into(),
            amount: None,
        },
    );
    commit.marking = Some(marking("GREEN", &["COALITION"]));
    s.fund_operations(Some(&usa), &fund, &[pledge, open, commit])
        .await
        .expect("ops");
    let fra = principal(&s, "fra").await;
    let gbr = principal(&s, "gbr").await;
    let st = s.fund_status(&fra, &fund).await.expect("fra status");
    assert!(st.partial);
    assert_eq!(st.base.get(Line::Committed), 0);
    assert_eq!(st.base.get(Line::Pledged), 100_000);
    let st = s.fund_status(&gbr, &fund).await.expect("gbr status");
    assert!(!st.partial);
    assert_eq!(st.base.get(Line::Committed), 9_900_000);
    let seen: Vec<String> = s
        .fund_transfers(&fra, &fund, None, 100)
        .await
        .expect("list")
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(seen, vec!["usa-open".to_string()]);
    let (rows, partial) = s
        .fund_breakdown(&fra, &fund, BreakdownBy::Donor)
        .await
        .expect("breakdown");
    assert!(partial);
    assert!(rows.iter().all(|r| r.key != "GBR"));
}

#[tokio::test]
async fn a_deposit_in_euro_converts_at_its_value_dates_rate_and_parts_add_up() {
    let (s, usa, fund) = fund_world().await;
    let rate = |date: &str, v: &str| Rate {
        from: eur(),
        to: usd(),
        date: date.into(),
        value: Decimal::parse(v).expect("rate"),
        source: RateSource::UnOperational,
    };
    assert_eq!(
        s.import_rates(
            None,
            &[
                (2, rate("2015-06-01", "1.1133")),
                (3, rate("2015-07-01", "1.0987"))
            ]
        )
        .await
        .expect("rates"),
        2
    );
    // The same again adds nothing; another value for a held date is refused.
    assert_eq!(
        s.import_rates(None, &[(2, rate("2015-06-01", "1.1133"))])
            .await
            .expect("again"),
        0
    );
    assert!(matches!(
        s.import_rates(None, &[(7, rate("2015-06-01", "1.2"))]).await,
        Err(StoreError::Rows(rows)) if rows[0].0 == 7
    ));
    let mut ops = vec![
        op(
            "deu",
            Op::Pledge {
                donor: "DEU".into(),
                amount: 333_333,
                currency: eur(),
            },
        ),
        op(
            "deu-c",
            Op::Commit {
                pledge: "deu".into(),
                amount: None,
            },
        ),
        op(
            "deu-d",
            Op::Deposit {
                commitment: "deu".into(),
                amount: 333_333,
            },
        ),
    ];
    ops[2].value_date = "2015-07-02".into();
    let written = s
        .fund_operations(Some(&usa), &fund, &ops)
        .await
        .expect("ops");
    let d = written.iter().find(|t| t.id == "deu-d").expect("deposit");
    let fee = written.iter().find(|t| t.id == "deu-d:fee").expect("fee");
    assert_eq!(d.rate.as_deref(), Some("1.0987"));
    assert_eq!(d.rate_date.as_deref(), Some("2015-07-01"));
    assert_eq!(d.base_amount, 366_233); // 3,333.33 EUR × 1.0987 = 3,662.3302 USD
    assert_eq!(fee.amount, 3_333);
    // The fee is a part of the deposit: converted by largest remainder.
    assert_eq!(fee.base_amount, 3_662);
    let st = s.fund_status(&usa, &fund).await.expect("status");
    assert_eq!(st.by_currency["EUR"].get(Line::Deposits), 333_333);
    assert_eq!(st.base.get(Line::Deposits), 366_233);
    assert_eq!(st.base.with_agent(), 366_233 - 3_662);
    // The commitment converted at 1.1133 (2015-06-15), the deposit at
    // 1.0987: settled in euro, the difference is booked, nothing stays
    // receivable in dollars.
    assert_eq!(st.base.get(Line::Committed), 371_100);
    assert_eq!(st.base.get(Line::ExchangeDifference), 371_100 - 366_233);
    assert_eq!(st.base.receivable(), 0);
    assert_eq!(st.by_currency["EUR"].receivable(), 0);
    // Reversing the deposit reopens the commitment and takes the booking back.
    s.fund_operations(
        Some(&usa),
        &fund,
        &[op(
            "deu-d-rev",
            Op::Reverse {
                transfer: "deu-d".into(),
            },
        )],
    )
    .await
    .expect("reverse");
    let st = s.fund_status(&usa, &fund).await.expect("status");
    assert_eq!(st.base.get(Line::ExchangeDifference), 0);
    assert_eq!(st.base.receivable(), 371_100);
    let (_, _, problems) = s.fund_verify().await.expect("verify");
    assert!(problems.is_empty(), "{problems:?}");
}

/// One step of the property test: what to do, to which of what exists
/// (by index), and how much of what is available (in 1/200ths: above 200
/// asks for more than there is, which the ledger refuses).
#[derive(Debug, Clone)]
enum Step {
    Pledge(u8, i64, bool),
    Commit(u8, Option<u8>),
    Void(u8),
    Deposit(u8, u8),
    Interest(i64),
    Allocate(u8, u8),
    Approve(u8, u8, u8),
    Disburse(u8, u8),
    Expend(u8, u8),
    Refund(u8),
    Reverse(u8),
}

fn step() -> impl Strategy<Value = Step> {
    let f = 1_u8..=230;
    prop_oneof![
        3 => (any::<u8>(), 1_i64..5_000_000, any::<bool>()).prop_map(|(d, a, e)| Step::Pledge(d, a, e)),
        3 => (any::<u8>(), proptest::option::of(1_u8..=230)).prop_map(|(p, a)| Step::Commit(p, a)),
        1 => any::<u8>().prop_map(Step::Void),
        3 => (any::<u8>(), f.clone()).prop_map(|(p, a)| Step::Deposit(p, a)),
        1 => (1_i64..50_000).prop_map(Step::Interest),
        2 => (any::<u8>(), f.clone()).prop_map(|(w, a)| Step::Allocate(w, a)),
        2 => (any::<u8>(), any::<u8>(), f.clone()).prop_map(|(w, p, a)| Step::Approve(w, p, a)),
        2 => (any::<u8>(), f.clone()).prop_map(|(p, a)| Step::Disburse(p, a)),
        2 => (any::<u8>(), f.clone()).prop_map(|(p, a)| Step::Expend(p, a)),
        1 => f.prop_map(Step::Refund),
        1 => any::<u8>().prop_map(Step::Reverse),
    ]
}

/// The operation a step asks for, sized by what `scratch` (the engine
/// with the batch so far) holds.
fn to_op(step: &Step, scratch: &Ledger, fund: &str, pledges: &[String], written: &[String]) -> Op {
    let pick = |v: &[String], i: u8| {
        if v.is_empty() {
            "nothing".to_string()
        } else {
            v[i as usize % v.len()].clone()
        }
    };
    let part = |held: i64, f: u8| (held * i64::from(f) / 200).max(1);
    use coalesce_ledger::View;
    let held = |id: &String| scratch.transfer(id);
    let receivable = |p: &String| {
        scratch
            .balances()
            .get(&format!("{fund}/receivable/{p}"))
            .map(|b| b.net_debit())
            .unwrap_or(0)
    };
    let pending: Vec<String> = pledges
        .iter()
        .filter(|p| held(p).is_some_and(|h| !h.resolved))
        .cloned()
        .collect();
    let owing: Vec<String> = pledges
        .iter()
        .filter(|p| held(p).is_some_and(|h| h.resolved) && receivable(p) > 0)
        .cloned()
        .collect();
    let reversible: Vec<String> = written
        .iter()
        .filter(|t| {
            !t.contains(':')
                && held(t).is_some_and(|h| {
                    !h.reversed
                        && h.transfer.reverses.is_none()
                        && h.transfer.phase == coalesce_ledger::Phase::Single
                })
        })
        .cloned()
        .collect();
    let net = |acc: String| {
        scratch
            .balances()
            .get(&acc)
            .map(|b| b.net_debit())
            .unwrap_or(0)
    };
    let windows = ["W1", "W2"];
    let projects = ["P1", "P2"];
    match step {
        Step::Pledge(d, a, in_euro) => Op::Pledge {
            donor: ["USA", "GBR", "DEU"][*d as usize % 3].into(),
            amount: *a,
            currency: if *in_euro { eur() } else { usd() },
        },
        Step::Commit(p, f) => {
            let pledge = pick(&pending, *p);
            let amount = f.map(|f| {
                let held = scratch
                    .transfers()
                    .find(|t| t.id == pledge)
                    .map(|t| t.amount)
                    .unwrap_or(1);
                part(held, f)
            });
            Op::Commit { pledge, amount }
        }
        Step::Void(p) => Op::Void {
            pledge: pick(&pending, *p),
        },
        Step::Deposit(p, f) => {
            let commitment = pick(&owing, *p);
            let owed = net(format!("{fund}/receivable/{commitment}"));
            Op::Deposit {
                commitment,
                amount: part(owed, *f),
            }
        }
        Step::Interest(a) => Op::Interest {
            amount: *a,
            currency: usd(),
        },
        Step::Allocate(w, f) => Op::Allocate {
            window: windows[*w as usize % 2].into(),
            amount: part(net(format!("{fund}/cash/unallocated/USD")), *f),
            currency: usd(),
        },
        Step::Approve(w, p, f) => {
            let window = windows[*w as usize % 2];
            Op::Approve {
                window: window.into(),
                project: projects[*p as usize % 2].into(),
                amount: part(net(format!("{fund}/cash/window/{window}/USD")), *f),
                currency: usd(),
            }
        }
        Step::Disburse(p, f) => {
            let project = projects[*p as usize % 2];
            Op::Disburse {
                project: project.into(),
                org: "UNDP".into(),
                amount: part(net(format!("{fund}/cash/project/{project}/USD")), *f),
                currency: usd(),
            }
        }
        Step::Expend(p, f) => Op::Expend {
            project: projects[*p as usize % 2].into(),
            org: "UNDP".into(),
            amount: part(net(format!("{fund}/org/UNDP/USD")), *f),
            currency: usd(),
        },
        Step::Refund(f) => Op::Refund {
            org: "UNDP".into(),
            amount: part(net(format!("{fund}/org/UNDP/USD")), *f),
            currency: usd(),
        },
        Step::Reverse(t) => Op::Reverse {
            transfer: pick(&reversible, *t),
        },
    }
}

fn concurrent_pledge() -> Op {
    Op::Pledge {
        donor: "CONC".into(),
        amount: 700,
        currency: usd(),
    }
}

/// Plans and applies an operation on the engine; false when refused.
fn apply_model(model: &mut Ledger, terms: &Terms, fo: &FundOperation) -> bool {
    let id = fo.id.clone().unwrap_or_default();
    let Ok(plan) = terms.plan(&*model, &id, &fo.op, &fo.value_date) else {
        return false;
    };
    let mut scratch = model.clone();
    for a in plan.accounts {
        if scratch.open(a).is_err() {
            return false;
        }
    }
    if scratch.apply(&plan.group).is_err() {
        return false;
    }
    *model = scratch;
    true
}

async fn check_sequence(batches: Vec<Vec<Step>>) -> Result<(), TestCaseError> {
    let (s, usa, fund) = fund_world().await;
    let fail =
        |m: String| TestCaseError::fail(format!("[{}] {m}", coalesce_store::testing::backend()));
    s.import_rates(
        None,
        &[(
            1,
            Rate {
                from: eur(),
                to: usd(),
                date: "2015-01-01".into(),
                value: Decimal::parse("1.1").expect("rate"),
                source: RateSource::Manual("test".into()),
            },
        )],
    )
    .await
    .map_err(|e| fail(e.to_string()))?;
    // The pure engine replays what the store accepts.
    let terms = Terms {
        id: fund.clone(),
        base: usd(),
        fee_bp: 100,
        indirect_bp: 700,
    };
    let mut model = Ledger::default();
    let mut pledges: Vec<String> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let mut n = 0;
    let mut handles = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        let mut ops = Vec::new();
        let mut scratch = model.clone();
        let mut scratch_pledges = pledges.clone();
        for st in batch {
            n += 1;
            let id = format!("t{n}");
            let fo = op(&id, to_op(st, &scratch, &fund, &scratch_pledges, &written));
            // An operation the engine refuses is mostly left out, so that
            // most batches land; one in seven stays, refusing its batch.
            if apply_model(&mut scratch, &terms, &fo) {
                if matches!(fo.op, Op::Pledge { .. }) {
                    scratch_pledges.push(id);
                }
            } else if n % 7 != 0 {
                continue;
            }
            ops.push(fo);
        }
        if b % 4 == 3 {
            // A concurrent pledge, on accounts of its own: serialised with
            // the batch, it changes nothing the batch is checked against.
            let (s2, u2, f2) = (s.clone(), usa.clone(), fund.clone());
            let id = format!("conc{b}");
            handles.push(tokio::spawn(async move {
                s2.fund_operations(Some(&u2), &f2, &[op(&id, concurrent_pledge())])
                    .await
            }));
        }
        if ops.is_empty() {
            continue;
        }
        // The engine decides first: the store must agree.
        let mut replay = model.clone();
        let engine_takes = ops.iter().all(|fo| apply_model(&mut replay, &terms, fo));
        match s.fund_operations(Some(&usa), &fund, &ops).await {
            Ok(out) => {
                prop_assert!(
                    engine_takes,
                    "the store took a batch the engine refuses: {:?}",
                    ops
                );
                model = replay;
                for fo in &ops {
                    if matches!(fo.op, Op::Pledge { .. }) {
                        pledges.push(fo.id.clone().unwrap_or_default());
                    }
                }
                written.extend(out.into_iter().map(|t| t.id));
            }
            Err(StoreError::Ledger { message, .. }) => {
                prop_assert!(
                    !engine_takes,
                    "the store refused a batch the engine takes: {}",
                    message
                );
            }
            Err(e) => return Err(fail(format!("unexpected error {e}"))),
        }
    }
    for h in handles {
        let out = h
            .await
            .map_err(|e| fail(e.to_string()))?
            .map_err(|e| fail(e.to_string()))?;
        for t in out {
            let fo = op(&t.id, concurrent_pledge());
            let plan = terms
                .plan(&model, &t.id, &fo.op, &fo.value_date)
                .map_err(|e| fail(e.to_string()))?;
            for a in plan.accounts {
                model.open(a).map_err(|e| fail(e.to_string()))?;
            }
            model.apply(&plan.group).map_err(|e| fail(e.to_string()))?;
        }
    }
    // The operations each transfer tells of, replayed with its id and value
    // date, write the same ledger (how it travels as CSV and back).
    let mut replay = Ledger::default();
    for t in model.transfers() {
        if let Some(op) = coalesce_ledger::fund::op_of(t) {
            let plan = terms
                .plan(&replay, &t.id, &op, &t.value_date)
                .map_err(|e| fail(format!("replay of {}: {e}", t.id)))?;
            for a in plan.accounts {
                replay.open(a).map_err(|e| fail(e.to_string()))?;
            }
            replay
                .apply(&plan.group)
                .map_err(|e| fail(format!("replay of {}: {e}", t.id)))?;
        }
    }
    prop_assert_eq!(
        replay.transfers().collect::<Vec<_>>(),
        model.transfers().collect::<Vec<_>>()
    );
    let (_, count, problems) = s.fund_verify().await.map_err(|e| fail(e.to_string()))?;
    prop_assert!(problems.is_empty(), "{:?}", problems);
    prop_assert_eq!(count, model.transfers().count());
    // The status table: per currency, what the engine's transfers add up
    // to; and the agent's holdings equal its cash accounts.
    let st = s
        .fund_status(&usa, &fund)
        .await
        .map_err(|e| fail(e.to_string()))?;
    for (code, status) in &st.by_currency {
        let c = Currency::parse(code).map_err(|e| fail(e.to_string()))?;
        let mut want = coalesce_ledger::fund::Status::default();
        let mut pending = std::collections::BTreeMap::new();
        for t in model.transfers().filter(|t| t.currency == c) {
            if t.phase == coalesce_ledger::Phase::Pending {
                pending.insert(t.id.clone(), t.amount);
            }
            let p = t.phase.resolves().and_then(|p| pending.get(p).copied());
            for (line, a) in coalesce_ledger::fund::contributions(t, p) {
                want.add(line, a);
            }
        }
        for line in Line::ALL {
            prop_assert_eq!(status.get(line), want.get(line), "{} {:?}", code, line);
        }
        let cash: i64 = model
            .balances()
            .iter()
            .filter(|(id, _)| id.contains("/cash/") && id.ends_with(&format!("/{code}")))
            .map(|(_, b)| b.net_debit())
            .sum();
        prop_assert_eq!(status.with_agent(), cash, "{} agent holds its cash", code);
    }
    s.close().await;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn random_batches_keep_every_invariant(batches in proptest::collection::vec(proptest::collection::vec(step(), 1..10), 1..24)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        rt.block_on(check_sequence(batches))?;
    }
}
