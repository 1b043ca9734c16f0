//! Loading what a batch is checked against, and writing what it decided.

use super::overlay::{Dims, Loaded, Readers, Stored};
use super::{Base, Decided, FundContext, FundOperation, LedgerTransfer, Planned};
use crate::audience::readable;
use crate::bulk::{insert_rows, insert_rows_then, Arg};
use crate::{ConflictCode, Principal, Result, StoreError};
use coalesce_domain::fund::Fund;
use coalesce_domain::MemberCode;
use coalesce_ledger::fund::{contributions, Op};
use coalesce_ledger::rates::{Decimal, Rate, RateSource, RateTable};
use coalesce_ledger::{Account, Balance, Currency, Held, Limit, Phase, Transfer};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// The ids of the JSON array bound at $1 as a row source `j` (column
/// `value`) joined, in that order, to what follows: each id is looked up
/// by index, however large the table (a plain `IN (…)` lets SQLite's
/// planner scan the table instead).
pub(crate) fn ids_then(conn: &AnyConnection) -> &'static str {
    if conn.backend_name() == "PostgreSQL" {
        "json_array_elements_text(CAST($1 AS JSON)) AS j(value) CROSS JOIN"
    } else {
        "json_each($1) AS j CROSS JOIN"
    }
}

pub(crate) use crate::bulk::json_array_values;

/// A text field of a JSON body column, per backend.
fn json_text(conn: &AnyConnection, col: &str, field: &str) -> String {
    if conn.backend_name() == "PostgreSQL" {
        format!("(CAST({col} AS JSON) ->> '{field}')")
    } else {
        format!("json_extract({col}, '$.{field}')")
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// The fund, checked readable by and managed by `actor`'s member (the
/// node itself when `None`), with the projects the operations name.
pub(super) async fn fund_context(
    conn: &mut AnyConnection,
    actor: Option<&Principal>,
    fund_id: &str,
    ops: &[FundOperation],
) -> Result<FundContext> {
    let row = sqlx::query(
        "SELECT origin, status, tlp, rel_to, body FROM records WHERE id = $1 AND kind = 'fund'",
    )
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    if let Some(p) = actor {
        let sql = format!(
            "SELECT COUNT(*) FROM records r WHERE r.id = $1 AND {}",
            readable("r.id", "$2")
        );
        let (n,): (i64,) = sqlx::query_as(&sql)
            .bind(fund_id)
            .bind(p.member.as_str())
            .fetch_one(&mut *conn)
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
    }
    let origin: String = row.try_get("origin")?;
    let origin = MemberCode::parse(&origin).map_err(|e| corrupt("fund origin", e))?;
    if let Some(p) = actor {
        let (granted,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM user_grants WHERE user_id = $1 AND grant_name = 'fund_manager'",
        )
        .bind(&p.user_id)
        .fetch_one(&mut *conn)
        .await?;
        if p.member != origin || granted == 0 {
            return Err(StoreError::Forbidden(format!(
                "a fund's operations are recorded by a fund manager of its member ({origin})"
            )));
        }
    }
    let status: String = row.try_get("status")?;
    if status != "live" {
        return Err(StoreError::conflict(
            ConflictCode::AlreadyWithdrawn,
            "the fund is withdrawn; its ledger takes no more operations",
        ));
    }
    let fund: Fund =
        serde_json::from_str(&row.try_get::<String, _>("body")?).map_err(|e| corrupt("fund", e))?;
    let marking = crate::audience::marking_from_columns(
        &row.try_get::<String, _>("tlp")?,
        &row.try_get::<String, _>("rel_to")?,
    )?;
    // The live projects of the fund among those the operations name.
    let named: BTreeSet<&str> = ops
        .iter()
        .filter_map(|o| match &o.op {
            Op::Approve { project, .. }
            | Op::Disburse { project, .. }
            | Op::Expend { project, .. } => Some(project.as_str()),
            _ => None,
        })
        .collect();
    let mut projects = BTreeSet::new();
    if !named.is_empty() {
        let code = json_text(conn, "r.body", "code");
        // The fund's projects once, each code checked against the list.
        let list = json_array_values(conn.backend_name() == "PostgreSQL");
        let sql = format!(
            "SELECT DISTINCT {code} FROM record_refs g JOIN records r ON r.id = g.record_id \
             WHERE g.target = 'fund' AND g.ref_id = $2 AND r.kind = 'fund_project' AND r.status = 'live' \
             AND {code} IN ({list})"
        );
        let found: Vec<(String,)> = sqlx::query_as(&sql)
            .bind(serde_json::to_string(&named).unwrap_or_default())
            .bind(fund_id)
            .fetch_all(&mut *conn)
            .await?;
        projects.extend(found.into_iter().map(|(c,)| c));
    }
    Ok(FundContext {
        id: fund_id.to_string(),
        terms: super::terms_of(fund_id, &fund)?,
        readers: super::readers_of(&marking, &origin),
        origin,
        fund,
        projects,
    })
}

/// Every rate into the base currency.
pub(super) async fn load_rates(conn: &mut AnyConnection, base: Currency) -> Result<RateTable> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT from_currency, to_currency, effective, rate, source FROM ledger_rates WHERE to_currency = $1",
    )
    .bind(base.code())
    .fetch_all(&mut *conn)
    .await?;
    let mut table = RateTable::default();
    for r in rows {
        table
            .add(rate_of(r)?)
            .map_err(|e| corrupt("exchange rate", e))?;
    }
    Ok(table)
}

