//! Contributions (split from `needs.rs`, which keeps requirements and what
//! both share): pledges, joint contributors and their confirmations, the
//! pledged → committed → delivered / cancelled lifecycle, deliveries and
//! receipts, parties, kept versions. A contribution's place and window are
//! its own or, when it names none, its requirement's read through the
//! viewer's audience (`contributions_from`).

use crate::audience::{marking_from_columns, readable, rel_to_json};
use crate::bulk::{insert_rows_then, Arg};
use crate::conditions::Conditions;
use crate::needs::{
    corrupt, measure_from_row, page_next, parties_json, place_from_row, RecordVersion,
};
use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::{audit, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::needs::{
    Contribution, ContributionBody, ContributionDraft, ContributionRecordKind, Delivery, Place,
    Status, Window,
};
use coalesce_domain::record::{Kind, Record};
use sqlx::Row;

/// The who-does-what-where filters: every field is optional (empty means
/// any). They narrow what the viewer may read; they never widen it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContributionFilter {
    pub requirement_id: Option<String>,
    pub line_of_effort: Option<String>,
    /// A contributing member (joint contributions count for each of theirs).
    pub member: Option<String>,
    pub country: Option<String>,
    /// First-level administrative area, by P-code.
    pub admin1_pcode: Option<String>,
    pub category: Option<String>,
    pub status: Option<Status>,
}

impl ContributionFilter {
    /// The filter's conditions on `contributions c`, their values from
    /// placeholder `$first_free` on (`$1` is the viewer). A contribution's
    /// place is its own, or its requirement's when the viewer may read the
    /// requirement.
    pub(crate) fn conditions(&self, first_free: usize) -> Conditions {
        let req = |col: &str| {
            format!(
                "(SELECT fr.{col} FROM requirements fr WHERE fr.id = c.requirement_id AND {})",
                readable("fr.id", "$1")
            )
        };
        let mut c = Conditions::after(first_free);
        c.with_some("c.requirement_id = {}", self.requirement_id.as_deref())
            .with_some("c.line_of_effort = {}", self.line_of_effort.as_deref())
            .with_some(
                "EXISTS (SELECT 1 FROM contribution_members fm WHERE fm.contribution_id = c.id AND fm.member_code = {} AND fm.confirmed_at IS NOT NULL)",
                self.member.as_deref(),
            )
            .with_some(
                &format!("COALESCE(c.country, {}) = {{}}", req("country")),
                self.country.as_deref(),
            )
            .with_some(
                &format!(
                    "CASE WHEN c.country IS NULL THEN {} ELSE c.admin1_pcode END = {{}}",
                    req("admin1_pcode")
                ),
                self.admin1_pcode.as_deref(),
            )
            .with_some("c.category = {}", self.category.as_deref())
            .with_some("c.status = {}", self.status.map(Status::as_str));
        c
    }

    /// The line of effort (`""` for all) when that is the filter's only
    /// condition: the figures kept per reader answer such filters.
    pub(crate) fn line_only(&self) -> Option<&str> {
        let ContributionFilter {
            requirement_id: None,
            line_of_effort,
            member: None,
            country: None,
            admin1_pcode: None,
            category: None,
            status: None,
        } = self
        else {
            return None;
        };
        Some(line_of_effort.as_deref().unwrap_or(""))
    }

    /// Only those against one requirement.
    pub fn for_requirement(id: &str) -> Self {
        ContributionFilter {
            requirement_id: Some(id.to_string()),
            ..Self::default()
        }
    }
}

