//! The fund's operations on the ledger: the FFS's opening as a scenario,
//! and random sequences of operations (many refused) after which the
//! status table agrees with the accounts — sources less uses is what the
//! agent holds, what organisations hold is what their accounts hold.

use coalesce_ledger::fund::{contributions, Line, Op, Status, Terms};
use coalesce_ledger::ledger::verify;
use coalesce_ledger::{Currency, Ledger, Phase, View};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn usd() -> Currency {
    Currency::parse("USD").expect("usd")
}

fn terms() -> Terms {
    Terms {
        id: "ffs".into(),
        base: usd(),
        fee_bp: 100,
        indirect_bp: 700,
    }
}

/// Plans and applies one operation; keeps the status table as a store would.
fn run(
    l: &mut Ledger,
    status: &mut Status,
    pending: &mut BTreeMap<String, i64>,
    id: &str,
    op: &Op,
) -> Result<(), String> {
    let plan = terms()
        .plan(l, id, op, "2015-06-30")
        .map_err(|e| e.to_string())?;
    let mut scratch = l.clone();
    for a in &plan.accounts {
        scratch.open(a.clone()).map_err(|e| e.to_string())?;
    }
    let fx = scratch.apply(&plan.group).map_err(|e| e.to_string())?;
    *l = scratch;
    for t in &fx.transfers {
        if t.phase == Phase::Pending {
            pending.insert(t.id.clone(), t.amount);
        }
        let p = t.phase.resolves().and_then(|p| pending.get(p).copied());
        for (line, n) in contributions(t, p) {
            status.add(line, n);
        }
    }
    Ok(())
}

fn held(l: &Ledger, prefix: &str) -> i64 {
    l.accounts()
        .filter(|a| a.id.starts_with(prefix))
        .map(|a| l.balance(&a.id).net_debit())
        .sum()
}

#[test]
fn the_ffs_opens_with_the_us_seven_million() {
    let (mut l, mut s, mut p) = (Ledger::default(), Status::default(), BTreeMap::new());
    let seven_million = usd().parse_amount("7000000").expect("amount");
    let ops = [
        (
            "us-pledge",
            Op::Pledge {
                donor: "USA".into(),
                amount: seven_million,
                currency: usd(),
            },
        ),
        (
            "us-commit",
            Op::Commit {
                pledge: "us-pledge".into(),
                amount: None,
            },
        ),
        (
            "us-dep-1",
            Op::Deposit {
                commitment: "us-pledge".into(),
                amount: 500_000_000,
            },
        ),
        (
            "w1",
            Op::Allocate {
                window: "public-works".into(),
                amount: 300_000_000,
                currency: usd(),
            },
        ),
        (
            "tikrit",
            Op::Approve {
                window: "public-works".into(),
                project: "tikrit-water".into(),
                amount: 100_000_000,
                currency: usd(),
            },
        ),
        (
            "disb-1",
            Op::Disburse {
                project: "tikrit-water".into(),
                org: "undp".into(),
                amount: 100_000_000,
                currency: usd(),
            },
        ),
        (
            "exp-1",
            Op::Expend {
                project: "tikrit-water".into(),
                org: "undp".into(),
                amount: 40_000_000,
                currency: usd(),
            },
        ),
    ];
    for (id, op) in &ops {
        run(&mut l, &mut s, &mut p, id, op).expect(id);
    }
    assert_eq!(s.get(Line::Committed), 700_000_000);
    assert_eq!(s.get(Line::Pledged), 0);
    assert_eq!(s.get(Line::Deposits), 500_000_000);
    assert_eq!(s.get(Line::AgentFees), 5_000_000, "1 % taken at deposit");
    assert_eq!(s.get(Line::IndirectCosts), 7_000_000, "7 % of the transfer");
    assert_eq!(s.with_agent(), 395_000_000);
    assert_eq!(s.with_agent(), held(&l, "ffs/cash/"));
    assert_eq!(s.with_organisations(), 53_000_000);
    assert_eq!(s.with_organisations(), held(&l, "ffs/org/"));
    assert_eq!(s.receivable(), 200_000_000);

    // Bad input: each refused with its rule, nothing written.
    let before = l.transfers().count();
    let bad = [
        Op::Deposit {
            commitment: "us-pledge".into(),
            amount: 200_000_001,
        },
        Op::Commit {
            pledge: "us-pledge".into(),
            amount: None,
        },
        Op::Void {
            pledge: "us-pledge".into(),
        },
        Op::Disburse {
            project: "tikrit-water".into(),
            org: "undp".into(),
            amount: 1,
            currency: usd(),
        },
        Op::Allocate {
            window: "bad window".into(),
            amount: 1,
            currency: usd(),
        },
        Op::Deposit {
            commitment: "nope".into(),
            amount: 1,
        },
    ];
    for (i, op) in bad.iter().enumerate() {
        let e = run(&mut l, &mut s, &mut p, &format!("bad-{i}"), op).expect_err("refused");
        assert!(!e.is_empty());
    }
    assert_eq!(l.transfers().count(), before);
    // A deposit reversed takes its fee back with it.
    run(
        &mut l,
        &mut s,
        &mut p,
        "rev-1",
        &Op::Reverse {
            transfer: "us-dep-1".into(),
        },
    )
    .expect_err("the cash was allocated and spent: reversing would overdraw it");
    run(
        &mut l,
        &mut s,
        &mut p,
        "us-dep-2",
        &Op::Deposit {
            commitment: "us-pledge".into(),
            amount: 1_000,
        },
    )
    .expect("dep 2");
    run(
        &mut l,
        &mut s,
        &mut p,
        "rev-2",
        &Op::Reverse {
            transfer: "us-dep-2".into(),
        },
    )
    .expect("reverse");
    assert!(l.transfer("rev-2:fee").is_some());
    assert_eq!(s.with_agent(), held(&l, "ffs/cash/"));
    assert!(verify(l.accounts(), l.balances(), l.transfers()).is_empty());
}

