//! The fund's operations as ledger transfers, on the accounts an
//! MPTF-style pooled fund keeps (per fund, per currency):
//!
//! | account | side | limit |
//! |---|---|---|
//! | `F/donor/D/CUR` — what donor D committed | credit | debits within credits |
//! | `F/receivable/C` — what commitment C still owes | debit | credits within debits |
//! | `F/cash/unallocated/CUR`, `F/cash/window/W/CUR`, `F/cash/project/P/CUR` — held by the administrative agent | debit | credits within debits |
//! | `F/fees/CUR` — the agent's fee | debit | none |
//! | `F/interest/CUR` | credit | debits within credits |
//! | `F/org/O/CUR` — held by participating organisation O | debit | credits within debits |
//! | `F/indirect/O/CUR` — O's indirect costs | debit | none |
//! | `F/expenditure/P/CUR` | debit | none |
//!
//! A pledge is a pending transfer (receivable ← donor) that the signed
//! commitment posts or a void cancels; a deposit moves cash in against the
//! commitment with the agent's fee linked to it; allocation to a window and
//! approval of a project budget (the outgoing commitment) move cash within
//! the agent's accounts; a disbursement moves it to the organisation with
//! its indirect costs linked; expenditure and refunds leave the
//! organisation. The status table is a sum of per-transfer contributions
//! ([`contributions`]), so a store can keep it per audience.

use crate::ledger::{Account, Limit, Phase, Transfer, View};
use crate::money::Currency;
use crate::LedgerError;
use serde::{Deserialize, Serialize};

/// A fund's terms: its id (the account prefix), base currency, and the
/// administrative agent's fee and the organisations' indirect costs in
/// basis points (100 = 1 %, 700 = 7 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub id: String,
    pub base: Currency,
    pub fee_bp: i64,
    pub indirect_bp: i64,
}

/// One operation of the fund manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum Op {
    Pledge {
        donor: String,
        amount: i64,
        currency: Currency,
    },
    /// Posts a pledge (all of it when `amount` is `None`).
    Commit {
        pledge: String,
        amount: Option<i64>,
    },
    Void {
        pledge: String,
    },
    Deposit {
        commitment: String,
        amount: i64,
    },
    Interest {
        amount: i64,
        currency: Currency,
    },
    Allocate {
        window: String,
        amount: i64,
        currency: Currency,
    },
    Approve {
        window: String,
        project: String,
        amount: i64,
        currency: Currency,
    },
    Disburse {
        project: String,
        org: String,
        amount: i64,
        currency: Currency,
    },
    Expend {
        project: String,
        org: String,
        amount: i64,
        currency: Currency,
    },
    Refund {
        org: String,
        amount: i64,
        currency: Currency,
    },
    /// Reverses a posted transfer and what was linked to it.
    Reverse {
        transfer: String,
    },
}

/// The accounts an operation needs (opened if new) and its linked group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub accounts: Vec<Account>,
    pub group: Vec<Transfer>,
}

fn slug(what: &str, s: &str) -> Result<(), LedgerError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(LedgerError::Invalid(format!(
            "{what} {s:?} must be 1 to 64 letters, digits, '-' or '_'"
        )))
    }
}

impl Terms {
    fn acc(&self, path: &str, currency: Currency, limit: Limit) -> Account {
        Account {
            id: format!("{}/{path}/{currency}", self.id),
            currency,
            limit,
        }
    }

    /// Cash the agent holds for window `w`.
    fn window_cash(&self, w: &str, c: Currency) -> Account {
        self.acc(&format!("cash/window/{w}"), c, Limit::CreditsWithinDebits)
    }

    /// Cash the agent holds for project `p`'s approved budget.
    fn project_cash(&self, p: &str, c: Currency) -> Account {
        self.acc(&format!("cash/project/{p}"), c, Limit::CreditsWithinDebits)
    }

    /// What participating organisation `o` holds.
    fn org_held(&self, o: &str, c: Currency) -> Account {
        self.acc(&format!("org/{o}"), c, Limit::CreditsWithinDebits)
    }

    fn share(amount: i64, bp: i64) -> i64 {
        // Round half up, in integers (amounts are at most 10^15).
        i64::try_from((i128::from(amount) * i128::from(bp) + 5_000) / 10_000).unwrap_or(i64::MAX)
    }

