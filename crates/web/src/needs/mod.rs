//! The coordination picture in the browser (issue 3): a dashboard per line
//! of effort, who-does-what-where with filters, requirement and
//! contribution pages with their lifecycle forms, indicators with charts,
//! and duplication. Every figure comes from the store, computed only over
//! what the viewer may read; forms carry the CSRF token.

use super::{api_error_page, bad_id_page, csrf_rejection, html, rel_to_tokens, Page};
use crate::form::Form;
use crate::{charts, i18n};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::indicators::{Indicator, Standing, ValueDraft};
use coalesce_domain::needs::{
    AdminArea, Contribution, ContributionDraft, DeliveryDraft, Measure, Place, Requirement,
    RequirementDraft, Summary, Window,
};
use coalesce_domain::Marking;
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::{Dimension, Total};
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;

mod contributions;
mod import;
mod indicator_form;
mod indicators;
mod map;
mod requirements;

pub(crate) use contributions::*;
pub(crate) use import::*;
pub(crate) use indicator_form::*;
pub(crate) use indicators::*;
pub(crate) use map::*;
pub(crate) use requirements::*;

const PAGE: i64 = 50;

/// "1,200 vest" or "USD 1,500,000.00": how an amount reads on a page.
pub(crate) fn show_amount(kind: &str, unit: &str, amount: i64) -> String {
    coalesce_app::plenary::show_amount(kind, unit, amount)
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

use coalesce_app::wire_needs::banner;

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

/// A message with its arguments, in the reader's language.
fn say(p: &Page, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    i18n::tr(p.lang, id, Some(&i18n::args(args.iter().cloned())))
}

/// A figure with decimals only where it has them ("2,000", "9.5").
fn figure(v: f64) -> String {
    if v.fract() == 0.0 {
        charts::format_number(v, 0)
    } else {
        charts::format_number(v, 2)
    }
}

/// The indicator's chart (series, baseline, targets) and its figures, in
/// the reader's language.
pub(crate) fn indicator_json(p: &Page, i: &Indicator, s: &Standing) -> serde_json::Value {
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
    // No value reported yet: no chart (an empty frame with only a target
    // line reads as a chart of nothing); the page says so instead.
    let reported = !points.is_empty();
    let mut series = charts::Series::new(
        say(
            p,
            "ind-reported",
            &[("name", FluentValue::from(i.name.as_str()))],
        ),
        points,
    );
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
                label: say(
                    p,
                    "ind-target-line",
                    &[("value", FluentValue::from(figure(t.value)))],
                ),
            })
        })
        .collect();
    let chart = if reported {
        charts::line_chart(&i.name, &i.unit, &[series], Some(i.baseline), &targets)
    } else {
        String::new()
    };
    let target = s.target.as_ref().map(|t| {
        say(
            p,
            "ind-target-by",
            &[
                ("value", FluentValue::from(figure(t.value))),
                ("date", FluentValue::from(t.date.as_str())),
            ],
        )
    });
    // A whole percent, as text (as the page wrote it before).
    let progress = s.progress.map(|x| {
        say(
            p,
            "ind-percent",
            &[("n", FluentValue::from(format!("{:.0}", x * 100.0)))],
        )
    });
    json!({
        "slug": i.slug, "name": i.name, "description": i.description, "unit": i.unit,
        "line_of_effort": i.line_of_effort, "direction": i.direction.as_str(),
        "aggregation": i.aggregation.as_str(),
        "baseline": figure(i.baseline),
        "actual": s.actual.map(figure),
        "as_of": s.as_of,
        "target": target,
        "progress": progress,
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
    // Independent reads awaited together (each on its own connection): the
    // page waits for the slowest, not for the sum.
    let store = &st.store;
    let indicators = async {
        let mut on_line = store.list_indicators().await?;
        on_line.retain(|i| i.line_of_effort.as_deref() == Some(slug.as_str()));
        store.indicator_standings(pr, on_line).await
    };
    let (reqs, recent, by_member, by_category, trend, standings) = tri!(
        tokio::try_join!(
            store.requirements_with_figures(pr, &slug, PAGE),
            store.recent_deliveries(pr, &filter, 20),
            store.contribution_totals(pr, &filter, Dimension::Member),
            store.contribution_totals(pr, &filter, Dimension::Category),
            store.contribution_trend(pr, &filter),
            indicators,
        ),
        p
    );
    let indicators: Vec<_> = standings
        .iter()
        .map(|(i, s)| indicator_json(&p, i, s))
        .collect();
    let trend = every_month(trend);
    let months: Vec<String> = trend.iter().map(|m| m.month.clone()).collect();
    let trend_chart = if trend.is_empty() {
        String::new()
    } else {
        charts::bar_chart(
            &p.t("dash-trend-title"),
            &p.t("dash-trend-unit"),
            &months,
            &[
                (
                    p.t("dash-trend-pledged"),
                    trend.iter().map(|m| m.pledged as f64).collect(),
                ),
                (
                    p.t("dash-trend-deliveries"),
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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
pub(crate) fn urlencode(s: &str) -> String {
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
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    fn filter(&self) -> Result<ContributionFilter, ApiError> {
        coalesce_app::wire_picture::ContributionQuery {
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
    // Names, not slugs and codes, as the reader reads them.
    let rows: Vec<_> = page
        .items
        .iter()
        .map(|c| {
            let mut row = contribution_json(c);
            row["line_name"] = json!(lines
                .iter()
                .find(|l| l.slug == c.line_of_effort)
                .map_or(c.line_of_effort.as_str(), |l| l.name.as_str()));
            row["category_name"] = json!(categories
                .iter()
                .find(|k| k.slug == c.category)
                .map_or(c.category.as_str(), |k| k.name.as_str()));
            row["contributor_names"] = json!(c
                .contributors
                .iter()
                .map(|code| {
                    members
                        .iter()
                        .find(|m| &m.code == code)
                        .map_or(code.as_str(), |m| m.name.as_str())
                })
                .collect::<Vec<_>>()
                .join(", "));
            row
        })
        .collect();
    let qs = q.query_string();
    let next = page.next.map(|c| format!("{qs}&cursor={}", urlencode(&c)));
    let ctx = context! {
        title => p.t("who-title"),
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
