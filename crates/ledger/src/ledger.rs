//! Accounts and immutable transfers, after TigerBeetle's model: a transfer
//! moves one amount in one currency from a debit account to a credit
//! account, so debits equal credits per currency by construction; it is
//! single-phase (posted at once), or pending (reserved, then posted — in
//! full or in part, once — or voided), or the reversal of a posted
//! transfer (its accounts swapped: a mistake is corrected by a new
//! transfer, never by changing the old one). A group of transfers (a
//! deposit and its fee) is checked against the balances as a whole and
//! written all or nothing; accounts with a limit may not be overdrawn.

use crate::money::{Currency, MAX_AMOUNT};
use crate::LedgerError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What an account may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Either side may grow without bound.
    None,
    /// A credit-normal account (what donors committed): its debits, posted
    /// and pending, never exceed its posted credits.
    DebitsWithinCredits,
    /// A debit-normal account (cash, what a commitment still owes, what an
    /// organisation holds): its credits, posted and pending, never exceed
    /// its posted debits.
    CreditsWithinDebits,
}

impl Limit {
    pub fn as_str(&self) -> &'static str {
        match self {
            Limit::None => "none",
            Limit::DebitsWithinCredits => "debits_within_credits",
            Limit::CreditsWithinDebits => "credits_within_debits",
        }
    }

    pub fn parse(s: &str) -> Result<Self, LedgerError> {
        Ok(match s {
            "none" => Limit::None,
            "debits_within_credits" => Limit::DebitsWithinCredits,
            "credits_within_debits" => Limit::CreditsWithinDebits,
            other => {
                return Err(LedgerError::Invalid(format!(
                    "unknown account limit {other}"
                )))
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub currency: Currency,
    pub limit: Limit,
}

/// What has gone through an account, in its currency's minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub debits_pending: i64,
    pub credits_pending: i64,
}

impl Balance {
    /// Posted debits less posted credits (what a debit-normal account holds).
    pub fn net_debit(&self) -> i64 {
        self.debits_posted - self.credits_posted
    }

    fn add(&mut self, side: Side, kind: Kind, amount: i64) -> Result<(), LedgerError> {
        let slot = match (side, kind) {
            (Side::Debit, Kind::Posted) => &mut self.debits_posted,
            (Side::Credit, Kind::Posted) => &mut self.credits_posted,
            (Side::Debit, Kind::Pending) => &mut self.debits_pending,
            (Side::Credit, Kind::Pending) => &mut self.credits_pending,
        };
        *slot = slot.checked_add(amount).ok_or(LedgerError::Overflow)?;
        Ok(())
    }

    fn within(&self, limit: Limit) -> Result<(), &'static str> {
        match limit {
            Limit::None => Ok(()),
            Limit::DebitsWithinCredits => {
                if self.debits_posted + self.debits_pending > self.credits_posted {
                    Err("debits may not exceed credits")
                } else {
                    Ok(())
                }
            }
            Limit::CreditsWithinDebits => {
                if self.credits_posted + self.credits_pending > self.debits_posted {
                    Err("credits may not exceed debits")
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Debit,
    Credit,
}

#[derive(Clone, Copy)]
enum Kind {
    Posted,
    Pending,
}

/// How a transfer moves its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "phase", content = "of")]
pub enum Phase {
    /// Posted at once.
    Single,
    /// Reserved until posted or voided.
    Pending,
    /// Posts this pending transfer (its amount at most the pending one's;
    /// the rest is released).
    Post(String),
    /// Voids this pending transfer.
    Void(String),
}

impl Phase {
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Single => "single",
            Phase::Pending => "pending",
            Phase::Post(_) => "post",
            Phase::Void(_) => "void",
        }
    }

    /// The pending transfer a post or void resolves.
    pub fn resolves(&self) -> Option<&str> {
        match self {
            Phase::Post(p) | Phase::Void(p) => Some(p),
            _ => None,
        }
    }
}

/// One transfer, immutable once written. `code` says what it is in the
/// fund (deposit, fee, disbursement …); `reverses` names the posted
/// transfer a reversal undoes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub id: String,
    pub debit: String,
    pub credit: String,
    pub amount: i64,
    pub currency: Currency,
    pub phase: Phase,
    pub reverses: Option<String>,
    pub code: String,
    /// The value date (YYYY-MM-DD): which exchange rate converts it.
    pub value_date: String,
}

impl Transfer {
    /// The reversal of a posted transfer: its accounts swapped, its amount
    /// and currency kept.
    pub fn reversal_of(t: &Transfer, id: &str, value_date: &str) -> Transfer {
        Transfer {
            id: id.to_string(),
            debit: t.credit.clone(),
            credit: t.debit.clone(),
            amount: t.amount,
            currency: t.currency,
            phase: Phase::Single,
            reverses: Some(t.id.clone()),
            code: t.code.clone(),
            value_date: value_date.to_string(),
        }
    }
}

/// A transfer as held, with what later transfers did to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub transfer: Transfer,
    /// A pending transfer that was posted or voided.
    pub resolved: bool,
    /// A posted transfer that a reversal undid.
    pub reversed: bool,
}

/// What a check reads: the accounts, their balances and the transfers a
/// group refers to (the store loads just these, in its transaction).
pub trait View {
    fn account(&self, id: &str) -> Option<Account>;
    fn balance(&self, id: &str) -> Balance;
    fn transfer(&self, id: &str) -> Option<Held>;
}

/// What a group changes: the transfers as written (a post or void carries
/// its pending transfer's accounts), the new balances of the accounts it
/// touched, the pending transfers it resolved and the transfers it reversed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    pub transfers: Vec<Transfer>,
    pub balances: BTreeMap<String, Balance>,
    pub resolved: Vec<String>,
    pub reversed: Vec<String>,
}

