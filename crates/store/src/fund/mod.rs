//! The stabilisation fund's ledger in the database. Funds and projects are
//! records of the layer (`domain::fund`); the money is the pure engine's
//! (`coalesce-ledger`): a batch of operations is planned and checked by it
//! against the balances loaded in the writing transaction, then written all
//! or nothing — new accounts, the transfers (whose balances the database's
//! trigger keeps), the status table per audience set and one audit entry
//! per operation.
//!
//! Each transfer carries a marking like a record: a pledge's is given by
//! the donor (or is the fund's), and whatever follows from a pledge
//! (commitment, void, deposit, fee) or reverses a transfer takes the
//! marking of what it follows. Reads sum only what the reader may read.

mod overlay;
mod read;
mod write;

use crate::audience::set_key;
use crate::{Principal, Result, Store, StoreError};
use coalesce_domain::fund::Fund;
use coalesce_domain::{Marking, MemberCode};
use coalesce_ledger::fund::{Op, Terms};
use coalesce_ledger::ledger::check;
use coalesce_ledger::rates::{convert_at, convert_parts, RateTable};
use coalesce_ledger::{Account, Currency, LedgerError, Transfer, View};
use overlay::{Dims, Loaded, Readers, Round, Stored};
use std::collections::BTreeSet;

pub use read::{BreakdownBy, BreakdownRow, FundStatus, LedgerTransfer, StatusLine};

/// One operation of a batch, as the fund manager gives it.
#[derive(Debug, Clone)]
pub struct FundOperation {
    /// The transfer's id (1–64 letters, digits, `-`, `_`); made when absent.
    pub id: Option<String>,
    pub op: Op,
    /// YYYY-MM-DD: which exchange rate converts it.
    pub value_date: String,
    /// Who may read it; the fund's marking when absent. Ignored (the
    /// pledge's or the reversed transfer's is kept) for an operation that
    /// follows another.
    pub marking: Option<Marking>,
    /// The currency the caller named with an amount, checked against the
    /// transfer's (a deposit is in its pledge's currency).
    pub stated_currency: Option<Currency>,
}

/// Amounts in the fund's base currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Base {
    pub amount: i64,
    /// The rate (decimal text), its date and source; empty at par.
    pub rate: String,
    pub rate_date: String,
    pub source: String,
}

/// A transfer the batch writes, with what the store keeps beside it.
pub(crate) struct Planned {
    pub transfer: Transfer,
    pub dims: Dims,
    pub readers: Readers,
    pub base: Base,
    /// The amount (and base amount) of the pending transfer a post or void resolves.
    pub pending: Option<(i64, i64)>,
}

/// The fund as its operations need it.
pub(crate) struct FundContext {
    pub id: String,
    pub origin: MemberCode,
    pub fund: Fund,
    pub terms: Terms,
    pub readers: Readers,
    /// The codes of its live projects, when an operation names one.
    pub projects: BTreeSet<String>,
}

pub(crate) fn readers_of(marking: &Marking, origin: &MemberCode) -> Readers {
    let (key, tokens) = set_key(marking, origin);
    Readers {
        tlp: marking.tlp.as_str().to_string(),
        rel_to: crate::audience::rel_to_json(marking),
        key,
        tokens,
    }
}

fn ledger_err(i: usize, e: LedgerError) -> StoreError {
    StoreError::Ledger {
        operation: i,
        rule: e.rule(),
        message: e.to_string(),
    }
}

fn transfer_id(i: usize, given: &Option<String>) -> Result<String> {
    match given {
        None => Ok(crate::new_id_at(crate::now_ms())),
        Some(id) => {
            let ok = !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if ok {
                Ok(id.clone())
            } else {
                Err(ledger_err(
                    i,
                    LedgerError::Invalid(format!(
                        "transfer id {id:?} must be 1 to 64 letters, digits, '-' or '_'"
                    )),
                ))
            }
        }
    }
}

/// The ids an operation writes (its own and its linked ones) and names
/// (with what is linked to it, for a reversal).
fn ids_of(id: &str, op: &Op) -> Vec<String> {
    let mut out = vec![id.to_string()];
    match op {
        Op::Deposit { commitment, .. } => {
            out.extend([format!("{id}:fee"), commitment.clone()]);
        }
        Op::Disburse { .. } => out.push(format!("{id}:indirect")),
        Op::Commit { pledge, .. } | Op::Void { pledge } => out.push(pledge.clone()),
        Op::Reverse { transfer } => out.extend([
            format!("{id}:fee"),
            format!("{id}:indirect"),
            transfer.clone(),
            format!("{transfer}:fee"),
            format!("{transfer}:indirect"),
        ]),
        _ => {}
    }
    out
}