/// A contribution's columns as the viewer sees them, over
/// [`contributions_from`]: its own place and window, or — when it names
/// none — its requirement's, which are never copied into it.
pub(crate) const CONTRIBUTION_COLUMNS: &str = "c.id, c.origin, c.requirement_id, c.line_of_effort, c.category, c.title, c.description, c.kind, c.amount, c.unit, \
     c.status, c.delivered, c.tlp, c.rel_to, c.version, c.created_at, c.created_by, c.updated_at, c.updated_by, c.parties, \
     CASE WHEN c.country IS NULL THEN rq.country ELSE c.country END AS country, \
     CASE WHEN c.country IS NULL THEN rq.admin1_name ELSE c.admin1_name END AS admin1_name, \
     CASE WHEN c.country IS NULL THEN rq.admin1_pcode ELSE c.admin1_pcode END AS admin1_pcode, \
     CASE WHEN c.country IS NULL THEN rq.town ELSE c.town END AS town, \
     CASE WHEN c.country IS NULL THEN rq.lat_micro ELSE c.lat_micro END AS lat_micro, \
     CASE WHEN c.country IS NULL THEN rq.lon_micro ELSE c.lon_micro END AS lon_micro, \
     CASE WHEN c.window_start IS NULL THEN rq.window_start ELSE c.window_start END AS window_start, \
     CASE WHEN c.window_start IS NULL THEN rq.window_end ELSE c.window_end END AS window_end, \
     CAST(CASE WHEN c.country IS NULL AND c.requirement_id IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS place_from_requirement, \
     CAST(CASE WHEN c.window_start IS NULL AND c.requirement_id IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS window_from_requirement";

/// `contributions c` with the requirement it answers as `rq`, joined only
/// when the viewer (`$1`) may read that requirement and the contribution
/// takes its place or window from it: derived data stays in its source's
/// audience.
pub(crate) fn contributions_from() -> String {
    format!("contributions c {}", requirement_join())
}

/// The join of [`contributions_from`] alone, for queries that start from
/// `contributions c` themselves.
pub(crate) fn requirement_join() -> String {
    format!(
        "LEFT JOIN requirements rq ON rq.id = c.requirement_id \
         AND (c.country IS NULL OR c.window_start IS NULL) AND {}",
        readable("rq.id", "$1")
    )
}

/// The country a viewer sees for a contribution, over [`requirement_join`].
pub(crate) const EFFECTIVE_COUNTRY: &str =
    "COALESCE(CASE WHEN c.country IS NULL THEN rq.country ELSE c.country END, '')";
/// As [`EFFECTIVE_COUNTRY`], for the first-level area's P-code.
pub(crate) const EFFECTIVE_ADMIN1: &str =
    "COALESCE(CASE WHEN c.country IS NULL THEN rq.admin1_pcode ELSE c.admin1_pcode END, '')";

impl Store {
    // ----- contributions ------------------------------------------------

    /// Records a contribution by the contributing members named in the
    /// draft; the recording member (its origin) must be one of them. Against
    /// a requirement, the requirement must be readable by the recording
    /// member (otherwise it is "unknown", as if it did not exist), not
    /// withdrawn, and counted in the same unit or currency.
    pub async fn create_contribution(
        &self,
        p: &Principal,
        draft: &ContributionDraft,
    ) -> Result<Contribution> {
        self.create_contribution_at(p, draft, now_ms()).await
    }

    /// Records a contribution pledged at `at_ms` (for the demo loader).
    pub async fn create_contribution_at(
        &self,
        p: &Principal,
        draft: &ContributionDraft,
        at_ms: i64,
    ) -> Result<Contribution> {
        crate::records::check_writer(p)?;
        let resolved = self.resolve_contribution(p, draft).await?;
        let c = self
            .create_record_at::<ContributionRecordKind>(
                p,
                pledge_body(draft, resolved),
                draft.marking.clone(),
                at_ms,
            )
            .await?;
        self.fetch_contribution(p, &c.id).await
    }

    /// Imports contributions: checked whole, written in batches (see
    /// [`Store::import_requirements`]).
    pub async fn import_contributions(
        &self,
        p: &Principal,
        rows: &[(u64, ContributionDraft)],
        go_on: impl FnMut(usize, usize) -> bool + Send,
    ) -> Result<Vec<String>> {
        crate::records::check_writer(p)?;
        let mut bad = Vec::new();
        let mut resolved = Vec::with_capacity(rows.len());
        for (line, d) in rows {
            match self.resolve_contribution(p, d).await {
                Ok(r) => resolved.push(r),
                Err(e) => bad.push((*line, crate::needs::row_error(e)?)),
            }
        }
        if !bad.is_empty() {
            return Err(StoreError::Rows(bad));
        }
        let items = rows
            .iter()
            .zip(resolved)
            .map(|((_, d), r)| (pledge_body(d, r), d.marking.clone()))
            .collect();
        self.create_records_batched::<ContributionRecordKind>(p, items, now_ms(), go_on)
            .await
    }

