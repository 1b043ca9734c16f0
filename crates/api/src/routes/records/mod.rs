//! The routes of every kind served by the record layer, once: list (with
//! cursor and origin filter), create, batch create, count, get, change
//! (`if_version`), withdraw, versions and the record's STIX 2.1 form — and
//! their OpenAPI description, generated from the kind's body schema. A kind
//! joins the API with one line in [`KINDS`].
//!
//! A record is written on the wire as its own fields plus the layer's
//! (`id`, `kind`, `origin`, `origin_node`, `version`, `status`, `marking`,
//! `banner`, `created_at`, `created_by`, `updated_at`, `updated_by`), which
//! a kind's fields must not reuse (a test holds them apart).

use crate::auth::Auth;
use crate::extract::{ApiJson, ApiQuery};
use crate::read_paths::ReadPath;
use crate::wire::{rfc3339, MarkingWire};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
pub use coalesce_app::records::{kind_fields_of, record_out, ApiKind};
use coalesce_domain::contact::ContactKind;
use coalesce_domain::fund::{FundKind, FundProjectKind};
use coalesce_domain::indicators::IndicatorValueKind;
use coalesce_domain::meetings::{CommitmentKind, MeetingKind, StatementKind};
use coalesce_domain::record::{Kind, Provenance, RecordVersion};
use coalesce_domain::relationship::RelationshipKind;
use coalesce_domain::{Marking, MemberCode};
use coalesce_store::records::RecordFilter;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use utoipa::openapi::OpenApi;
use utoipa::ToSchema;

/// A kind the API serves, type-erased so the kinds can be listed.
pub struct ServedKind {
    /// The URL segment under `/api/v1` (`contacts`).
    pub path: &'static str,
    pub name: &'static str,
    router: fn() -> Router<AppState>,
    document: fn(&mut OpenApi),
    /// Read by the test that holds a kind's fields apart from the layer's.
    #[cfg_attr(not(test), allow(dead_code))]
    fields: fn() -> Vec<String>,
}

const fn served<K: ApiKind>(path: &'static str) -> ServedKind
where
    K::Body: ToSchema,
{
    ServedKind {
        path,
        name: K::NAME,
        router: router::<K>,
        document: document::<K>,
        fields: body_fields::<K>,
    }
}

/// Every kind served by these routes. Adding a kind: one line here.
pub const KINDS: &[ServedKind] = &[
    served::<ContactKind>("contacts"),
    served::<IndicatorValueKind>("indicator-values"),
    served::<RelationshipKind>("relationships"),
    served::<FundKind>("funds"),
    served::<FundProjectKind>("fund-projects"),
    served::<MeetingKind>("meetings"),
    served::<StatementKind>("statements"),
    served::<CommitmentKind>("commitments"),
];

/// The names the layer's own fields take on the wire.
#[cfg(test)]
const RESERVED_FIELDS: &[&str] = &[
    "id",
    "kind",
    "origin",
    "origin_node",
    "version",
    "status",
    "marking",
    "banner",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "if_version",
    "author",
    "at",
    "provenance",
];

/// The routes of every served kind, under `/api/v1`.
pub fn routes() -> Router<AppState> {
    KINDS
        .iter()
        .fold(Router::new(), |r, k| r.merge((k.router)()))
}

/// Adds every served kind's paths and schemas to the OpenAPI document.
pub fn document_all(doc: &mut OpenApi) {
    for k in KINDS {
        (k.document)(doc);
    }
}

/// The read paths of every served kind, for the registry.
pub fn read_paths() -> Vec<ReadPath> {
    KINDS
        .iter()
        .flat_map(|k| {
            let base: &'static str = Box::leak(format!("/{}", k.path).into_boxed_str());
            let reads: &'static [&'static str] = Box::leak(vec![k.name].into_boxed_slice());
            ["", "/count", "/{id}", "/{id}/versions", "/{id}/stix"]
                .into_iter()
                .map(move |suffix| ReadPath {
                    path: Box::leak(format!("{base}{suffix}").into_boxed_str()),
                    reads,
                })
        })
        .collect()
}

