//! The coordination picture in the browser (issue 3): a dashboard per line
//! of effort, who-does-what-where with filters, requirement and
//! contribution pages with their lifecycle forms, indicators with charts,
//! and duplication. Every figure comes from the store, computed only over
//! what the viewer may read; forms carry the CSRF token.

use super::{api_error_page, bad_id_page, csrf_rejection, html, rel_to_tokens, Page};
use crate::charts;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_api::{ApiError, AppState};
use coalesce_domain::indicators::{Indicator, Standing, ValueDraft};
use coalesce_domain::needs::{
    AdminArea, Contribution, ContributionDraft, DeliveryDraft, Measure, Place, Requirement,
    RequirementDraft, Summary, Window,
};
use coalesce_domain::Marking;
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::{Dimension, Total};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;

const PAGE: i64 = 50;

/// "1,200 vest" or "USD 1,500,000.00": how an amount reads on a page.
pub(crate) fn show_amount(kind: &str, unit: &str, amount: i64) -> String {
    if kind == "money" {
        let major = coalesce_exchange::money::format_minor(amount, unit);
        let (int, frac) = major.split_once('.').unwrap_or((major.as_str(), ""));
        let int = int
            .parse::<f64>()
            .map_or(int.to_string(), |v| charts::format_number(v, 0));
        if frac.is_empty() {
            format!("{unit} {int}")
        } else {
            format!("{unit} {int}.{frac}")
        }
    } else {
        format!("{} {unit}", charts::format_number(amount as f64, 0))
    }
}

fn measure_text(m: &Measure, amount: i64) -> String {
    show_amount(m.kind(), m.unit(), amount)
}

fn place_text(p: &Place) -> String {
    let mut parts = vec![p.country.clone()];
    if let Some(a) = &p.admin1 {
        parts.push(format!("{} ({})", a.name, a.pcode));
    }
    if let Some(t) = &p.town {
        parts.push(t.clone());
    }
    parts.join(" · ")
}

use coalesce_api::wire_needs::banner;

fn summary_json(s: &Summary, m: &Measure) -> serde_json::Value {
    let unit = if m.kind() == "money" { m.unit() } else { "" };
    json!({
        "requested": measure_text(m, s.requested),
        "pledged": measure_text(m, s.pledged),
        "committed": measure_text(m, s.committed),
        "delivered": measure_text(m, s.delivered),
        "received": measure_text(m, s.received),
        "gap": measure_text(m, s.gap),
        "excess": measure_text(m, s.excess),
        "over": s.excess > 0,
        "gap_bar": charts::gap_bar(s.requested, s.pledged, s.committed, s.delivered, if unit.is_empty() { m.unit() } else { unit }),
    })
}

fn requirement_json(r: &Requirement) -> serde_json::Value {
    json!({
        "id": r.id, "title": r.title, "description": r.description, "origin": r.origin,
        "requesting_member": r.requesting_member, "line_of_effort": r.line_of_effort,
        "requester_confirmed": r.requester_confirmed,
        "category": r.category, "amount": measure_text(&r.measure, r.measure.amount()),
        "place": place_text(&r.place), "window": format!("{} – {}", r.window.start, r.window.end),
        "priority": r.priority, "banner": banner(&r.origin, &r.marking), "tlp": r.marking.tlp.as_str(),
        "version": r.version,
    })
}

fn contribution_json(c: &Contribution) -> serde_json::Value {
    json!({
        "id": c.id, "title": c.title, "description": c.description, "origin": c.origin,
        "contributors": c.contributors.join(", "), "requirement_id": c.requirement_id,
        "proposed_contributors": c.proposed_contributors.join(", "),
        "line_of_effort": c.line_of_effort, "category": c.category,
        "amount": measure_text(&c.measure, c.measure.amount()),
        "delivered": measure_text(&c.measure, c.delivered),
        "status": c.status.as_str(),
        "place": c.place.as_ref().map(place_text).unwrap_or_default(),
        "window": c.window.as_ref().map(|w| format!("{} – {}", w.start, w.end)).unwrap_or_default(),
        "banner": banner(&c.origin, &c.marking), "tlp": c.marking.tlp.as_str(),
        "version": c.version,
    })
}

fn totals_json(ts: &[Total]) -> Vec<serde_json::Value> {
    ts.iter()
        .map(|t| {
            json!({
                "key": t.key, "contributions": t.contributions,
                "pledged": show_amount(&t.kind, &t.unit, t.pledged),
                "committed": show_amount(&t.kind, &t.unit, t.committed),
                "delivered": show_amount(&t.kind, &t.unit, t.delivered),
            })
        })
        .collect()
}

