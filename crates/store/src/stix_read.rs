//! Reading the node's STIX objects (TAXII's `objects`, `manifest`,
//! `versions`): every read through the audience filter, references
//! resolved when read ([`Store::stix_objects`] hides what the reader may
//! not see now).

use crate::audience::readable;
use crate::stix::{StixFilter, StixPage, StixRow, MAX_TAXII_PAGE};
use crate::{Principal, Result, Store, StoreError};
use coalesce_domain::record::{RefTarget, Reference};
use coalesce_domain::Tlp;
use serde_json::Value;
use std::collections::BTreeMap;

impl Store {
    /// The STIX ids of what a record refers to that `p` may read now, for
    /// the record's STIX form as `p` gets it: entities with a STIX object
    /// (an indicator of the catalogue has none).
    pub async fn stix_refs(
        &self,
        p: &Principal,
        refs: &[Reference],
    ) -> Result<BTreeMap<Reference, String>> {
        let ids: Vec<String> = refs
            .iter()
            .filter(|r| r.target == RefTarget::Entity)
            .map(|r| r.id.clone())
            .collect();
        let stix_ids = self.entity_stix_ids(p, &ids).await?;
        Ok(refs
            .iter()
            .filter(|r| r.target == RefTarget::Entity)
            .filter_map(|r| stix_ids.get(&r.id).map(|s| (r.clone(), s.clone())))
            .collect())
    }

    /// The STIX ids of the live entities among `ids` that `p` may read
    /// (record id → STIX id; a place without a country has none), in one
    /// query per 500 ids. No audit entry: for naming what a record refers
    /// to, not for reading it.
    pub async fn entity_stix_ids(
        &self,
        p: &Principal,
        ids: &[String],
    ) -> Result<BTreeMap<String, String>> {
        let es = self
            .fetch_records_by_ids::<coalesce_domain::entity::EntityRecordKind>(p, ids)
            .await?;
        Ok(coalesce_exchange::stix::entity_stix_ids(&es))
    }