/// The wire names of each served kind's own fields.
#[cfg(test)]
fn kind_fields() -> Vec<(&'static str, Vec<String>)> {
    KINDS.iter().map(|k| (k.name, (k.fields)())).collect()
}

fn body_fields<K: ApiKind>() -> Vec<String>
where
    K::Body: ToSchema,
{
    kind_fields_of::<K>().into_iter().map(|(f, _)| f).collect()
}

fn router<K: ApiKind>() -> Router<AppState>
where
    K::Body: ToSchema,
{
    let base = format!("/{}", path_of::<K>());
    Router::new()
        .route(&base, get(list::<K>).post(create::<K>))
        .route(
            &format!("{base}/batch"),
            axum::routing::post(create_batch::<K>),
        )
        .route(&format!("{base}/count"), get(count::<K>))
        .route(
            &format!("{base}/{{id}}"),
            get(get_one::<K>).put(change::<K>).delete(withdraw::<K>),
        )
        .route(&format!("{base}/{{id}}/versions"), get(versions::<K>))
        .route(&format!("{base}/{{id}}/stix"), get(stix::<K>))
}

fn path_of<K: Kind>() -> &'static str {
    KINDS
        .iter()
        .find(|k| k.name == K::NAME)
        .map(|k| k.path)
        .unwrap_or(K::NAME)
}

/// The query of a list: `cursor`, `limit`, `origin`, and one filter per
/// thing the kind refers to (`indicator=<slug>`); any other is refused.
struct ListParams {
    cursor: Option<String>,
    limit: Option<i64>,
    filter: RecordFilter,
}

impl ListParams {
    fn parse<K: Kind>(q: BTreeMap<String, String>) -> Result<Self, ApiError> {
        let bad = |detail: String| ApiError::bad_request("invalid_query", detail);
        let mut out = ListParams {
            cursor: None,
            limit: None,
            filter: RecordFilter::default(),
        };
        for (k, v) in q {
            match k.as_str() {
                "cursor" => out.cursor = Some(v),
                "limit" => {
                    out.limit = Some(
                        v.parse()
                            .map_err(|_| bad(format!("limit: {v:?} is not an integer")))?,
                    )
                }
                "origin" => out.filter.origin = Some(MemberCode::parse(&v)?),
                other => {
                    let target = K::REFERS_TO
                        .iter()
                        .find(|t| t.as_str() == other)
                        .ok_or_else(|| {
                            bad(format!(
                                "unknown query parameter {other:?}: a list of {} takes {}",
                                K::LABEL,
                                list_param_names::<K>().join(", ")
                            ))
                        })?;
                    out.filter.refers_to = Some((*target, v));
                }
            }
        }
        Ok(out)
    }
}

fn list_param_names<K: Kind>() -> Vec<&'static str> {
    ["cursor", "limit", "origin"]
        .into_iter()
        .chain(K::REFERS_TO.iter().map(|t| t.as_str()))
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawParams {
    if_version: Option<i64>,
}

/// The body, marking and `if_version` of a record as sent.
fn parse_in<K: Kind>(v: Value) -> Result<(K::Body, Marking, Option<i64>), ApiError> {
    let invalid =
        |detail: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", detail);
    let Value::Object(mut m) = v else {
        return Err(invalid(format!("a {} is a JSON object", K::LABEL)));
    };
    let marking: MarkingWire = serde_json::from_value(
        m.remove("marking")
            .ok_or_else(|| invalid("missing field `marking`".into()))?,
    )
    .map_err(|e| invalid(format!("marking: {e}")))?;
    let if_version = match m.remove("if_version") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .ok_or_else(|| invalid("if_version: expected an integer".into()))?,
        ),
    };
    let body: K::Body =
        serde_json::from_value(Value::Object(m)).map_err(|e| invalid(e.to_string()))?;
    let marking = Marking::parse(&marking.tlp, &marking.rel_to)?;
    Ok((body, marking, if_version))
}

fn version_out<K: Kind>(v: &RecordVersion<K::Body>) -> Value {
    let mut o = match serde_json::to_value(&v.body) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let provenance = match &v.provenance {
        Provenance::Local => json!({"from": "local"}),
        Provenance::Peer { node } => json!({"from": "peer", "node": node}),
    };
    for (k, val) in [
        ("version", json!(v.version)),
        ("status", json!(v.status)),
        ("marking", json!(MarkingWire::from(&v.marking))),
        ("author", json!(v.author)),
        ("at", json!(rfc3339(v.at_ms))),
        ("provenance", provenance),
    ] {
        o.insert(k.into(), val);
    }
    Value::Object(o)
}