/// Checks a group of transfers against `view`, as a whole: the first
/// broken rule refuses all of them. Returns what writing them changes.
pub fn check(view: &impl View, group: &[Transfer]) -> Result<Effects, LedgerError> {
    let mut fx = Effects::default();
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    let mut account = |id: &str| -> Result<Account, LedgerError> {
        if let Some(a) = accounts.get(id) {
            return Ok(a.clone());
        }
        let a = view
            .account(id)
            .ok_or_else(|| LedgerError::UnknownAccount(id.to_string()))?;
        accounts.insert(id.to_string(), a.clone());
        Ok(a)
    };
    // Pending transfers and reversals resolved earlier in this group.
    let mut resolved: BTreeSet<String> = BTreeSet::new();
    let mut reversed: BTreeSet<String> = BTreeSet::new();
    let mut earlier: BTreeMap<String, Transfer> = BTreeMap::new();
    for t in group {
        if t.id.trim().is_empty() {
            return Err(LedgerError::Invalid("a transfer needs an id".into()));
        }
        if !ids.insert(&t.id) || view.transfer(&t.id).is_some() {
            return Err(LedgerError::DuplicateTransfer(t.id.clone()));
        }
        if t.amount <= 0 {
            return Err(LedgerError::NotPositive { id: t.id.clone() });
        }
        if t.amount > MAX_AMOUNT {
            return Err(LedgerError::BadAmount(format!(
                "transfer {}: {} is more than one transfer may move",
                t.id, t.amount
            )));
        }
        let mut written = t.clone();
        let held_of = |id: &str| -> Option<Held> {
            earlier
                .get(id)
                .map(|tr| Held {
                    transfer: tr.clone(),
                    resolved: false,
                    reversed: false,
                })
                .or_else(|| view.transfer(id))
        };
        // Moves: (account, side, kind, signed amount).
        let mut moves: Vec<(String, Side, Kind, i64)> = Vec::new();
        match &t.phase {
            Phase::Single | Phase::Pending => {
                let kind = if t.phase == Phase::Pending {
                    Kind::Pending
                } else {
                    Kind::Posted
                };
                if let Some(r) = &t.reverses {
                    let held = held_of(r).ok_or_else(|| LedgerError::NoSuchTransfer {
                        id: t.id.clone(),
                        reversed: r.clone(),
                    })?;
                    let o = &held.transfer;
                    if o.reverses.is_some() {
                        return Err(LedgerError::ReversalOfReversal {
                            id: t.id.clone(),
                            reversed: r.clone(),
                        });
                    }
                    if matches!(o.phase, Phase::Pending | Phase::Void(_))
                        || t.phase == Phase::Pending
                    {
                        return Err(LedgerError::ReversePending {
                            id: t.id.clone(),
                            reversed: r.clone(),
                        });
                    }
                    if held.reversed || reversed.contains(r) {
                        return Err(LedgerError::AlreadyReversed {
                            id: t.id.clone(),
                            reversed: r.clone(),
                        });
                    }
                    if o.debit != t.credit
                        || o.credit != t.debit
                        || o.amount != t.amount
                        || o.currency != t.currency
                    {
                        return Err(LedgerError::ReversalDiffers {
                            id: t.id.clone(),
                            reversed: r.clone(),
                        });
                    }
                    reversed.insert(r.clone());
                    fx.reversed.push(r.clone());
                }
                moves.push((t.debit.clone(), Side::Debit, kind, t.amount));
                moves.push((t.credit.clone(), Side::Credit, kind, t.amount));
            }
            Phase::Post(p) | Phase::Void(p) => {
                if t.reverses.is_some() {
                    return Err(LedgerError::Invalid(format!(
                        "transfer {}: a post or void reverses nothing",
                        t.id
                    )));
                }
                let held = held_of(p).filter(|h| h.transfer.phase == Phase::Pending);
                let Some(held) = held else {
                    return Err(LedgerError::NoSuchPending {
                        id: t.id.clone(),
                        pending: p.clone(),
                    });
                };
                if held.resolved || resolved.contains(p) {
                    return Err(LedgerError::AlreadyResolved {
                        id: t.id.clone(),
                        pending: p.clone(),
                    });
                }
                let o = &held.transfer;
                if o.debit != t.debit || o.credit != t.credit || o.currency != t.currency {
                    return Err(LedgerError::PostAccountsDiffer {
                        id: t.id.clone(),
                        pending: p.clone(),
                    });
                }
                if t.amount > o.amount {
                    return Err(LedgerError::PostExceedsPending {
                        id: t.id.clone(),
                        pending: p.clone(),
                        amount: t.amount,
                        pending_amount: o.amount,
                    });
                }
                // The whole reservation is released; a post books its amount.
                moves.push((o.debit.clone(), Side::Debit, Kind::Pending, -o.amount));
                moves.push((o.credit.clone(), Side::Credit, Kind::Pending, -o.amount));
                if matches!(t.phase, Phase::Post(_)) {
                    moves.push((o.debit.clone(), Side::Debit, Kind::Posted, t.amount));
                    moves.push((o.credit.clone(), Side::Credit, Kind::Posted, t.amount));
                } else {
                    // A void moves nothing: it carries the amount released.
                    written.amount = o.amount;
                }
                resolved.insert(p.clone());
                fx.resolved.push(p.clone());
            }
        }
        if t.debit == t.credit {
            return Err(LedgerError::SameAccount { id: t.id.clone() });
        }
        for id in [&t.debit, &t.credit] {
            let a = account(id)?;
            if a.currency != t.currency {
                return Err(LedgerError::CurrencyMismatch {
                    id: t.id.clone(),
                    account: id.clone(),
                    account_currency: a.currency.to_string(),
                    currency: t.currency.to_string(),
                });
            }
        }
        for (acc, side, kind, amount) in moves {
            let b = match fx.balances.get_mut(&acc) {
                Some(b) => b,
                None => fx.balances.entry(acc.clone()).or_insert(view.balance(&acc)),
            };
            b.add(side, kind, amount)?;
        }
        earlier.insert(t.id.clone(), written.clone());
        fx.transfers.push(written);
    }
    for (id, b) in &fx.balances {
        let a = account(id)?;
        b.within(a.limit)
            .map_err(|rule| LedgerError::LimitExceeded {
                account: id.clone(),
                rule,
            })?;
    }
    Ok(fx)
}

