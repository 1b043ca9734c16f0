//! The stabilisation fund's pages (issue 16): the funds a user may read,
//! and a fund's page — its status table (in the base currency and per
//! currency), charts of sources and uses per year, per window and per
//! donor, its projects and its latest transfers, all over what the reader
//! may read (the page says when a total is partial) — with the fund
//! manager's form to record an operation. Forms carry the CSRF token.

use super::{api_error_page, bad_id_page, csrf_rejection, html, Page};
use crate::form::Form;
use crate::needs::show_amount;
use crate::{charts, i18n};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::wire::MarkingWire;
use coalesce_app::wire_fund::{OperationIn, TransferOut};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::fund::{FundKind, FundProjectKind};
use coalesce_domain::record::RefTarget;
use coalesce_domain::source::Subject;
use coalesce_ledger::fund::{Line, Status};
use coalesce_store::fund::{BreakdownBy, BreakdownRow};
use coalesce_store::records::RecordFilter;
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

pub(crate) async fn list(State(st): State<AppState>, p: Page) -> Response {
    let page = match st
        .store
        .list_records::<FundKind>(&p.principal, &RecordFilter::default(), None, 500)
        .await
    {
        Ok(x) => x,
        Err(e) => return api_error_page(e.into(), Some(&p)),
    };
    let funds: Vec<_> = page
        .items
        .iter()
        .map(|f| {
            json!({"id": f.id, "name": f.body.name, "agent": f.body.agent,
                   "base": f.body.base_currency, "opened": f.body.opened,
                   "banner": coalesce_domain::MemberCode::parse(&f.origin).map(|o| f.marking.banner(&o)).unwrap_or_default()})
        })
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "funds.html",
        context! { title => p.t("fund-title"), funds => Value::from_serialize(&funds) },
        st.secure_cookies,
    )
}

/// Major units as a chart value (display only: the tables show exact text).
fn major(amount: i64, currency: &str) -> f64 {
    coalesce_exchange::money::format_minor(amount, currency)
        .parse()
        .unwrap_or(0.0)
}

/// One bar chart of `lines` per key of a breakdown, in the base currency.
fn chart_of(title: &str, base: &str, rows: &[BreakdownRow], lines: &[(Line, String)]) -> String {
    let mut keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    keys.sort();
    keys.dedup();
    let series: Vec<(String, Vec<f64>)> = lines
        .iter()
        .map(|(line, label)| {
            let values = keys
                .iter()
                .map(|k| {
                    let minor: i64 = rows
                        .iter()
                        .filter(|r| &r.key == k && r.line == *line)
                        .map(|r| r.base_amount)
                        .sum();
                    major(minor, base)
                })
                .collect();
            (label.to_string(), values)
        })
        .collect();
    charts::bar_chart(title, base, &keys, &series)
}