fn check_id<K: Kind>(id: &str) -> Result<(), ApiError> {
    super::check_record_id(id, &format!("no such {}", K::LABEL))
}

async fn list<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<BTreeMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let q = ListParams::parse::<K>(q)?;
    let page = st
        .store
        .list_records::<K>(
            &auth.principal,
            &q.filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(50),
        )
        .await?;
    let mut items: Vec<Value> = page.items.iter().map(record_out::<K>).collect();
    computed::<K>(&st, &auth.principal, &page.items, &mut items).await?;
    Ok(Json(json!({ "items": items, "next": page.next })))
}

async fn create<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(v): ApiJson<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (body, marking, if_version) = parse_in::<K>(v)?;
    if if_version.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "if_version applies to changes only",
        ));
    }
    let r = st
        .store
        .create_record::<K>(&auth.principal, body, marking)
        .await?;
    Ok((StatusCode::CREATED, Json(record_out::<K>(&r))))
}

/// The most records one batch creates.
pub const MAX_BATCH: usize = 10_000;

async fn create_batch<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(v): ApiJson<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let invalid =
        |detail: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", detail);
    let items = match v {
        Value::Object(mut m) if m.len() == 1 => m.remove("items"),
        _ => None,
    }
    .and_then(|i| match i {
        Value::Array(a) => Some(a),
        _ => None,
    })
    .ok_or_else(|| invalid("send {\"items\": [...]}".into()))?;
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(invalid(format!("a batch holds 1 to {MAX_BATCH} items")));
    }
    let mut parsed = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let (body, marking, if_version) =
            parse_in::<K>(item).map_err(|e| e.prefixed(&format!("items[{i}]: ")))?;
        if if_version.is_some() {
            return Err(invalid(format!(
                "items[{i}]: if_version applies to changes only"
            )));
        }
        let body =
            K::validate(body).map_err(|e| ApiError::from(e).prefixed(&format!("items[{i}]: ")))?;
        parsed.push((body, marking));
    }
    let ids = st
        .store
        .create_records_at::<K>(&auth.principal, parsed, coalesce_store::now_ms())
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "ids": ids }))))
}

async fn count<K: Kind>(State(st): State<AppState>, auth: Auth) -> Result<Json<Value>, ApiError> {
    let n = st.store.count_records::<K>(&auth.principal).await?;
    Ok(Json(json!({ "count": n })))
}

async fn get_one<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    // A meeting's iCalendar form: `/meetings/{id}.ics` (the router has no
    // suffixes after a parameter, so it arrives here).
    if K::NAME == coalesce_domain::meetings::MeetingKind::NAME {
        if let Some(meeting) = id.strip_suffix(".ics") {
            check_id::<K>(meeting)?;
            return super::meetings::meeting_ics(&st, &auth.principal, meeting).await;
        }
    }
    check_id::<K>(&id)?;
    let r = st.store.get_record::<K>(&auth.principal, &id).await?;
    let mut items = vec![record_out::<K>(&r)];
    computed::<K>(&st, &auth.principal, std::slice::from_ref(&r), &mut items).await?;
    Ok(Json(items.pop().unwrap_or_default()).into_response())
}