/// A ledger in memory: the engine's own [`View`], for tests, benchmarks
/// and the store's checks.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    accounts: BTreeMap<String, Account>,
    balances: BTreeMap<String, Balance>,
    transfers: BTreeMap<String, Held>,
    order: Vec<String>,
}

impl View for Ledger {
    fn account(&self, id: &str) -> Option<Account> {
        self.accounts.get(id).cloned()
    }
    fn balance(&self, id: &str) -> Balance {
        self.balances.get(id).copied().unwrap_or_default()
    }
    fn transfer(&self, id: &str) -> Option<Held> {
        self.transfers.get(id).cloned()
    }
}

impl Ledger {
    /// Opens an account; opening it again the same way changes nothing.
    pub fn open(&mut self, a: Account) -> Result<(), LedgerError> {
        match self.accounts.get(&a.id) {
            Some(held) if *held == a => Ok(()),
            Some(_) => Err(LedgerError::AccountConflict(a.id)),
            None => {
                self.accounts.insert(a.id.clone(), a);
                Ok(())
            }
        }
    }

    /// Checks and writes a group, all or nothing.
    pub fn apply(&mut self, group: &[Transfer]) -> Result<Effects, LedgerError> {
        let fx = check(self, group)?;
        self.write(&fx);
        Ok(fx)
    }

    /// Writes what a check decided.
    pub fn write(&mut self, fx: &Effects) {
        for (id, b) in &fx.balances {
            self.balances.insert(id.clone(), *b);
        }
        for t in &fx.transfers {
            self.order.push(t.id.clone());
            self.transfers.insert(
                t.id.clone(),
                Held {
                    transfer: t.clone(),
                    resolved: false,
                    reversed: false,
                },
            );
        }
        for p in &fx.resolved {
            if let Some(h) = self.transfers.get_mut(p) {
                h.resolved = true;
            }
        }
        for r in &fx.reversed {
            if let Some(h) = self.transfers.get_mut(r) {
                h.reversed = true;
            }
        }
    }

    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// Transfers in the order they were written.
    pub fn transfers(&self) -> impl Iterator<Item = &Transfer> {
        self.order
            .iter()
            .filter_map(|id| self.transfers.get(id).map(|h| &h.transfer))
    }