fn date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).ok()
}

/// A figure with decimals only where it has them ("2,000", "9.5").
fn figure(v: f64) -> String {
    if v.fract() == 0.0 {
        charts::format_number(v, 0)
    } else {
        charts::format_number(v, 2)
    }
}

/// The indicator's chart (series, baseline, targets) and its figures.
pub(crate) fn indicator_json(i: &Indicator, s: &Standing) -> serde_json::Value {
    let points = s
        .series
        .iter()
        .filter_map(|(d, v)| {
            Some(charts::Point {
                date: date(d)?,
                value: *v,
            })
        })
        .collect();
    let mut points: Vec<charts::Point> = points;
    // Start the line at the baseline, so that one reported value still reads
    // as a change since then.
    if let Some(b) = i.baseline_date.as_deref().and_then(date) {
        if points.first().is_none_or(|p| p.date > b) && !points.is_empty() {
            points.insert(
                0,
                charts::Point {
                    date: b,
                    value: i.baseline,
                },
            );
        }
    }
    let mut series = charts::Series::new(format!("{} (reported)", i.name), points);
    if i.aggregation == coalesce_domain::indicators::Aggregation::Sum {
        series = series.stepped();
    }
    let targets: Vec<charts::Target> = i
        .targets
        .iter()
        .filter_map(|t| {
            Some(charts::Target {
                date: date(&t.date)?,
                value: t.value,
                label: format!("target {}", figure(t.value)),
            })
        })
        .collect();
    let chart = charts::line_chart(&i.name, &i.unit, &[series], Some(i.baseline), &targets);
    json!({
        "slug": i.slug, "name": i.name, "description": i.description, "unit": i.unit,
        "line_of_effort": i.line_of_effort, "direction": i.direction.as_str(),
        "aggregation": i.aggregation.as_str(),
        "baseline": figure(i.baseline),
        "actual": s.actual.map(figure),
        "as_of": s.as_of,
        "target": s.target.as_ref().map(|t| format!("{} by {}", figure(t.value), t.date)),
        "progress": s.progress.map(|p| format!("{:.0} %", p * 100.0)),
        "chart": chart,
    })
}

/// The months from the first to the last with activity, quiet ones as
/// zero, so that the bars keep calendar spacing.
fn every_month(
    trend: Vec<coalesce_store::picture::MonthCount>,
) -> Vec<coalesce_store::picture::MonthCount> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        Some((y.parse().ok()?, mo.parse().ok()?))
    };
    let (Some(first), Some(last)) = (
        trend.first().and_then(|m| parse(&m.month)),
        trend.last().and_then(|m| parse(&m.month)),
    ) else {
        return trend;
    };
    let mut by_month: std::collections::BTreeMap<String, coalesce_store::picture::MonthCount> =
        trend.into_iter().map(|m| (m.month.clone(), m)).collect();
    let (mut y, mut m) = first;
    // Bounded: at most 50 years of months.
    for _ in 0..600 {
        let key = format!("{y:04}-{m:02}");
        by_month
            .entry(key.clone())
            .or_insert(coalesce_store::picture::MonthCount {
                month: key,
                pledged: 0,
                deliveries: 0,
            });
        if (y, m) >= last {
            break;
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    by_month.into_values().collect()
}

// ----- dashboard ----------------------------------------------------------

pub(crate) async fn dashboard(
    State(st): State<AppState>,
    p: Page,
    Path(slug): Path<String>,
) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let Some(line) = lines.iter().find(|l| l.slug == slug) else {
        return api_error_page(ApiError::not_found("no such line of effort"), Some(&p));
    };
    let pr = &p.principal;
    let filter = ContributionFilter {
        line_of_effort: Some(slug.clone()),
        ..ContributionFilter::default()
    };
    let reqs = tri!(st.store.requirements_with_figures(pr, &slug, PAGE).await, p);
    let recent = tri!(st.store.recent_deliveries(pr, &filter, 20).await, p);
    let by_member = tri!(
        st.store
            .contribution_totals(pr, &filter, Dimension::Member)
            .await,
        p
    );
    let by_category = tri!(
        st.store
            .contribution_totals(pr, &filter, Dimension::Category)
            .await,
        p
    );
    let trend = tri!(st.store.contribution_trend(pr, &filter).await, p);
    let mut indicators = vec![];
    for i in tri!(st.store.list_indicators().await, p) {
        if i.line_of_effort.as_deref() == Some(slug.as_str()) {
            let (i, s) = tri!(st.store.indicator_standing(pr, &i.slug).await, p);
            indicators.push(indicator_json(&i, &s));
        }
    }
    let trend = every_month(trend);
    let months: Vec<String> = trend.iter().map(|m| m.month.clone()).collect();
    let trend_chart = if trend.is_empty() {
        String::new()
    } else {
        charts::bar_chart(
            "Contributions pledged and deliveries made per month",
            "count",
            &months,
            &[
                (
                    "pledged".to_string(),
                    trend.iter().map(|m| m.pledged as f64).collect(),
                ),
                (
                    "deliveries".to_string(),
                    trend.iter().map(|m| m.deliveries as f64).collect(),
                ),
            ],
        )
    };
    let requirements: Vec<_> = reqs
        .iter()
        .map(|f| {
            json!({
                "r": requirement_json(&f.requirement),
                "s": summary_json(&f.summary, &f.requirement.measure),
            })
        })
        .collect();
    let deliveries: Vec<_> = recent
        .iter()
        .map(|d| {
            json!({
                "on": d.delivery.delivered_on,
                "amount": measure_text(&d.contribution.measure, d.delivery.amount),
                "evidence": d.delivery.evidence,
                "received": d.delivery.received_at_ms.is_some(),
                "c": contribution_json(&d.contribution),
            })
        })
        .collect();
    let ctx = context! {
        title => line.name.clone(),
        line => Value::from_serialize(line),
        requirements => Value::from_serialize(&requirements),
        deliveries => Value::from_serialize(&deliveries),
        by_member => Value::from_serialize(totals_json(&by_member)),
        by_category => Value::from_serialize(totals_json(&by_category)),
        trend_chart,
        indicators => Value::from_serialize(&indicators),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "dashboard.html",
        ctx,
        st.secure_cookies,
    )
}