/// Adds the fields computed for the reader to the kinds that have some (a
/// commitment's progress, parts, overdue and history).
async fn computed<K: Kind>(
    st: &AppState,
    p: &coalesce_store::Principal,
    records: &[coalesce_domain::record::Record<K::Body>],
    items: &mut [Value],
) -> Result<(), ApiError> {
    use coalesce_domain::meetings::Commitment;
    use coalesce_domain::record::Record;
    use coalesce_domain::source::Subject;
    let subjects: Vec<Subject> = records
        .iter()
        .map(|r| Subject::Record(r.id.clone()))
        .collect();
    let sources = st.store.sources_of(&subjects).await?;
    for (item, r) in items.iter_mut().zip(records) {
        if let (Value::Object(o), Some(s)) = (&mut *item, sources.get(&r.id)) {
            o.insert("source".into(), json!(s));
        }
    }
    let commitments: Vec<Record<Commitment>> = records
        .iter()
        .filter_map(|r| (r as &dyn std::any::Any).downcast_ref::<Record<Commitment>>())
        .cloned()
        .collect();
    if commitments.is_empty() {
        return Ok(());
    }
    let now = st.store.follow_up_now().await?;
    let views = st.store.commitment_views(p, commitments, now).await?;
    for (item, view) in items.iter_mut().zip(views) {
        if let (Value::Object(o), Some(v)) = (item, view) {
            o.extend(crate::wire_meetings::commitment_computed(&v));
        }
    }
    Ok(())
}

async fn change<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(v): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    check_id::<K>(&id)?;
    let (body, marking, if_version) = parse_in::<K>(v)?;
    let r = st
        .store
        .change_record::<K>(&auth.principal, &id, body, marking, if_version)
        .await?;
    Ok(Json(record_out::<K>(&r)))
}

async fn withdraw<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<WithdrawParams>,
) -> Result<Json<Value>, ApiError> {
    check_id::<K>(&id)?;
    let r = st
        .store
        .withdraw_record::<K>(&auth.principal, &id, q.if_version)
        .await?;
    Ok(Json(record_out::<K>(&r)))
}

async fn versions<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    check_id::<K>(&id)?;
    let vs = st.store.record_versions::<K>(&auth.principal, &id).await?;
    let items: Vec<Value> = vs.iter().map(version_out::<K>).collect();
    Ok(Json(json!({ "items": items, "next": null })))
}

/// The route of the STIX 2.1 form of records of kind `K` that have routes
/// of their own (`/requirements/{id}/stix` …), and its OpenAPI path.
pub fn stix_route<K: Kind>(base: &'static str) -> Router<AppState> {
    Router::new().route(&format!("{base}/{{id}}/stix"), get(stix::<K>))
}

pub fn document_stix<K: Kind>(doc: &mut OpenApi, base: &str, tag: &str) {
    openapi::add_stix_path::<K>(doc, base, tag);
}

/// The record's STIX 2.1 form, as a bundle with the identity, marking and
/// extension definitions it refers to.
async fn stix<K: Kind>(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    check_id::<K>(&id)?;
    let r = st.store.get_record::<K>(&auth.principal, &id).await?;
    stix_bundle::<K>(&st, &auth.principal, r).await
}

/// A record in its STIX 2.1 form, as `p` reads it, in a bundle with the
/// identity, marking and extension definitions it refers to.
pub async fn stix_bundle<K: Kind>(
    st: &AppState,
    p: &coalesce_store::Principal,
    r: coalesce_domain::record::Record<K::Body>,
) -> Result<Json<Value>, ApiError> {
    let ctx = st.store.stix_context(p).await?;
    let resolved = st.store.stix_refs(p, &K::references(&r.body)).await?;
    let objects =
        coalesce_exchange::stix_record::project_record_with::<K>(&r, &ctx.node(), &resolved);
    if objects.is_empty() {
        return Err(ApiError::not_found(format!(
            "this {} has no STIX form: what it refers to has none",
            K::LABEL
        )));
    }
    let bundle_id = format!(
        "bundle--{}",
        uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            format!("{}:{}", r.id, r.version).as_bytes()
        )
    );
    Ok(Json(
        json!({ "type": "bundle", "id": bundle_id, "objects": objects }),
    ))
}

mod openapi;
use openapi::document;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_kind_is_named_in_the_domain() {
        for k in KINDS {
            assert!(
                coalesce_domain::record::KIND_NAMES.contains(&k.name),
                "{} is not in domain::record::KIND_NAMES",
                k.name
            );
        }
    }

    #[test]
    fn no_kind_uses_a_field_name_of_the_layer() {
        for (kind, fields) in kind_fields() {
            assert!(!fields.is_empty(), "{kind} describes no fields");
            for f in fields {
                assert!(
                    !RESERVED_FIELDS.contains(&f.as_str()),
                    "{kind}.{f} is the layer's"
                );
            }
        }
    }
}