async fn page(
    st: &AppState,
    p: &Page,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    if let Some(r) = bad_id_page(id, "no such fund", p) {
        return r;
    }
    let pr = &p.principal;
    let fund = match st.store.get_record::<FundKind>(pr, id).await {
        Ok(f) => f,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let status_table = match st.store.fund_status(pr, id).await {
        Ok(s) => s,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let base = fund.body.base_currency.clone();
    let mut breakdowns = BTreeMap::new();
    for (name, by) in [
        ("year", BreakdownBy::Year),
        ("window", BreakdownBy::Window),
        ("donor", BreakdownBy::Donor),
    ] {
        match st.store.fund_breakdown(pr, id, by).await {
            Ok((rows, _)) => {
                breakdowns.insert(name, rows);
            }
            Err(e) => return api_error_page(e.into(), Some(p)),
        }
    }
    let empty = Vec::new();
    let rows = |k: &str| breakdowns.get(k).unwrap_or(&empty);
    // Titles, series and lines in the reader's language.
    let in_base = |id: &str| {
        i18n::tr(
            p.lang,
            id,
            Some(&i18n::args([(
                "currency",
                FluentValue::from(base.as_str()),
            )])),
        )
    };
    let by_year = chart_of(
        &in_base("fund-chart-year"),
        &base,
        rows("year"),
        &[
            (Line::Deposits, p.t("fund-series-deposits")),
            (Line::Transfers, p.t("fund-series-transfers")),
            (Line::Expenditure, p.t("fund-series-expenditure")),
        ],
    );
    let by_window = chart_of(
        &in_base("fund-chart-window"),
        &base,
        rows("window"),
        &[
            (Line::Allocated, p.t("fund-series-allocated")),
            (Line::Approved, p.t("fund-series-approved")),
        ],
    );
    let by_donor = chart_of(
        &in_base("fund-chart-donor"),
        &base,
        rows("donor"),
        &[
            (Line::Pledged, p.t("fund-series-pledged")),
            (Line::Committed, p.t("fund-series-committed")),
            (Line::Deposits, p.t("fund-series-deposited")),
        ],
    );
    let projects = match st
        .store
        .list_records::<FundProjectKind>(
            pr,
            &RecordFilter {
                origin: None,
                refers_to: Some((RefTarget::Fund, id.to_string())),
            },
            None,
            500,
        )
        .await
    {
        Ok(x) => x.items,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let projects: Vec<_> = projects
        .iter()
        .map(|r| {
            json!({"id": r.id, "code": r.body.code, "title": r.body.title, "window": r.body.window,
                   "place": r.body.place, "pcode": r.body.pcode, "organisation": r.body.organisation,
                   "budget": show_amount("money", &r.body.currency, r.body.budget),
                   "status": r.body.activity_status})
        })
        .collect();
    // The latest transfers the reader may read.
    let latest: Vec<TransferOut> = match st.store.fund_transfers_latest(pr, id, 25).await {
        Ok(t) => t.iter().map(TransferOut::from).collect(),
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let transfers: Vec<_> = latest
        .iter()
        .map(|t| {
            json!({"id": t.id, "code": t.code, "phase": t.phase, "date": t.value_date,
                   "amount": show_amount("money", &t.currency, t.amount_minor),
                   "donor": t.donor, "window": t.window, "project": t.project,
                   "organisation": t.organisation, "banner": t.banner, "rate": t.rate})
        })
        .collect();
    let table = |s: &Status, currency: &str| {
        let show = |v: i64| show_amount("money", currency, v);
        json!({
            "currency": currency,
            "sources": [
                [p.t("fund-line-commitments"), show(s.get(Line::Committed))],
                [p.t("fund-line-deposits"), show(s.get(Line::Deposits))],
                [p.t("fund-line-interest"), show(s.get(Line::Interest))],
                [p.t("fund-line-refunds"), show(s.get(Line::Refunds))],
            ],
            "uses": [
                [p.t("fund-line-transfers"), show(s.get(Line::Transfers))],
                [p.t("fund-line-agent-fees"), show(s.get(Line::AgentFees))],
                [p.t("fund-line-indirect"), show(s.get(Line::IndirectCosts))],
                [p.t("fund-line-expenditure"), show(s.get(Line::Expenditure))],
            ],
            "totals": [
                [p.t("fund-line-total-sources"), show(s.sources())],
                [p.t("fund-line-total-uses"), show(s.uses())],
                [p.t("fund-line-with-agent"), show(s.with_agent())],
                [p.t("fund-line-with-organisations"), show(s.with_organisations())],
                [p.t("fund-line-receivable"), show(s.receivable())],
                [p.t("fund-line-exchange"), show(s.get(Line::ExchangeDifference))],
                [p.t("fund-line-pledged"), show(s.get(Line::Pledged))],
                [p.t("fund-line-allocated"), show(s.get(Line::Allocated))],
                [p.t("fund-line-approved"), show(s.get(Line::Approved))],
            ],
        })
    };
    let manager =
        pr.member.as_str() == fund.origin && st.store.is_fund_manager(pr).await.unwrap_or(false);
    let ctx = context! {
        title => fund.body.name.clone(),
        fund => Value::from_serialize(json!({
            "id": fund.id, "name": fund.body.name, "agent": fund.body.agent, "base": base,
            "opened": fund.body.opened, "source": fund.body.source, "fee_bp": fund.body.fee_bp,
            "indirect_bp": fund.body.indirect_bp,
            "windows": fund.body.windows.iter().map(|w| json!({"code": w.code, "name": w.name})).collect::<Vec<_>>(),
            "banner": coalesce_domain::MemberCode::parse(&fund.origin).map(|o| fund.marking.banner(&o)).unwrap_or_default(),
        })),
        partial => status_table.partial,
        cited => crate::cited(st, Subject::Record(id.to_string())).await,
        base_table => Value::from_serialize(table(&status_table.base, &status_table.base_currency)),
        currency_tables => Value::from_serialize(status_table.by_currency.iter().map(|(c, s)| table(s, c)).collect::<Vec<_>>()),
        chart_year => by_year,
        chart_window => by_window,
        chart_donor => by_donor,
        projects => Value::from_serialize(&projects),
        transfers => Value::from_serialize(&transfers),
        manager,
        error,
    };
    html(Some(p), status, "fund.html", ctx, st.secure_cookies)
}

pub(crate) async fn show(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    page(&st, &p, &id, StatusCode::OK, None).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct OperationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    op: String,
    #[serde(default)]
    value_date: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    donor: String,
    #[serde(default)]
    pledge: String,
    #[serde(default)]
    window: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    transfer: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(crate) async fn record(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<OperationForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such fund", &p) {
        return r;
    }
    let o = OperationIn {
        op: f.op.trim().to_string(),
        id: None,
        value_date: f.value_date.clone(),
        amount: some(&f.amount),
        currency: some(&f.currency).map(|c| c.to_ascii_uppercase()),
        donor: some(&f.donor),
        pledge: some(&f.pledge),
        transfer: some(&f.transfer),
        window: some(&f.window),
        project: some(&f.project),
        organisation: some(&f.organisation),
        marking: some(&f.tlp).map(|tlp| MarkingWire {
            tlp,
            rel_to: f
                .rel_to
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }),
    };
    let op = match o.parse() {
        Ok(op) => op,
        Err(e) => return page(&st, &p, &id, e.status, Some(e.detail)).await,
    };
    match st
        .store
        .fund_operations(Some(&p.principal), &id, &[op])
        .await
    {
        Ok(_) => Redirect::to(&format!("/funds/{id}")).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            page(&st, &p, &id, e.status, Some(e.detail)).await
        }
    }
}