    pub fn balances(&self) -> &BTreeMap<String, Balance> {
        &self.balances
    }
}

/// Recomputes every balance from the transfers and compares: the kept
/// balances must equal the sums, and debits equal credits per currency,
/// posted and pending. Returns each disagreement found.
pub fn verify<'a>(
    accounts: impl IntoIterator<Item = &'a Account>,
    balances: &BTreeMap<String, Balance>,
    transfers: impl IntoIterator<Item = &'a Transfer>,
) -> Vec<String> {
    let mut v = Verifier::new(accounts.into_iter().cloned());
    for t in transfers {
        v.add(t);
    }
    v.finish(balances)
}

/// [`verify`] one transfer at a time, for a store that reads them in
/// pages: it keeps the sums per account and the pending transfers only.
#[derive(Debug, Default)]
pub struct Verifier {
    accounts: BTreeMap<String, Account>,
    sums: BTreeMap<String, Balance>,
    /// Pending transfers: id → (debit, credit, amount).
    pending: BTreeMap<String, (String, String, i64)>,
    problems: Vec<String>,
}

impl Verifier {
    pub fn new(accounts: impl IntoIterator<Item = Account>) -> Self {
        Verifier {
            accounts: accounts.into_iter().map(|a| (a.id.clone(), a)).collect(),
            ..Verifier::default()
        }
    }

    fn sum(&mut self, acc: &str, side: Side, kind: Kind, amount: i64) {
        if self
            .sums
            .entry(acc.to_string())
            .or_default()
            .add(side, kind, amount)
            .is_err()
        {
            self.problems.push(format!("account {acc}: sums overflow"));
        }
    }

    /// Adds the next transfer, in the order they were written.
    pub fn add(&mut self, t: &Transfer) {
        for acc in [&t.debit, &t.credit] {
            match self.accounts.get(acc.as_str()) {
                None => self
                    .problems
                    .push(format!("transfer {}: unknown account {acc}", t.id)),
                Some(a) if a.currency != t.currency => self.problems.push(format!(
                    "transfer {}: account {acc} is in {}, the transfer in {}",
                    t.id, a.currency, t.currency
                )),
                Some(_) => {}
            }
        }
        match &t.phase {
            Phase::Single => {
                self.sum(&t.debit, Side::Debit, Kind::Posted, t.amount);
                self.sum(&t.credit, Side::Credit, Kind::Posted, t.amount);
            }
            Phase::Pending => {
                self.pending
                    .insert(t.id.clone(), (t.debit.clone(), t.credit.clone(), t.amount));
                self.sum(&t.debit, Side::Debit, Kind::Pending, t.amount);
                self.sum(&t.credit, Side::Credit, Kind::Pending, t.amount);
            }
            Phase::Post(p) | Phase::Void(p) => {
                let Some((debit, credit, amount)) = self.pending.get(p.as_str()).cloned() else {
                    self.problems
                        .push(format!("transfer {}: resolves unknown pending {p}", t.id));
                    return;
                };
                self.sum(&debit, Side::Debit, Kind::Pending, -amount);
                self.sum(&credit, Side::Credit, Kind::Pending, -amount);
                if matches!(t.phase, Phase::Post(_)) {
                    self.sum(&t.debit, Side::Debit, Kind::Posted, t.amount);
                    self.sum(&t.credit, Side::Credit, Kind::Posted, t.amount);
                }
            }
        }
    }

    /// Compares the sums with the kept `balances`, and debits with credits
    /// per currency; returns each disagreement found.
    pub fn finish(mut self, balances: &BTreeMap<String, Balance>) -> Vec<String> {
        let ids: BTreeSet<&String> = self.sums.keys().chain(balances.keys()).collect();
        let mut per_currency: BTreeMap<Currency, [i64; 4]> = BTreeMap::new();
        for id in ids {
            let sum = self.sums.get(id).copied().unwrap_or_default();
            let kept = balances.get(id).copied().unwrap_or_default();
            if sum != kept {
                self.problems.push(format!(
                    "account {id}: kept balance {kept:?} differs from the sum of its transfers {sum:?}"
                ));
            }
            if let Some(a) = self.accounts.get(id.as_str()) {
                let c = per_currency.entry(a.currency).or_default();
                c[0] += sum.debits_posted;
                c[1] += sum.credits_posted;
                c[2] += sum.debits_pending;
                c[3] += sum.credits_pending;
            }
        }
        for (c, [dp, cp, dq, cq]) in per_currency {
            if dp != cp || dq != cq {
                self.problems.push(format!(
                    "{c}: debits {dp} (pending {dq}) differ from credits {cp} (pending {cq})"
                ));
            }
        }
        self.problems
    }
}