    /// The transfers and accounts of `op`, with id `id` (linked transfers
    /// get `id:fee` and `id:indirect`), on `value_date`. Reads `view` only
    /// to find the pledge, commitment or transfer an operation names.
    pub fn plan(
        &self,
        view: &impl View,
        id: &str,
        op: &Op,
        value_date: &str,
    ) -> Result<Plan, LedgerError> {
        crate::rates::check_date(value_date)?;
        let mut accounts = Vec::new();
        let mut group = Vec::new();
        let mut push = |debit: &Account,
                        credit: &Account,
                        tid: String,
                        amount: i64,
                        phase: Phase,
                        code: &str| {
            group.push(Transfer {
                id: tid,
                debit: debit.id.clone(),
                credit: credit.id.clone(),
                amount,
                currency: debit.currency,
                phase,
                reverses: None,
                code: code.into(),
                value_date: value_date.into(),
            });
        };
        let cash = |c| self.acc("cash/unallocated", c, Limit::CreditsWithinDebits);
        match op {
            Op::Pledge {
                donor,
                amount,
                currency,
            } => {
                slug("donor", donor)?;
                let d = self.acc(
                    &format!("donor/{donor}"),
                    *currency,
                    Limit::DebitsWithinCredits,
                );
                let r = Account {
                    id: format!("{}/receivable/{id}", self.id),
                    currency: *currency,
                    limit: Limit::CreditsWithinDebits,
                };
                push(&r, &d, id.into(), *amount, Phase::Pending, "pledge");
                accounts.extend([d, r]);
            }
            Op::Commit { pledge, amount } => {
                let p = self.pending_pledge(view, pledge)?;
                let (r, d) = (
                    self.account_of(view, &p.debit)?,
                    self.account_of(view, &p.credit)?,
                );
                push(
                    &r,
                    &d,
                    id.into(),
                    amount.unwrap_or(p.amount),
                    Phase::Post(pledge.clone()),
                    "commitment",
                );
            }
            Op::Void { pledge } => {
                let p = self.pending_pledge(view, pledge)?;
                let (r, d) = (
                    self.account_of(view, &p.debit)?,
                    self.account_of(view, &p.credit)?,
                );
                push(
                    &r,
                    &d,
                    id.into(),
                    p.amount,
                    Phase::Void(pledge.clone()),
                    "pledge_void",
                );
            }
            Op::Deposit { commitment, amount } => {
                // Committed: its pledge posted (a voided one posted nothing).
                let held = view.transfer(commitment).filter(|h| {
                    h.transfer.code == "pledge"
                        && h.resolved
                        && view.balance(&h.transfer.debit).debits_posted > 0
                });
                let Some(held) = held else {
                    return Err(LedgerError::Invalid(format!(
                        "no commitment {commitment}: a deposit is made against a pledge whose commitment is posted"
                    )));
                };
                let r = self.account_of(view, &held.transfer.debit)?;
                let c = cash(r.currency);
                let fees = self.acc("fees", r.currency, Limit::None);
                push(&c, &r, id.into(), *amount, Phase::Single, "deposit");
                let fee = Self::share(*amount, self.fee_bp);
                if fee > 0 {
                    push(
                        &fees,
                        &c,
                        format!("{id}:fee"),
                        fee,
                        Phase::Single,
                        "agent_fee",
                    );
                }
                accounts.extend([c, fees]);
            }
            Op::Interest { amount, currency } => {
                let c = cash(*currency);
                let i = self.acc("interest", *currency, Limit::DebitsWithinCredits);
                push(&c, &i, id.into(), *amount, Phase::Single, "interest");
                accounts.extend([c, i]);
            }
            Op::Allocate {
                window,
                amount,
                currency,
            } => {
                slug("window", window)?;
                let w = self.window_cash(window, *currency);
                let c = cash(*currency);
                push(&w, &c, id.into(), *amount, Phase::Single, "allocation");
                accounts.extend([w, c]);
            }
            Op::Approve {
                window,
                project,
                amount,
                currency,
            } => {
                slug("window", window)?;
                slug("project", project)?;
                let p = self.project_cash(project, *currency);
                let w = self.window_cash(window, *currency);
                push(&p, &w, id.into(), *amount, Phase::Single, "approval");
                accounts.extend([p, w]);
            }
            Op::Disburse {
                project,
                org,
                amount,
                currency,
            } => {
                slug("project", project)?;
                slug("organisation", org)?;
                let o = self.org_held(org, *currency);
                let p = self.project_cash(project, *currency);
                let ind = self.acc(&format!("indirect/{org}"), *currency, Limit::None);
                push(&o, &p, id.into(), *amount, Phase::Single, "disbursement");
                let share = Self::share(*amount, self.indirect_bp);
                if share > 0 {
                    push(
                        &ind,
                        &o,
                        format!("{id}:indirect"),
                        share,
                        Phase::Single,
                        "indirect_cost",
                    );
                }
                accounts.extend([o, p, ind]);
            }
            Op::Expend {
                project,
                org,
                amount,
                currency,
            } => {
                slug("project", project)?;
                slug("organisation", org)?;
                let e = self.acc(&format!("expenditure/{project}"), *currency, Limit::None);
                let o = self.org_held(org, *currency);
                push(&e, &o, id.into(), *amount, Phase::Single, "expenditure");
                accounts.extend([e, o]);
            }
            Op::Refund {
                org,
                amount,
                currency,
            } => {
                slug("organisation", org)?;
                let c = cash(*currency);
                let o = self.org_held(org, *currency);
                push(&c, &o, id.into(), *amount, Phase::Single, "refund");
                accounts.extend([c, o]);
            }
            Op::Reverse { transfer } => {
                let held = view
                    .transfer(transfer)
                    .ok_or_else(|| LedgerError::NoSuchTransfer {
                        id: id.into(),
                        reversed: transfer.clone(),
                    })?;
                group.push(Transfer::reversal_of(&held.transfer, id, value_date));
                for linked in ["fee", "indirect"] {
                    if let Some(l) = view.transfer(&format!("{transfer}:{linked}")) {
                        group.push(Transfer::reversal_of(
                            &l.transfer,
                            &format!("{id}:{linked}"),
                            value_date,
                        ));
                    }
                }
            }
        }
        Ok(Plan { accounts, group })
    }

