//! Campaign indicators (issue 3). Definitions are the coalition's shared
//! catalogue, kept by coordinators; values are marked records like notes:
//! each has its reporting member (origin) and audience rows, every read of
//! a value filters through [`crate::audience::readable`], and figures are
//! computed only over values the viewer may read.

use crate::audience::{marking_from_columns, readable, rel_to_json};
use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::{audience, audit, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::indicators::{
    Aggregation, Direction, Indicator, IndicatorDraft, IndicatorValue, Reading, Standing, Target,
    ValueDraft,
};
use coalesce_domain::Role;
use sqlx::Row;

const INDICATOR_COLUMNS: &str =
    "i.slug, i.name, i.description, i.unit, i.line_of_effort, i.direction, i.aggregation, \
     i.baseline, i.baseline_date, i.targets, i.updated_at, i.updated_by";

const VALUE_COLUMNS: &str =
    "v.id, v.indicator, v.origin, v.observed_on, v.value, v.note, v.tlp, v.rel_to, v.recorded_at, v.recorded_by";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn indicator_from_row(r: &sqlx::any::AnyRow) -> Result<Indicator> {
    let targets: Vec<Target> = serde_json::from_str(&r.try_get::<String, _>("targets")?)
        .map_err(|e| corrupt("targets column", e))?;
    Ok(Indicator {
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        unit: r.try_get("unit")?,
        line_of_effort: r.try_get("line_of_effort")?,
        direction: Direction::parse(&r.try_get::<String, _>("direction")?)
            .map_err(|e| corrupt("direction column", e))?,
        aggregation: Aggregation::parse(&r.try_get::<String, _>("aggregation")?)
            .map_err(|e| corrupt("aggregation column", e))?,
        baseline: r.try_get("baseline")?,
        baseline_date: r.try_get("baseline_date")?,
        targets,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

fn value_from_row(r: &sqlx::any::AnyRow) -> Result<IndicatorValue> {
    Ok(IndicatorValue {
        id: r.try_get("id")?,
        indicator: r.try_get("indicator")?,
        origin: r.try_get("origin")?,
        observed_on: r.try_get("observed_on")?,
        value: r.try_get("value")?,
        note: r.try_get("note")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        recorded_at_ms: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

impl Store {
    /// Every indicator, by line of effort then name.
    pub async fn list_indicators(&self) -> Result<Vec<Indicator>> {
        let rows = sqlx::query(&format!(
            "SELECT {INDICATOR_COLUMNS} FROM indicators i ORDER BY i.line_of_effort, i.name"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(indicator_from_row).collect()
    }

    pub async fn get_indicator(&self, slug: &str) -> Result<Indicator> {
        let row = sqlx::query(&format!(
            "SELECT {INDICATOR_COLUMNS} FROM indicators i WHERE i.slug = $1"
        ))
        .bind(slug)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        indicator_from_row(&row)
    }

    /// Defines an indicator or changes its definition (coordinators only;
    /// audited). The slug is its identity; values already reported stay.
    pub async fn define_indicator(
        &self,
        p: &Principal,
        d: &IndicatorDraft,
    ) -> Result<(Indicator, bool)> {
        self.define_indicator_at(p, d, now_ms()).await
    }

    pub async fn define_indicator_at(
        &self,
        p: &Principal,
        d: &IndicatorDraft,
        at_ms: i64,
    ) -> Result<(Indicator, bool)> {
        if p.role < Role::Coordinator {
            return Err(StoreError::Forbidden(
                "only coordinators define indicators".into(),
            ));
        }
        if let Some(loe) = &d.line_of_effort {
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM lines_of_effort WHERE slug = $1")
                    .bind(loe.as_str())
                    .fetch_one(self.pool())
                    .await?;
            if n == 0 {
                return Err(StoreError::BadRequest(format!(
                    "unknown line of effort {loe}"
                )));
            }
        }
        let targets = serde_json::to_string(&d.targets).map_err(|e| corrupt("targets", e))?;
        let mut w = self.begin_write().await?;
        let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM indicators WHERE slug = $1")
            .bind(d.slug.as_str())
            .fetch_one(&mut *w.tx)
            .await?;
        let sql = if existing == 0 {
            "INSERT INTO indicators (slug, name, description, unit, line_of_effort, direction, aggregation, baseline, \
             baseline_date, targets, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        } else {
            "UPDATE indicators SET name = $2, description = $3, unit = $4, line_of_effort = $5, direction = $6, \
             aggregation = $7, baseline = $8, baseline_date = $9, targets = $10, updated_at = $11, updated_by = $12 \
             WHERE slug = $1"
        };
        sqlx::query(sql)
            .bind(d.slug.as_str())
            .bind(&d.name)
            .bind(&d.description)
            .bind(&d.unit)
            .bind(d.line_of_effort.as_ref().map(|s| s.to_string()))
            .bind(d.direction.as_str())
            .bind(d.aggregation.as_str())
            .bind(d.baseline)
            .bind(d.baseline_date.clone())
            .bind(&targets)
            .bind(at_ms)
            .bind(p.username.as_str())
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            if existing == 0 {
                "indicator.define"
            } else {
                "indicator.redefine"
            },
            d.slug.as_str(),
            &serde_json::json!({
                "unit": d.unit, "aggregation": d.aggregation.as_str(), "baseline": d.baseline,
                "targets": d.targets,
            }),
        )
        .await?;
        w.commit().await?;
        Ok((self.get_indicator(d.slug.as_str()).await?, existing == 0))
    }

    /// A member reports a value (contributors and above; audited). The
    /// value's origin is the reporting user's member.
    pub async fn report_indicator_value(
        &self,
        p: &Principal,
        slug: &str,
        d: &ValueDraft,
    ) -> Result<IndicatorValue> {
        self.report_indicator_value_at(p, slug, d, now_ms()).await
    }

    pub async fn report_indicator_value_at(
        &self,
        p: &Principal,
        slug: &str,
        d: &ValueDraft,
        at_ms: i64,
    ) -> Result<IndicatorValue> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden("viewers cannot report values".into()));
        }
        self.get_indicator(slug).await?;
        let mut w = self.begin_write().await?;
        let id = insert_value(&mut w, p, slug, d, at_ms).await?;
        w.commit().await?;
        self.get_indicator_value(p, &id).await
    }

    /// Imports values all or nothing: every row's indicator must exist
    /// (bad rows reported by line, nothing written), then all are written
    /// in one transaction.
    pub async fn import_indicator_values(
        &self,
        p: &Principal,
        rows: &[(u64, String, ValueDraft)],
    ) -> Result<Vec<String>> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden("viewers cannot report values".into()));
        }
        let known: std::collections::BTreeSet<String> = self
            .list_indicators()
            .await?
            .into_iter()
            .map(|i| i.slug)
            .collect();
        let bad: Vec<(u64, String)> = rows
            .iter()
            .filter(|(_, slug, _)| !known.contains(slug))
            .map(|(line, slug, _)| (*line, format!("unknown indicator {slug}")))
            .collect();
        if !bad.is_empty() {
            return Err(StoreError::Rows(bad));
        }
        let at = now_ms();
        let mut w = self.begin_write().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for (_, slug, d) in rows {
            ids.push(insert_value(&mut w, p, slug, d, at).await?);
        }
        w.commit().await?;
        Ok(ids)
    }

    pub async fn get_indicator_value(&self, p: &Principal, id: &str) -> Result<IndicatorValue> {
        let sql = format!(
            "SELECT {VALUE_COLUMNS} FROM indicator_values v WHERE v.id = $2 AND v.withdrawn = 0 AND {}",
            readable("v.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let v = value_from_row(&row)?;
        self.audit_reads(p, "indicator.read_values", id, [(&v.id, &v.marking)])
            .await?;
        Ok(v)
    }

    /// Withdraws a value (its origin's users only): it is kept, audited,
    /// and no longer counted.
    pub async fn withdraw_indicator_value(&self, p: &Principal, id: &str) -> Result<()> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden(
                "viewers cannot change records".into(),
            ));
        }
        let v = self.get_indicator_value(p, id).await?;
        if v.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} withdraw this value",
                v.origin
            )));
        }
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE indicator_values SET withdrawn = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "indicator.withdraw",
            id,
            &serde_json::json!({ "indicator": v.indicator }),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The values of an indicator the viewer may read, newest observation
    /// first (empty `slug` for all indicators).
    pub async fn list_indicator_values(
        &self,
        p: &Principal,
        slug: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<IndicatorValue>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let sql = format!(
            "SELECT {VALUE_COLUMNS} FROM indicator_values v WHERE v.withdrawn = 0 AND ($2 = '' OR v.indicator = $2) \
             AND ($3 = '' OR v.id < $3) AND {} ORDER BY v.id DESC LIMIT $4",
            readable("v.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(slug)
            .bind(cursor.unwrap_or_default())
            .bind(limit + 1)
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(value_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = crate::needs::page_next(&mut items, limit, |v| v.id.clone());
        self.audit_reads(
            p,
            "indicator.read_values",
            "list",
            items.iter().map(|v| (&v.id, &v.marking)),
        )
        .await?;
        Ok(Page { items, next })
    }

    /// The indicator's figures over the values the viewer may read: actual,
    /// headline target, progress and the series over time.
    pub async fn indicator_standing(
        &self,
        p: &Principal,
        slug: &str,
    ) -> Result<(Indicator, Standing)> {
        let ind = self.get_indicator(slug).await?;
        let sql = format!(
            "SELECT v.id, v.observed_on, v.recorded_at, v.value, v.tlp FROM indicator_values v \
             WHERE v.indicator = $2 AND v.withdrawn = 0 AND {}",
            readable("v.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(slug)
            .fetch_all(self.pool())
            .await?;
        let mut raw: Vec<(String, String, i64, f64, String)> = Vec::with_capacity(rows.len());
        for r in &rows {
            raw.push((
                r.try_get("id")?,
                r.try_get("observed_on")?,
                r.try_get("recorded_at")?,
                r.try_get("value")?,
                r.try_get("tlp")?,
            ));
        }
        let readings: Vec<Reading<'_>> = raw
            .iter()
            .map(|(_, d, at, v, _)| Reading {
                observed_on: d,
                recorded_at_ms: *at,
                value: *v,
            })
            .collect();
        let standing = Standing::compute(&ind, &readings);
        // A stored level that does not parse is audited, as the strictest.
        let levels: Vec<(&str, coalesce_domain::Tlp)> = raw
            .iter()
            .map(|(id, .., tlp)| {
                (
                    id.as_str(),
                    coalesce_domain::Tlp::parse(tlp).unwrap_or(coalesce_domain::Tlp::Red),
                )
            })
            .collect();
        self.audit_read_tlps(p, "indicator.read_values", slug, levels)
            .await?;
        Ok((ind, standing))
    }
}

/// Writes a reported value, its audience and audit entry in the caller's
/// transaction.
async fn insert_value(
    w: &mut crate::WriteTx<'_>,
    p: &Principal,
    slug: &str,
    d: &ValueDraft,
    at_ms: i64,
) -> Result<String> {
    let id = new_id_at(at_ms);
    sqlx::query(
        "INSERT INTO indicator_values (id, indicator, origin, observed_on, value, note, tlp, rel_to, withdrawn, \
         recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10)",
    )
    .bind(&id)
    .bind(slug)
    .bind(p.member.as_str())
    .bind(&d.observed_on)
    .bind(d.value)
    .bind(&d.note)
    .bind(d.marking.tlp.as_str())
    .bind(rel_to_json(&d.marking))
    .bind(at_ms)
    .bind(p.username.as_str())
    .execute(&mut *w.tx)
    .await?;
    audience::set(&mut w.tx, &id, &d.marking, &p.member).await?;
    audit::append(
        &mut w.tx,
        Some(p),
        "indicator.report",
        &id,
        &serde_json::json!({
            "indicator": slug, "observed_on": d.observed_on,
            "marking": d.marking.banner(&p.member),
        }),
    )
    .await?;
    Ok(id)
}
