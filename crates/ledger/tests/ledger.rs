//! The ledger's rules, one by one, and a property test: random sequences
//! of groups (pending, post, void, reversal, linked, many refused) keep
//! every invariant — a refused group changes nothing, no written transfer
//! changes, every kept balance equals the sum of its transfers, debits
//! equal credits per currency, no limited account is overdrawn.

use coalesce_ledger::ledger::verify;
use coalesce_ledger::{Account, Currency, Ledger, LedgerError, Limit, Phase, Transfer, View};
use proptest::prelude::*;

fn usd() -> Currency {
    Currency::parse("USD").expect("usd")
}

fn eur() -> Currency {
    Currency::parse("EUR").expect("eur")
}

fn t(id: &str, debit: &str, credit: &str, amount: i64, phase: Phase) -> Transfer {
    Transfer {
        id: id.into(),
        debit: debit.into(),
        credit: credit.into(),
        amount,
        currency: usd(),
        phase,
        reverses: None,
        code: "test".into(),
        value_date: "2015-06-01".into(),
    }
}

/// A donor's commitments (credit-normal), what it owes (debit-normal),
/// the agent's cash (debit-normal, never overdrawn) and fees (free).
fn fund() -> Ledger {
    let mut l = Ledger::default();
    for (id, limit) in [
        ("donor", Limit::DebitsWithinCredits),
        ("receivable", Limit::CreditsWithinDebits),
        ("cash", Limit::CreditsWithinDebits),
        ("fees", Limit::None),
    ] {
        l.open(Account {
            id: id.into(),
            currency: usd(),
            limit,
        })
        .expect("open");
    }
    l.open(Account {
        id: "cash-eur".into(),
        currency: eur(),
        limit: Limit::CreditsWithinDebits,
    })
    .expect("open");
    l
}

#[test]
fn a_pledge_is_pending_until_posted_once_or_voided() {
    let mut l = fund();
    l.apply(&[t("p1", "receivable", "donor", 700, Phase::Pending)])
        .expect("pledge");
    assert_eq!(l.balance("donor").credits_pending, 700);
    assert_eq!(l.balance("donor").credits_posted, 0);
    // Posting more than pledged, or with other accounts, is refused.
    assert!(matches!(
        l.apply(&[t(
            "c1",
            "receivable",
            "donor",
            701,
            Phase::Post("p1".into())
        )]),
        Err(LedgerError::PostExceedsPending { .. })
    ));
    assert!(matches!(
        l.apply(&[t("c1", "cash", "donor", 700, Phase::Post("p1".into()))]),
        Err(LedgerError::PostAccountsDiffer { .. })
    ));
    l.apply(&[t(
        "c1",
        "receivable",
        "donor",
        500,
        Phase::Post("p1".into()),
    )])
    .expect("commit part");
    let b = l.balance("donor");
    assert_eq!(
        (b.credits_posted, b.credits_pending),
        (500, 0),
        "the rest is released"
    );
    // Posted twice; voided after posting.
    assert!(matches!(
        l.apply(&[t(
            "c2",
            "receivable",
            "donor",
            100,
            Phase::Post("p1".into())
        )]),
        Err(LedgerError::AlreadyResolved { .. })
    ));
    assert!(matches!(
        l.apply(&[t("v1", "receivable", "donor", 1, Phase::Void("p1".into()))]),
        Err(LedgerError::AlreadyResolved { .. })
    ));
    l.apply(&[t("p2", "receivable", "donor", 300, Phase::Pending)])
        .expect("pledge 2");
    let fx = l
        .apply(&[t("v2", "receivable", "donor", 1, Phase::Void("p2".into()))])
        .expect("void");
    assert_eq!(
        fx.transfers[0].amount, 300,
        "a void carries what it released"
    );
    assert_eq!(l.balance("donor").credits_pending, 0);
    assert!(verify(l.accounts(), l.balances(), l.transfers()).is_empty());
}

#[test]
fn a_linked_group_posts_together_or_not_at_all() {
    let mut l = fund();
    l.apply(&[t("p", "receivable", "donor", 1000, Phase::Pending)])
        .expect("pledge");
    l.apply(&[t("c", "receivable", "donor", 1000, Phase::Post("p".into()))])
        .expect("commit");
    // A deposit beyond what is owed is refused with its fee.
    let before = (
        l.balance("cash"),
        l.balance("receivable"),
        l.transfers().count(),
    );
    let over = [
        t("d1", "cash", "receivable", 1001, Phase::Single),
        t("d1:fee", "fees", "cash", 10, Phase::Single),
    ];
    assert!(matches!(
        l.apply(&over),
        Err(LedgerError::LimitExceeded { ref account, .. }) if account == "receivable"
    ));
    assert_eq!(
        (
            l.balance("cash"),
            l.balance("receivable"),
            l.transfers().count()
        ),
        before,
        "nothing written"
    );
    // Deposits in parts, each with its 1 % fee.
    for (i, amount) in [(1, 600), (2, 400)] {
        l.apply(&[
            t(
                &format!("d{i}"),
                "cash",
                "receivable",
                amount,
                Phase::Single,
            ),
            t(
                &format!("d{i}:fee"),
                "fees",
                "cash",
                amount / 100,
                Phase::Single,
            ),
        ])
        .expect("deposit");
    }
    assert_eq!(l.balance("cash").net_debit(), 990);
    assert_eq!(l.balance("receivable").net_debit(), 0);
    // A fee without its deposit would overdraw the cash.
    assert!(l
        .apply(&[t("x", "fees", "cash", 991, Phase::Single)])
        .is_err());
}

