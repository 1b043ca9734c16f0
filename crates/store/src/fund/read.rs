//! Reading a fund's ledger: the status table and its breakdowns summed
//! over the audience sets the reader may read (and whether some are not),
//! the transfers the reader may read, exchange rates, and `verify`.

use super::overlay::Dims;
use super::write::{
    account_of, json_array_values, line_name, lines_of, rate_of, transfer_of, TRANSFER_COLUMNS,
};
use super::{FundContext, Planned};
use crate::audience::{marking_from_columns, readable_set};
use crate::{Principal, Result, Store, StoreError};
use coalesce_domain::fund::{Fund, FundKind};
use coalesce_domain::Marking;
use coalesce_ledger::fund::{Line, Status};
use coalesce_ledger::ledger::Verifier;
use coalesce_ledger::rates::{Rate, RateTable};
use coalesce_ledger::{Account, Balance, Phase, Transfer};
use sqlx::Row;

/// Transfers read per query by `fund_verify`.
const VERIFY_PAGE: i64 = 20_000;
use serde::Serialize;
use std::collections::BTreeMap;

/// A transfer as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerTransfer {
    /// Its place in the node's ledger (the list's cursor).
    pub seq: i64,
    pub id: String,
    pub fund_id: String,
    pub debit: String,
    pub credit: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    /// single | pending | post | void
    pub phase: String,
    pub resolves: Option<String>,
    pub reverses: Option<String>,
    /// What it is in the fund: pledge, commitment, deposit, agent_fee …
    pub code: String,
    pub value_date: String,
    /// Minor units of the fund's base currency.
    pub base_amount: i64,
    /// The rate that converted it (None at par), its date and source.
    pub rate: Option<String>,
    pub rate_date: Option<String>,
    pub rate_source: Option<String>,
    pub donor: Option<String>,
    pub window: Option<String>,
    pub project: Option<String>,
    pub organisation: Option<String>,
    pub origin: String,
    pub marking: Marking,
    pub recorded_at_ms: i64,
    pub recorded_by: String,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl LedgerTransfer {
    pub(super) fn of(
        seq: i64,
        ctx: &FundContext,
        p: &Planned,
        at: i64,
        by: &str,
    ) -> Result<LedgerTransfer> {
        Ok(Self::build(
            seq,
            &ctx.id,
            &p.transfer,
            &p.dims,
            marking_from_columns(&p.readers.tlp, &p.readers.rel_to)?,
            &p.base,
            ctx.origin.as_str(),
            at,
            by,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        seq: i64,
        fund_id: &str,
        t: &Transfer,
        d: &Dims,
        marking: Marking,
        base: &super::Base,
        origin: &str,
        at: i64,
        by: &str,
    ) -> LedgerTransfer {
        LedgerTransfer {
            seq,
            id: t.id.clone(),
            fund_id: fund_id.to_string(),
            debit: t.debit.clone(),
            credit: t.credit.clone(),
            amount: t.amount,
            currency: t.currency.code().to_string(),
            phase: t.phase.name().to_string(),
            resolves: t.phase.resolves().map(str::to_string),
            reverses: t.reverses.clone(),
            code: t.code.clone(),
            value_date: t.value_date.clone(),
            base_amount: base.amount,
            rate: some(&base.rate),
            rate_date: some(&base.rate_date),
            rate_source: some(&base.source),
            donor: some(&d.donor),
            window: some(&d.window),
            project: some(&d.project),
            organisation: some(&d.org),
            origin: origin.to_string(),
            marking,
            recorded_at_ms: at,
            recorded_by: by.to_string(),
        }
    }

    fn from_row(row: &sqlx::any::AnyRow) -> Result<LedgerTransfer> {
        use sqlx::Row;
        let (t, d, r, base) = transfer_of(row)?;
        Ok(Self::build(
            row.try_get("seq")?,
            &row.try_get::<String, _>("fund_id")?,
            &t,
            &d,
            marking_from_columns(&r.tlp, &r.rel_to)?,
            &base,
            &row.try_get::<String, _>("origin")?,
            row.try_get("recorded_at")?,
            &row.try_get::<String, _>("recorded_by")?,
        ))
    }
}

/// One line of the status table in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusLine {
    pub line: Line,
    pub currency: String,
    pub amount: i64,
    pub base_amount: i64,
}

/// The fund's status table as its reader may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundStatus {
    pub fund_id: String,
    pub base_currency: String,
    /// Per currency, in that currency.
    pub by_currency: BTreeMap<String, Status>,
    /// Every currency converted to the base currency (each transfer at
    /// the rate of its value date).
    pub base: Status,
    /// Some of the fund's transfers are not releasable to the reader: the
    /// totals are those of the transfers it may read.
    pub partial: bool,
}