// ----- who does what where ------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct WhoQuery {
    #[serde(default)]
    line_of_effort: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    admin1: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    cursor: Option<String>,
}

/// Percent-encodes a query-string value.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl WhoQuery {
    /// The filters as a query string (for paging and download links).
    fn query_string(&self) -> String {
        [
            ("line_of_effort", &self.line_of_effort),
            ("member", &self.member),
            ("country", &self.country),
            ("admin1", &self.admin1),
            ("category", &self.category),
            ("status", &self.status),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    fn filter(&self) -> Result<ContributionFilter, ApiError> {
        coalesce_api::wire_picture::ContributionQuery {
            line_of_effort: Some(self.line_of_effort.clone()),
            member: Some(self.member.clone()),
            country: Some(self.country.clone()),
            admin1: Some(self.admin1.clone()),
            category: Some(self.category.clone()),
            status: Some(self.status.clone()),
            ..Default::default()
        }
        .filter()
    }
}

pub(crate) async fn who_does_what_where(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<WhoQuery>,
) -> Response {
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => return api_error_page(e, Some(&p)),
    };
    let pr = &p.principal;
    let page = tri!(
        st.store
            .list_contributions(pr, &filter, q.cursor.as_deref(), PAGE)
            .await,
        p
    );
    let count = tri!(st.store.count_contributions(pr, &filter).await, p);
    let by_member = tri!(
        st.store
            .contribution_totals(pr, &filter, Dimension::Member)
            .await,
        p
    );
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let members = tri!(st.store.list_members().await, p);
    let rows: Vec<_> = page.items.iter().map(contribution_json).collect();
    let qs = q.query_string();
    let next = page.next.map(|c| format!("{qs}&cursor={}", urlencode(&c)));
    let ctx = context! {
        title => "Who does what where",
        q => Value::from_serialize(&q),
        rows => Value::from_serialize(&rows),
        count,
        by_member => Value::from_serialize(totals_json(&by_member)),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        members => Value::from_serialize(&members),
        statuses => vec!["pledged", "committed", "delivered", "cancelled"],
        next,
        qs,
    };
    html(Some(&p), StatusCode::OK, "who.html", ctx, st.secure_cookies)
}

// ----- requirements -------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct RequirementForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    requesting_member: String,
    #[serde(default)]
    line_of_effort: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    admin1_name: String,
    #[serde(default)]
    admin1_pcode: String,
    #[serde(default)]
    town: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
}