pub(crate) fn rate_of(
    (from, to, date, value, source): (String, String, String, String, String),
) -> Result<Rate> {
    Ok(Rate {
        from: Currency::parse(&from).map_err(|e| corrupt("rate", e))?,
        to: Currency::parse(&to).map_err(|e| corrupt("rate", e))?,
        date,
        value: Decimal::parse(&value).map_err(|e| corrupt("rate", e))?,
        source: RateSource::parse(&source).map_err(|e| corrupt("rate", e))?,
    })
}

pub(crate) const TRANSFER_COLUMNS: &str = "t.seq, t.id, t.fund_id, t.debit, t.credit, t.amount, t.currency, t.phase, t.resolves, t.reverses, t.code, t.value_date, \
     t.base_amount, t.rate, t.rate_date, t.rate_source, t.donor, t.window_code, t.project, t.org, t.origin, t.tlp, t.rel_to, t.audience_key, t.recorded_at, t.recorded_by";

pub(crate) fn transfer_of(row: &sqlx::any::AnyRow) -> Result<(Transfer, Dims, Readers, Base)> {
    let phase: String = row.try_get("phase")?;
    let resolves: Option<String> = row.try_get("resolves")?;
    let phase = match (phase.as_str(), resolves) {
        ("single", None) => Phase::Single,
        ("pending", None) => Phase::Pending,
        ("post", Some(p)) => Phase::Post(p),
        ("void", Some(p)) => Phase::Void(p),
        (other, _) => return Err(corrupt("transfer phase", other)),
    };
    let currency: String = row.try_get("currency")?;
    Ok((
        Transfer {
            id: row.try_get("id")?,
            debit: row.try_get("debit")?,
            credit: row.try_get("credit")?,
            amount: row.try_get("amount")?,
            currency: Currency::parse(&currency).map_err(|e| corrupt("transfer", e))?,
            phase,
            reverses: row.try_get("reverses")?,
            code: row.try_get("code")?,
            value_date: row.try_get("value_date")?,
        },
        Dims {
            donor: row.try_get("donor")?,
            window: row.try_get("window_code")?,
            project: row.try_get("project")?,
            org: row.try_get("org")?,
        },
        Readers {
            tlp: row.try_get("tlp")?,
            rel_to: row.try_get("rel_to")?,
            key: row.try_get("audience_key")?,
            tokens: Vec::new(),
        },
        Base {
            amount: row.try_get("base_amount")?,
            rate: row.try_get("rate")?,
            rate_date: row.try_get("rate_date")?,
            source: row.try_get("rate_source")?,
        },
    ))
}