/// One row of a breakdown (per donor, window, project, organisation or year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreakdownRow {
    pub key: String,
    pub currency: String,
    pub line: Line,
    pub amount: i64,
    pub base_amount: i64,
}

fn parse_line(s: &str) -> Result<Line> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| StoreError::Corrupt(format!("status line {s}: {e}")))
}

/// What a breakdown groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakdownBy {
    Donor,
    Window,
    Project,
    Organisation,
    Year,
}

impl BreakdownBy {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "donor" => Self::Donor,
            "window" => Self::Window,
            "project" => Self::Project,
            "organisation" => Self::Organisation,
            "year" => Self::Year,
            _ => return None,
        })
    }
    /// Its name in `ledger_breakdown_by.dimension`.
    fn dimension(self) -> &'static str {
        match self {
            Self::Donor => "donor",
            Self::Window => "window",
            Self::Project => "project",
            Self::Organisation => "organisation",
            Self::Year => "year",
        }
    }
}

impl Store {
    /// The audience sets of the fund's transfers that `p` may read, and
    /// whether there are others.
    async fn readable_keys(&self, p: &Principal, fund_id: &str) -> Result<(Vec<String>, bool)> {
        let sql = format!(
            "SELECT DISTINCT t.audience_key, CASE WHEN {} THEN 1 ELSE 0 END FROM ledger_totals t WHERE t.fund_id = $1",
            readable_set("t.audience_key", "$2")
        );
        let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
            .bind(fund_id)
            .bind(p.member.as_str())
            .fetch_all(&self.pool)
            .await?;
        let partial = rows.iter().any(|(_, r)| *r == 0);
        Ok((
            rows.into_iter()
                .filter(|(_, r)| *r == 1)
                .map(|(k, _)| k)
                .collect(),
            partial,
        ))
    }

    /// The fund's status table over what `p` may read (`NotFound` when it
    /// may not read the fund).
    pub async fn fund_status(&self, p: &Principal, fund_id: &str) -> Result<FundStatus> {
        let fund = self.get_record::<FundKind>(p, fund_id).await?;
        let (keys, partial) = self.readable_keys(p, fund_id).await?;
        self.status_over(fund_id, &fund.body.base_currency, &keys, partial)
            .await
    }

    /// The fund's whole status table, as the node itself reads it (CLI).
    pub async fn fund_status_of_node(&self, fund_id: &str) -> Result<(Fund, FundStatus)> {
        let (_, fund) = self
            .funds_of_node()
            .await?
            .into_iter()
            .find(|(id, _)| id == fund_id)
            .ok_or(StoreError::NotFound)?;
        let keys: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT audience_key FROM ledger_totals WHERE fund_id = $1")
                .bind(fund_id)
                .fetch_all(&self.pool)
                .await?;
        let keys: Vec<String> = keys.into_iter().map(|(k,)| k).collect();
        let status = self
            .status_over(fund_id, &fund.base_currency, &keys, false)
            .await?;
        Ok((fund, status))
    }