/// An amount as typed: an integer quantity, or money in major units with
/// at most the currency's decimals ("1500000.50").
fn parse_measure(kind: &str, amount: &str, unit: &str) -> Result<Measure, ApiError> {
    let unit = unit.trim();
    let invalid = |reason: String| {
        ApiError::from(coalesce_domain::DomainError::InvalidField {
            field: "amount",
            reason,
        })
    };
    match kind {
        "money" => {
            let currency = unit.to_ascii_uppercase();
            let minor = coalesce_exchange::money::parse_major(amount.trim(), &currency)
                .map_err(|e| invalid(e.to_string()))?;
            Ok(Measure::money(minor, &currency)?)
        }
        _ => {
            let n = amount
                .trim()
                .replace([',', '_'], "")
                .parse::<i64>()
                .map_err(|_| invalid(format!("{amount:?} is not a whole number")))?;
            Ok(Measure::quantity(n, unit)?)
        }
    }
}

fn parse_place(
    country: &str,
    admin1_name: &str,
    admin1_pcode: &str,
    town: &str,
) -> Result<Place, ApiError> {
    let admin1 = if admin1_name.trim().is_empty() && admin1_pcode.trim().is_empty() {
        None
    } else {
        Some(AdminArea::parse(admin1_name, admin1_pcode)?)
    };
    Ok(Place::parse(
        &country.trim().to_ascii_uppercase(),
        admin1,
        Some(town),
        None,
    )?)
}

impl RequirementForm {
    fn draft(&self) -> Result<RequirementDraft, ApiError> {
        let marking = Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to))?;
        let priority = self.priority.trim().parse::<i64>().unwrap_or(0);
        Ok(RequirementDraft::parse(
            &self.title,
            &self.description,
            &self.requesting_member.to_ascii_uppercase(),
            &self.line_of_effort,
            &self.category,
            parse_measure(&self.kind, &self.amount, &self.unit)?,
            parse_place(
                &self.country,
                &self.admin1_name,
                &self.admin1_pcode,
                &self.town,
            )?,
            Window::parse(&self.start, &self.end)?,
            priority,
            marking,
        )?)
    }
}

async fn requirement_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &RequirementForm,
    error: Option<String>,
) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let ctx = context! {
        title => "Post a requirement",
        form => Value::from_serialize(form),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        error,
    };
    html(
        Some(p),
        status,
        "requirement_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn new_requirement(State(st): State<AppState>, p: Page) -> Response {
    let form = RequirementForm {
        requesting_member: p.principal.member.to_string(),
        kind: "quantity".into(),
        country: "IRQ".into(),
        priority: "3".into(),
        tlp: "GREEN".into(),
        rel_to: "COALITION".into(),
        ..RequirementForm::default()
    };
    requirement_form_page(&st, &p, StatusCode::OK, &form, None).await
}

pub(crate) async fn create_requirement(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<RequirementForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let result = match f.draft() {
        Ok(d) => st
            .store
            .create_requirement(&p.principal, &d)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Redirect::to(&format!("/requirements/{}", r.id)).into_response(),
        Err(e) => requirement_form_page(&st, &p, e.status, &f, Some(e.detail)).await,
    }
}

fn check_id(id: &str, p: &Page) -> Option<Response> {
    bad_id_page(id, "no such record, or not releasable to you", p)
}

pub(crate) async fn requirement(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    requirement_page(&st, &p, &id, StatusCode::OK, None, None).await
}

async fn requirement_page(
    st: &AppState,
    p: &Page,
    id: &str,
    status: StatusCode,
    form: Option<&PledgeForm>,
    error: Option<String>,
) -> Response {
    let pr = &p.principal;
    let r = tri!(st.store.get_requirement(pr, id).await, p);
    let s = tri!(st.store.requirement_summary(pr, id).await, p);
    let cons = tri!(
        st.store
            .list_contributions(pr, &ContributionFilter::for_requirement(id), None, 500)
            .await,
        p
    );
    let rows: Vec<_> = cons.items.iter().map(contribution_json).collect();
    let default_form = PledgeForm {
        contributors: pr.member.to_string(),
        kind: r.measure.kind().into(),
        unit: r.measure.unit().into(),
        tlp: r.marking.tlp.as_str().into(),
        rel_to: r
            .marking
            .rel_to
            .iter()
            .map(|t| t.as_string())
            .chain(std::iter::once(r.requesting_member.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", "),
        ..PledgeForm::default()
    };
    let ctx = context! {
        title => r.title.clone(),
        r => Value::from_serialize(requirement_json(&r)),
        s => Value::from_serialize(summary_json(&s, &r.measure)),
        rows => Value::from_serialize(&rows),
        form => Value::from_serialize(form.unwrap_or(&default_form)),
        can_write => pr.role.can_write_records(),
        // The member it was recorded for confirms it asks for it.
        can_confirm => pr.role.can_write_records()
            && !r.requester_confirmed
            && r.requesting_member == pr.member.as_str(),
        error,
    };
    html(Some(p), status, "requirement.html", ctx, st.secure_cookies)
}

/// The requesting member confirms a requirement recorded in its name.
pub(crate) async fn confirm_requirement(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    match st.store.confirm_requirement(&p.principal, &id).await {
        Ok(_) => Redirect::to(&format!("/requirements/{id}")).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            requirement_page(&st, &p, &id, e.status, None, Some(e.detail)).await
        }
    }
}