/// Loads the transfers of the fund with these ids (and their accounts);
/// ids not held (or of another fund) are remembered as absent.
pub(super) async fn load_transfers(
    conn: &mut AnyConnection,
    fund_id: &str,
    ids: &BTreeSet<String>,
    loaded: &mut Loaded,
) -> Result<()> {
    let wanted: Vec<&String> = ids
        .iter()
        .filter(|id| !loaded.transfers.contains_key(*id))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT {TRANSFER_COLUMNS}, \
         (SELECT COUNT(*) FROM ledger_transfers x WHERE x.resolves = t.id) AS resolved, \
         (SELECT COUNT(*) FROM ledger_transfers x WHERE x.reverses = t.id) AS reversed \
         FROM {} ledger_transfers t WHERE t.id = j.value AND t.fund_id = $2",
        ids_then(conn)
    );
    let rows = sqlx::query(&sql)
        .bind(serde_json::to_string(&wanted).unwrap_or_default())
        .bind(fund_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut accounts = BTreeSet::new();
    for row in &rows {
        let (transfer, dims, readers, base) = transfer_of(row)?;
        let resolved: i64 = row.try_get("resolved")?;
        let reversed: i64 = row.try_get("reversed")?;
        accounts.insert(transfer.debit.clone());
        accounts.insert(transfer.credit.clone());
        loaded.transfers.insert(
            transfer.id.clone(),
            Some(Stored {
                held: Held {
                    transfer,
                    resolved: resolved > 0,
                    reversed: reversed > 0,
                },
                dims,
                readers,
                base,
            }),
        );
    }
    for id in wanted {
        loaded.transfers.entry(id.clone()).or_insert(None);
    }
    load_accounts(conn, &accounts, loaded).await
}

/// Loads these accounts with their balances; ids not held are remembered
/// as absent.
pub(super) async fn load_accounts(
    conn: &mut AnyConnection,
    ids: &BTreeSet<String>,
    loaded: &mut Loaded,
) -> Result<()> {
    let wanted: Vec<&String> = ids
        .iter()
        .filter(|id| !loaded.accounts.contains_key(*id))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT a.id, a.currency, a.lim, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending \
         FROM {} ledger_accounts a WHERE a.id = j.value",
        ids_then(conn)
    );
    let rows = sqlx::query(&sql)
        .bind(serde_json::to_string(&wanted).unwrap_or_default())
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let (a, b) = account_of(row)?;
        loaded.accounts.insert(a.id.clone(), Some((a, b)));
    }
    for id in wanted {
        loaded.accounts.entry(id.clone()).or_insert(None);
    }
    Ok(())
}

pub(crate) fn account_of(row: &sqlx::any::AnyRow) -> Result<(Account, Balance)> {
    let currency: String = row.try_get("currency")?;
    let lim: String = row.try_get("lim")?;
    Ok((
        Account {
            id: row.try_get("id")?,
            currency: Currency::parse(&currency).map_err(|e| corrupt("account", e))?,
            limit: Limit::parse(&lim).map_err(|e| corrupt("account", e))?,
        },
        Balance {
            debits_posted: row.try_get("debits_posted")?,
            credits_posted: row.try_get("credits_posted")?,
            debits_pending: row.try_get("debits_pending")?,
            credits_pending: row.try_get("credits_pending")?,
        },
    ))
}

/// What one written transfer adds to the status table, in its currency
/// and in the base currency.
pub(crate) fn lines_of(
    t: &Transfer,
    base_amount: i64,
    pending: Option<(i64, i64)>,
) -> Vec<(coalesce_ledger::fund::Line, i64, i64)> {
    let own = contributions(t, pending.map(|p| p.0));
    let mut in_base = t.clone();
    in_base.amount = base_amount;
    let base = contributions(&in_base, pending.map(|p| p.1));
    own.into_iter()
        .zip(base)
        .map(|((line, a), (_, b))| (line, a, b))
        .collect()
}

