//! The record layer's wire form, shared by the API's routes and the web
//! pages of every kind: a record is its own fields plus the layer's (`id`,
//! `kind`, `origin`, `origin_node`, `version`, `status`, `marking`,
//! `banner`, `created_at`, `created_by`, `updated_at`, `updated_by`).

use crate::wire::{rfc3339, MarkingWire};
use coalesce_domain::record::{Kind, Record};
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

/// A kind the API serves; `K::Body` describes itself to OpenAPI.
pub trait ApiKind: Kind
where
    Self::Body: ToSchema,
{
}

impl<K: Kind> ApiKind for K where K::Body: ToSchema {}

/// A kind's own fields in their declared order, each with whether it is
/// required (what the web form of a kind is made from).
pub fn kind_fields_of<K: ApiKind>() -> Vec<(String, bool)>
where
    K::Body: ToSchema,
{
    match <K::Body as utoipa::PartialSchema>::schema() {
        RefOr::T(Schema::Object(o)) => o
            .properties
            .keys()
            .map(|k| (k.clone(), o.required.contains(k)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A record on the wire: its own fields and the layer's.
pub fn record_out<K: Kind>(r: &Record<K::Body>) -> Value {
    let mut o = match serde_json::to_value(&r.body) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for (k, v) in [
        ("id", json!(r.id)),
        ("kind", json!(r.kind)),
        ("origin", json!(r.origin)),
        ("origin_node", json!(r.origin_node)),
        ("version", json!(r.version)),
        ("status", json!(r.status)),
        ("marking", json!(MarkingWire::from(&r.marking))),
        (
            "banner",
            json!(crate::wire_needs::banner(&r.origin, &r.marking)),
        ),
        ("created_at", json!(rfc3339(r.created_at_ms))),
        ("created_by", json!(r.created_by)),
        ("updated_at", json!(rfc3339(r.updated_at_ms))),
        ("updated_by", json!(r.updated_by)),
    ] {
        o.insert(k.into(), v);
    }
    Value::Object(o)
}