    /// What a new contribution takes from its requirement (or names
    /// itself), after the checks: (line of effort, category, its own place,
    /// its own window). Against a requirement, a place or window the draft
    /// does not name stays `None`: it is read from the requirement, through
    /// the requirement's audience, never copied.
    pub(crate) async fn resolve_contribution(
        &self,
        p: &Principal,
        draft: &ContributionDraft,
    ) -> Result<OwnParts> {
        draft.check_origin(&p.member)?;
        self.check_contributors_read(p, &draft.contributors, &draft.marking)
            .await?;
        let (loe, category, place, window) = match &draft.requirement_id {
            Some(rid) => {
                let r = self.fetch_requirement(p, rid).await.map_err(|e| match e {
                    StoreError::NotFound => {
                        StoreError::BadRequest(format!("unknown requirement {rid}"))
                    }
                    other => other,
                })?;
                if r.revoked {
                    return Err(StoreError::withdrawn("requirement"));
                }
                draft.check_against(&r.measure)?;
                for (given, theirs, what) in [
                    (&draft.line_of_effort, &r.line_of_effort, "line of effort"),
                    (&draft.category, &r.category, "item category"),
                ] {
                    if let Some(g) = given {
                        if g.as_str() != theirs {
                            return Err(StoreError::BadRequest(format!(
                                "the requirement's {what} is {theirs}, not {g}"
                            )));
                        }
                    }
                }
                (
                    r.line_of_effort,
                    r.category,
                    draft.place.clone(),
                    draft.window.clone(),
                )
            }
            None => {
                let missing = || {
                    StoreError::BadRequest(
                        "a standalone contribution names its line of effort and item category"
                            .into(),
                    )
                };
                let loe = draft
                    .line_of_effort
                    .as_ref()
                    .ok_or_else(missing)?
                    .to_string();
                let cat = draft.category.as_ref().ok_or_else(missing)?.to_string();
                self.check_exists(&[
                    ("lines_of_effort", "slug", &loe, "line of effort"),
                    ("item_categories", "slug", &cat, "item category"),
                ])
                .await?;
                let (Some(place), Some(window)) = (draft.place.clone(), draft.window.clone())
                else {
                    return Err(StoreError::BadRequest(
                        "a standalone contribution names its place and time window".into(),
                    ));
                };
                (loe, cat, Some(place), Some(window))
            }
        };
        Ok((loe, category, place, window))
    }

    /// Every contributing member exists and may read the contribution under
    /// `marking`: a co-contributor confirms what it can read.
    pub(crate) async fn check_contributors_read(
        &self,
        p: &Principal,
        contributors: &std::collections::BTreeSet<coalesce_domain::MemberCode>,
        marking: &coalesce_domain::Marking,
    ) -> Result<()> {
        for m in contributors {
            self.check_exists(&[("members", "code", m.as_str(), "member")])
                .await?;
            let viewer = coalesce_domain::Viewer {
                member: m.clone(),
                groups: self
                    .groups_of(m.as_str())
                    .await?
                    .iter()
                    .filter_map(|g| coalesce_domain::Slug::parse(g).ok())
                    .collect(),
            };
            if !marking.readable_by(&p.member, &viewer) {
                return Err(StoreError::Invalid(coalesce_domain::DomainError::InvalidField {
                    field: "contributors",
                    reason: format!(
                        "co-contributor {m} may not read this contribution under its marking; release it to {m}"
                    ),
                }));
            }
        }
        Ok(())
    }