// ----- contributions ------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct PledgeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    requirement_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contributors: String,
    #[serde(default)]
    line_of_effort: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    admin1_name: String,
    #[serde(default)]
    admin1_pcode: String,
    #[serde(default)]
    town: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
    /// Party rows (`party1_role`, `party1_kind`, `party1_name`,
    /// `party1_country`, `party2_…`): suppliers, carriers, consignees, ...
    #[serde(flatten)]
    parties: std::collections::BTreeMap<String, String>,
}

/// Rows of party fields shown on a form besides the parties already there.
const BLANK_PARTY_ROWS: usize = 2;

/// The parties of a form's rows `party{i}_role|kind|name|country` (a row
/// without a name is left out), checked as a list.
fn parties_from_fields(
    fields: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<coalesce_domain::needs::Party>, ApiError> {
    let mut rows: std::collections::BTreeMap<u32, [&str; 4]> = std::collections::BTreeMap::new();
    for (k, v) in fields {
        let Some(rest) = k.strip_prefix("party") else {
            continue;
        };
        let Some((i, field)) = rest.split_once('_') else {
            continue;
        };
        let Ok(i) = i.parse::<u32>() else { continue };
        let slot = match field {
            "role" => 0,
            "kind" => 1,
            "name" => 2,
            "country" => 3,
            _ => continue,
        };
        rows.entry(i).or_insert([""; 4])[slot] = v.as_str();
    }
    let parties = rows
        .values()
        .filter(|r| !r[2].trim().is_empty())
        .map(|r| coalesce_domain::needs::Party::parse(r[0], r[1], r[2], Some(r[3])))
        .collect::<Result<Vec<_>, _>>()?;
    coalesce_domain::needs::Party::check_list(&parties)?;
    Ok(parties)
}

/// Party rows for a form: the given parties, then blank rows.
fn party_rows(parties: &[coalesce_domain::needs::Party]) -> Vec<serde_json::Value> {
    parties
        .iter()
        .map(|x| {
            json!({ "role": x.role.as_str(), "kind": x.kind.as_str(), "name": x.name, "country": x.country })
        })
        .chain(
            (0..BLANK_PARTY_ROWS)
                .map(|_| json!({ "role": "supplier", "kind": "organisation", "name": "", "country": "" })),
        )
        .collect()
}

/// The party rows a pledge form was submitted with (to show it again).
fn submitted_party_rows(
    fields: &std::collections::BTreeMap<String, String>,
) -> Vec<serde_json::Value> {
    let get = |i: usize, f: &str| {
        fields
            .get(&format!("party{i}_{f}"))
            .cloned()
            .unwrap_or_default()
    };
    (1..=BLANK_PARTY_ROWS)
        .map(|i| {
            json!({
                "role": Some(get(i, "role")).filter(|r| !r.is_empty()).unwrap_or_else(|| "supplier".into()),
                "kind": Some(get(i, "kind")).filter(|k| !k.is_empty()).unwrap_or_else(|| "organisation".into()),
                "name": get(i, "name"), "country": get(i, "country"),
            })
        })
        .collect()
}

fn party_roles() -> Vec<(&'static str, &'static str)> {
    coalesce_domain::needs::PartyRole::ALL
        .iter()
        .map(|r| (r.as_str(), r.label()))
        .collect()
}

impl PledgeForm {
    fn draft(&self) -> Result<ContributionDraft, ApiError> {
        let marking = Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to))?;
        let contributors: Vec<String> = self
            .contributors
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        let place = if self.country.trim().is_empty() {
            None
        } else {
            Some(parse_place(
                &self.country,
                &self.admin1_name,
                &self.admin1_pcode,
                &self.town,
            )?)
        };
        let window = if self.start.trim().is_empty() && self.end.trim().is_empty() {
            None
        } else {
            Some(Window::parse(&self.start, &self.end)?)
        };
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        Ok(ContributionDraft::parse(
            &self.title,
            &self.description,
            &contributors,
            opt(&self.requirement_id).as_deref(),
            opt(&self.line_of_effort).as_deref(),
            opt(&self.category).as_deref(),
            parse_measure(&self.kind, &self.amount, &self.unit)?,
            place,
            window,
            marking,
        )?
        .with_parties(parties_from_fields(&self.parties)?)?)
    }
}