    /// The live funds held here (id, body), as the node itself reads them.
    pub async fn funds_of_node(&self) -> Result<Vec<(String, Fund)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, body FROM records WHERE kind = 'fund' AND status = 'live' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, body)| {
                let f: Fund = serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("fund {id}: {e}")))?;
                Ok((id, f))
            })
            .collect()
    }

    async fn status_over(
        &self,
        fund_id: &str,
        base_currency: &str,
        keys: &[String],
        partial: bool,
    ) -> Result<FundStatus> {
        let sql = format!(
            "SELECT t.currency, t.line, CAST(SUM(t.amount) AS BIGINT), CAST(SUM(t.base_amount) AS BIGINT) FROM ledger_totals t \
             WHERE {} AND t.fund_id = $2 GROUP BY t.currency, t.line",
            in_json_ids_pool(self, "t.audience_key")
        );
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&sql)
            .bind(serde_json::to_string(&keys).unwrap_or_default())
            .bind(fund_id)
            .fetch_all(&self.pool)
            .await?;
        let mut by_currency: BTreeMap<String, Status> = BTreeMap::new();
        let mut base = Status::default();
        for (currency, line, amount, base_amount) in rows {
            let line = parse_line(&line)?;
            by_currency.entry(currency).or_default().add(line, amount);
            base.add(line, base_amount);
        }
        Ok(FundStatus {
            fund_id: fund_id.to_string(),
            base_currency: base_currency.to_string(),
            by_currency,
            base,
            partial,
        })
    }

    /// The status lines per donor, window, project, organisation or year,
    /// over what `p` may read; and whether some transfers are not readable.
    pub async fn fund_breakdown(
        &self,
        p: &Principal,
        fund_id: &str,
        by: BreakdownBy,
    ) -> Result<(Vec<BreakdownRow>, bool)> {
        self.get_record::<FundKind>(p, fund_id).await?;
        let (keys, partial) = self.readable_keys(p, fund_id).await?;
        let sql = format!(
            "SELECT b.item, b.currency, b.line, CAST(SUM(b.amount) AS BIGINT), CAST(SUM(b.base_amount) AS BIGINT) \
             FROM ledger_breakdown_by b WHERE {} AND b.fund_id = $2 AND b.dimension = $3 \
             GROUP BY b.item, b.currency, b.line ORDER BY 1, 2, 3",
            in_json_ids_pool(self, "b.audience_key")
        );
        let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(&sql)
            .bind(serde_json::to_string(&keys).unwrap_or_default())
            .bind(fund_id)
            .bind(by.dimension())
            .fetch_all(&self.pool)
            .await?;
        let rows = rows
            .into_iter()
            .filter(|r| r.3 != 0 || r.4 != 0)
            .map(|(key, currency, line, amount, base_amount)| {
                Ok(BreakdownRow {
                    key,
                    currency,
                    line: parse_line(&line)?,
                    amount,
                    base_amount,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, partial))
    }

    /// The fund's transfers `p` may read, oldest first, after `after`
    /// (a transfer's `seq`), at most `limit`.
    pub async fn fund_transfers(
        &self,
        p: &Principal,
        fund_id: &str,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<LedgerTransfer>> {
        self.get_record::<FundKind>(p, fund_id).await?;
        self.readable_transfers_after(p, fund_id, after, limit)
            .await
    }

    /// A page of the fund's transfers `p` may read, the fund's own
    /// readability checked by the caller (once, not per page: an AMBER
    /// fund's read is audited).
    async fn readable_transfers_after(
        &self,
        p: &Principal,
        fund_id: &str,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<LedgerTransfer>> {
        let sql = format!(
            "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers t WHERE t.fund_id = $1 AND t.seq > $2 AND {} \
             ORDER BY t.seq LIMIT $3",
            readable_set("t.audience_key", "$4")
        );
        let rows = sqlx::query(&sql)
            .bind(fund_id)
            .bind(after.unwrap_or(0))
            .bind(limit.clamp(1, 1_000))
            .bind(p.member.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(LedgerTransfer::from_row).collect()
    }

    /// Every transfer of the fund `p` may read, oldest first (exports).
    pub async fn fund_transfers_all(
        &self,
        p: &Principal,
        fund_id: &str,
    ) -> Result<Vec<LedgerTransfer>> {
        self.get_record::<FundKind>(p, fund_id).await?;
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .readable_transfers_after(p, fund_id, after, 1_000)
                .await?;
            let full = page.len() == 1_000;
            after = page.last().map(|t| t.seq);
            out.extend(page);
            if !full {
                return Ok(out);
            }
        }
    }

    /// The latest `n` transfers of the fund `p` may read, newest first.
    pub async fn fund_transfers_latest(
        &self,
        p: &Principal,
        fund_id: &str,
        n: i64,
    ) -> Result<Vec<LedgerTransfer>> {
        self.get_record::<FundKind>(p, fund_id).await?;
        let sql = format!(
            "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers t WHERE t.fund_id = $1 AND {} \
             ORDER BY t.seq DESC LIMIT $2",
            readable_set("t.audience_key", "$3")
        );
        let rows = sqlx::query(&sql)
            .bind(fund_id)
            .bind(n.clamp(1, 1_000))
            .bind(p.member.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(LedgerTransfer::from_row).collect()
    }

    /// Exchange rates into `to` (or all), oldest first.
    pub async fn list_rates(&self, to: Option<&str>) -> Result<Vec<Rate>> {
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT from_currency, to_currency, effective, rate, source FROM ledger_rates \
             WHERE $1 = '' OR to_currency = $1 ORDER BY from_currency, to_currency, effective",
        )
        .bind(to.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(rate_of).collect()
    }

    /// Adds exchange rates, all or nothing: the same rate again changes
    /// nothing; another value for a pair and date held already refuses the
    /// batch (`StoreError::Rows` names each such line). `actor` `None` is
    /// the node itself. Returns how many were new.
    pub async fn import_rates(
        &self,
        actor: Option<&Principal>,
        rates: &[(u64, Rate)],
    ) -> Result<usize> {
        let mut w = self.begin_write().await?;
        let held: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT from_currency, to_currency, effective, rate, source FROM ledger_rates",
        )
        .fetch_all(&mut *w.tx)
        .await?;
        let mut table = RateTable::default();
        for r in held {
            table
                .add(rate_of(r)?)
                .map_err(|e| StoreError::Corrupt(format!("exchange rate: {e}")))?;
        }
        let mut bad = Vec::new();
        let mut new = Vec::new();
        for (line, r) in rates {
            let before = table.iter().count();
            match table.add(r.clone()) {
                Ok(()) if table.iter().count() > before => new.push(r),
                Ok(()) => {}
                Err(e) => bad.push((*line, e.to_string())),
            }
        }
        if !bad.is_empty() {
            return Err(StoreError::Rows(bad));
        }
        let by = actor
            .map(|p| p.username.as_str().to_string())
            .unwrap_or_else(|| crate::SYSTEM_ACTOR.to_string());
        let at = crate::now_ms();
        let rows: Vec<Vec<crate::bulk::Arg>> = new
            .iter()
            .map(|r| {
                use crate::bulk::Arg;
                vec![
                    Arg::Text(r.from.code().to_string()),
                    Arg::Text(r.to.code().to_string()),
                    Arg::Text(r.date.clone()),
                    Arg::Text(r.value.to_string()),
                    Arg::Text(r.source.to_string()),
                    Arg::Int(at),
                    Arg::Text(by.clone()),
                ]
            })
            .collect();
        crate::bulk::insert_rows(
            &mut w.tx,
            "ledger_rates (from_currency, to_currency, effective, rate, source, recorded_at, recorded_by)",
            &rows,
        )
        .await?;
        crate::audit::append(
            &mut w.tx,
            actor,
            "fund.rates_import",
            "ledger_rates",
            &serde_json::json!({ "added": new.len() }),
        )
        .await?;
        w.commit().await?;
        Ok(new.len())
    }

    /// Recomputes every ledger from its transfers (the node itself: no
    /// reader filter) and compares: each account's kept balance with the
    /// sum of its transfers, debits with credits per currency, and the kept
    /// status table with the sum of the transfers' contributions. Returns
    /// (funds, transfers checked, each disagreement found).
    pub async fn fund_verify(&self) -> Result<(usize, usize, Vec<String>)> {
        // One snapshot for the whole check, so that writes meanwhile do
        // not show as disagreements.
        let mut tx = self.begin_snapshot().await?;
        let funds: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT fund_id FROM ledger_accounts ORDER BY fund_id")
                .fetch_all(&mut *tx)
                .await?;
        let mut problems = Vec::new();
        let mut checked = 0;
        for (fund_id,) in &funds {
            let rows = sqlx::query(
                "SELECT id, currency, lim, debits_posted, credits_posted, debits_pending, credits_pending, base_net, fx_booked \
                 FROM ledger_accounts WHERE fund_id = $1",
            )
            .bind(fund_id)
            .fetch_all(&mut *tx)
            .await?;
            let mut accounts: Vec<Account> = Vec::with_capacity(rows.len());
            let mut balances: BTreeMap<String, Balance> = BTreeMap::new();
            // Kept base-currency balances and booked exchange differences.
            let mut kept_base: BTreeMap<String, (i64, i64)> = BTreeMap::new();
            for row in &rows {
                let (a, b) = account_of(row)?;
                kept_base.insert(
                    a.id.clone(),
                    (row.try_get("base_net")?, row.try_get("fx_booked")?),
                );
                balances.insert(a.id.clone(), b);
                accounts.push(a);
            }
            drop(rows);
            let mut base_net: BTreeMap<String, i64> = BTreeMap::new();
            let mut owed: BTreeMap<String, i64> = BTreeMap::new();
            let mut pledge_readers: BTreeMap<String, String> = BTreeMap::new();
            let currency_of: BTreeMap<String, String> = accounts
                .iter()
                .map(|a| (a.id.clone(), a.currency.code().to_string()))
                .collect();
            let mut verifier = Verifier::new(accounts);
            // Read in pages by seq, so memory holds the sums, not the ledger.
            let sql = format!(
                "SELECT {TRANSFER_COLUMNS} FROM ledger_transfers t WHERE t.fund_id = $1 AND t.seq > $2 \
                 ORDER BY t.seq LIMIT {VERIFY_PAGE}"
            );
            let mut pending: BTreeMap<String, (i64, i64)> = BTreeMap::new();
            type Key = (String, String, String);
            let mut totals: BTreeMap<Key, (i64, i64)> = BTreeMap::new();
            let mut after = 0_i64;
            loop {
                let rows = sqlx::query(&sql)
                    .bind(fund_id)
                    .bind(after)
                    .fetch_all(&mut *tx)
                    .await?;
                for row in &rows {
                    let (t, _dims, readers, base) = transfer_of(row)?;
                    after = row.try_get("seq")?;
                    if t.phase == Phase::Pending {
                        pending.insert(t.id.clone(), (t.amount, base.amount));
                    }
                    let resolved = t.phase.resolves().and_then(|p| pending.get(p).copied());
                    for (line, a, b) in lines_of(&t, base.amount, resolved) {
                        let e = totals
                            .entry((
                                readers.key.clone(),
                                t.currency.code().to_string(),
                                line_name(line),
                            ))
                            .or_default();
                        e.0 += a;
                        e.1 += b;
                    }
                    if matches!(t.phase, Phase::Single | Phase::Post(_)) {
                        *base_net.entry(t.debit.clone()).or_default() += base.amount;
                        *base_net.entry(t.credit.clone()).or_default() -= base.amount;
                        for (acc, sign) in [(&t.debit, 1), (&t.credit, -1)] {
                            if acc.contains("/receivable/") {
                                *owed.entry(acc.clone()).or_default() += sign * t.amount;
                            }
                        }
                    }
                    if t.phase == Phase::Pending {
                        pledge_readers.insert(
                            format!("{fund_id}/receivable/{}", t.id),
                            readers.key.clone(),
                        );
                    }
                    verifier.add(&t);
                    checked += 1;
                }
                if (rows.len() as i64) < VERIFY_PAGE {
                    break;
                }
            }
            for p in verifier.finish(&balances) {
                problems.push(format!("fund {fund_id}: {p}"));
            }
            // Base balances as the trigger keeps them; exchange differences
            // as booked for settled commitments.
            for (id, (kept_net, booked)) in &kept_base {
                let net = base_net.get(id).copied().unwrap_or(0);
                if net != *kept_net {
                    problems.push(format!(
                        "fund {fund_id}: account {id}: kept base balance {kept_net} differs from its transfers' {net}"
                    ));
                }
                let target = match owed.get(id) {
                    Some(0) => net,
                    _ => 0,
                };
                if target != *booked {
                    problems.push(format!(
                        "fund {fund_id}: account {id}: exchange difference booked {booked}, settlement leaves {target}"
                    ));
                }
                if target != 0 {
                    if let (Some(key), Some(a)) =
                        (pledge_readers.get(id), currency_of.get(id).cloned())
                    {
                        let e = totals
                            .entry((key.clone(), a, line_name(Line::ExchangeDifference)))
                            .or_default();
                        e.1 += target;
                    }
                }
            }
            let kept: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT audience_key, currency, line, amount, base_amount FROM ledger_totals WHERE fund_id = $1",
            )
            .bind(fund_id)
            .fetch_all(&mut *tx)
            .await?;
            let kept: BTreeMap<Key, (i64, i64)> = kept
                .into_iter()
                .map(|(k, c, l, a, b)| ((k, c, l), (a, b)))
                .collect();
            for key in kept.keys().chain(totals.keys()) {
                let want = totals.get(key).copied().unwrap_or_default();
                let got = kept.get(key).copied().unwrap_or_default();
                if want != got {
                    problems.push(format!(
                        "fund {fund_id}: status line {} in {} for audience {:?} is kept as {:?}, the transfers sum to {:?}",
                        key.2, key.1, key.0, got, want
                    ));
                }
            }
        }
        problems.dedup();
        Ok((funds.len(), checked, problems))
    }
}

fn in_json_ids_pool(store: &Store, col: &str) -> String {
    format!(
        "{col} IN ({})",
        json_array_values(store.dialect() == crate::Dialect::Postgres)
    )
}