    /// Object versions `p` may read, in the order they were added, one page.
    /// Reads of AMBER and RED objects are audited (one entry per page).
    pub async fn stix_objects(
        &self,
        p: &Principal,
        f: &StixFilter,
        with_body: bool,
    ) -> Result<StixPage> {
        let mut conds = vec![readable("o.subject_id", "$1"), first_claim("$1")];
        let mut binds: Vec<BindValue> = vec![BindValue::Text(p.member.to_string())];
        let param = |v: BindValue, binds: &mut Vec<BindValue>| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if let Some(t) = f.added_after_us {
            let ph = param(BindValue::Int(t), &mut binds);
            conds.push(format!("o.date_added > {ph}"));
        }
        if let Some((d, s)) = f.after {
            let pd = param(BindValue::Int(d), &mut binds);
            let ps = param(BindValue::Int(s), &mut binds);
            conds.push(format!(
                "(o.date_added > {pd} OR (o.date_added = {pd} AND o.seq > {ps}))"
            ));
        }
        let in_list = |col: &str, vals: &[String], binds: &mut Vec<BindValue>| {
            let phs: Vec<String> = vals
                .iter()
                .map(|v| param(BindValue::Text(v.clone()), binds))
                .collect();
            format!("{col} IN ({})", phs.join(", "))
        };
        if !f.ids.is_empty() {
            conds.push(in_list("o.stix_id", &f.ids, &mut binds));
        }
        if !f.types.is_empty() {
            conds.push(in_list("o.object_type", &f.types, &mut binds));
        }
        if !f.spec_versions.is_empty() {
            conds.push(in_list("o.spec_version", &f.spec_versions, &mut binds));
        }
        if !f.versions.all {
            let mut any = Vec::new();
            if f.versions.first {
                any.push("o.is_first = 1".to_string());
            }
            if f.versions.last {
                any.push("o.is_latest = 1".to_string());
            }
            for v in &f.versions.at {
                let ph = param(BindValue::Int(*v), &mut binds);
                any.push(format!("o.version_us = {ph}"));
            }
            if any.is_empty() {
                any.push("1 = 0".into());
            }
            conds.push(format!("({})", any.join(" OR ")));
        }
        let limit = f.limit.clamp(1, MAX_TAXII_PAGE);
        let sql = format!(
            "SELECT o.seq, o.stix_id, o.version, o.date_added, o.tlp, {} FROM stix_objects o WHERE {} \
             ORDER BY o.date_added, o.seq LIMIT {}",
            if with_body { "o.body" } else { "''" },
            conds.join(" AND "),
            limit + 1
        );
        let mut q = sqlx::query_as::<_, (i64, String, String, i64, String, String)>(&sql);
        for b in binds {
            q = match b {
                BindValue::Text(s) => q.bind(s),
                BindValue::Int(i) => q.bind(i),
            };
        }
        let mut rows = q.fetch_all(self.pool()).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let rows = rows
            .into_iter()
            .map(|(seq, stix_id, version, date_added_us, tlp, body)| {
                Ok(StixRow {
                    seq,
                    stix_id,
                    version,
                    date_added_us,
                    tlp: Tlp::parse(&tlp)
                        .map_err(|e| StoreError::Corrupt(format!("tlp column: {e}")))?,
                    body: with_body.then_some(body),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let last_read = rows.last().map(|r| (r.date_added_us, r.seq));
        let mut rows = rows;
        if with_body {
            self.hide_unreadable_refs(p, &mut rows).await?;
            self.audit_read_tlps(
                p,
                "stix.read",
                "taxii",
                rows.iter().map(|r| (r.stix_id.as_str(), r.tlp)),
            )
            .await?;
        }
        Ok(StixPage {
            rows,
            more,
            last_read,
        })
    }

    /// References are resolved when they are read, not when the object was
    /// written: a report's `object_refs` naming an object this node holds
    /// but `p` may not read now are left out (the origin's identity stands
    /// in when none is left, as when a report names no entity), and a
    /// relationship with such an end is not served. An entity narrowed after
    /// a report was shared thus no longer travels inside the report.
    async fn hide_unreadable_refs(&self, p: &Principal, rows: &mut Vec<StixRow>) -> Result<()> {
        const REFERRING: [&str; 5] = [
            "report--",
            "relationship--",
            "grouping--",
            "note--",
            "opinion--",
        ];
        let mut parsed: Vec<Option<Value>> = Vec::with_capacity(rows.len());
        let mut refs = std::collections::BTreeSet::new();
        let mut linked = std::collections::BTreeSet::new();
        for r in rows.iter() {
            let body = r
                .body
                .as_deref()
                .filter(|_| REFERRING.iter().any(|t| r.stix_id.starts_with(t)))
                .and_then(|b| serde_json::from_str::<Value>(b).ok());
            if let Some(v) = &body {
                for k in ["source_ref", "target_ref"] {
                    if let Some(s) = v[k].as_str() {
                        refs.insert(s.to_string());
                    }
                }
                for s in v["object_refs"].as_array().into_iter().flatten() {
                    if let Some(s) = s.as_str() {
                        refs.insert(s.to_string());
                    }
                }
                for l in linked_entities(v) {
                    linked.insert(l.to_string());
                }
            }
            parsed.push(body);
        }
        if refs.is_empty() && linked.is_empty() {
            return Ok(());
        }
        // The coalesce ids of linked entities (a report's record extension
        // names them) that `p` may not read now.
        let readable_links = self.readable_entity_ids(p, &linked).await?;
        let hidden_links: std::collections::BTreeSet<&String> = linked
            .iter()
            .filter(|id| !readable_links.contains(*id))
            .collect();
        let refs: Vec<String> = refs.into_iter().collect();
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let mut hidden = std::collections::BTreeSet::new();
        for chunk in crate::in_chunks(&refs) {
            let sql = format!(
                "SELECT DISTINCT o.stix_id FROM stix_objects o WHERE o.is_latest = 1 AND o.stix_id IN ({}) AND NOT EXISTS \
                 (SELECT 1 FROM stix_objects r WHERE r.stix_id = o.stix_id AND r.is_latest = 1 AND {})",
                crate::placeholders(2, chunk.len()),
                readable("r.subject_id", "$1")
            );
            let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(p.member.as_str());
            for id in &chunk {
                q = q.bind(*id);
            }
            hidden.extend(q.fetch_all(self.pool()).await?.into_iter().map(|(id,)| id));
        }
        if hidden.is_empty() && hidden_links.is_empty() {
            return Ok(());
        }
        let is_hidden = |v: &Value| v.as_str().is_some_and(|s| hidden.contains(s));
        let mut keep = Vec::with_capacity(rows.len());
        for (row, body) in rows.iter_mut().zip(parsed) {
            let Some(mut v) = body else {
                keep.push(true);
                continue;
            };
            if is_hidden(&v["source_ref"]) || is_hidden(&v["target_ref"]) {
                keep.push(false);
                continue;
            }
            if let Some(list) = v["object_refs"].as_array() {
                if list.iter().any(is_hidden) {
                    let mut left: Vec<Value> =
                        list.iter().filter(|s| !is_hidden(s)).cloned().collect();
                    if left.is_empty() {
                        left.push(v["created_by_ref"].clone());
                    }
                    v["object_refs"] = Value::Array(left);
                    row.body = Some(v.to_string());
                }
            }
            if linked_entities(&v).any(|id| hidden_links.contains(&id.to_string())) {
                for ext in v["extensions"]
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                {
                    if let Some(list) = ext["fields"]["entities"].as_array_mut() {
                        list.retain(|l| {
                            l["entity_id"]
                                .as_str()
                                .is_none_or(|id| !hidden_links.contains(&id.to_string()))
                        });
                    }
                }
                row.body = Some(v.to_string());
            }
            keep.push(true);
        }
        let mut keep = keep.into_iter();
        rows.retain(|_| keep.next().unwrap_or(true));
        Ok(())
    }

    /// Which of these entities (coalesce ids, live) `p` may read now.
    pub(crate) async fn readable_entity_ids(
        &self,
        p: &Principal,
        ids: &std::collections::BTreeSet<String>,
    ) -> Result<std::collections::BTreeSet<String>> {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut out = std::collections::BTreeSet::new();
        for chunk in crate::in_chunks(&ids) {
            let sql = format!(
                "SELECT e.id FROM entities e WHERE e.withdrawn = 0 AND e.id IN ({}) AND {}",
                crate::placeholders(2, chunk.len()),
                readable("e.id", "$1")
            );
            let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(p.member.as_str());
            for id in &chunk {
                q = q.bind(*id);
            }
            out.extend(q.fetch_all(self.pool()).await?.into_iter().map(|(id,)| id));
        }
        Ok(out)
    }

    /// How many objects (latest versions) `p` may read.
    pub async fn stix_count(&self, p: &Principal) -> Result<i64> {
        crate::audience::count_readable(
            self.pool(),
            p,
            &format!(
                "stix_objects o WHERE o.is_latest = 1 AND {}",
                first_claim("$1")
            ),
            "o.subject_id",
        )
        .await
    }
}

/// Of the objects that different members hold under one id (migration 28),
/// the reader is served one origin's: the one that claimed the id first
/// among those it may read. Whoever reads the first claimant's object thus
/// never meets another member's under its id; `o` is the outer row.
fn first_claim(member_param: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM stix_objects e WHERE e.stix_id = o.stix_id AND \
         (e.claim_added < o.claim_added OR (e.claim_added = o.claim_added AND e.origin < o.origin)) AND {})",
        readable("e.subject_id", member_param)
    )
}

/// The coalesce ids of the entities a STIX object's record extension links
/// (a report's `fields.entities`).
fn linked_entities(v: &Value) -> impl Iterator<Item = &str> {
    v["extensions"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .flat_map(|ext| ext["fields"]["entities"].as_array().into_iter().flatten())
        .filter_map(|l| l["entity_id"].as_str())
}

enum BindValue {
    Text(String),
    Int(i64),
}
