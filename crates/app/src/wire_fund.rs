//! Wire types of the stabilisation fund's ledger (issue 16): operations in
//! (amounts as decimal text in major units, parsed exactly with the
//! currency's exponent), transfers, the status table, breakdowns and
//! exchange rates out. What both HTTP faces and the CLI share.

use crate::wire::{rfc3339, MarkingWire};
use crate::ApiError;
use axum::http::StatusCode;
use coalesce_ledger::fund::{Line, Op, Status};
use coalesce_ledger::rates::{Decimal, Rate, RateSource};
use coalesce_ledger::Currency;
use coalesce_store::fund::{BreakdownRow, FundOperation, FundStatus, LedgerTransfer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

fn invalid(detail: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_operation",
        detail,
    )
}

/// One operation of the fund manager.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationIn {
    /// pledge, commit, void, deposit, interest, allocate, approve,
    /// disburse, expend, refund or reverse.
    pub op: String,
    /// The transfer's id (1–64 letters, digits, `-`, `_`); made when absent.
    /// Linked transfers take `<id>:fee` and `<id>:indirect`.
    #[serde(default)]
    pub id: Option<String>,
    /// YYYY-MM-DD: which exchange rate converts it to the base currency.
    pub value_date: String,
    /// Decimal in major units (`7000000.00`); for commit, optional (all of
    /// the pledge when absent).
    #[serde(default)]
    pub amount: Option<String>,
    /// ISO 4217; for commit and deposit, the pledge's (checked).
    #[serde(default)]
    pub currency: Option<String>,
    /// pledge: the donor's code (a member code or an organisation's).
    #[serde(default)]
    pub donor: Option<String>,
    /// commit, void, deposit: the pledge's transfer id.
    #[serde(default)]
    pub pledge: Option<String>,
    /// reverse: the transfer to reverse (with what was linked to it).
    #[serde(default)]
    pub transfer: Option<String>,
    /// allocate, approve: the window's code.
    #[serde(default)]
    pub window: Option<String>,
    /// approve, disburse, expend: the project's code.
    #[serde(default)]
    pub project: Option<String>,
    /// disburse, expend, refund: the participating organisation's code.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Who may read it (the fund's marking when absent; an operation that
    /// follows a pledge or reverses a transfer keeps that one's).
    #[serde(default)]
    pub marking: Option<MarkingWire>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationsIn {
    /// Recorded in order, all or nothing (at most 10,000).
    pub operations: Vec<OperationIn>,
}

fn need<'a>(v: &'a Option<String>, what: &str, op: &str) -> Result<&'a str, ApiError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(format!("{op} needs {what}")))
}