    fn pending_pledge(&self, view: &impl View, pledge: &str) -> Result<Transfer, LedgerError> {
        view.transfer(pledge)
            .filter(|h| h.transfer.code == "pledge")
            .map(|h| h.transfer)
            .ok_or_else(|| LedgerError::Invalid(format!("no pledge {pledge}")))
    }

    fn account_of(&self, view: &impl View, id: &str) -> Result<Account, LedgerError> {
        view.account(id)
            .ok_or_else(|| LedgerError::UnknownAccount(id.into()))
    }
}

/// The operation that wrote `t` as its first transfer (None for a linked
/// transfer — a fee, indirect costs — which its operation writes again).
/// Replaying these operations with the transfers' ids and value dates
/// writes the same ledger: how a fund's ledger travels as CSV and back.
pub fn op_of(t: &Transfer) -> Option<Op> {
    if t.id.ends_with(":fee") || t.id.ends_with(":indirect") {
        return None;
    }
    if let Some(reversed) = &t.reverses {
        return Some(Op::Reverse {
            transfer: reversed.clone(),
        });
    }
    // Account ids are `<fund>/<kind>/<name…>/<CUR>`: the name is what
    // lies between the kind and the currency.
    let name_in = |account: &str, kind: &str| -> Option<String> {
        let parts: Vec<&str> = account.split('/').collect();
        let at = parts.iter().position(|p| *p == kind)?;
        let rest = &parts[at + 1..];
        match kind {
            "receivable" => rest.first().map(|s| s.to_string()),
            _ => (rest.len() >= 2).then(|| rest[..rest.len() - 1].join("/")),
        }
    };
    let project_of = |account: &str| -> Option<String> {
        name_in(account, "project").or_else(|| name_in(account, "expenditure"))
    };
    Some(match (t.code.as_str(), &t.phase) {
        ("pledge", Phase::Pending) => Op::Pledge {
            donor: name_in(&t.credit, "donor")?,
            amount: t.amount,
            currency: t.currency,
        },
        ("commitment", Phase::Post(p)) => Op::Commit {
            pledge: p.clone(),
            amount: Some(t.amount),
        },
        ("pledge_void", Phase::Void(p)) => Op::Void { pledge: p.clone() },
        ("deposit", _) => Op::Deposit {
            commitment: name_in(&t.credit, "receivable")?,
            amount: t.amount,
        },
        ("interest", _) => Op::Interest {
            amount: t.amount,
            currency: t.currency,
        },
        ("allocation", _) => Op::Allocate {
            window: name_in(&t.debit, "window")?,
            amount: t.amount,
            currency: t.currency,
        },
        ("approval", _) => Op::Approve {
            window: name_in(&t.credit, "window")?,
            project: project_of(&t.debit)?,
            amount: t.amount,
            currency: t.currency,
        },
        ("disbursement", _) => Op::Disburse {
            project: project_of(&t.credit)?,
            org: name_in(&t.debit, "org")?,
            amount: t.amount,
            currency: t.currency,
        },
        ("expenditure", _) => Op::Expend {
            project: project_of(&t.debit)?,
            org: name_in(&t.credit, "org")?,
            amount: t.amount,
            currency: t.currency,
        },
        ("refund", _) => Op::Refund {
            org: name_in(&t.credit, "org")?,
            amount: t.amount,
            currency: t.currency,
        },
        _ => return None,
    })
}