async fn pledge_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &PledgeForm,
    error: Option<String>,
) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let ctx = context! {
        title => "Pledge a contribution",
        form => Value::from_serialize(form),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        party_rows => Value::from_serialize(submitted_party_rows(&form.parties)),
        party_roles => party_roles(),
        error,
    };
    html(
        Some(p),
        status,
        "contribution_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn new_contribution(State(st): State<AppState>, p: Page) -> Response {
    let form = PledgeForm {
        contributors: p.principal.member.to_string(),
        kind: "quantity".into(),
        country: "IRQ".into(),
        tlp: "GREEN".into(),
        rel_to: "COALITION".into(),
        ..PledgeForm::default()
    };
    pledge_form_page(&st, &p, StatusCode::OK, &form, None).await
}

/// Pledges from the standalone form and from a requirement's page.
pub(crate) async fn create_contribution(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<PledgeForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let result = match f.draft() {
        Ok(d) => st
            .store
            .create_contribution(&p.principal, &d)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Redirect::to(&format!("/contributions/{}", c.id)).into_response(),
        Err(e)
            if !f.requirement_id.trim().is_empty() && check_id(&f.requirement_id, &p).is_none() =>
        {
            requirement_page(
                &st,
                &p,
                &f.requirement_id,
                e.status,
                Some(&f),
                Some(e.detail),
            )
            .await
        }
        Err(e) => pledge_form_page(&st, &p, e.status, &f, Some(e.detail)).await,
    }
}

pub(crate) async fn contribution(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    contribution_page(&st, &p, &id, StatusCode::OK, None).await
}

async fn contribution_page(
    st: &AppState,
    p: &Page,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let pr = &p.principal;
    let c = tri!(st.store.get_contribution(pr, id).await, p);
    let ds = tri!(st.store.contribution_deliveries(pr, id).await, p);
    let requirement = match &c.requirement_id {
        Some(rid) => match st.store.get_requirement(pr, rid).await {
            Ok(r) => Some(r),
            Err(coalesce_store::StoreError::NotFound) => None,
            Err(e) => return api_error_page(e.into(), Some(p)),
        },
        None => None,
    };
    let is_origin = c.origin == pr.member.as_str() && pr.role.can_write_records();
    let is_requester = requirement
        .as_ref()
        .is_some_and(|r| r.requesting_member == pr.member.as_str())
        && pr.role.can_write_records();
    let deliveries: Vec<_> = ds
        .iter()
        .map(|d| {
            json!({
                "seq": d.seq, "on": d.delivered_on, "amount": measure_text(&c.measure, d.amount),
                "evidence": d.evidence, "recorded_by": d.recorded_by,
                "received_by": d.received_by, "received_member": d.received_member,
                "received": d.received_at_ms.is_some(),
            })
        })
        .collect();
    let screening = crate::screen::record_screening(
        st,
        p,
        c.parties
            .iter()
            .map(coalesce_api::screening::contribution_party)
            .collect(),
    )
    .await;
    // The recorded parties, then the blank rows of the form.
    let rows = party_rows(&c.parties);
    let ctx = context! {
        title => c.title.clone(),
        parties => Value::from_serialize(&rows[..c.parties.len()]),
        party_rows => Value::from_serialize(&rows),
        party_roles => party_roles(),
        screening,
        back => format!("/contributions/{id}"),
        can_decide => pr.role.can_write_records(),
        c => Value::from_serialize(contribution_json(&c)),
        r => Value::from_serialize(requirement.as_ref().map(requirement_json)),
        deliveries => Value::from_serialize(&deliveries),
        is_origin,
        is_requester,
        // A member named as a co-contributor confirms with its own act.
        can_join => pr.role.can_write_records()
            && c.proposed_contributors.iter().any(|m| m == pr.member.as_str()),
        outstanding => c.progress().outstanding(),
        unit => if c.measure.kind() == "money" { format!("{} (in {})", c.measure.unit(), "major units") } else { c.measure.unit().to_string() },
        error,
    };
    html(Some(p), status, "contribution.html", ctx, st.secure_cookies)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    csrf: String,
    /// commit, deliver, cancel, confirm (a receipt) or join (a co-contributor confirms).
    #[serde(default)]
    step: String,
    #[serde(default)]
    delivered_on: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    seq: Option<i64>,
}