#[test]
fn a_mistake_is_reversed_once_and_a_reversal_is_not() {
    let mut l = fund();
    l.apply(&[t("i", "cash", "donor", 50, Phase::Single)])
        .expect("in");
    let orig = l.transfer("i").expect("held").transfer;
    let rev = Transfer::reversal_of(&orig, "r", "2015-06-02");
    l.apply(std::slice::from_ref(&rev)).expect("reverse");
    assert_eq!(l.balance("cash").net_debit(), 0);
    assert!(matches!(
        l.apply(&[Transfer::reversal_of(&orig, "r2", "2015-06-02")]),
        Err(LedgerError::AlreadyReversed { .. })
    ));
    assert!(matches!(
        l.apply(&[Transfer::reversal_of(&rev, "rr", "2015-06-02")]),
        Err(LedgerError::ReversalOfReversal { .. })
    ));
    let mut wrong = Transfer::reversal_of(&orig, "r3", "2015-06-02");
    wrong.amount = 49;
    assert!(l.apply(&[wrong]).is_err());
}

#[test]
fn bad_transfers_are_refused_with_their_rule() {
    let mut l = fund();
    let cases: Vec<(Transfer, &str)> = vec![
        (t("a", "cash", "donor", 0, Phase::Single), "positive"),
        (t("a", "cash", "donor", -5, Phase::Single), "positive"),
        (t("a", "cash", "cash", 5, Phase::Single), "same account"),
        (
            t("a", "nowhere", "donor", 5, Phase::Single),
            "unknown account",
        ),
        (t("a", "cash-eur", "donor", 5, Phase::Single), "is in EUR"),
        (
            t("a", "receivable", "donor", 5, Phase::Post("none".into())),
            "no pending",
        ),
    ];
    for (tr, rule) in cases {
        let e = l.apply(&[tr]).expect_err(rule).to_string();
        assert!(e.contains(rule), "{e} should name {rule}");
    }
    l.apply(&[t("a", "cash", "donor", 5, Phase::Single)])
        .expect("ok");
    assert!(matches!(
        l.apply(&[t("a", "cash", "donor", 5, Phase::Single)]),
        Err(LedgerError::DuplicateTransfer(_))
    ));
    assert!(matches!(
        Currency::parse("ABC"),
        Err(LedgerError::UnknownCurrency(_))
    ));
}

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    Pledge(i64),
    Post(usize, i64),
    Void(usize),
    Deposit(i64),
    Spend(i64),
    Reverse(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1..2_000i64).prop_map(Step::Pledge),
        (0..20usize, 1..2_000i64).prop_map(|(i, a)| Step::Post(i, a)),
        (0..20usize).prop_map(Step::Void),
        (1..2_000i64).prop_map(Step::Deposit),
        (1..2_000i64).prop_map(Step::Spend),
        (0..40usize).prop_map(Step::Reverse),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_history_keeps_the_books(steps in prop::collection::vec(step(), 1..60)) {
        let mut l = fund();
        let mut pledges: Vec<String> = Vec::new();
        for (n, s) in steps.into_iter().enumerate() {
            let id = format!("t{n}");
            let ids: Vec<String> = l.transfers().map(|t| t.id.clone()).collect();
            let group = match s {
                Step::Pledge(a) => {
                    pledges.push(id.clone());
                    vec![t(&id, "receivable", "donor", a, Phase::Pending)]
                }
                Step::Post(..) | Step::Void(_) if pledges.is_empty() => continue,
                Step::Post(i, a) => {
                    vec![t(&id, "receivable", "donor", a, Phase::Post(pledges[i % pledges.len()].clone()))]
                }
                Step::Void(i) => {
                    vec![t(&id, "receivable", "donor", 1, Phase::Void(pledges[i % pledges.len()].clone()))]
                }
                Step::Deposit(a) => vec![
                    t(&id, "cash", "receivable", a, Phase::Single),
                    t(&format!("{id}:fee"), "fees", "cash", (a / 100).max(1), Phase::Single),
                ],
                Step::Spend(a) => vec![t(&id, "fees", "cash", a, Phase::Single)],
                Step::Reverse(_) if ids.is_empty() => continue,
                Step::Reverse(i) => {
                    let o = l.transfer(&ids[i % ids.len()]).expect("held").transfer;
                    vec![Transfer::reversal_of(&o, &id, "2015-06-02")]
                }
            };
            let before: Vec<Transfer> = l.transfers().cloned().collect();
            let balances = l.balances().clone();
            match l.apply(&group) {
                Ok(fx) => {
                    let after: Vec<Transfer> = l.transfers().cloned().collect();
                    prop_assert_eq!(&after[..before.len()], &before[..], "no transfer changes");
                    prop_assert_eq!(after.len(), before.len() + fx.transfers.len());
                }
                Err(_) => {
                    let after: Vec<Transfer> = l.transfers().cloned().collect();
                    prop_assert_eq!(after, before, "a refused group writes nothing");
                    prop_assert_eq!(l.balances(), &balances);
                }
            }
            let problems = verify(l.accounts(), l.balances(), l.transfers());
            prop_assert!(problems.is_empty(), "{:?}", problems);
            for a in l.accounts() {
                let b = l.balance(&a.id);
                match a.limit {
                    Limit::CreditsWithinDebits => prop_assert!(b.credits_posted + b.credits_pending <= b.debits_posted),
                    Limit::DebitsWithinCredits => prop_assert!(b.debits_posted + b.debits_pending <= b.credits_posted),
                    Limit::None => {}
                }
            }
        }
    }
}