/// The accounts the batch will touch, found by running it once over what
/// is loaded with every account not loaded taken as empty (refusals
/// ignored: this only guesses what to load, so that the real rounds do not
/// miss).
fn guess_accounts(
    ctx: &FundContext,
    rates: &RateTable,
    loaded: &Loaded,
    ops: &[(String, FundOperation, Readers)],
) -> BTreeSet<String> {
    let mut round = Round::guessing(loaded);
    for (id, fo, given) in ops {
        let _ = plan_one(ctx, rates, &mut round, id, fo, given);
    }
    round.misses.into_inner().accounts
}

/// What a batch decided: the transfers and the accounts to open.
pub(crate) struct Decided {
    pub planned: Vec<Planned>,
    pub opened: Vec<Account>,
}

enum RoundOutcome {
    Missing(overlay::Misses),
    Refused(usize, LedgerError),
    Decided(Decided),
}

/// Runs the batch once over what is loaded (no IO).
fn run_round(
    ctx: &FundContext,
    rates: &RateTable,
    loaded: &Loaded,
    ops: &[(String, FundOperation, Readers)],
) -> RoundOutcome {
    let mut round = Round::new(loaded);
    let mut planned: Vec<Planned> = Vec::new();
    let mut refused: Option<(usize, LedgerError)> = None;
    for (i, (id, fo, given)) in ops.iter().enumerate() {
        let before = round.miss_count();
        let r = plan_one(ctx, rates, &mut round, id, fo, given);
        if round.miss_count() > before {
            continue;
        }
        match r {
            Ok(mut p) => planned.append(&mut p),
            Err(e) => {
                if refused.is_none() {
                    refused = Some((i, e));
                }
            }
        }
    }
    if round.miss_count() > 0 {
        return RoundOutcome::Missing(round.misses.into_inner());
    }
    if let Some((i, e)) = refused {
        return RoundOutcome::Refused(i, e);
    }
    let opened = round.opened().cloned().collect();
    RoundOutcome::Decided(Decided { planned, opened })
}

fn plan_one(
    ctx: &FundContext,
    rates: &RateTable,
    round: &mut Round<'_>,
    id: &str,
    fo: &FundOperation,
    given: &Readers,
) -> std::result::Result<Vec<Planned>, LedgerError> {
    check_names(ctx, &fo.op)?;
    let plan = ctx.terms.plan(&*round, id, &fo.op, &fo.value_date)?;
    for a in &plan.accounts {
        match round.is_absent(&a.id) {
            None => return Err(LedgerError::Invalid("not loaded".into())),
            Some(true) => round.open(a.clone()),
            Some(false) => {
                if round.account(&a.id).as_ref() != Some(a) {
                    return Err(LedgerError::AccountConflict(a.id.clone()));
                }
            }
        }
    }
    if let (Some(stated), Some(first)) = (fo.stated_currency, plan.group.first()) {
        if stated != first.currency {
            return Err(LedgerError::CurrencyMismatch {
                id: first.id.clone(),
                account: first.credit.clone(),
                account_currency: first.currency.to_string(),
                currency: stated.to_string(),
            });
        }
    }
    let fx = check(&*round, &plan.group)?;
    // What the operation follows, for its marking and whom it is about.
    let followed: Option<Stored> = match &fo.op {
        Op::Commit { pledge, .. } | Op::Void { pledge } => round.stored(pledge),
        Op::Deposit { commitment, .. } => round.stored(commitment),
        Op::Reverse { transfer } => round.stored(transfer),
        _ => None,
    };
    let readers = followed
        .as_ref()
        .map(|s| s.readers.clone())
        .unwrap_or_else(|| given.clone());
    let dims = match (&fo.op, &followed) {
        (_, Some(s)) => s.dims.clone(),
        (Op::Pledge { donor, .. }, _) => Dims {
            donor: donor.clone(),
            ..Dims::default()
        },
        (Op::Allocate { window, .. }, _) => Dims {
            window: window.clone(),
            ..Dims::default()
        },
        (
            Op::Approve {
                window, project, ..
            },
            _,
        ) => Dims {
            window: window.clone(),
            project: project.clone(),
            ..Dims::default()
        },
        (Op::Disburse { project, org, .. } | Op::Expend { project, org, .. }, _) => Dims {
            project: project.clone(),
            org: org.clone(),
            ..Dims::default()
        },
        (Op::Refund { org, .. }, _) => Dims {
            org: org.clone(),
            ..Dims::default()
        },
        _ => Dims::default(),
    };
    let bases = base_amounts(ctx, rates, round, &fx.transfers)?;
    let mut out = Vec::with_capacity(fx.transfers.len());
    for (t, base) in fx.transfers.iter().zip(bases) {
        let pending = t
            .phase
            .resolves()
            .and_then(|p| round.stored(p))
            .map(|s| (s.held.transfer.amount, s.base.amount));
        out.push(Planned {
            transfer: t.clone(),
            dims: dims.clone(),
            readers: readers.clone(),
            base,
            pending,
        });
    }
    let extra: Vec<(Dims, Readers, Base)> = out
        .iter()
        .map(|p| (p.dims.clone(), p.readers.clone(), p.base.clone()))
        .collect();
    round.write(&fx, &extra);
    Ok(out)
}