pub(crate) async fn contribution_step(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let pr = &p.principal;
    let result: Result<(), ApiError> = match f.step.as_str() {
        "commit" => st
            .store
            .commit_contribution(pr, &id)
            .await
            .map(|_| ())
            .map_err(Into::into),
        "cancel" => st
            .store
            .cancel_contribution(pr, &id)
            .await
            .map(|_| ())
            .map_err(Into::into),
        "deliver" => {
            async {
                let c = st.store.get_contribution(pr, &id).await?;
                let m = parse_measure(c.measure.kind(), &f.amount, c.measure.unit())?;
                let d = DeliveryDraft::parse(&f.delivered_on, m.amount(), &f.evidence)?;
                st.store.deliver_contribution(pr, &id, &d).await?;
                Ok(())
            }
            .await
        }
        "join" => st
            .store
            .confirm_co_contribution(pr, &id)
            .await
            .map(|_| ())
            .map_err(Into::into),
        "confirm" => match f.seq {
            Some(seq) => st
                .store
                .confirm_receipt(pr, &id, seq)
                .await
                .map(|_| ())
                .map_err(Into::into),
            None => Err(ApiError::bad_request("invalid_form", "which delivery?")),
        },
        other => Err(ApiError::bad_request(
            "invalid_form",
            format!("unknown step {other:?}"),
        )),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/contributions/{id}")).into_response(),
        Err(e) => contribution_page(&st, &p, &id, e.status, Some(e.detail)).await,
    }
}

/// Replaces the parties of a contribution from its page (origin only).
pub(crate) async fn contribution_parties(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let csrf = f.get("csrf").map(String::as_str).unwrap_or_default();
    if let Some(r) = csrf_rejection(&headers, csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let version = f.get("version").and_then(|v| v.trim().parse::<i64>().ok());
    let result = match parties_from_fields(&f) {
        Ok(parties) => st
            .store
            .set_contribution_parties(&p.principal, &id, &parties, version)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/contributions/{id}#parties")).into_response(),
        Err(e) => contribution_page(&st, &p, &id, e.status, Some(e.detail)).await,
    }
}

// ----- indicators ---------------------------------------------------------

pub(crate) async fn indicators(State(st): State<AppState>, p: Page) -> Response {
    let mut items = vec![];
    for i in tri!(st.store.list_indicators().await, p) {
        let (i, s) = tri!(st.store.indicator_standing(&p.principal, &i.slug).await, p);
        items.push(indicator_json(&i, &s));
    }
    let ctx = context! { title => "Indicators", items => Value::from_serialize(&items) };
    html(
        Some(&p),
        StatusCode::OK,
        "indicators.html",
        ctx,
        st.secure_cookies,
    )
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct ValueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    observed_on: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
}

pub(crate) async fn indicator(
    State(st): State<AppState>,
    p: Page,
    Path(slug): Path<String>,
) -> Response {
    indicator_page(&st, &p, &slug, StatusCode::OK, None, None).await
}

async fn indicator_page(
    st: &AppState,
    p: &Page,
    slug: &str,
    status: StatusCode,
    form: Option<&ValueForm>,
    error: Option<String>,
) -> Response {
    if coalesce_domain::Slug::parse(slug).is_err() {
        return api_error_page(ApiError::not_found("no such indicator"), Some(p));
    }
    let (i, s) = tri!(st.store.indicator_standing(&p.principal, slug).await, p);
    let values = tri!(
        st.store
            .list_indicator_values(&p.principal, slug, None, 200)
            .await,
        p
    );
    let rows: Vec<_> = values
        .items
        .iter()
        .map(|v| {
            json!({
                "observed_on": v.observed_on, "value": figure(v.value),
                "origin": v.origin, "note": v.note, "banner": banner(&v.origin, &v.marking),
                "tlp": v.marking.tlp.as_str(),
            })
        })
        .collect();
    let default_form = ValueForm {
        tlp: "GREEN".into(),
        rel_to: "COALITION".into(),
        ..ValueForm::default()
    };
    let ctx = context! {
        title => i.name.clone(),
        i => Value::from_serialize(indicator_json(&i, &s)),
        rows => Value::from_serialize(&rows),
        form => Value::from_serialize(form.unwrap_or(&default_form)),
        can_write => p.principal.role.can_write_records(),
        error,
    };
    html(Some(p), status, "indicator.html", ctx, st.secure_cookies)
}

pub(crate) async fn report_value(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<ValueForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let result: Result<(), ApiError> = async {
        let v = f
            .value
            .trim()
            .replace(',', "")
            .parse::<f64>()
            .map_err(|_| {
                ApiError::from(coalesce_domain::DomainError::InvalidField {
                    field: "value",
                    reason: format!("{:?} is not a number", f.value),
                })
            })?;
        let marking = Marking::parse(&f.tlp, &rel_to_tokens(&f.rel_to))?;
        let d = ValueDraft::parse(&f.observed_on, v, &f.note, marking)?;
        st.store
            .report_indicator_value(&p.principal, &slug, &d)
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/indicators/{slug}")).into_response(),
        Err(e) => indicator_page(&st, &p, &slug, e.status, Some(&f), Some(e.detail)).await,
    }
}

// ----- duplication and member pages ---------------------------------------

pub(crate) async fn duplication(State(st): State<AppState>, p: Page) -> Response {
    let d = tri!(st.store.duplication(&p.principal, "").await, p);
    let over: Vec<_> = d
        .over_contributed
        .iter()
        .map(|o| {
            json!({
                "r": requirement_json(&o.requirement),
                "offered": measure_text(&o.requirement.measure, o.offered),
            })
        })
        .collect();
    let groups: Vec<Vec<_>> = d
        .overlapping
        .iter()
        .map(|g| g.iter().map(contribution_json).collect())
        .collect();
    let ctx = context! {
        title => "Duplication",
        over => Value::from_serialize(&over),
        groups => Value::from_serialize(&groups),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "duplication.html",
        ctx,
        st.secure_cookies,
    )
}

/// What a member pledged and delivered (for its member page).
pub(crate) async fn member_contributions(
    st: &AppState,
    p: &Page,
    code: &str,
) -> Result<serde_json::Value, ApiError> {
    let filter = ContributionFilter {
        member: Some(code.to_string()),
        ..ContributionFilter::default()
    };
    let totals = st
        .store
        .contribution_totals(&p.principal, &filter, Dimension::LineOfEffort)
        .await?;
    let list = st
        .store
        .list_contributions(&p.principal, &filter, None, PAGE)
        .await?;
    let count = st.store.count_contributions(&p.principal, &filter).await?;
    Ok(json!({
        "totals": totals_json(&totals),
        "rows": list.items.iter().map(contribution_json).collect::<Vec<_>>(),
        "count": count,
    }))
}

// ----- import -------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct ImportForm {
    #[serde(default)]
    csrf: String,
    /// requirements, contributions, indicator-values or stix-bundle.
    #[serde(default)]
    what: String,
    #[serde(default)]
    csv: String,
}