fn op() -> impl Strategy<Value = Op> {
    let amount = 1..5_000_000i64;
    let who = prop_oneof![Just("a"), Just("b")];
    prop_oneof![
        (who.clone(), amount.clone()).prop_map(|(d, a)| Op::Pledge {
            donor: d.into(),
            amount: a,
            currency: usd()
        }),
        (0..8usize, prop::option::of(amount.clone())).prop_map(|(i, a)| Op::Commit {
            pledge: format!("o{i}"),
            amount: a
        }),
        (0..8usize).prop_map(|i| Op::Void {
            pledge: format!("o{i}")
        }),
        (0..8usize, amount.clone()).prop_map(|(i, a)| Op::Deposit {
            commitment: format!("o{i}"),
            amount: a
        }),
        amount.clone().prop_map(|a| Op::Interest {
            amount: a,
            currency: usd()
        }),
        (who.clone(), amount.clone()).prop_map(|(w, a)| Op::Allocate {
            window: w.into(),
            amount: a,
            currency: usd()
        }),
        (who.clone(), who.clone(), amount.clone()).prop_map(|(w, p, a)| Op::Approve {
            window: w.into(),
            project: p.into(),
            amount: a,
            currency: usd()
        }),
        (who.clone(), who.clone(), amount.clone()).prop_map(|(p, o, a)| Op::Disburse {
            project: p.into(),
            org: o.into(),
            amount: a,
            currency: usd()
        }),
        (who.clone(), who.clone(), amount.clone()).prop_map(|(p, o, a)| Op::Expend {
            project: p.into(),
            org: o.into(),
            amount: a,
            currency: usd()
        }),
        (who, amount).prop_map(|(o, a)| Op::Refund {
            org: o.into(),
            amount: a,
            currency: usd()
        }),
        (0..40usize).prop_map(|i| Op::Reverse {
            transfer: format!("o{i}")
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn the_status_table_agrees_with_the_accounts(ops in prop::collection::vec(op(), 1..80)) {
        let (mut l, mut s, mut p) = (Ledger::default(), Status::default(), BTreeMap::new());
        for (i, op) in ops.iter().enumerate() {
            let _ = run(&mut l, &mut s, &mut p, &format!("o{i}"), op);
            prop_assert!(verify(l.accounts(), l.balances(), l.transfers()).is_empty());
            prop_assert_eq!(s.with_agent(), held(&l, "ffs/cash/"));
            prop_assert_eq!(s.with_organisations(), held(&l, "ffs/org/"));
            prop_assert_eq!(s.receivable(), held(&l, "ffs/receivable/"));
            let pledged: i64 = l.accounts().filter(|a| a.id.starts_with("ffs/donor/")).map(|a| l.balance(&a.id).credits_pending).sum();
            prop_assert_eq!(s.get(Line::Pledged), pledged);
            let committed: i64 = l.accounts().filter(|a| a.id.starts_with("ffs/donor/")).map(|a| -l.balance(&a.id).net_debit()).sum();
            prop_assert_eq!(s.get(Line::Committed), committed);
        }
    }
}