/// A line of the fund's status table (MPTF Gateway's sources and uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// Pledged, not yet committed or voided.
    Pledged,
    Committed,
    Deposits,
    Interest,
    AgentFees,
    Transfers,
    IndirectCosts,
    Expenditure,
    Refunds,
    Allocated,
    Approved,
    /// In the base currency only: what converting a commitment at its
    /// date's rate and its deposits at theirs leaves once the commitment
    /// is settled in its own currency (booked so that nothing settled
    /// stays receivable in the base currency).
    ExchangeDifference,
}

impl Line {
    pub const ALL: [Line; 12] = [
        Line::Pledged,
        Line::Committed,
        Line::Deposits,
        Line::Interest,
        Line::AgentFees,
        Line::Transfers,
        Line::IndirectCosts,
        Line::Expenditure,
        Line::Refunds,
        Line::Allocated,
        Line::Approved,
        Line::ExchangeDifference,
    ];

    fn of_code(code: &str) -> Option<Line> {
        Some(match code {
            "commitment" => Line::Committed,
            "deposit" => Line::Deposits,
            "interest" => Line::Interest,
            "agent_fee" => Line::AgentFees,
            "disbursement" => Line::Transfers,
            "indirect_cost" => Line::IndirectCosts,
            "expenditure" => Line::Expenditure,
            "refund" => Line::Refunds,
            "allocation" => Line::Allocated,
            "approval" => Line::Approved,
            _ => return None,
        })
    }
}

/// What one written transfer adds to the status table (a reversal takes
/// away from its original's line). `pending_amount` is the amount of the
/// pledge a post or void resolves.
pub fn contributions(t: &Transfer, pending_amount: Option<i64>) -> Vec<(Line, i64)> {
    let sign = if t.reverses.is_some() { -1 } else { 1 };
    let mut out = Vec::new();
    match &t.phase {
        Phase::Pending if t.code == "pledge" => out.push((Line::Pledged, t.amount)),
        Phase::Post(_) | Phase::Void(_) => {
            if let Some(p) = pending_amount {
                out.push((Line::Pledged, -p));
            }
            if matches!(t.phase, Phase::Post(_)) {
                out.push((Line::Committed, t.amount));
            }
        }
        _ => {
            if let Some(l) = Line::of_code(&t.code) {
                out.push((l, sign * t.amount));
            }
        }
    }
    out
}

/// Sources and uses in one currency, and the balances they leave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub lines: std::collections::BTreeMap<Line, i64>,
}

impl Status {
    pub fn add(&mut self, line: Line, amount: i64) {
        *self.lines.entry(line).or_default() += amount;
    }

    pub fn get(&self, line: Line) -> i64 {
        self.lines.get(&line).copied().unwrap_or(0)
    }

    /// Sources: deposits, interest, refunds from organisations.
    pub fn sources(&self) -> i64 {
        self.get(Line::Deposits) + self.get(Line::Interest) + self.get(Line::Refunds)
    }

    /// Uses: transfers to organisations and the agent's fees.
    pub fn uses(&self) -> i64 {
        self.get(Line::Transfers) + self.get(Line::AgentFees)
    }

    /// Held by the administrative agent: sources less uses.
    pub fn with_agent(&self) -> i64 {
        self.sources() - self.uses()
    }

    /// Held by the organisations: what they received less their indirect
    /// costs, expenditure and refunds.
    pub fn with_organisations(&self) -> i64 {
        self.get(Line::Transfers)
            - self.get(Line::IndirectCosts)
            - self.get(Line::Expenditure)
            - self.get(Line::Refunds)
    }

    /// Committed, not yet deposited (in the base currency, less the
    /// exchange differences of settled commitments).
    pub fn receivable(&self) -> i64 {
        self.get(Line::Committed) - self.get(Line::Deposits) - self.get(Line::ExchangeDifference)
    }
}
