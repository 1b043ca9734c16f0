//! The 3W map (issue 21): requirements, contributions and gaps by
//! governorate, coloured by coverage and drawn as SVG from the bundled
//! boundaries, with the filters of the who-does-what-where table. Every
//! figure comes from the store over what the reader may read: an area
//! whose only requirement the reader may not read is drawn as having none.

use super::{api_error_page, html, Page, WhoQuery};
use crate::{boundaries, i18n};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use coalesce_app::AppState;
use coalesce_domain::needs::Coverage;
use coalesce_store::picture::RequirementListFilter;
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many requirements one map counts at most (it says when it stops).
const MAP_REQUIREMENTS: i64 = 5_000;

/// One area's line in the map's table (and its shape's tooltip).
#[derive(Debug, Default, Serialize)]
struct AreaRow {
    pcode: String,
    name: String,
    name_ar: String,
    requirements: usize,
    unmet: usize,
    partly: usize,
    covered: usize,
    coverage: Option<&'static str>,
    contributions: i64,
    contributors: String,
    on_map: bool,
    /// What its shape's tooltip says.
    summary: String,
}

/// The row of an area, made on first sight: named as bundled, or as the
/// record names it when it is not among the bundled areas.
fn row<'a>(
    areas: &'a mut BTreeMap<String, AreaRow>,
    pcode: &str,
    recorded_name: &str,
) -> &'a mut AreaRow {
    areas.entry(pcode.to_string()).or_insert_with(|| {
        let bundled = boundaries::area(pcode);
        AreaRow {
            pcode: pcode.to_string(),
            name: bundled.map_or(recorded_name.to_string(), |a| a.name.clone()),
            name_ar: bundled.map(|a| a.name_ar.clone()).unwrap_or_default(),
            on_map: bundled.is_some(),
            ..AreaRow::default()
        }
    })
}

/// A message of the map with its arguments, in the reader's language.
fn say(p: &Page, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    i18n::tr(p.lang, id, Some(&i18n::args(args.iter().cloned())))
}

pub(crate) async fn who_map(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<WhoQuery>,
) -> Response {
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => return api_error_page(e, Some(&p)),
    };
    let pr = &p.principal;
    // Requirements follow the filters that describe a need (line, category,
    // place); the member and status filters narrow the contributions.
    let needs = RequirementListFilter {
        line_of_effort: filter.line_of_effort.clone(),
        requesting_member: None,
        category: filter.category.clone(),
        country: filter.country.clone(),
        admin1_pcode: filter.admin1_pcode.clone(),
    };
    let (requirements, more) = tri!(
        st.store
            .requirements_all(pr, &needs, MAP_REQUIREMENTS)
            .await,
        p
    );
    let contributions = tri!(st.store.contributions_by_area(pr, &filter).await, p);
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let members = tri!(st.store.list_members().await, p);
    let member_name = |code: &str| {
        members
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };

    let mut areas: BTreeMap<String, AreaRow> = BTreeMap::new();
    let mut countries: Vec<String> = Vec::new();
    let mut country_only = 0_usize;
    let mut by_area: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for f in &requirements {
        let place = &f.requirement.place;
        if !countries.contains(&place.country) {
            countries.push(place.country.clone());
        }
        match &place.admin1 {
            Some(a) => {
                let r = row(&mut areas, &a.pcode, &a.name);
                r.requirements += 1;
                match Coverage::of_requirement(&f.summary) {
                    Coverage::Unmet => r.unmet += 1,
                    Coverage::Partly => r.partly += 1,
                    Coverage::Covered => r.covered += 1,
                }
                by_area.entry(a.pcode.clone()).or_default().push(&f.summary);
            }
            None => country_only += 1,
        }
    }
    let mut contributions_country_only = 0_i64;
    for c in &contributions {
        if c.area.is_empty() {
            contributions_country_only += c.contributions;
            continue;
        }
        let r = row(&mut areas, &c.area, &c.area);
        r.contributions = c.contributions;
        r.contributors = c
            .members
            .iter()
            .map(|m| member_name(m))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(a) = boundaries::area(&c.area) {
            if !countries.contains(&a.country) {
                countries.push(a.country.clone());
            }
        }
    }
    for r in areas.values_mut() {
        r.coverage = Coverage::of_place(by_area.get(&r.pcode).into_iter().flatten().copied())
            .map(Coverage::as_str);
        let mut said = vec![format!("{} ({})", r.name, r.pcode)];
        if r.requirements > 0 {
            said.push(say(
                &p,
                "map-area-requirements",
                &[
                    ("count", FluentValue::from(r.requirements)),
                    ("unmet", FluentValue::from(r.unmet)),
                    ("partly", FluentValue::from(r.partly)),
                    ("covered", FluentValue::from(r.covered)),
                ],
            ));
        }
        if r.contributions > 0 {
            said.push(say(
                &p,
                "map-area-contributions",
                &[
                    ("count", FluentValue::from(r.contributions)),
                    ("members", FluentValue::from(r.contributors.as_str())),
                ],
            ));
        }
        r.summary = said.join(" — ");
    }
    // Draw the countries the reader's records are in; when a country is
    // chosen, that one.
    let drawn: Vec<&str> = match filter.country.as_deref() {
        Some(c) => vec![c],
        None => countries.iter().map(String::as_str).collect(),
    };
    let drawing = boundaries::draw(&drawn);
    // Every bundled area of the drawn countries is a shape; those with
    // records carry their row.
    let shapes: Vec<_> = drawing
        .as_ref()
        .map(|d| {
            d.shapes
                .iter()
                .map(|s| {
                    let name = boundaries::area(&s.pcode).map_or("", |a| a.name.as_str());
                    let r = areas.get(&s.pcode);
                    context! {
                        pcode => &s.pcode, d => &s.d, x => s.label_x, y => s.label_y, name,
                        coverage => r.and_then(|r| r.coverage),
                        active => r.is_some_and(|r| r.contributions > 0),
                        summary => r.map_or_else(
                            || say(&p, "map-area-nothing", &[("area", FluentValue::from(format!("{name} ({})", s.pcode)))]),
                            |r| r.summary.clone(),
                        ),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let rows: Vec<&AreaRow> = areas.values().collect();
    let qs = q.query_string();
    // Links to one area keep the other filters.
    let qs_but_area = WhoQuery {
        admin1: String::new(),
        ..q.clone()
    }
    .query_string();
    let ctx = context! {
        title => p.t("map-title"),
        q => Value::from_serialize(&q),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        members => Value::from_serialize(&members),
        statuses => vec!["pledged", "committed", "delivered", "cancelled"],
        drawing => drawing.as_ref().map(|d| context! { width => d.width, height => d.height }),
        shapes,
        rows => Value::from_serialize(&rows),
        not_drawn => rows.iter().filter(|r| !r.on_map).count(),
        country_only,
        contributions_country_only,
        more,
        cap => MAP_REQUIREMENTS,
        qs,
        qs_but_area,
    };
    html(
        Some(&p),
        StatusCode::OK,
        "who_map.html",
        ctx,
        st.secure_cookies,
    )
}
