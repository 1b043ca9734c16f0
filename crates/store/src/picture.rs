//! The coordination picture (issue 3): totals per line of effort, member,
//! place and category; trends by month; requirements with their figures;
//! recent deliveries; and duplication. Every query here filters through
//! [`crate::audience::readable`] on every marked table it touches, so each
//! figure is computed only over what the viewer may read.

use crate::conditions::Conditions;
use crate::needs::{
    contribution_from_row, contributions_from, delivery_from_row, requirement_from_row,
    requirement_join, ContributionFilter, CONTRIBUTION_COLUMNS, EFFECTIVE_ADMIN1,
    EFFECTIVE_COUNTRY, REQUIREMENT_COLUMNS,
};
use crate::{audience::readable, Principal, Result, Store};
use coalesce_domain::needs::{
    overlapping_groups, Contribution, Counted, Delivery, Footprint, Progress, Requirement, Status,
    Summary,
};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// What totals are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    LineOfEffort,
    Member,
    Country,
    Category,
    /// First-level administrative area, by P-code (a contribution's own
    /// place, or its requirement's).
    Admin1,
}

impl Dimension {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "line_of_effort" => Some(Dimension::LineOfEffort),
            "member" => Some(Dimension::Member),
            "country" => Some(Dimension::Country),
            "category" => Some(Dimension::Category),
            "admin1" => Some(Dimension::Admin1),
            _ => None,
        }
    }
    /// Its `dim` in the figures kept per reader (crate::rollup), when they
    /// keep it.
    fn rollup_dim(self) -> Option<&'static str> {
        match self {
            Dimension::LineOfEffort => Some("line"),
            Dimension::Member => Some("member"),
            Dimension::Country => Some("country"),
            Dimension::Category => Some("category"),
            Dimension::Admin1 => None,
        }
    }
}

/// Totals of one group in one unit or currency (amounts in different units
/// are never added together). `committed` counts what committed
/// contributions have yet to deliver, as in [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Total {
    pub key: String,
    pub kind: String,
    pub unit: String,
    pub contributions: i64,
    pub pledged: i64,
    pub committed: i64,
    pub delivered: i64,
    pub cancelled: i64,
}

/// The contributions of one first-level area (see
/// [`Store::contributions_by_area`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaContributions {
    /// P-code; empty for contributions placed by country only.
    pub area: String,
    pub contributions: i64,
    /// Contributing members' codes, sorted.
    pub members: Vec<String>,
}

/// Contributions pledged and deliveries made in one month (counts, so that
/// different units can share one chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// YYYY-MM.
    pub month: String,
    pub pledged: i64,
    pub deliveries: i64,
}