pub(crate) fn line_name(l: coalesce_ledger::fund::Line) -> String {
    serde_json::to_value(l)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn year_of(date: &str) -> i64 {
    date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
}

/// Writes a decided batch: accounts, audience sets, transfers (the
/// trigger moves the balances), the status table, the audit entries.
pub(super) async fn write_decided(
    conn: &mut AnyConnection,
    actor: Option<&Principal>,
    ctx: &FundContext,
    prepared: &[(String, FundOperation, Readers)],
    decided: &Decided,
    at: i64,
) -> Result<Vec<LedgerTransfer>> {
    let accounts: Vec<Vec<Arg>> = decided
        .opened
        .iter()
        .map(|a| {
            vec![
                Arg::Text(a.id.clone()),
                Arg::Text(ctx.id.clone()),
                Arg::Text(a.currency.code().to_string()),
                Arg::Text(a.limit.as_str().to_string()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "ledger_accounts (id, fund_id, currency, lim)",
        &accounts,
    )
    .await?;

    let mut sets: BTreeMap<&str, &[String]> = BTreeMap::new();
    for p in &decided.planned {
        if !p.readers.tokens.is_empty() {
            sets.insert(&p.readers.key, &p.readers.tokens);
        }
    }
    let tokens: Vec<Vec<Arg>> = sets
        .iter()
        .flat_map(|(k, ts)| {
            ts.iter()
                .map(move |t| vec![Arg::Text((*k).to_string()), Arg::Text(t.clone())])
        })
        .collect();
    insert_rows_then(
        conn,
        "audience_sets (set_key, token)",
        &tokens,
        "ON CONFLICT (set_key, token) DO NOTHING",
    )
    .await?;

    let by = actor
        .map(|p| p.username.as_str().to_string())
        .unwrap_or_else(|| crate::SYSTEM_ACTOR.to_string());
    // Each transfer's place in the node's ledger, given here: the write
    // lock is held, so nothing else takes a number meanwhile.
    let (last,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM ledger_transfers")
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<Vec<Arg>> = decided
        .planned
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let t = &p.transfer;
            vec![
                Arg::Int(last + 1 + k as i64),
                Arg::Text(t.id.clone()),
                Arg::Text(ctx.id.clone()),
                Arg::Text(t.debit.clone()),
                Arg::Text(t.credit.clone()),
                Arg::Int(t.amount),
                Arg::Text(t.currency.code().to_string()),
                Arg::Text(t.phase.name().to_string()),
                Arg::MaybeText(t.phase.resolves().map(str::to_string)),
                Arg::MaybeText(t.reverses.clone()),
                Arg::Text(t.code.clone()),
                Arg::Text(t.value_date.clone()),
                Arg::Int(p.base.amount),
                Arg::Text(p.base.rate.clone()),
                Arg::Text(p.base.rate_date.clone()),
                Arg::Text(p.base.source.clone()),
                Arg::Text(p.dims.donor.clone()),
                Arg::Text(p.dims.window.clone()),
                Arg::Text(p.dims.project.clone()),
                Arg::Text(p.dims.org.clone()),
                Arg::Text(ctx.origin.to_string()),
                Arg::Text(p.readers.tlp.clone()),
                Arg::Text(p.readers.rel_to.clone()),
                Arg::Text(p.readers.key.clone()),
                Arg::Int(at),
                Arg::Text(by.clone()),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "ledger_transfers (seq, id, fund_id, debit, credit, amount, currency, phase, resolves, reverses, code, value_date, \
         base_amount, rate, rate_date, rate_source, donor, window_code, project, org, origin, tlp, rel_to, audience_key, recorded_at, recorded_by)",
        &rows,
    )
    .await?;

    let settled = book_exchange_differences(conn, decided).await?;
    add_to_status(conn, &ctx.id, decided.planned.iter(), &settled).await?;

    let entries: Vec<(String, String, serde_json::Value)> = prepared
        .iter()
        .map(|(id, fo, _)| {
            (
                format!("fund.{}", op_name(&fo.op)),
                id.clone(),
                serde_json::json!({ "fund": ctx.id }),
            )
        })
        .collect();
    crate::audit::append_many(conn, actor, &entries).await?;

    decided
        .planned
        .iter()
        .enumerate()
        .map(|(k, p)| LedgerTransfer::of(last + 1 + k as i64, ctx, p, at, &by))
        .collect()
}

/// What booking an exchange difference adds to the status table: the
/// base-currency amount under the pledge's audience, currency and donor,
/// in the year of the transfer that settled it.
pub(crate) struct Booked {
    pub readers: Readers,
    pub currency: String,
    pub year: i64,
    pub dims: Dims,
    pub base: i64,
}

/// Books, for each commitment's receivable the batch touched, the
/// exchange difference its settlement leaves in the base currency: when
/// the receivable is settled in its own currency (nothing owed), what its
/// base-currency balance still holds (the commitment converted at its
/// date's rate, the deposits at theirs); otherwise nothing. What was
/// booked before is taken back first, so a reversed deposit reopens it.
async fn book_exchange_differences(
    conn: &mut AnyConnection,
    decided: &Decided,
) -> Result<Vec<Booked>> {
    let mut last: BTreeMap<&str, &Planned> = BTreeMap::new();
    for p in &decided.planned {
        for acc in [&p.transfer.debit, &p.transfer.credit] {
            if acc.contains("/receivable/") {
                last.insert(acc.as_str(), p);
            }
        }
    }
    if last.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = last.keys().copied().collect();
    let sql = format!(
        "SELECT a.id, a.debits_posted - a.credits_posted, a.base_net, a.fx_booked, a.currency \
         FROM {} ledger_accounts a WHERE a.id = j.value",
        ids_then(conn)
    );
    let rows: Vec<(String, i64, i64, i64, String)> = sqlx::query_as(&sql)
        .bind(serde_json::to_string(&ids).unwrap_or_default())
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    let mut updates: Vec<(String, i64)> = Vec::new();
    for (id, owed, base_net, booked, currency) in rows {
        let target = if owed == 0 { base_net } else { 0 };
        if target == booked {
            continue;
        }
        updates.push((id.clone(), target));
        if let Some(p) = last.get(id.as_str()) {
            out.push(Booked {
                readers: p.readers.clone(),
                currency,
                year: year_of(&p.transfer.value_date),
                dims: p.dims.clone(),
                base: target - booked,
            });
        }
    }
    if !updates.is_empty() {
        // One statement for all of them.
        let sql = if conn.backend_name() == "PostgreSQL" {
            "UPDATE ledger_accounts a SET fx_booked = CAST(j.e ->> 1 AS BIGINT) \
             FROM json_array_elements(CAST($1 AS JSON)) AS j(e) WHERE a.id = j.e ->> 0"
        } else {
            "UPDATE ledger_accounts SET fx_booked = json_extract(j.value, '$[1]') \
             FROM json_each($1) AS j WHERE ledger_accounts.id = json_extract(j.value, '$[0]')"
        };
        sqlx::query(sql)
            .bind(serde_json::to_string(&updates).unwrap_or_default())
            .execute(&mut *conn)
            .await?;
    }
    Ok(out)
}

/// Adds the planned transfers' contributions, and the exchange
/// differences booked, to the kept status table (totals and breakdown),
/// one upsert each.
pub(crate) async fn add_to_status<'a>(
    conn: &mut AnyConnection,
    fund_id: &str,
    planned: impl Iterator<Item = &'a Planned>,
    booked: &[Booked],
) -> Result<()> {
    type TotalKey = (String, String, String);
    type BreakKey = (String, String, String, i64, Dims);
    let mut totals: BTreeMap<TotalKey, (i64, i64, i64)> = BTreeMap::new();
    let mut breakdown: BTreeMap<BreakKey, (i64, i64)> = BTreeMap::new();
    for p in planned {
        let t = &p.transfer;
        for (line, amount, base) in lines_of(t, p.base.amount, p.pending) {
            let line = line_name(line);
            let e = totals
                .entry((
                    p.readers.key.clone(),
                    t.currency.code().to_string(),
                    line.clone(),
                ))
                .or_default();
            e.0 += amount;
            e.1 += base;
            e.2 += 1;
            let b = breakdown
                .entry((
                    p.readers.key.clone(),
                    t.currency.code().to_string(),
                    line,
                    year_of(&t.value_date),
                    p.dims.clone(),
                ))
                .or_default();
            b.0 += amount;
            b.1 += base;
        }
    }
    let fx = line_name(coalesce_ledger::fund::Line::ExchangeDifference);
    for b in booked {
        let e = totals
            .entry((b.readers.key.clone(), b.currency.clone(), fx.clone()))
            .or_default();
        e.1 += b.base;
        e.2 += 1;
        let e = breakdown
            .entry((
                b.readers.key.clone(),
                b.currency.clone(),
                fx.clone(),
                b.year,
                b.dims.clone(),
            ))
            .or_default();
        e.1 += b.base;
    }
    let rows: Vec<Vec<Arg>> = totals
        .into_iter()
        .map(|((key, cur, line), (a, b, n))| {
            vec![
                Arg::Text(fund_id.to_string()),
                Arg::Text(key),
                Arg::Text(cur),
                Arg::Text(line),
                Arg::Int(a),
                Arg::Int(b),
                Arg::Int(n),
            ]
        })
        .collect();
    insert_rows_then(
        conn,
        "ledger_totals (fund_id, audience_key, currency, line, amount, base_amount, transfers)",
        &rows,
        "ON CONFLICT (fund_id, audience_key, currency, line) DO UPDATE SET \
         amount = ledger_totals.amount + excluded.amount, \
         base_amount = ledger_totals.base_amount + excluded.base_amount, \
         transfers = ledger_totals.transfers + excluded.transfers",
    )
    .await?;
    // One row per dimension: the year, and the donor, window, project and
    // organisation a contribution names.
    type DimKey = (&'static str, String, String, String, String);
    let mut per_dimension: BTreeMap<DimKey, (i64, i64)> = BTreeMap::new();
    for ((key, cur, line, year, d), (a, b)) in breakdown {
        for (dimension, item) in [
            ("year", year.to_string()),
            ("donor", d.donor),
            ("window", d.window),
            ("project", d.project),
            ("organisation", d.org),
        ] {
            if item.is_empty() {
                continue;
            }
            let e = per_dimension
                .entry((dimension, key.clone(), item, cur.clone(), line.clone()))
                .or_default();
            e.0 += a;
            e.1 += b;
        }
    }
    let rows: Vec<Vec<Arg>> = per_dimension
        .into_iter()
        .map(|((dimension, key, item, cur, line), (a, b))| {
            vec![
                Arg::Text(fund_id.to_string()),
                Arg::Text(dimension.to_string()),
                Arg::Text(key),
                Arg::Text(item),
                Arg::Text(cur),
                Arg::Text(line),
                Arg::Int(a),
                Arg::Int(b),
            ]
        })
        .collect();
    insert_rows_then(
        conn,
        "ledger_breakdown_by (fund_id, dimension, audience_key, item, currency, line, amount, base_amount)",
        &rows,
        "ON CONFLICT (fund_id, dimension, audience_key, item, currency, line) DO UPDATE SET \
         amount = ledger_breakdown_by.amount + excluded.amount, \
         base_amount = ledger_breakdown_by.base_amount + excluded.base_amount",
    )
    .await
}

pub(crate) fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Pledge { .. } => "pledge",
        Op::Commit { .. } => "commit",
        Op::Void { .. } => "void",
        Op::Deposit { .. } => "deposit",
        Op::Interest { .. } => "interest",
        Op::Allocate { .. } => "allocate",
        Op::Approve { .. } => "approve",
        Op::Disburse { .. } => "disburse",
        Op::Expend { .. } => "expend",
        Op::Refund { .. } => "refund",
        Op::Reverse { .. } => "reverse",
    }
}