    /// A member named as co-contributor confirms that it stands by the
    /// contribution: its own act, by one of its users (audited); the
    /// contribution itself, which only its origin changes, keeps its
    /// version. From then on it counts for that member too.
    pub async fn confirm_co_contribution(&self, p: &Principal, id: &str) -> Result<Contribution> {
        crate::records::check_writer(p)?;
        let c = self.fetch_contribution(p, id).await?;
        if !c.proposed_contributors.contains(&p.member.to_string()) {
            return Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                if c.contributors.contains(&p.member.to_string()) {
                    format!("{} already stands by this contribution", p.member)
                } else {
                    format!(
                        "{} is not named as a co-contributor of this contribution",
                        p.member
                    )
                },
            ));
        }
        let now = now_ms();
        let ids = [c.id.clone()];
        let mut w = self.begin_write().await?;
        crate::rollup::remove(&mut w, &ids).await?;
        let done = sqlx::query(
            "UPDATE contribution_members SET confirmed_at = $1, confirmed_by = $2 \
             WHERE contribution_id = $3 AND member_code = $4 AND confirmed_at IS NULL",
        )
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(p.member.as_str())
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("contribution"));
        }
        crate::rollup::add(&mut w, &ids).await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "contribution.confirm_co_contribution",
            id,
            &serde_json::json!({ "version": c.version }),
        )
        .await?;
        w.commit().await?;
        self.fetch_contribution(p, id).await
    }

    /// A contribution the viewer may read; no audit entry.
    pub(crate) async fn fetch_contribution(&self, p: &Principal, id: &str) -> Result<Contribution> {
        let sql = format!(
            "SELECT {CONTRIBUTION_COLUMNS} FROM {} WHERE c.id = $2 AND {}",
            contributions_from(),
            readable("c.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut c = [contribution_from_row(&row)?];
        self.fill_contributors(p, &mut c).await?;
        let [c] = c;
        Ok(c)
    }

    /// Fills in the contributing members of readable contributions, in one
    /// query per 500 (outside the viewer's audience a contribution keeps
    /// none).
    pub(crate) async fn fill_contributors(
        &self,
        p: &Principal,
        contributions: &mut [Contribution],
    ) -> Result<()> {
        for chunk in contributions.chunks_mut(500) {
            let sql = format!(
                "SELECT cm.contribution_id, cm.member_code, CAST(CASE WHEN cm.confirmed_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
                 FROM contribution_members cm \
                 WHERE cm.contribution_id IN ({}) AND {} ORDER BY cm.contribution_id, cm.member_code",
                crate::placeholders(2, chunk.len()),
                readable("cm.contribution_id", "$1")
            );
            let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql).bind(p.member.as_str());
            for c in chunk.iter() {
                q = q.bind(c.id.clone());
            }
            // (confirmed, proposed) per contribution.
            type Members = (Vec<String>, Vec<String>);
            let mut members: std::collections::BTreeMap<String, Members> =
                std::collections::BTreeMap::new();
            for (cid, member, confirmed) in q.fetch_all(self.pool()).await? {
                let e = members.entry(cid).or_default();
                if confirmed != 0 {
                    e.0.push(member);
                } else {
                    e.1.push(member);
                }
            }
            for c in chunk.iter_mut() {
                (c.contributors, c.proposed_contributors) =
                    members.remove(&c.id).unwrap_or_default();
            }
        }
        Ok(())
    }

    /// Reads one contribution; outside the viewer's audience it does not exist.
    /// A contribution as its origin's writer changes it (what a change
    /// leaves out is kept from it); not a read shown to anyone, so not
    /// audited. Others who may read it are refused (403).
    pub async fn contribution_for_change(&self, p: &Principal, id: &str) -> Result<Contribution> {
        crate::records::check_writer(p)?;
        let c = self.fetch_contribution(p, id).await?;
        crate::contribution_lifecycle::only_its_origin(p, &c.origin)?;
        Ok(c)
    }

    pub async fn get_contribution(&self, p: &Principal, id: &str) -> Result<Contribution> {
        let c = self.fetch_contribution(p, id).await?;
        self.audit_reads(p, "contribution.read", id, [(&c.id, &c.marking)])
            .await?;
        Ok(c)
    }

    /// The deliveries of a contribution the viewer may read, in order.
    pub async fn contribution_deliveries(&self, p: &Principal, id: &str) -> Result<Vec<Delivery>> {
        let c = self.fetch_contribution(p, id).await?;
        let sql = format!(
            "SELECT d.id, d.seq, d.delivered_on, d.amount, d.evidence, d.recorded_at, d.recorded_by, d.received_at, d.received_by, d.received_member, \
             d.received_amount, d.received_on, d.received_note \
             FROM contribution_deliveries d WHERE d.contribution_id = $2 AND {} ORDER BY d.seq",
            readable("d.contribution_id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        let ds = rows
            .iter()
            .map(delivery_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.audit_reads(p, "contribution.read_deliveries", id, [(&c.id, &c.marking)])
            .await?;
        Ok(ds)
    }

    /// The deliveries of these contributions (read by the viewer), by
    /// contribution, each in order: one query per 500 contributions and
    /// one audit entry for them all, not one of each per contribution.
    pub async fn deliveries_of_contributions(
        &self,
        p: &Principal,
        contributions: &[Contribution],
    ) -> Result<std::collections::BTreeMap<String, Vec<Delivery>>> {
        let mut out: std::collections::BTreeMap<String, Vec<Delivery>> = Default::default();
        let ids: Vec<&str> = contributions.iter().map(|c| c.id.as_str()).collect();
        for chunk in crate::in_chunks(&ids) {
            let sql = format!(
                "SELECT d.contribution_id, d.id, d.seq, d.delivered_on, d.amount, d.evidence, d.recorded_at, d.recorded_by, d.received_at, d.received_by, d.received_member, \
                 d.received_amount, d.received_on, d.received_note \
                 FROM contribution_deliveries d WHERE d.contribution_id IN ({}) AND {} ORDER BY d.contribution_id, d.seq",
                crate::placeholders(2, chunk.len()),
                readable("d.contribution_id", "$1")
            );
            let mut q = sqlx::query(&sql).bind(p.member.as_str());
            for id in &chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                let id: String = row.try_get("contribution_id")?;
                out.entry(id).or_default().push(delivery_from_row(&row)?);
            }
        }
        self.audit_reads(
            p,
            "contribution.read_deliveries",
            "list",
            contributions.iter().map(|c| (&c.id, &c.marking)),
        )
        .await?;
        Ok(out)
    }

    /// Newest first, filtered (see [`ContributionFilter`]); cancelled
    /// contributions are included unless the status filter says otherwise.
    pub async fn list_contributions(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Contribution>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let mut conditions = filter.conditions(2);
        conditions.with_some("c.id < {}", cursor.as_deref());
        let sql = format!(
            "SELECT {CONTRIBUTION_COLUMNS} FROM {} WHERE {} AND {} \
             ORDER BY c.id DESC LIMIT {}",
            contributions_from(),
            conditions.sql(),
            crate::audience::readable_row_by_row("c.id", "$1"),
            crate::records::rows_for_page(limit)
        );
        let rows = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(contribution_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = page_next(&mut items, limit, |c| c.id.clone());
        self.fill_contributors(p, &mut items).await?;
        self.audit_reads(
            p,
            "contribution.read",
            "list",
            items.iter().map(|c| (&c.id, &c.marking)),
        )
        .await?;
        Ok(Page { items, next })
    }

    /// How many contributions the viewer may read, filtered.
    pub async fn count_contributions(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
    ) -> Result<i64> {
        if *filter == ContributionFilter::default() {
            // Unfiltered: the layer's count, kept per reader as it writes.
            return crate::counts::count_kind(self.pool(), p, ContributionRecordKind::NAME).await;
        }
        let conditions = filter.conditions(2);
        let sql = format!(
            "SELECT COUNT(*) FROM contributions c WHERE {} AND {}",
            conditions.sql(),
            readable("c.id", "$1")
        );
        let row = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get(0)?)
    }

    /// The kept versions of a contribution the viewer may read now, oldest
    /// first, only those whose own marking admits the viewer; each as the
    /// contribution it was then, with its own place and window only (a
    /// place taken from the requirement is never part of a version) and its
    /// members as they stand now (confirmations are theirs, not versioned).
    pub async fn contribution_versions(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<RecordVersion>> {
        let c = self.fetch_contribution(p, id).await?;
        let vs = self
            .record_versions::<ContributionRecordKind>(p, id)
            .await?;
        vs.into_iter()
            .map(|v| {
                RecordVersion::shown_as(v, |b, v| Contribution {
                    version: v.version,
                    marking: v.marking.clone(),
                    updated_at_ms: v.at_ms,
                    updated_by: v.author.clone(),
                    ..contribution_with_body(c.clone(), b)
                })
            })
            .collect()
    }
}

/// `c` (as read now) with the fields of body `b` (a kept version's).
pub(crate) fn contribution_with_body(c: Contribution, b: ContributionBody) -> Contribution {
    let delivered = b.delivered();
    Contribution {
        requirement_id: b.requirement_id.clone(),
        line_of_effort: b.line_of_effort,
        category: b.category,
        title: b.title,
        description: b.description,
        measure: b.measure,
        place_from_requirement: b.place.is_none() && b.requirement_id.is_some(),
        window_from_requirement: b.window.is_none() && b.requirement_id.is_some(),
        place: b.place,
        window: b.window,
        status: b.status,
        delivered,
        parties: b.parties,
        ..c
    }
}

/// A new (pledged) contribution's fields: the draft's, with what
/// [`Store::resolve_contribution`] found.
pub(crate) fn pledge_body(
    draft: &ContributionDraft,
    (line_of_effort, category, place, window): OwnParts,
) -> ContributionBody {
    ContributionBody {
        requirement_id: draft.requirement_id.clone(),
        line_of_effort,
        category,
        title: draft.title.clone(),
        description: draft.description.clone(),
        measure: draft.measure.clone(),
        place,
        window,
        contributors: draft.contributors.iter().map(|m| m.to_string()).collect(),
        status: Status::Pledged,
        deliveries: Vec::new(),
        parties: draft.parties.clone(),
    }
}

/// Writes the typed rows of contributions as their current versions now
/// are (the layer's hook): the contribution, its members (the origin
/// stands by it from the start; the others are proposed until each
/// confirms, their act kept here) and its deliveries (receipts, the
/// requesting member's act, kept on them). What the lists, the figures and
/// allocation join on.
pub(crate) async fn project_contributions(
    w: &mut crate::WriteTx<'_>,
    written: &[&Record<ContributionBody>],
) -> Result<()> {
    let mut rows = Vec::with_capacity(written.len());
    let mut members = Vec::new();
    let mut deliveries = Vec::new();
    for r in written {
        let b = &r.body;
        let place = b.place.as_ref();
        let admin1 = place.and_then(|p| p.admin1.as_ref());
        let point = place.and_then(|p| p.point);
        rows.push(vec![
            Arg::Text(r.id.clone()),
            Arg::Text(r.origin.clone()),
            Arg::MaybeText(b.requirement_id.clone()),
            Arg::Text(b.line_of_effort.clone()),
            Arg::Text(b.category.clone()),
            Arg::Text(b.title.clone()),
            Arg::Text(b.description.clone()),
            Arg::Text(b.measure.kind().to_string()),
            Arg::Int(b.measure.amount()),
            Arg::Text(b.measure.unit().to_string()),
            Arg::Text(b.status.as_str().to_string()),
            Arg::Int(b.delivered()),
            Arg::Text(r.marking.tlp.as_str().to_string()),
            Arg::Text(rel_to_json(&r.marking)),
            Arg::Int(r.version),
            Arg::Int(r.created_at_ms),
            Arg::Text(r.created_by.clone()),
            Arg::Int(r.updated_at_ms),
            Arg::Text(r.updated_by.clone()),
            Arg::MaybeText(place.map(|p| p.country.clone())),
            Arg::MaybeText(admin1.map(|a| a.name.clone())),
            Arg::MaybeText(admin1.map(|a| a.pcode.clone())),
            Arg::MaybeText(place.and_then(|p| p.town.clone())),
            Arg::MaybeInt(point.map(|c| c.lat_micro)),
            Arg::MaybeInt(point.map(|c| c.lon_micro)),
            Arg::MaybeText(b.window.as_ref().map(|w| w.start.clone())),
            Arg::MaybeText(b.window.as_ref().map(|w| w.end.clone())),
            Arg::Text(parties_json(&b.parties)),
        ]);
        for m in &b.contributors {
            let own = *m == r.origin;
            members.push(vec![
                Arg::Text(r.id.clone()),
                Arg::Text(m.clone()),
                Arg::MaybeInt(own.then_some(r.created_at_ms)),
                Arg::MaybeText(own.then(|| r.created_by.clone())),
            ]);
        }
        for d in &b.deliveries {
            deliveries.push(vec![
                Arg::Text(new_id_at(r.updated_at_ms)),
                Arg::Text(r.id.clone()),
                Arg::Int(d.seq),
                Arg::Text(d.delivered_on.clone()),
                Arg::Int(d.amount),
                Arg::Text(d.evidence.clone()),
                Arg::Int(r.updated_at_ms),
                Arg::Text(r.updated_by.clone()),
            ]);
        }
    }
    insert_rows_then(
        &mut w.tx,
        "contributions (id, origin, requirement_id, line_of_effort, category, title, description, kind, amount, unit, \
         status, delivered, tlp, rel_to, version, created_at, created_by, updated_at, updated_by, \
         country, admin1_name, admin1_pcode, town, lat_micro, lon_micro, window_start, window_end, parties)",
        &rows,
        "ON CONFLICT (id) DO UPDATE SET requirement_id = excluded.requirement_id, line_of_effort = excluded.line_of_effort, \
         category = excluded.category, title = excluded.title, description = excluded.description, kind = excluded.kind, \
         amount = excluded.amount, unit = excluded.unit, status = excluded.status, delivered = excluded.delivered, \
         tlp = excluded.tlp, rel_to = excluded.rel_to, version = excluded.version, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by, country = excluded.country, admin1_name = excluded.admin1_name, \
         admin1_pcode = excluded.admin1_pcode, town = excluded.town, lat_micro = excluded.lat_micro, \
         lon_micro = excluded.lon_micro, window_start = excluded.window_start, window_end = excluded.window_end, \
         parties = excluded.parties",
    )
    .await?;
    insert_rows_then(
        &mut w.tx,
        "contribution_members (contribution_id, member_code, confirmed_at, confirmed_by)",
        &members,
        "ON CONFLICT (contribution_id, member_code) DO NOTHING",
    )
    .await?;
    insert_rows_then(
        &mut w.tx,
        "contribution_deliveries (id, contribution_id, seq, delivered_on, amount, evidence, recorded_at, recorded_by)",
        &deliveries,
        "ON CONFLICT (contribution_id, seq) DO NOTHING",
    )
    .await
}

/// A new contribution's (line of effort, category, own place, own window).
pub(crate) type OwnParts = (String, String, Option<Place>, Option<Window>);

/// Contributors are loaded separately (filtered through the audience too).
pub(crate) fn contribution_from_row(r: &sqlx::any::AnyRow) -> Result<Contribution> {
    Ok(Contribution {
        id: r.try_get("id")?,
        origin: r.try_get("origin")?,
        contributors: vec![],
        proposed_contributors: vec![],
        requirement_id: r.try_get("requirement_id")?,
        line_of_effort: r.try_get("line_of_effort")?,
        category: r.try_get("category")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        measure: measure_from_row(r)?,
        place: match r.try_get::<Option<String>, _>("country")? {
            Some(country) => Some(place_from_row(r, &country)?),
            None => None,
        },
        window: match (
            r.try_get::<Option<String>, _>("window_start")?,
            r.try_get::<Option<String>, _>("window_end")?,
        ) {
            (Some(s), Some(e)) => {
                Some(Window::parse(&s, &e).map_err(|e| corrupt("window columns", e))?)
            }
            _ => None,
        },
        place_from_requirement: r.try_get::<i64, _>("place_from_requirement")? != 0,
        window_from_requirement: r.try_get::<i64, _>("window_from_requirement")? != 0,
        status: Status::parse(&r.try_get::<String, _>("status")?)
            .map_err(|e| corrupt("status column", e))?,
        delivered: r.try_get("delivered")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        parties: serde_json::from_str(&r.try_get::<String, _>("parties")?)
            .map_err(|e| corrupt("parties column", e))?,
        version: r.try_get("version")?,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

pub(crate) fn delivery_from_row(r: &sqlx::any::AnyRow) -> Result<Delivery> {
    Ok(Delivery {
        id: r.try_get("id")?,
        seq: r.try_get("seq")?,
        delivered_on: r.try_get("delivered_on")?,
        amount: r.try_get("amount")?,
        evidence: r.try_get("evidence")?,
        recorded_at_ms: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
        received_at_ms: r.try_get("received_at")?,
        received_by: r.try_get("received_by")?,
        received_member: r.try_get("received_member")?,
        received_amount: r.try_get("received_amount")?,
        received_on: r.try_get("received_on")?,
        received_note: r.try_get("received_note")?,
    })
}