/// What a list of requirements is narrowed to (each field: equal to).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequirementListFilter {
    pub line_of_effort: Option<String>,
    pub requesting_member: Option<String>,
    pub category: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub country: Option<String>,
    /// First-level administrative area, by P-code.
    pub admin1_pcode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementFigures {
    pub requirement: Requirement,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecentDelivery {
    pub delivery: Delivery,
    pub contribution: Contribution,
}

/// A requirement whose readable, non-cancelled contributions together
/// exceed what it asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverContributed {
    pub requirement: Requirement,
    /// The sum of the contributions' amounts (pledged, committed and delivered).
    pub offered: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplication {
    pub over_contributed: Vec<OverContributed>,
    /// Groups of standalone contributions of the same category to the same
    /// place in overlapping windows.
    pub overlapping: Vec<Vec<Contribution>>,
}

/// How many standalone contributions the overlap sweep looks at, and how
/// many findings of each kind are returned.
const OVERLAP_SCAN: i64 = 50_000;
const MAX_FINDINGS: i64 = 100;

impl Store {
    /// Totals grouped by `by`, over the filtered contributions the viewer
    /// may read. A joint contribution counts in full for each of its
    /// members when grouped by member.
    pub async fn contribution_totals(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
        by: Dimension,
    ) -> Result<Vec<Total>> {
        let rows = match filter.line_only().zip(by.rollup_dim()) {
            Some((line, dim)) => {
                // The figures kept per reader (crate::rollup).
                let mut on_line = Conditions::after(3);
                on_line.with_some("line_of_effort = {}", Some(line));
                let sql = format!(
                    "SELECT group_key AS k, kind, unit, status, CAST(SUM(n) AS BIGINT) AS n, \
                     CAST(SUM(amount) AS BIGINT) AS amount, CAST(SUM(delivered) AS BIGINT) AS delivered \
                     FROM picture_rollup WHERE reader = $1 AND dim = $2 AND {} \
                     GROUP BY group_key, kind, unit, status HAVING SUM(n) <> 0",
                    on_line.sql()
                );
                on_line
                    .bind(sqlx::query(&sql).bind(p.member.as_str()).bind(dim))
                    .fetch_all(self.pool())
                    .await?
            }
            None => self.scan_totals(p, filter, by).await?,
        };
        fold_totals(&rows)
    }

    /// [`Store::contribution_totals`] for any filter: grouped over the
    /// readable contributions themselves.
    async fn scan_totals(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
        by: Dimension,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let (key, join) = match by {
            Dimension::LineOfEffort => ("c.line_of_effort", String::new()),
            Dimension::Category => ("c.category", String::new()),
            Dimension::Country => (EFFECTIVE_COUNTRY, requirement_join()),
            Dimension::Admin1 => (EFFECTIVE_ADMIN1, requirement_join()),
            Dimension::Member => (
                "gm.member_code",
                "JOIN contribution_members gm ON gm.contribution_id = c.id AND gm.confirmed_at IS NOT NULL"
                    .to_string(),
            ),
        };
        let conditions = filter.conditions(2);
        let sql = format!(
            "SELECT {key} AS k, c.kind, c.unit, c.status, COUNT(*) AS n, CAST(SUM(c.amount) AS BIGINT) AS amount, \
             CAST(SUM(c.delivered) AS BIGINT) AS delivered FROM contributions c {join} \
             WHERE {} AND {} GROUP BY {key}, c.kind, c.unit, c.status",
            conditions.sql(),
            readable("c.id", "$1")
        );
        let rows = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
            .fetch_all(self.pool())
            .await?;
        Ok(rows)
    }

    /// Per first-level area (by P-code; empty for contributions placed by
    /// country only): how many of the filtered contributions the viewer may
    /// read are not cancelled, and which members make them. The "who" and
    /// "how much" of a 3W map. Sorted by P-code.
    pub async fn contributions_by_area(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
    ) -> Result<Vec<AreaContributions>> {
        let join = requirement_join();
        let conditions = filter.conditions(2);
        let condition = format!(
            "c.status <> 'cancelled' AND {} AND {}",
            conditions.sql(),
            readable("c.id", "$1")
        );
        let counts = format!(
            "SELECT {EFFECTIVE_ADMIN1} AS area, COUNT(*) AS n FROM contributions c {join} \
             WHERE {condition} GROUP BY {EFFECTIVE_ADMIN1}"
        );
        let members = format!(
            "SELECT DISTINCT {EFFECTIVE_ADMIN1} AS area, gm.member_code AS member FROM contributions c {join} \
             JOIN contribution_members gm ON gm.contribution_id = c.id AND gm.confirmed_at IS NOT NULL \
             WHERE {condition}"
        );
        let conditions = &conditions;
        let run = |sql: String| async move {
            conditions
                .bind(sqlx::query(&sql).bind(p.member.as_str()))
                .fetch_all(self.pool())
                .await
        };
        let mut out: BTreeMap<String, AreaContributions> = BTreeMap::new();
        for r in run(counts).await? {
            let area: String = r.try_get("area")?;
            out.insert(
                area.clone(),
                AreaContributions {
                    area,
                    contributions: r.try_get("n")?,
                    members: Vec::new(),
                },
            );
        }
        for r in run(members).await? {
            let area: String = r.try_get("area")?;
            if let Some(a) = out.get_mut(&area) {
                a.members.push(r.try_get("member")?);
            }
        }
        Ok(out
            .into_values()
            .map(|mut a| {
                a.members.sort();
                a
            })
            .collect())
    }

    /// Per month: contributions pledged (by the date recorded) and
    /// deliveries made (by their delivery date), over the filtered
    /// contributions the viewer may read.
    pub async fn contribution_trend(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
    ) -> Result<Vec<MonthCount>> {
        let mut months: BTreeMap<String, MonthCount> = BTreeMap::new();
        let mut count = |m: String, n: i64, pledged: bool| {
            let e = months.entry(m.clone()).or_insert(MonthCount {
                month: m,
                pledged: 0,
                deliveries: 0,
            });
            if pledged {
                e.pledged += n;
            } else {
                e.deliveries += n;
            }
        };
        if let Some(line) = filter.line_only() {
            // The figures kept per reader (crate::rollup).
            let mut on_line = Conditions::after(2);
            on_line.with_some("line_of_effort = {}", Some(line));
            let sql = format!(
                "SELECT dim, group_key, CAST(SUM(n) AS BIGINT) AS n FROM picture_rollup \
                 WHERE reader = $1 AND dim IN ('pledged', 'delivered') AND {} \
                 GROUP BY dim, group_key HAVING SUM(n) <> 0",
                on_line.sql()
            );
            let rows = on_line
                .bind(sqlx::query(&sql).bind(p.member.as_str()))
                .fetch_all(self.pool())
                .await?;
            for r in &rows {
                let dim: String = r.try_get("dim")?;
                count(r.try_get("group_key")?, r.try_get("n")?, dim == "pledged");
            }
            return Ok(months.into_values().collect());
        }
        let conditions = filter.conditions(2);
        let month = self.dialect().month_of_ms("c.created_at");
        let pledged_sql = format!(
            "SELECT {month} AS m, COUNT(*) AS n FROM contributions c \
             WHERE {} AND {} GROUP BY {month}",
            conditions.sql(),
            readable("c.id", "$1")
        );
        let delivered_sql = format!(
            "SELECT SUBSTR(d.delivered_on, 1, 7) AS m, COUNT(*) AS n FROM contribution_deliveries d \
             JOIN contributions c ON c.id = d.contribution_id \
             WHERE {} AND {} GROUP BY SUBSTR(d.delivered_on, 1, 7)",
            conditions.sql(),
            readable("c.id", "$1")
        );
        for (sql, pledged) in [(pledged_sql, true), (delivered_sql, false)] {
            let rows = conditions
                .bind(sqlx::query(&sql).bind(p.member.as_str()))
                .fetch_all(self.pool())
                .await?;
            for r in &rows {
                count(r.try_get("m")?, r.try_get("n")?, pledged);
            }
        }
        Ok(months.into_values().collect())
    }

    /// Open requirements of a line of effort (all when empty) the viewer may
    /// read, most urgent first, each with its figures over the readable
    /// contributions against it.
    pub async fn requirements_with_figures(
        &self,
        p: &Principal,
        line_of_effort: &str,
        limit: i64,
    ) -> Result<Vec<RequirementFigures>> {
        self.requirements_with_figures_upto(p, line_of_effort, limit.clamp(1, 500))
            .await
    }

    /// As [`Store::requirements_with_figures`], for up to `limit` requirements.
    pub(crate) async fn requirements_with_figures_upto(
        &self,
        p: &Principal,
        line_of_effort: &str,
        limit: i64,
    ) -> Result<Vec<RequirementFigures>> {
        // A plain equality on the line lets the index give the order.
        let line = if line_of_effort.is_empty() {
            "$2 = ''"
        } else {
            "r.line_of_effort = $2"
        };
        let sql = format!(
            "SELECT {REQUIREMENT_COLUMNS} FROM requirements r WHERE r.revoked = 0 AND {line} \
             AND {} ORDER BY r.priority, r.id DESC LIMIT $3",
            crate::audience::readable_row_by_row("r.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(line_of_effort)
            .bind(limit.max(1))
            .fetch_all(self.pool())
            .await?;
        let requirements = rows
            .iter()
            .map(requirement_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.with_figures(p, requirements).await
    }

    /// One page of the requirements the viewer may read, newest first,
    /// filtered (see [`RequirementListFilter`]), each with its figures.
    pub async fn requirements_page(
        &self,
        p: &Principal,
        filter: &RequirementListFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<crate::records::Page<RequirementFigures>> {
        let limit = limit.clamp(1, crate::records::MAX_PAGE);
        let cursor = cursor
            .map(crate::records::parse_cursor)
            .transpose()?
            .unwrap_or_default();
        let mut requirements = self
            .requirements_matching(p, filter, &cursor, limit + 1)
            .await?;
        let next = crate::needs::page_next(&mut requirements, limit, |r| r.id.clone());
        let items = self.with_figures(p, requirements).await?;
        Ok(crate::records::Page { items, next })
    }

    /// Every requirement the viewer may read that the filter keeps, up to
    /// `cap` (newest first), each with its figures; and whether more were
    /// left out. For views of the whole picture, such as the 3W map.
    pub async fn requirements_all(
        &self,
        p: &Principal,
        filter: &RequirementListFilter,
        cap: i64,
    ) -> Result<(Vec<RequirementFigures>, bool)> {
        let cap = cap.max(1);
        let mut requirements = self.requirements_matching(p, filter, "", cap + 1).await?;
        let more = requirements.len() as i64 > cap;
        requirements.truncate(cap as usize);
        Ok((self.with_figures(p, requirements).await?, more))
    }

    /// Up to `limit` readable requirements the filter keeps, older than
    /// `before` (an id; empty for the newest), newest first.
    async fn requirements_matching(
        &self,
        p: &Principal,
        filter: &RequirementListFilter,
        before: &str,
        limit: i64,
    ) -> Result<Vec<Requirement>> {
        let sql = format!(
            "SELECT {REQUIREMENT_COLUMNS} FROM requirements r WHERE r.revoked = 0 \
             AND ($2 = '' OR r.id < $2) AND ($3 = '' OR r.line_of_effort = $3) \
             AND ($4 = '' OR r.requesting_member = $4) AND ($5 = '' OR r.category = $5) \
             AND ($6 = '' OR r.country = $6) AND ($7 = '' OR r.admin1_pcode = $7) \
             AND {} ORDER BY r.id DESC LIMIT $8",
            crate::audience::readable_row_by_row("r.id", "$1")
        );
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(before)
            .bind(s(&filter.line_of_effort))
            .bind(s(&filter.requesting_member))
            .bind(s(&filter.category))
            .bind(s(&filter.country))
            .bind(s(&filter.admin1_pcode))
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(requirement_from_row).collect()
    }

    /// Each requirement with its figures, as the viewer may count them (the
    /// reads audited).
    async fn with_figures(
        &self,
        p: &Principal,
        requirements: Vec<Requirement>,
    ) -> Result<Vec<RequirementFigures>> {
        // Their figures kept per reader (crate::rollup), counted only in the
        // requirement's own kind and unit.
        let mut counted: BTreeMap<String, Vec<Counted>> = BTreeMap::new();
        for chunk in requirements.chunks(200) {
            let list = crate::placeholders(2, chunk.len());
            let sql = format!(
                "SELECT f.group_key AS rid, f.status, f.amount, f.delivered, f.received \
                 FROM picture_rollup f JOIN requirements r ON r.id = f.group_key AND r.kind = f.kind AND r.unit = f.unit \
                 WHERE f.reader = $1 AND f.dim = 'requirement' AND f.line_of_effort = '' \
                 AND f.group_key IN ({list}) AND f.n <> 0"
            );
            let mut q = sqlx::query(&sql).bind(p.member.as_str());
            for r in chunk {
                q = q.bind(&r.id);
            }
            for row in &q.fetch_all(self.pool()).await? {
                let rid: String = row.try_get("rid")?;
                // Sums of contributions in one status combine like one
                // contribution: the summary is linear in amount and delivered.
                counted.entry(rid).or_default().push(Counted {
                    progress: Progress {
                        status: Status::parse(&row.try_get::<String, _>("status")?)?,
                        amount: row.try_get("amount")?,
                        delivered: row.try_get("delivered")?,
                    },
                    received: row.try_get("received")?,
                });
            }
        }
        let out: Vec<RequirementFigures> = requirements
            .into_iter()
            .map(|r| {
                let summary = Summary::compute(
                    r.measure.amount(),
                    counted.remove(&r.id).unwrap_or_default(),
                );
                RequirementFigures {
                    requirement: r,
                    summary,
                }
            })
            .collect();
        self.audit_reads(
            p,
            "requirement.read",
            "picture",
            out.iter()
                .map(|f| (&f.requirement.id, &f.requirement.marking)),
        )
        .await?;
        Ok(out)
    }

    /// The newest deliveries of the filtered contributions the viewer may
    /// read, with their contributions (and joint contributors).
    pub async fn recent_deliveries(
        &self,
        p: &Principal,
        filter: &ContributionFilter,
        limit: i64,
    ) -> Result<Vec<RecentDelivery>> {
        let conditions = filter.conditions(2);
        let sql = format!(
            "SELECT d.id, d.seq, d.delivered_on, d.amount, d.evidence, d.recorded_at, d.recorded_by, d.received_at, \
             d.received_by, d.received_member, d.received_amount, d.received_on, d.received_note, \
             d.contribution_id FROM contribution_deliveries d \
             JOIN contributions c ON c.id = d.contribution_id \
             WHERE {} AND {} ORDER BY d.delivered_on DESC, d.id DESC LIMIT {}",
            conditions.sql(),
            readable("c.id", "$1"),
            limit.clamp(1, 200)
        );
        let rows = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
            .fetch_all(self.pool())
            .await?;
        let deliveries = rows
            .iter()
            .map(|r| Ok((delivery_from_row(r)?, r.try_get("contribution_id")?)))
            .collect::<Result<Vec<(Delivery, String)>>>()?;
        let contributions = self
            .contributions_by_id(p, deliveries.iter().map(|(_, c)| c.as_str()))
            .await?;
        let mut out = Vec::with_capacity(deliveries.len());
        for (delivery, cid) in deliveries {
            // Readable when the delivery was; a contribution may have several.
            if let Some(contribution) = contributions.get(&cid) {
                out.push(RecentDelivery {
                    delivery,
                    contribution: contribution.clone(),
                });
            }
        }
        self.audit_reads(
            p,
            "contribution.read",
            "picture",
            out.iter()
                .map(|d| (&d.contribution.id, &d.contribution.marking)),
        )
        .await?;
        Ok(out)
    }

    /// The readable contributions among `ids`, with their contributors, in
    /// two queries per 500.
    async fn contributions_by_id<'a>(
        &self,
        p: &Principal,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeMap<String, Contribution>> {
        let ids: Vec<&str> = ids
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {CONTRIBUTION_COLUMNS} FROM {} WHERE c.id IN ({}) AND {}",
                contributions_from(),
                crate::placeholders(2, chunk.len()),
                readable("c.id", "$1")
            );
            let mut q = sqlx::query(&sql).bind(p.member.as_str());
            for id in chunk {
                q = q.bind(*id);
            }
            for row in &q.fetch_all(self.pool()).await? {
                found.push(contribution_from_row(row)?);
            }
        }
        self.fill_contributors(p, &mut found).await?;
        Ok(found.into_iter().map(|c| (c.id.clone(), c)).collect())
    }

    /// Duplication over what the viewer may read: requirements whose
    /// non-cancelled contributions together exceed them, and groups of
    /// standalone contributions of the same category to the same place in
    /// overlapping windows (optionally within one line of effort).
    pub async fn duplication(&self, p: &Principal, line_of_effort: &str) -> Result<Duplication> {
        let over_sql = format!(
            "SELECT r.id AS rid, CAST(SUM(c.amount) AS BIGINT) AS offered, r.amount AS requested FROM requirements r \
             JOIN contributions c ON c.requirement_id = r.id AND c.status <> 'cancelled' AND c.kind = r.kind AND c.unit = r.unit \
             WHERE r.revoked = 0 AND ($2 = '' OR r.line_of_effort = $2) AND {} AND {} \
             GROUP BY r.id, r.amount HAVING SUM(c.amount) > r.amount ORDER BY r.id DESC LIMIT $3",
            readable("r.id", "$1"),
            readable("c.id", "$1")
        );
        let rows = sqlx::query(&over_sql)
            .bind(p.member.as_str())
            .bind(line_of_effort)
            .bind(MAX_FINDINGS)
            .fetch_all(self.pool())
            .await?;
        let one_requirement = format!(
            "SELECT {REQUIREMENT_COLUMNS} FROM requirements r WHERE r.id = $2 AND {}",
            readable("r.id", "$1")
        );
        let mut over_contributed = Vec::with_capacity(rows.len());
        for row in &rows {
            let rid: String = row.try_get("rid")?;
            let r = sqlx::query(&one_requirement)
                .bind(p.member.as_str())
                .bind(&rid)
                .fetch_one(self.pool())
                .await?;
            over_contributed.push(OverContributed {
                requirement: requirement_from_row(&r)?,
                offered: row.try_get("offered")?,
            });
        }

        let scan_sql = format!(
            "SELECT {CONTRIBUTION_COLUMNS} FROM {} WHERE c.requirement_id IS NULL AND c.status <> 'cancelled' \
             AND c.country IS NOT NULL AND c.window_start IS NOT NULL AND ($2 = '' OR c.line_of_effort = $2) AND {} \
             ORDER BY c.category, c.country, c.window_start LIMIT $3",
            contributions_from(),
            readable("c.id", "$1")
        );
        let rows = sqlx::query(&scan_sql)
            .bind(p.member.as_str())
            .bind(line_of_effort)
            .bind(OVERLAP_SCAN)
            .fetch_all(self.pool())
            .await?;
        let candidates = rows
            .iter()
            .map(contribution_from_row)
            .collect::<Result<Vec<_>>>()?;
        let footprints: Vec<Footprint> = candidates
            .iter()
            .filter_map(|c| {
                Some(Footprint {
                    id: c.id.clone(),
                    category: c.category.clone(),
                    place: c.place.clone()?,
                    window: c.window.clone()?,
                })
            })
            .collect();
        let by_id: BTreeMap<&str, &Contribution> =
            candidates.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut overlapping = Vec::new();
        for group in overlapping_groups(&footprints)
            .into_iter()
            .take(MAX_FINDINGS as usize)
        {
            let mut cs: Vec<Contribution> = group
                .into_iter()
                .filter_map(|i| by_id.get(footprints[i].id.as_str()).map(|c| (*c).clone()))
                .collect();
            self.fill_contributors(p, &mut cs).await?;
            overlapping.push(cs);
        }
        self.audit_reads(
            p,
            "contribution.read",
            "duplication",
            overlapping
                .iter()
                .flatten()
                .map(|c| (&c.id, &c.marking))
                .chain(
                    over_contributed
                        .iter()
                        .map(|o| (&o.requirement.id, &o.requirement.marking)),
                ),
        )
        .await?;
        Ok(Duplication {
            over_contributed,
            overlapping,
        })
    }
}

/// Totals from rows (k, kind, unit, status, n, amount, delivered), one per
/// group and status, folded into one per group and unit.
fn fold_totals(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Total>> {
    let mut totals: BTreeMap<(String, String, String), Total> = BTreeMap::new();
    for r in rows {
        let key: String = r.try_get("k")?;
        let kind: String = r.try_get("kind")?;
        let unit: String = r.try_get("unit")?;
        let status = Status::parse(&r.try_get::<String, _>("status")?)?;
        let n: i64 = r.try_get("n")?;
        let amount: i64 = r.try_get("amount")?;
        let delivered: i64 = r.try_get("delivered")?;
        let t = totals
            .entry((key.clone(), kind.clone(), unit.clone()))
            .or_insert_with(|| Total {
                key,
                kind,
                unit,
                ..Total::default()
            });
        t.contributions += n;
        match status {
            Status::Pledged => t.pledged = t.pledged.saturating_add(amount),
            Status::Committed => {
                t.committed = t.committed.saturating_add(amount.saturating_sub(delivered));
                t.delivered = t.delivered.saturating_add(delivered);
            }
            Status::Delivered => t.delivered = t.delivered.saturating_add(delivered),
            Status::Cancelled => t.cancelled = t.cancelled.saturating_add(amount),
        }
    }
    Ok(totals.into_values().collect())
}