/// An allocation names a window of the fund, a project operation a live
/// project of it.
fn check_names(ctx: &FundContext, op: &Op) -> std::result::Result<(), LedgerError> {
    let window = match op {
        Op::Allocate { window, .. } | Op::Approve { window, .. } => Some(window),
        _ => None,
    };
    if let Some(w) = window {
        if !ctx.fund.windows.iter().any(|x| &x.code == w) {
            return Err(LedgerError::Invalid(format!(
                "the fund has no window {w:?} (its windows: {})",
                ctx.fund
                    .windows
                    .iter()
                    .map(|x| x.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let project = match op {
        Op::Approve { project, .. } | Op::Disburse { project, .. } | Op::Expend { project, .. } => {
            Some(project)
        }
        _ => None,
    };
    if let Some(p) = project {
        if !ctx.projects.contains(p) {
            return Err(LedgerError::Invalid(format!(
                "the fund has no live project {p:?}"
            )));
        }
    }
    Ok(())
}

/// The base amounts of a group: a reversal takes back exactly what its
/// original counted; otherwise the first transfer converts at the rate in
/// force on its value date and the linked ones (fee, indirect costs) are
/// parts of it, converted by largest remainder so they add up.
fn base_amounts(
    ctx: &FundContext,
    rates: &RateTable,
    round: &Round<'_>,
    group: &[Transfer],
) -> std::result::Result<Vec<Base>, LedgerError> {
    let Some(first) = group.first() else {
        return Ok(Vec::new());
    };
    if first.reverses.is_some() {
        return group
            .iter()
            .map(|t| {
                t.reverses
                    .as_deref()
                    .and_then(|r| round.stored(r))
                    .map(|s| s.base)
                    .ok_or_else(|| LedgerError::NoSuchTransfer {
                        id: t.id.clone(),
                        reversed: t.reverses.clone().unwrap_or_default(),
                    })
            })
            .collect();
    }
    if first.currency == ctx.terms.base {
        return Ok(group
            .iter()
            .map(|t| Base {
                amount: t.amount,
                rate: String::new(),
                rate_date: String::new(),
                source: String::new(),
            })
            .collect());
    }
    let r = rates.in_force(first.currency, ctx.terms.base, &first.value_date)?;
    let mut parts = vec![first.amount - group[1..].iter().map(|t| t.amount).sum::<i64>()];
    parts.extend(group[1..].iter().map(|t| t.amount));
    let (converted, total) = if group.len() == 1 {
        (vec![convert_at(first.amount, r)?], 0)
    } else {
        convert_parts(&parts, r)?
    };
    let amounts: Vec<i64> = if group.len() == 1 {
        converted
    } else {
        std::iter::once(total)
            .chain(converted[1..].iter().copied())
            .collect()
    };
    Ok(amounts
        .into_iter()
        .map(|amount| Base {
            amount,
            rate: r.value.to_string(),
            rate_date: r.date.clone(),
            source: r.source.to_string(),
        })
        .collect())
}

impl Store {
    /// Records a batch of a fund's operations, all or nothing: each is
    /// planned and checked by the ledger engine in order, after those
    /// before it; the first refused refuses the batch
    /// ([`StoreError::Ledger`] names it and the rule). `actor` `None` is
    /// the node itself (CLI, demo). Returns the transfers written.
    pub async fn fund_operations(
        &self,
        actor: Option<&Principal>,
        fund_id: &str,
        ops: &[FundOperation],
    ) -> Result<Vec<LedgerTransfer>> {
        if ops.is_empty() {
            return Ok(Vec::new());
        }
        let mut w = self.begin_write().await?;
        let ctx = write::fund_context(&mut w.tx, actor, fund_id, ops).await?;
        let mut prepared = Vec::with_capacity(ops.len());
        let mut markings = Vec::new();
        for (i, fo) in ops.iter().enumerate() {
            let id = transfer_id(i, &fo.id)?;
            let readers = match &fo.marking {
                Some(m) => {
                    markings.push(m);
                    readers_of(m, &ctx.origin)
                }
                None => ctx.readers.clone(),
            };
            prepared.push((id, fo.clone(), readers));
        }
        crate::audience::check_all_tokens(&mut w.tx, markings, &ctx.origin).await?;
        let rates = write::load_rates(&mut w.tx, ctx.terms.base).await?;
        let mut loaded = Loaded::default();
        let first: BTreeSet<String> = prepared
            .iter()
            .flat_map(|(id, fo, _)| ids_of(id, &fo.op))
            .collect();
        write::load_transfers(&mut w.tx, fund_id, &first, &mut loaded).await?;
        // The accounts the operations will touch, as far as planning each
        // alone tells, loaded at once: the rounds then rarely miss.
        let guessed = guess_accounts(&ctx, &rates, &loaded, &prepared);
        write::load_accounts(&mut w.tx, &guessed, &mut loaded).await?;
        let decided = loop {
            match run_round(&ctx, &rates, &loaded, &prepared) {
                RoundOutcome::Missing(m) => {
                    write::load_transfers(&mut w.tx, fund_id, &m.transfers, &mut loaded).await?;
                    write::load_accounts(&mut w.tx, &m.accounts, &mut loaded).await?;
                }
                RoundOutcome::Refused(i, e) => return Err(ledger_err(i, e)),
                RoundOutcome::Decided(d) => break d,
            }
        };
        let at = crate::now_ms();
        let written = write::write_decided(&mut w.tx, actor, &ctx, &prepared, &decided, at).await?;
        w.commit().await?;
        Ok(written)
    }

    /// Gives a user of the node the fund manager grant (the node itself
    /// acting: CLI). Audited.
    pub async fn grant_fund_manager(&self, username: &str, granted: bool) -> Result<()> {
        let mut w = self.begin_write().await?;
        let user: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *w.tx)
            .await?;
        let Some((user_id,)) = user else {
            return Err(StoreError::NotFound);
        };
        if granted {
            sqlx::query(
                "INSERT INTO user_grants (user_id, grant_name, granted_at) VALUES ($1, 'fund_manager', $2) ON CONFLICT (user_id, grant_name) DO NOTHING",
            )
            .bind(&user_id)
            .bind(crate::now_ms())
            .execute(&mut *w.tx)
            .await?;
        } else {
            sqlx::query(
                "DELETE FROM user_grants WHERE user_id = $1 AND grant_name = 'fund_manager'",
            )
            .bind(&user_id)
            .execute(&mut *w.tx)
            .await?;
        }
        crate::audit::append(
            &mut w.tx,
            None,
            if granted {
                "user.grant"
            } else {
                "user.revoke_grant"
            },
            &user_id,
            &serde_json::json!({ "grant": "fund_manager" }),
        )
        .await?;
        w.commit().await
    }

    /// Whether the user holds the fund manager grant.
    pub async fn is_fund_manager(&self, p: &Principal) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM user_grants WHERE user_id = $1 AND grant_name = 'fund_manager'",
        )
        .bind(&p.user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}

/// The fund's body and terms from its record.
pub(crate) fn terms_of(id: &str, fund: &Fund) -> Result<Terms> {
    Ok(Terms {
        id: id.to_string(),
        base: Currency::parse(&fund.base_currency)
            .map_err(|e| StoreError::Corrupt(format!("fund {id}: {e}")))?,
        fee_bp: fund.fee_bp,
        indirect_bp: fund.indirect_bp,
    })
}
