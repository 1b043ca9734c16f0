//! Requirements and what they share with contributions
//! (`contributions.rs`) (issue 3), marked records like notes:
//! every read of a requirement, a contribution, a delivery or a kept version
//! goes through [`crate::audience::readable`]; every change is one write
//! transaction with its audit entry and a new kept version; only users of
//! the origin member change a record; outside its audience a record is
//! `NotFound`, never `Forbidden`.
//!
//! The lifecycle and the summary arithmetic are the pure ones of
//! `coalesce_domain::needs`; this module only loads, filters and stores.

use crate::audience::{marking_from_columns, readable, rel_to_json};
use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::{audit, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::needs::{
    AdminArea, Coordinates, Counted, Measure, Place, Progress, RequirementBody, RequirementDraft,
    RequirementRecordKind, Status, Summary, TransitionError, Window,
};
pub use coalesce_domain::needs::{Contribution, Delivery, Requirement};
use coalesce_domain::record::{Kind, Record, Status as RecordStatus};
use coalesce_domain::Marking;
use serde::Serialize;
use sqlx::Row;

pub use crate::contributions::ContributionFilter;
pub(crate) use crate::contributions::{
    contribution_from_row, contributions_from, delivery_from_row, requirement_join, OwnParts,
    CONTRIBUTION_COLUMNS, EFFECTIVE_ADMIN1, EFFECTIVE_COUNTRY,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemCategory {
    pub slug: String,
    pub name: String,
}

/// A kept version of a requirement or contribution: the record as it was
/// after the change, with the marking it had then.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordVersion {
    pub version: i64,
    pub snapshot: serde_json::Value,
    pub marking: Marking,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl RecordVersion {
    /// A version of the record layer shown as the record it was then:
    /// `was` makes the kind's own shape from its body and the version.
    pub(crate) fn shown_as<B, T: Serialize>(
        v: coalesce_domain::record::RecordVersion<B>,
        was: impl FnOnce(B, &coalesce_domain::record::RecordVersion<()>) -> T,
    ) -> Result<Self> {
        let (body, v) = v.split_body();
        let shown = was(body, &v);
        Ok(RecordVersion {
            version: v.version,
            snapshot: serde_json::to_value(&shown).map_err(|e| corrupt("version", e))?,
            marking: v.marking,
            updated_at_ms: v.at_ms,
            updated_by: v.author,
        })
    }
}

pub(crate) const REQUIREMENT_COLUMNS: &str = "r.id, r.origin, r.requesting_member, r.line_of_effort, r.category, r.title, r.description, r.kind, r.amount, r.unit, \
     r.country, r.admin1_name, r.admin1_pcode, r.town, r.lat_micro, r.lon_micro, r.window_start, r.window_end, r.priority, \
     r.tlp, r.rel_to, r.version, r.revoked, r.created_at, r.created_by, r.updated_at, r.updated_by, \
     CAST(CASE WHEN r.requester_confirmed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS requester_confirmed";

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn transition_error(e: TransitionError) -> StoreError {
    match e {
        TransitionError::NotAllowed { .. } => {
            StoreError::conflict(crate::ConflictCode::InvalidTransition, e.to_string())
        }
        TransitionError::BadAmount(reason) => {
            StoreError::Invalid(coalesce_domain::DomainError::InvalidField {
                field: "delivery.amount",
                reason,
            })
        }
    }
}

impl Store {
    /// The item taxonomy, in its configured order.
    pub async fn item_categories(&self) -> Result<Vec<ItemCategory>> {
        let rows = sqlx::query("SELECT slug, name FROM item_categories ORDER BY position, slug")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ItemCategory {
                    slug: r.try_get("slug")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Refuses the first of these (table, column, value, what) whose value
    /// does not exist, with a clear error; one statement for all. Tables and
    /// columns are the callers' constants, never input.
    pub(crate) async fn check_exists(&self, wanted: &[(&str, &str, &str, &str)]) -> Result<()> {
        if wanted.is_empty() {
            return Ok(());
        }
        let sql = wanted
            .iter()
            .enumerate()
            .map(|(i, (table, col, _, _))| {
                format!(
                    "SELECT CAST({i} AS BIGINT), COUNT(*) FROM {table} WHERE {col} = ${}",
                    i + 1
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
        for (_, _, value, _) in wanted {
            q = q.bind(*value);
        }
        let mut found = q.fetch_all(self.pool()).await?;
        found.sort();
        for ((_, n), (_, _, value, what)) in found.iter().zip(wanted) {
            if *n == 0 {
                return Err(StoreError::BadRequest(format!("unknown {what} {value}")));
            }
        }
        Ok(())
    }

    async fn check_requirement_refs(&self, p: &Principal, d: &RequirementDraft) -> Result<()> {
        d.check_requester_reads(&p.member)?;
        self.check_exists(&[
            (
                "members",
                "code",
                d.requesting_member.as_str(),
                "requesting member",
            ),
            (
                "lines_of_effort",
                "slug",
                d.line_of_effort.as_str(),
                "line of effort",
            ),
            (
                "item_categories",
                "slug",
                d.category.as_str(),
                "item category",
            ),
        ])
        .await
    }

    // ----- requirements -------------------------------------------------

    /// The requesting member named on a requirement recorded by another
    /// member confirms that it asks for it: its own act, by one of its
    /// users (audited); the requirement keeps its version. Until then
    /// nothing is allocated to it.
    pub async fn confirm_requirement(&self, p: &Principal, id: &str) -> Result<Requirement> {
        crate::records::check_writer(p)?;
        let r = self.fetch_requirement(p, id).await?;
        if r.requesting_member != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {}, the requesting member, confirm this requirement",
                r.requesting_member
            )));
        }
        if r.requester_confirmed {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                format!("{} already stands by this requirement", p.member),
            ));
        }
        if r.revoked {
            return Err(StoreError::withdrawn("requirement"));
        }
        let now = now_ms();
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE requirements SET requester_confirmed_at = $1, requester_confirmed_by = $2 \
             WHERE id = $3 AND requesting_member = $4 AND requester_confirmed_at IS NULL AND version = $5",
        )
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(p.member.as_str())
        .bind(r.version)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("requirement"));
        }
        audit::append(
            &mut w.tx,
            Some(p),
            "requirement.confirm_request",
            id,
            &serde_json::json!({ "version": r.version }),
        )
        .await?;
        w.commit().await?;
        self.fetch_requirement(p, id).await
    }

    pub async fn create_requirement(
        &self,
        p: &Principal,
        draft: &RequirementDraft,
    ) -> Result<Requirement> {
        self.create_requirement_at(p, draft, now_ms()).await
    }

    /// Creates a requirement dated `at_ms` (for the demo loader), through
    /// the record layer. The recording member is its origin; the requesting
    /// member is named in the draft.
    pub async fn create_requirement_at(
        &self,
        p: &Principal,
        draft: &RequirementDraft,
        at_ms: i64,
    ) -> Result<Requirement> {
        crate::records::check_writer(p)?;
        self.check_requirement_refs(p, draft).await?;
        let r = self
            .create_record_at::<RequirementRecordKind>(
                p,
                draft.body(),
                draft.marking.clone(),
                at_ms,
            )
            .await?;
        // As written (its typed row is projected from the same record).
        Ok(Requirement::from_written(&r))
    }

    /// Imports requirements: every row is checked first (a bad row is
    /// reported with its line, and nothing is written); then they are
    /// written in batches ([`Store::create_records_batched`]: `go_on` is
    /// asked before each, and may stop the import there). Returns the new
    /// ids in row order.
    pub async fn import_requirements(
        &self,
        p: &Principal,
        rows: &[(u64, RequirementDraft)],
        go_on: impl FnMut(usize, usize) -> bool + Send,
    ) -> Result<Vec<String>> {
        crate::records::check_writer(p)?;
        let mut bad = Vec::new();
        for (line, d) in rows {
            if let Err(e) = self.check_requirement_refs(p, d).await {
                bad.push((*line, row_error(e)?));
            }
        }
        if !bad.is_empty() {
            return Err(StoreError::Rows(bad));
        }
        let items = rows
            .iter()
            .map(|(_, d)| (d.body(), d.marking.clone()))
            .collect();
        self.create_records_batched::<RequirementRecordKind>(p, items, now_ms(), go_on)
            .await
    }

    /// Changes a requirement (origin's users only; a new version). Its
    /// measure's kind and unit or currency are fixed at creation, because
    /// contributions already count in them.
    pub async fn update_requirement(
        &self,
        p: &Principal,
        id: &str,
        draft: &RequirementDraft,
        if_version: Option<i64>,
    ) -> Result<Requirement> {
        self.change_requirement(p, id, Some(draft), if_version)
            .await
    }

    /// Withdraws a requirement: it leaves every list and takes no new
    /// contributions; its versions are kept.
    pub async fn revoke_requirement(&self, p: &Principal, id: &str) -> Result<Requirement> {
        self.change_requirement(p, id, None, None).await
    }

    /// The layer writes the change (and checks owner, state and version
    /// again under the write lock); the checks here come first so that the
    /// answer names what is wrong in the requirement's own terms.
    async fn change_requirement(
        &self,
        p: &Principal,
        id: &str,
        draft: Option<&RequirementDraft>,
        if_version: Option<i64>,
    ) -> Result<Requirement> {
        crate::records::check_writer(p)?;
        let current = self.fetch_requirement(p, id).await?;
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this requirement",
                current.origin
            )));
        }
        if current.revoked {
            return Err(StoreError::withdrawn("requirement"));
        }
        if let Some(v) = if_version {
            if v != current.version {
                return Err(StoreError::stale("requirement", current.version, v));
            }
        }
        match draft {
            Some(d) => {
                if !d.measure.same_unit(&current.measure) {
                    return Err(StoreError::conflict(crate::ConflictCode::ImmutableField, format!(
                        "the requirement counts {} in {:?}; that cannot change (withdraw it and record a new one)",
                        current.measure.kind(),
                        current.measure.unit()
                    )));
                }
                self.check_requirement_refs(p, d).await?;
                self.change_record::<RequirementRecordKind>(
                    p,
                    id,
                    d.body(),
                    d.marking.clone(),
                    if_version,
                )
                .await?;
            }
            None => {
                self.withdraw_record::<RequirementRecordKind>(p, id, if_version)
                    .await?;
            }
        }
        self.fetch_requirement(p, id).await
    }

    /// A requirement the viewer may read, withdrawn or not; no audit entry.
    pub(crate) async fn fetch_requirement(&self, p: &Principal, id: &str) -> Result<Requirement> {
        let sql = format!(
            "SELECT {REQUIREMENT_COLUMNS} FROM requirements r WHERE r.id = $2 AND {}",
            readable("r.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        requirement_from_row(&row)
    }

    /// Reads one requirement; outside the viewer's audience it does not exist.
    pub async fn get_requirement(&self, p: &Principal, id: &str) -> Result<Requirement> {
        let r = self.fetch_requirement(p, id).await?;
        self.audit_reads(p, "requirement.read", id, [(&r.id, &r.marking)])
            .await?;
        Ok(r)
    }

    /// Newest first; withdrawn requirements are left out.
    pub async fn list_requirements(
        &self,
        p: &Principal,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Requirement>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let sql = format!(
            "SELECT {REQUIREMENT_COLUMNS} FROM requirements r WHERE r.revoked = 0 AND ($2 = '' OR r.id < $2) AND {} ORDER BY r.id DESC LIMIT $3",
            crate::audience::readable_row_by_row("r.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(cursor.unwrap_or_default())
            .bind(limit + 1)
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(requirement_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = page_next(&mut items, limit, |r| r.id.clone());
        self.audit_reads(
            p,
            "requirement.read",
            "list",
            items.iter().map(|r| (&r.id, &r.marking)),
        )
        .await?;
        Ok(Page { items, next })
    }

    /// The requirements among `ids` the viewer may read (withdrawn ones
    /// left out), newest first: one query per 500 ids, the read audited
    /// as a page of [`Store::list_requirements`].
    pub async fn requirements_by_ids(
        &self,
        p: &Principal,
        ids: &[String],
    ) -> Result<Vec<Requirement>> {
        let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut items = Vec::with_capacity(ids.len());
        for chunk in crate::in_chunks(&ids) {
            let sql = format!(
                "SELECT {REQUIREMENT_COLUMNS} FROM requirements r WHERE r.revoked = 0 AND r.id IN ({}) AND {}",
                crate::placeholders(2, chunk.len()),
                readable("r.id", "$1")
            );
            let mut q = sqlx::query(&sql).bind(p.member.as_str());
            for id in &chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                items.push(requirement_from_row(&row)?);
            }
        }
        items.sort_by(|a, b| b.id.cmp(&a.id));
        self.audit_reads(
            p,
            "requirement.read",
            "list",
            items.iter().map(|r| (&r.id, &r.marking)),
        )
        .await?;
        Ok(items)
    }

    /// How many requirements the viewer may read (withdrawn ones left out).
    pub async fn count_requirements(&self, p: &Principal) -> Result<i64> {
        crate::counts::count_kind(self.pool(), p, RequirementRecordKind::NAME).await
    }

    /// The kept versions of a requirement the viewer may read now, oldest
    /// first, only those whose own marking admits the viewer; each as the
    /// requirement it was then. The requesting member's confirmation is
    /// not part of the record: a version shows it standing when that
    /// version named the requester who stands by it now, or the origin.
    pub async fn requirement_versions(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<RecordVersion>> {
        let r = self.fetch_requirement(p, id).await?;
        let vs = self.record_versions::<RequirementRecordKind>(p, id).await?;
        vs.into_iter()
            .map(|v| {
                RecordVersion::shown_as(v, |b, v| {
                    let confirmed = b.requesting_member == r.origin
                        || (r.requester_confirmed && b.requesting_member == r.requesting_member);
                    Requirement {
                        version: v.version,
                        revoked: v.status == RecordStatus::Withdrawn,
                        marking: v.marking.clone(),
                        requester_confirmed: confirmed,
                        updated_at_ms: v.at_ms,
                        updated_by: v.author.clone(),
                        ..requirement_with_body(r.clone(), b)
                    }
                })
            })
            .collect()
    }

    /// The figures of a requirement the viewer may read (see
    /// `coalesce_domain::needs::Summary` for the definitions), computed over
    /// the contributions against it **that the viewer may read**: the
    /// releasability filter is in the SQL, so a contribution outside the
    /// viewer's audience changes no figure the viewer sees.
    pub async fn requirement_summary(&self, p: &Principal, id: &str) -> Result<Summary> {
        let r = self.fetch_requirement(p, id).await?;
        let sql = format!(
            "SELECT c.id, c.status, c.amount, c.delivered, c.tlp, c.rel_to, \
             (SELECT CAST(COALESCE(SUM(COALESCE(d.received_amount, d.amount)), 0) AS BIGINT) FROM contribution_deliveries d \
              WHERE d.contribution_id = c.id AND d.received_at IS NOT NULL) AS received \
             FROM contributions c WHERE c.requirement_id = $2 AND c.kind = $3 AND c.unit = $4 AND {}",
            readable("c.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .bind(r.measure.kind())
            .bind(r.measure.unit())
            .fetch_all(self.pool())
            .await?;
        let mut counted = Vec::with_capacity(rows.len());
        let mut read: Vec<(String, Marking)> = vec![(r.id.clone(), r.marking.clone())];
        for row in &rows {
            let progress = Progress {
                status: Status::parse(&row.try_get::<String, _>("status")?)
                    .map_err(|e| corrupt("contribution status", e))?,
                amount: row.try_get("amount")?,
                delivered: row.try_get("delivered")?,
            };
            if !progress.is_consistent() {
                return Err(corrupt("contribution progress", format!("{progress:?}")));
            }
            counted.push(Counted {
                progress,
                received: row.try_get("received")?,
            });
            read.push((
                row.try_get("id")?,
                marking_from_columns(
                    &row.try_get::<String, _>("tlp")?,
                    &row.try_get::<String, _>("rel_to")?,
                )?,
            ));
        }
        self.audit_reads(
            p,
            "requirement.read_summary",
            id,
            read.iter().map(|(i, m)| (i, m)),
        )
        .await?;
        Ok(Summary::compute(r.measure.amount(), counted))
    }

    // ----- shared -------------------------------------------------------

    /// One audit entry naming the AMBER and RED records among those read.
    pub(crate) async fn audit_reads<'a>(
        &self,
        p: &Principal,
        action: &str,
        subject: &str,
        records: impl IntoIterator<Item = (&'a String, &'a Marking)>,
    ) -> Result<()> {
        // Collected first: an iterator held across the await would make
        // every handler's future lose `Send` generality.
        let records: Vec<(&str, coalesce_domain::Tlp)> = records
            .into_iter()
            .map(|(i, m)| (i.as_str(), m.tlp))
            .collect();
        self.audit_read_tlps(p, action, subject, records).await
    }

    /// As [`Store::audit_reads`], for records known by id and TLP level only.
    pub(crate) async fn audit_read_tlps<'a>(
        &self,
        p: &Principal,
        action: &str,
        subject: &str,
        records: impl IntoIterator<Item = (&'a str, coalesce_domain::Tlp)>,
    ) -> Result<()> {
        let mut ids: Vec<&str> = records
            .into_iter()
            .filter(|(_, t)| t.read_is_audited())
            .map(|(i, _)| i)
            .collect();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        self.audit_read(
            p.username.as_str(),
            p.member.as_str(),
            action,
            subject,
            serde_json::json!({ "ids": ids }),
        )
        .await
    }
}

/// What refuses one row of an import, said with its line; an error that
/// is not about the row is passed on.
pub(crate) fn row_error(e: StoreError) -> Result<String> {
    match e {
        StoreError::BadRequest(m) => Ok(m),
        StoreError::Conflict(c) => Ok(c.detail),
        StoreError::Invalid(d) => Ok(d.to_string()),
        other => Err(other),
    }
}

pub(crate) fn page_next<T>(
    items: &mut Vec<T>,
    limit: i64,
    id: impl Fn(&T) -> String,
) -> Option<String> {
    if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(id)
    } else {
        None
    }
}

pub(crate) fn parties_json(parties: &[coalesce_domain::needs::Party]) -> String {
    serde_json::to_string(parties).unwrap_or_else(|_| "[]".into())
}

/// `r` with the fields of `b` (a kept version's).
fn requirement_with_body(r: Requirement, b: RequirementBody) -> Requirement {
    Requirement {
        requesting_member: b.requesting_member,
        line_of_effort: b.line_of_effort,
        category: b.category,
        title: b.title,
        description: b.description,
        measure: b.measure,
        place: b.place,
        window: b.window,
        priority: b.priority,
        ..r
    }
}

/// The contributions that count under requirement `id`'s place (they have
/// none of their own): their figures follow the requirement's audience.
pub(crate) async fn contributions_placed_by(
    w: &mut crate::WriteTx<'_>,
    id: &str,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM contributions WHERE requirement_id = $1 AND country IS NULL ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *w.tx)
    .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Writes the typed row of a requirement as its current version now is
/// (the layer's hook): what the picture, allocation and lists join on.
/// The requesting member's confirmation stands while it stays the
/// requesting member; a requirement in the origin's own name stands from
/// the version that names it; another member named confirms anew.
pub(crate) async fn project_requirement(
    w: &mut crate::WriteTx<'_>,
    r: &Record<RequirementBody>,
) -> Result<()> {
    let b = &r.body;
    let own = b.requesting_member == r.origin;
    sqlx::query(
        "INSERT INTO requirements (id, origin, requesting_member, line_of_effort, category, title, description, kind, amount, unit, \
         country, admin1_name, admin1_pcode, town, lat_micro, lon_micro, window_start, window_end, priority, \
         tlp, rel_to, version, revoked, created_at, created_by, updated_at, updated_by, requester_confirmed_at, requester_confirmed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29) \
         ON CONFLICT (id) DO UPDATE SET requesting_member = excluded.requesting_member, line_of_effort = excluded.line_of_effort, \
         category = excluded.category, title = excluded.title, description = excluded.description, kind = excluded.kind, \
         amount = excluded.amount, unit = excluded.unit, country = excluded.country, admin1_name = excluded.admin1_name, \
         admin1_pcode = excluded.admin1_pcode, town = excluded.town, lat_micro = excluded.lat_micro, lon_micro = excluded.lon_micro, \
         window_start = excluded.window_start, window_end = excluded.window_end, priority = excluded.priority, \
         tlp = excluded.tlp, rel_to = excluded.rel_to, version = excluded.version, revoked = excluded.revoked, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by, \
         requester_confirmed_at = CASE WHEN requirements.requesting_member = excluded.requesting_member \
           THEN requirements.requester_confirmed_at ELSE excluded.requester_confirmed_at END, \
         requester_confirmed_by = CASE WHEN requirements.requesting_member = excluded.requesting_member \
           THEN requirements.requester_confirmed_by ELSE excluded.requester_confirmed_by END",
    )
    .bind(&r.id)
    .bind(&r.origin)
    .bind(&b.requesting_member)
    .bind(&b.line_of_effort)
    .bind(&b.category)
    .bind(&b.title)
    .bind(&b.description)
    .bind(b.measure.kind())
    .bind(b.measure.amount())
    .bind(b.measure.unit())
    .bind(&b.place.country)
    .bind(b.place.admin1.as_ref().map(|a| a.name.clone()))
    .bind(b.place.admin1.as_ref().map(|a| a.pcode.clone()))
    .bind(b.place.town.clone())
    .bind(b.place.point.map(|c| c.lat_micro))
    .bind(b.place.point.map(|c| c.lon_micro))
    .bind(&b.window.start)
    .bind(&b.window.end)
    .bind(b.priority)
    .bind(r.marking.tlp.as_str())
    .bind(rel_to_json(&r.marking))
    .bind(r.version)
    .bind(i64::from(r.status == RecordStatus::Withdrawn))
    .bind(r.created_at_ms)
    .bind(&r.created_by)
    .bind(r.updated_at_ms)
    .bind(&r.updated_by)
    .bind(own.then_some(r.updated_at_ms))
    .bind(own.then(|| r.updated_by.clone()))
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

pub(crate) fn measure_from_row(r: &sqlx::any::AnyRow) -> Result<Measure> {
    Measure::parse(
        &r.try_get::<String, _>("kind")?,
        r.try_get("amount")?,
        &r.try_get::<String, _>("unit")?,
    )
    .map_err(|e| corrupt("measure columns", e))
}

/// The place columns (same names on requirements and contributions).
pub(crate) fn place_from_row(r: &sqlx::any::AnyRow, country: &str) -> Result<Place> {
    let admin1 = match (
        r.try_get::<Option<String>, _>("admin1_name")?,
        r.try_get::<Option<String>, _>("admin1_pcode")?,
    ) {
        (Some(n), Some(c)) => {
            Some(AdminArea::parse(&n, &c).map_err(|e| corrupt("admin1 columns", e))?)
        }
        _ => None,
    };
    let point = match (
        r.try_get::<Option<i64>, _>("lat_micro")?,
        r.try_get::<Option<i64>, _>("lon_micro")?,
    ) {
        (Some(lat), Some(lon)) => {
            Some(Coordinates::from_micro(lat, lon).map_err(|e| corrupt("coordinates", e))?)
        }
        _ => None,
    };
    let town: Option<String> = r.try_get("town")?;
    Place::parse(country, admin1, town.as_deref(), point).map_err(|e| corrupt("place columns", e))
}

pub(crate) fn requirement_from_row(r: &sqlx::any::AnyRow) -> Result<Requirement> {
    Ok(Requirement {
        id: r.try_get("id")?,
        origin: r.try_get("origin")?,
        requesting_member: r.try_get("requesting_member")?,
        line_of_effort: r.try_get("line_of_effort")?,
        category: r.try_get("category")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        measure: measure_from_row(r)?,
        place: place_from_row(r, &r.try_get::<String, _>("country")?)?,
        window: Window::parse(
            &r.try_get::<String, _>("window_start")?,
            &r.try_get::<String, _>("window_end")?,
        )
        .map_err(|e| corrupt("window columns", e))?,
        priority: r.try_get("priority")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        version: r.try_get("version")?,
        revoked: r.try_get::<i64, _>("revoked")? != 0,
        requester_confirmed: r.try_get::<i64, _>("requester_confirmed")? != 0,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}