impl OperationIn {
    /// The store's operation, or what is wrong with it.
    pub fn parse(&self) -> Result<FundOperation, ApiError> {
        let op = self.op.trim();
        let currency = self
            .currency
            .as_deref()
            .map(|c| Currency::parse(c.trim()))
            .transpose()
            .map_err(|e| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.rule(), e.to_string())
            })?;
        let money = || -> Result<(i64, Currency), ApiError> {
            let c = currency.ok_or_else(|| invalid(format!("{op} needs currency")))?;
            let text = need(&self.amount, "amount", op)?;
            let a = c.parse_amount(text).map_err(|e| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.rule(), e.to_string())
            })?;
            Ok((a, c))
        };
        let s = |v: &Option<String>, what: &str| need(v, what, op).map(str::to_string);
        let parsed = match op {
            "pledge" => {
                let (amount, currency) = money()?;
                Op::Pledge {
                    donor: s(&self.donor, "donor")?,
                    amount,
                    currency,
                }
            }
            "commit" => Op::Commit {
                pledge: s(&self.pledge, "pledge")?,
                amount: match &self.amount {
                    None => None,
                    Some(_) => Some(money()?.0),
                },
            },
            "void" => Op::Void {
                pledge: s(&self.pledge, "pledge")?,
            },
            "deposit" => Op::Deposit {
                commitment: s(&self.pledge, "pledge")?,
                amount: money()?.0,
            },
            "interest" => {
                let (amount, currency) = money()?;
                Op::Interest { amount, currency }
            }
            "allocate" => {
                let (amount, currency) = money()?;
                Op::Allocate {
                    window: s(&self.window, "window")?,
                    amount,
                    currency,
                }
            }
            "approve" => {
                let (amount, currency) = money()?;
                Op::Approve {
                    window: s(&self.window, "window")?,
                    project: s(&self.project, "project")?,
                    amount,
                    currency,
                }
            }
            "disburse" => {
                let (amount, currency) = money()?;
                Op::Disburse {
                    project: s(&self.project, "project")?,
                    org: s(&self.organisation, "organisation")?,
                    amount,
                    currency,
                }
            }
            "expend" => {
                let (amount, currency) = money()?;
                Op::Expend {
                    project: s(&self.project, "project")?,
                    org: s(&self.organisation, "organisation")?,
                    amount,
                    currency,
                }
            }
            "refund" => {
                let (amount, currency) = money()?;
                Op::Refund {
                    org: s(&self.organisation, "organisation")?,
                    amount,
                    currency,
                }
            }
            "reverse" => Op::Reverse {
                transfer: s(&self.transfer, "transfer")?,
            },
            other => {
                return Err(invalid(format!(
                    "unknown operation {other:?}: pledge, commit, void, deposit, interest, allocate, approve, disburse, expend, refund or reverse"
                )))
            }
        };
        let marking = self
            .marking
            .as_ref()
            .map(|m| coalesce_domain::Marking::parse(&m.tlp, &m.rel_to))
            .transpose()?;
        Ok(FundOperation {
            id: self.id.clone().filter(|i| !i.trim().is_empty()),
            op: parsed,
            value_date: self.value_date.trim().to_string(),
            marking,
            stated_currency: currency,
        })
    }
}

/// Minor units as decimal text in major units (`700000000` USD → `7000000.00`).
pub fn major(amount: i64, currency: &str) -> String {
    Currency::parse(currency)
        .map(|c| c.format_amount(amount))
        .unwrap_or_else(|_| amount.to_string())
}