async fn import_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &ImportForm,
    result: serde_json::Value,
) -> Response {
    let ctx = context! {
        title => "Import",
        form => Value::from_serialize(form),
        result => Value::from_serialize(&result),
    };
    html(Some(p), status, "import.html", ctx, st.secure_cookies)
}

pub(crate) async fn import_form(State(st): State<AppState>, p: Page) -> Response {
    let form = ImportForm {
        what: "requirements".into(),
        ..ImportForm::default()
    };
    import_page(&st, &p, StatusCode::OK, &form, serde_json::Value::Null).await
}

/// All or nothing, like the API: every bad row is listed; nothing is written.
pub(crate) async fn import_submit(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<ImportForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    use coalesce_api::exchange::{bundle_objects, import_csv, stix_import, ImportKind};
    let result = match (f.what.as_str(), ImportKind::parse(&f.what)) {
        ("stix-bundle", _) => match bundle_objects(f.csv.as_bytes()) {
            Ok(objects) => stix_import(&st, &p.principal, &objects)
                .await
                .map(|(n, held, _)| json!({ "imported": n, "already_held": held })),
            Err(e) => Err(e),
        },
        (_, Some(kind)) => import_csv(&st, &p.principal, kind, f.csv.as_bytes())
            .await
            .map(|ids| json!({ "imported": ids.len() })),
        (_, None) => Err(ApiError::bad_request(
            "invalid_form",
            format!("unknown kind of records {:?}", f.what),
        )),
    };
    match result {
        Ok(r) => import_page(&st, &p, StatusCode::OK, &f, r).await,
        Err(e) => {
            let r = json!({ "error": e.detail, "rows": e.errors });
            import_page(&st, &p, e.status, &f, r).await
        }
    }
}