/// A transfer as the API gives it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransferOut {
    pub seq: i64,
    pub id: String,
    pub fund: String,
    /// pledge, commitment, pledge_void, deposit, agent_fee, interest,
    /// allocation, approval, disbursement, indirect_cost, expenditure, refund.
    pub code: String,
    /// single, pending, post or void.
    pub phase: String,
    pub debit: String,
    pub credit: String,
    /// Decimal text in major units of `currency`.
    pub amount: String,
    pub amount_minor: i64,
    pub currency: String,
    pub value_date: String,
    /// In the fund's base currency, at `rate` (absent at par).
    pub base_amount_minor: i64,
    pub rate: Option<String>,
    pub rate_date: Option<String>,
    pub rate_source: Option<String>,
    pub resolves: Option<String>,
    pub reverses: Option<String>,
    pub donor: Option<String>,
    pub window: Option<String>,
    pub project: Option<String>,
    pub organisation: Option<String>,
    pub origin: String,
    pub marking: MarkingWire,
    pub banner: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl From<&LedgerTransfer> for TransferOut {
    fn from(t: &LedgerTransfer) -> Self {
        let banner = coalesce_domain::MemberCode::parse(&t.origin)
            .map(|o| t.marking.banner(&o))
            .unwrap_or_default();
        TransferOut {
            seq: t.seq,
            id: t.id.clone(),
            fund: t.fund_id.clone(),
            code: t.code.clone(),
            phase: t.phase.clone(),
            debit: t.debit.clone(),
            credit: t.credit.clone(),
            amount: major(t.amount, &t.currency),
            amount_minor: t.amount,
            currency: t.currency.clone(),
            value_date: t.value_date.clone(),
            base_amount_minor: t.base_amount,
            rate: t.rate.clone(),
            rate_date: t.rate_date.clone(),
            rate_source: t.rate_source.clone(),
            resolves: t.resolves.clone(),
            reverses: t.reverses.clone(),
            donor: t.donor.clone(),
            window: t.window.clone(),
            project: t.project.clone(),
            organisation: t.organisation.clone(),
            origin: t.origin.clone(),
            marking: MarkingWire::from(&t.marking),
            banner,
            recorded_at: rfc3339(t.recorded_at_ms),
            recorded_by: t.recorded_by.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TransferPage {
    pub items: Vec<TransferOut>,
    /// The cursor of the next page (absent on the last).
    pub next: Option<String>,
}

/// The status table in one currency, as the MPTF Gateway shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatusTable {
    pub currency: String,
    /// Each line (pledged, committed, deposits, interest, agent_fees,
    /// transfers, indirect_costs, expenditure, refunds, allocated,
    /// approved) in major units.
    pub lines: BTreeMap<String, String>,
    /// Deposits, interest and refunds.
    pub sources: String,
    /// Transfers to organisations and the agent's fees.
    pub uses: String,
    /// Held by the administrative agent: sources less uses.
    pub with_agent: String,
    /// Held by the organisations: transfers less indirect costs,
    /// expenditure and refunds.
    pub with_organisations: String,
    /// Committed, not yet deposited.
    pub receivable: String,
}

impl StatusTable {
    pub fn of(s: &Status, currency: &str) -> StatusTable {
        let m = |a: i64| major(a, currency);
        StatusTable {
            currency: currency.to_string(),
            lines: Line::ALL
                .iter()
                .map(|l| (line_name(*l), m(s.get(*l))))
                .collect(),
            sources: m(s.sources()),
            uses: m(s.uses()),
            with_agent: m(s.with_agent()),
            with_organisations: m(s.with_organisations()),
            receivable: m(s.receivable()),
        }
    }
}

pub fn line_name(l: Line) -> String {
    serde_json::to_value(l)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatusOut {
    pub fund: String,
    pub base_currency: String,
    /// Some of the fund's transfers are not releasable to you: these
    /// totals are those of the transfers you may read.
    pub partial: bool,
    /// Everything converted to the base currency, each transfer at the rate
    /// in force on its value date.
    pub base: StatusTable,
    /// Per currency, unconverted.
    pub by_currency: Vec<StatusTable>,
}

impl From<&FundStatus> for StatusOut {
    fn from(s: &FundStatus) -> Self {
        StatusOut {
            fund: s.fund_id.clone(),
            base_currency: s.base_currency.clone(),
            partial: s.partial,
            base: StatusTable::of(&s.base, &s.base_currency),
            by_currency: s
                .by_currency
                .iter()
                .map(|(c, st)| StatusTable::of(st, c))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BreakdownRowOut {
    /// The donor, window, project, organisation or year.
    pub key: String,
    pub line: String,
    pub currency: String,
    pub amount: String,
    /// In the fund's base currency.
    pub base_amount: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BreakdownOut {
    pub by: String,
    pub base_currency: String,
    /// Some transfers are not releasable to you (see the status table).
    pub partial: bool,
    pub rows: Vec<BreakdownRowOut>,
}

impl BreakdownOut {
    pub fn of(by: &str, base_currency: &str, rows: &[BreakdownRow], partial: bool) -> Self {
        BreakdownOut {
            by: by.to_string(),
            base_currency: base_currency.to_string(),
            partial,
            rows: rows
                .iter()
                .map(|r| BreakdownRowOut {
                    key: r.key.clone(),
                    line: line_name(r.line),
                    currency: r.currency.clone(),
                    amount: major(r.amount, &r.currency),
                    base_amount: major(r.base_amount, base_currency),
                })
                .collect(),
        }
    }
}

/// A dated exchange rate: one `from` is worth `rate` `to` from `date` on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateWire {
    pub from: String,
    pub to: String,
    /// YYYY-MM-DD
    pub date: String,
    /// Positive decimal, at most 12 decimals.
    pub rate: String,
    /// `un` (UN operational rates of exchange), `central-bank:<bank>` or
    /// `manual:<reason>`.
    pub source: String,
}

impl RateWire {
    pub fn parse(&self) -> Result<Rate, String> {
        let r = Rate {
            from: Currency::parse(self.from.trim()).map_err(|e| e.to_string())?,
            to: Currency::parse(self.to.trim()).map_err(|e| e.to_string())?,
            date: self.date.trim().to_string(),
            value: Decimal::parse(&self.rate).map_err(|e| e.to_string())?,
            source: RateSource::parse(self.source.trim()).map_err(|e| e.to_string())?,
        };
        coalesce_ledger::rates::check_date(&r.date).map_err(|e| e.to_string())?;
        Ok(r)
    }
}

impl From<&Rate> for RateWire {
    fn from(r: &Rate) -> Self {
        RateWire {
            from: r.from.code().to_string(),
            to: r.to.code().to_string(),
            date: r.date.clone(),
            rate: r.value.to_string(),
            source: r.source.to_string(),
        }
    }
}

/// Lines of a file refused: (line, reason).
pub type BadLines = Vec<(u64, String)>;

/// Rates from CSV with HXL hashtags (`#currency+from`, `#currency+to`,
/// `#date+effective`, `#value+rate`, `#meta+source`), a header row above
/// the hashtag row allowed; each bad line named with its reason.
pub fn rates_from_csv(text: &str) -> Result<Vec<(u64, Rate)>, BadLines> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let tags = [
        "#currency+from",
        "#currency+to",
        "#date+effective",
        "#value+rate",
        "#meta+source",
    ];
    let mut columns: Option<Vec<usize>> = None;
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i as u64 + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                bad.push((line, e.to_string()));
                continue;
            }
        };
        let Some(cols) = &columns else {
            let found: Vec<Option<usize>> = tags
                .iter()
                .map(|t| rec.iter().position(|c| c.trim().eq_ignore_ascii_case(t)))
                .collect();
            if found.iter().all(Option::is_some) {
                columns = Some(found.into_iter().flatten().collect());
            } else if line >= 2 {
                bad.push((line, format!("no HXL hashtag row with {}", tags.join(", "))));
                return Err(bad);
            }
            continue;
        };
        let cell = |k: usize| rec.get(cols[k]).unwrap_or("").to_string();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let w = RateWire {
            from: cell(0),
            to: cell(1),
            date: cell(2),
            rate: cell(3),
            source: cell(4),
        };
        match w.parse() {
            Ok(r) => out.push((line, r)),
            Err(e) => bad.push((line, e)),
        }
    }
    if columns.is_none() {
        bad.push((1, format!("no HXL hashtag row with {}", tags.join(", "))));
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

/// The HXL hashtags of a fund's operations as CSV, in column order, with
/// the human header above them.
const OPERATION_COLUMNS: [(&str, &str); 13] = [
    ("Transfer", "#meta+id"),
    ("Operation", "#meta+operation"),
    ("Value date", "#date+value"),
    ("Amount", "#value"),
    ("Currency", "#currency"),
    ("Donor", "#org+funder"),
    ("Pledge", "#meta+pledge"),
    ("Window", "#sector+window"),
    ("Project", "#activity+code"),
    ("Organisation", "#org+impl"),
    ("Reverses", "#meta+reverses"),
    ("TLP", "#meta+tlp"),
    ("REL TO", "#meta+rel_to"),
];

/// A cell that a spreadsheet would run as a formula gets a leading quote.
fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A fund's ledger as the operations that wrote it, CSV with HXL hashtags
/// (the transfers `rows` read, in order; linked transfers — fees, indirect
/// costs — are written again by their operation). Imported into a fund
/// with the same windows and projects, it writes the same transfers.
pub fn operations_to_csv(rows: &[LedgerTransfer]) -> String {
    use coalesce_ledger::{Phase, Transfer};
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(OPERATION_COLUMNS.iter().map(|(h, _)| *h));
    let _ = w.write_record(OPERATION_COLUMNS.iter().map(|(_, t)| *t));
    for r in rows {
        let Ok(currency) = Currency::parse(&r.currency) else {
            continue;
        };
        let phase = match (r.phase.as_str(), &r.resolves) {
            ("pending", _) => Phase::Pending,
            ("post", Some(p)) => Phase::Post(p.clone()),
            ("void", Some(p)) => Phase::Void(p.clone()),
            _ => Phase::Single,
        };
        let t = Transfer {
            id: r.id.clone(),
            debit: r.debit.clone(),
            credit: r.credit.clone(),
            amount: r.amount,
            currency,
            phase,
            reverses: r.reverses.clone(),
            code: r.code.clone(),
            value_date: r.value_date.clone(),
        };
        let Some(op) = coalesce_ledger::fund::op_of(&t) else {
            continue;
        };
        let money = |a: i64| currency.format_amount(a);
        let (name, amount, donor, pledge, window, project, org, reverses) = match &op {
            Op::Pledge { donor, amount, .. } => (
                "pledge",
                Some(money(*amount)),
                Some(donor),
                None,
                None,
                None,
                None,
                None,
            ),
            Op::Commit { pledge, amount } => (
                "commit",
                amount.map(money),
                None,
                Some(pledge),
                None,
                None,
                None,
                None,
            ),
            Op::Void { pledge } => ("void", None, None, Some(pledge), None, None, None, None),
            Op::Deposit { commitment, amount } => (
                "deposit",
                Some(money(*amount)),
                None,
                Some(commitment),
                None,
                None,
                None,
                None,
            ),
            Op::Interest { amount, .. } => (
                "interest",
                Some(money(*amount)),
                None,
                None,
                None,
                None,
                None,
                None,
            ),
            Op::Allocate { window, amount, .. } => (
                "allocate",
                Some(money(*amount)),
                None,
                None,
                Some(window),
                None,
                None,
                None,
            ),
            Op::Approve {
                window,
                project,
                amount,
                ..
            } => (
                "approve",
                Some(money(*amount)),
                None,
                None,
                Some(window),
                Some(project),
                None,
                None,
            ),
            Op::Disburse {
                project,
                org,
                amount,
                ..
            } => (
                "disburse",
                Some(money(*amount)),
                None,
                None,
                None,
                Some(project),
                Some(org),
                None,
            ),
            Op::Expend {
                project,
                org,
                amount,
                ..
            } => (
                "expend",
                Some(money(*amount)),
                None,
                None,
                None,
                Some(project),
                Some(org),
                None,
            ),
            Op::Refund { org, amount, .. } => (
                "refund",
                Some(money(*amount)),
                None,
                None,
                None,
                None,
                Some(org),
                None,
            ),
            Op::Reverse { transfer } => (
                "reverse",
                None,
                None,
                None,
                None,
                None,
                None,
                Some(transfer),
            ),
        };
        let rel: Vec<String> = r.marking.rel_to.iter().map(|t| t.as_string()).collect();
        let cells = [
            r.id.clone(),
            name.to_string(),
            r.value_date.clone(),
            amount.unwrap_or_default(),
            r.currency.clone(),
            donor.cloned().unwrap_or_default(),
            pledge.cloned().unwrap_or_default(),
            window.cloned().unwrap_or_default(),
            project.cloned().unwrap_or_default(),
            org.cloned().unwrap_or_default(),
            reverses.cloned().unwrap_or_default(),
            r.marking.tlp.as_str().to_string(),
            rel.join(" "),
        ];
        let _ = w.write_record(cells.iter().map(|c| safe_cell(c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Operations from CSV with HXL hashtags (the export's form; a header row
/// above the hashtag row allowed; columns found by hashtag): each with its
/// line, or every bad line with its reason. Nothing is checked against the
/// ledger here: the store does that, all or nothing.
pub fn operations_from_csv(text: &str) -> Result<Vec<(u64, OperationIn)>, BadLines> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut columns: Option<Vec<Option<usize>>> = None;
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i as u64 + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                bad.push((line, e.to_string()));
                continue;
            }
        };
        let Some(cols) = &columns else {
            let found: Vec<Option<usize>> = OPERATION_COLUMNS
                .iter()
                .map(|(_, t)| rec.iter().position(|c| c.trim().eq_ignore_ascii_case(t)))
                .collect();
            if found[1].is_some() && found[2].is_some() {
                columns = Some(found);
            } else if line >= 2 {
                return Err(vec![(
                    line,
                    "no HXL hashtag row with at least #meta+operation and #date+value".into(),
                )]);
            }
            continue;
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |k: usize| -> Option<String> {
            cols[k]
                .and_then(|c| rec.get(c))
                .map(|v| v.trim().trim_start_matches('\'').to_string())
                .filter(|v| !v.is_empty())
        };
        let marking = cell(11).map(|tlp| MarkingWire {
            tlp,
            rel_to: cell(12)
                .map(|r| r.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
        });
        let o = OperationIn {
            id: cell(0),
            op: cell(1).unwrap_or_default(),
            value_date: cell(2).unwrap_or_default(),
            amount: cell(3),
            currency: cell(4),
            donor: cell(5),
            pledge: cell(6),
            window: cell(7),
            project: cell(8),
            organisation: cell(9),
            transfer: cell(10),
            marking,
        };
        match o.parse() {
            Ok(_) => out.push((line, o)),
            Err(e) => bad.push((line, e.detail)),
        }
    }
    if columns.is_none() {
        bad.push((
            1,
            "no HXL hashtag row with at least #meta+operation and #date+value".into(),
        ));
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

/// One end of an FTS-style flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FlowEnd {
    /// organization, fund or project (FTS's object types).
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// For a project: the organisation implementing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
}

/// A share of money a flow passes on from (or to) another flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FlowLink {
    pub flow: String,
    pub amount_minor: i64,
}

/// A flow as OCHA's Financial Tracking Service reports money: from a
/// source to a destination, with a status and a boundary, new money or
/// not, and its parent and child flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FlowOut {
    pub id: String,
    /// pledge, commitment or paid.
    pub status: String,
    /// incoming (from a donor into the fund), internal (from the fund to
    /// its projects, or back from an organisation).
    pub boundary: String,
    /// Money new to the fund (a donor's), as opposed to money it passes on.
    pub new_money: bool,
    pub source: FlowEnd,
    pub destination: FlowEnd,
    pub amount: String,
    pub amount_minor: i64,
    pub currency: String,
    pub date: String,
    /// The incoming flows a disbursement draws on (first in, first out,
    /// in its currency, net of the agent's fee).
    pub parent_flows: Vec<FlowLink>,
    /// The disbursements drawing on an incoming flow.
    pub child_flows: Vec<FlowLink>,
}

/// The fund's money as FTS-style flows, from the transfers a reader may
/// read (in the order recorded): a pending pledge is a pledge flow, the
/// committed part not yet deposited a commitment flow, each deposit a paid
/// flow (incoming, new money); a project's approved budget not yet
/// disbursed a commitment flow and each disbursement a paid flow
/// (internal), linked to the deposits it draws on; a refund an internal
/// paid flow back to the fund. Reversed transfers are left out.
pub fn fts_flows(fund_name: &str, rows: &[LedgerTransfer]) -> Vec<FlowOut> {
    use std::collections::{BTreeSet, VecDeque};
    let reversed: BTreeSet<&str> = rows.iter().filter_map(|t| t.reverses.as_deref()).collect();
    let live = |t: &&LedgerTransfer| t.reverses.is_none() && !reversed.contains(t.id.as_str());
    let fund = FlowEnd {
        kind: "fund".into(),
        name: fund_name.to_string(),
        organization: None,
    };
    let org = |name: &str| FlowEnd {
        kind: "organization".into(),
        name: name.to_string(),
        organization: None,
    };
    let flow = |id: String,
                status: &str,
                boundary: &str,
                new_money: bool,
                source: FlowEnd,
                destination: FlowEnd,
                t: &LedgerTransfer,
                amount: i64| FlowOut {
        id,
        status: status.into(),
        boundary: boundary.into(),
        new_money,
        source,
        destination,
        amount: major(amount, &t.currency),
        amount_minor: amount,
        currency: t.currency.clone(),
        date: t.value_date.clone(),
        parent_flows: Vec::new(),
        child_flows: Vec::new(),
    };
    let mut out: Vec<FlowOut> = Vec::new();
    // Per pledge: what is committed and what is deposited against it.
    let mut committed: BTreeMap<&str, (i64, &LedgerTransfer)> = BTreeMap::new();
    let mut deposited: BTreeMap<&str, i64> = BTreeMap::new();
    let mut resolved: BTreeSet<&str> = BTreeSet::new();
    let fee_of: BTreeMap<&str, i64> = rows
        .iter()
        .filter(live)
        .filter_map(|t| t.id.strip_suffix(":fee").map(|d| (d, t.amount)))
        .collect();
    // Deposits with what is left of them to pass on, per currency.
    let mut pool: BTreeMap<String, VecDeque<(usize, i64)>> = BTreeMap::new();
    let mut approved: BTreeMap<(&str, &str), (i64, &LedgerTransfer)> = BTreeMap::new();
    let mut disbursed: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for t in rows.iter().filter(live) {
        let donor = t.donor.as_deref().unwrap_or("");
        match t.code.as_str() {
            "commitment" => {
                if let Some(p) = &t.resolves {
                    committed.insert(p.as_str(), (t.amount, t));
                    resolved.insert(p.as_str());
                }
            }
            "pledge_void" => {
                if let Some(p) = &t.resolves {
                    resolved.insert(p.as_str());
                }
            }
            "deposit" => {
                let pledge = t.credit.rsplit('/').next().unwrap_or("");
                *deposited.entry(pledge).or_default() += t.amount;
                let i = out.len();
                out.push(flow(
                    t.id.clone(),
                    "paid",
                    "incoming",
                    true,
                    org(donor),
                    fund.clone(),
                    t,
                    t.amount,
                ));
                let net = t.amount - fee_of.get(t.id.as_str()).copied().unwrap_or(0);
                pool.entry(t.currency.clone())
                    .or_default()
                    .push_back((i, net));
            }
            "approval" => {
                if let Some(p) = t.project.as_deref() {
                    let e = approved.entry((p, t.currency.as_str())).or_insert((0, t));
                    e.0 += t.amount;
                }
            }
            "disbursement" => {
                let project = t.project.clone().unwrap_or_default();
                let o = t.organisation.clone().unwrap_or_default();
                if let Some(p) = t.project.as_deref() {
                    *disbursed.entry((p, t.currency.as_str())).or_default() += t.amount;
                }
                let mut f = flow(
                    t.id.clone(),
                    "paid",
                    "internal",
                    false,
                    fund.clone(),
                    FlowEnd {
                        kind: "project".into(),
                        name: project,
                        organization: Some(o),
                    },
                    t,
                    t.amount,
                );
                let mut need = t.amount;
                let queue = pool.entry(t.currency.clone()).or_default();
                while need > 0 {
                    let Some((i, left)) = queue.front_mut() else {
                        break;
                    };
                    let take = need.min(*left);
                    *left -= take;
                    need -= take;
                    let parent_id = out[*i].id.clone();
                    f.parent_flows.push(FlowLink {
                        flow: parent_id,
                        amount_minor: take,
                    });
                    out[*i].child_flows.push(FlowLink {
                        flow: t.id.clone(),
                        amount_minor: take,
                    });
                    if *left == 0 {
                        queue.pop_front();
                    }
                }
                out.push(f);
            }
            "refund" => {
                let o = t.organisation.clone().unwrap_or_default();
                let i = out.len();
                out.push(flow(
                    t.id.clone(),
                    "paid",
                    "internal",
                    false,
                    org(&o),
                    fund.clone(),
                    t,
                    t.amount,
                ));
                pool.entry(t.currency.clone())
                    .or_default()
                    .push_back((i, t.amount));
            }
            _ => {}
        }
    }
    // Pledges still pending, and commitments not yet deposited in full.
    for t in rows.iter().filter(live) {
        let donor = t.donor.as_deref().unwrap_or("");
        if t.code == "pledge" && !resolved.contains(t.id.as_str()) {
            out.push(flow(
                t.id.clone(),
                "pledge",
                "incoming",
                true,
                org(donor),
                fund.clone(),
                t,
                t.amount,
            ));
        }
    }
    for (pledge, (amount, t)) in &committed {
        let open = amount - deposited.get(pledge).copied().unwrap_or(0);
        if open > 0 {
            let donor = t.donor.as_deref().unwrap_or("");
            out.push(flow(
                t.id.clone(),
                "commitment",
                "incoming",
                true,
                org(donor),
                fund.clone(),
                t,
                open,
            ));
        }
    }
    for ((project, currency), (amount, t)) in &approved {
        let open = amount - disbursed.get(&(*project, *currency)).copied().unwrap_or(0);
        if open > 0 {
            out.push(flow(
                format!("{project}:{currency}:approved"),
                "commitment",
                "internal",
                false,
                fund.clone(),
                FlowEnd {
                    kind: "project".into(),
                    name: project.to_string(),
                    organization: None,
                },
                t,
                open,
            ));
        }
    }
    out
}

/// The status table as CSV with HXL hashtags: one row per line (and the
/// sums: sources, uses, with the agent, with organisations, receivable),
/// in the base currency and as recorded per currency; `partial` says when
/// some transfers were not readable.
pub fn status_to_csv(fund_id: &str, s: &FundStatus) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(["Fund", "Converted", "Currency", "Line", "Amount", "Partial"]);
    let _ = w.write_record([
        "#org+fund",
        "#meta+converted",
        "#currency",
        "#indicator+line",
        "#value",
        "#meta+partial",
    ]);
    let partial = if s.partial { "yes" } else { "no" };
    let mut tables = vec![("base", StatusTable::of(&s.base, &s.base_currency))];
    for (c, st) in &s.by_currency {
        tables.push(("as recorded", StatusTable::of(st, c)));
    }
    for (converted, t) in &tables {
        let sums = [
            ("sources", &t.sources),
            ("uses", &t.uses),
            ("with_agent", &t.with_agent),
            ("with_organisations", &t.with_organisations),
            ("receivable", &t.receivable),
        ];
        for (line, amount) in t.lines.iter().map(|(l, a)| (l.as_str(), a)).chain(sums) {
            let _ = w.write_record([fund_id, converted, &t.currency, line, amount, partial]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_parse_amounts_exactly_and_name_what_is_missing() {
        let o = OperationIn {
            op: "pledge".into(),
            value_date: "2015-06-01".into(),
            amount: Some("7000000.00".into()),
            currency: Some("USD".into()),
            donor: Some("USA".into()),
            ..OperationIn::default()
        };
        let p = o.parse().expect("parse");
        assert!(matches!(
            p.op,
            Op::Pledge {
                amount: 700_000_000,
                ..
            }
        ));
        let mut bad = o.clone();
        bad.amount = Some("7000000.001".into());
        assert!(bad.parse().is_err());
        let mut bad = o.clone();
        bad.currency = Some("XYZ".into());
        assert_eq!(bad.parse().expect_err("currency").code, "unknown_currency");
        let mut bad = o;
        bad.donor = None;
        assert!(bad.parse().expect_err("donor").detail.contains("donor"));
    }

    #[test]
    fn rates_come_from_hxl_csv_with_every_bad_line_named() {
        let csv = "From,To,Date,Rate,Source\n#currency+from,#currency+to,#date+effective,#value+rate,#meta+source\nEUR,USD,2015-06-01,1.1133,un\nGBP,USD,2015-06-01,1.53,central-bank:BoE\n";
        let rates = rates_from_csv(csv).expect("rates");
        assert_eq!(rates.len(), 2);
        assert_eq!(rates[0].0, 3);
        let bad = "#currency+from,#currency+to,#date+effective,#value+rate,#meta+source\nEUR,USD,2015-13-01,1.1,un\nEUR,USD,2015-06-01,-1,un\nEUR,USD,2015-06-01,1.1,guess\n";
        let e = rates_from_csv(bad).expect_err("bad");
        assert_eq!(e.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(rates_from_csv("a,b\n1,2\n").is_err());
    }

    use proptest::prelude::*;

    /// Text near the files' form: hashtags, commas, quotes, line ends,
    /// numbers, currencies, dates.
    fn near_csv() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "#currency+from",
            "#currency+to",
            "#date+effective",
            "#value+rate",
            "#meta+source",
            "#x_op",
            "#date+value",
            "#value",
            "#currency",
            "#org+funder",
            "#activity+code",
            ",",
            ",",
            "\n",
            "\r\n",
            "\"",
            "EUR",
            "USD",
            "2015-06-01",
            "2015-02-30",
            "1.1133",
            "-1",
            "1e309",
            "99999999999999999999",
            "pledge",
            "un",
            "central-bank:BoE",
            "é",
            "\u{0}",
        ]);
        prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The fund's importers take any text without panicking, and a
        /// refusal names lines that exist in the file.
        #[test]
        fn rate_and_operation_files_never_panic_and_name_real_lines(text in near_csv()) {
            let lines = text.split('\n').count() as u64 + 1;
            for bad in [rates_from_csv(&text).err(), operations_from_csv(&text).err()]
                .into_iter()
                .flatten()
            {
                prop_assert!(bad.iter().all(|(l, why)| *l >= 1 && *l <= lines && !why.is_empty()), "{bad:?}");
            }
        }

        #[test]
        fn arbitrary_bytes_as_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = rates_from_csv(&text);
            let _ = operations_from_csv(&text);
        }
    }
}
