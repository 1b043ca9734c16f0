//! Campaign indicators (issue 3). Definitions are the coalition's shared
//! catalogue, kept by coordinators; values are records of the record layer
//! ([`IndicatorValueKind`]): each has its reporting member (origin), its
//! versions and its audience, every read goes through the layer, and
//! figures are computed only over values the viewer may read.

use crate::records::{all_pages, Page, RecordFilter, MAX_PAGE};
use crate::{audit, now_ms, ConflictCode, Principal, Result, Store, StoreError};
use coalesce_domain::indicators::{
    Aggregation, Direction, Indicator, IndicatorDraft, IndicatorValue, IndicatorValueKind, Reading,
    Standing, Target, ValueBody, ValueDraft,
};
use coalesce_domain::record::{Record, RefTarget, Status};
use coalesce_domain::Role;
use sqlx::Row;

const INDICATOR_COLUMNS: &str =
    "i.slug, i.name, i.description, i.unit, i.line_of_effort, i.direction, i.aggregation, \
     i.baseline, i.baseline_date, i.targets, i.updated_at, i.updated_by";

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

/// A value as the indicator screens show it: the current version of its
/// record (recorded when that version was written).
fn value_of(r: Record<ValueBody>) -> IndicatorValue {
    IndicatorValue {
        id: r.id,
        indicator: r.body.indicator,
        origin: r.origin,
        observed_on: r.body.observed_on,
        value: r.body.value,
        note: r.body.note,
        marking: r.marking,
        recorded_at_ms: r.updated_at_ms,
        recorded_by: r.updated_by,
    }
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

    /// As [`Store::define_indicator`], refusing an identifier already
    /// defined (a conflict, checked under the write lock, so two
    /// coordinators defining the same new one at once cannot both succeed).
    pub async fn define_new_indicator(
        &self,
        p: &Principal,
        d: &IndicatorDraft,
    ) -> Result<Indicator> {
        Ok(self.define_indicator_in(p, d, now_ms(), true).await?.0)
    }

    pub async fn define_indicator_at(
        &self,
        p: &Principal,
        d: &IndicatorDraft,
        at_ms: i64,
    ) -> Result<(Indicator, bool)> {
        self.define_indicator_in(p, d, at_ms, false).await
    }

    async fn define_indicator_in(
        &self,
        p: &Principal,
        d: &IndicatorDraft,
        at_ms: i64,
        only_new: bool,
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
        if only_new && existing > 0 {
            return Err(StoreError::conflict(
                ConflictCode::AlreadyExists,
                format!(
                    "an indicator {} exists: change its definition from its page",
                    d.slug
                ),
            ));
        }
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

    /// A member reports a value (contributors and above; audited): a
    /// record of the layer whose origin is the reporting user's member.
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
        self.get_indicator(slug).await?;
        let r = self
            .create_record_at::<IndicatorValueKind>(
                p,
                ValueBody::of(slug, d),
                d.marking.clone(),
                at_ms,
            )
            .await?;
        Ok(value_of(r))
    }

    /// Imports values: every row's indicator must exist (bad rows reported
    /// by line, nothing written), then they are written in batches (see
    /// [`Store::import_requirements`]).
    pub async fn import_indicator_values(
        &self,
        p: &Principal,
        rows: &[(u64, String, ValueDraft)],
        go_on: impl FnMut(usize, usize) -> bool + Send,
    ) -> Result<Vec<String>> {
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
        let items = rows
            .iter()
            .map(|(_, slug, d)| (ValueBody::of(slug, d), d.marking.clone()))
            .collect();
        self.create_records_batched::<IndicatorValueKind>(p, items, now_ms(), go_on)
            .await
    }

    /// A live value the viewer may read.
    pub async fn get_indicator_value(&self, p: &Principal, id: &str) -> Result<IndicatorValue> {
        let r = self.get_record::<IndicatorValueKind>(p, id).await?;
        if r.status != Status::Live {
            return Err(StoreError::NotFound);
        }
        Ok(value_of(r))
    }

    /// Withdraws a value (its origin's users only): a new version whose
    /// status is withdrawn; kept, audited, no longer counted.
    pub async fn withdraw_indicator_value(&self, p: &Principal, id: &str) -> Result<()> {
        self.withdraw_record::<IndicatorValueKind>(p, id, None)
            .await
            .map(|_| ())
    }

    /// The values of an indicator the viewer may read, newest first (empty
    /// `slug` for all indicators).
    pub async fn list_indicator_values(
        &self,
        p: &Principal,
        slug: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<IndicatorValue>> {
        let filter = RecordFilter {
            origin: None,
            refers_to: (!slug.is_empty()).then(|| (RefTarget::Indicator, slug.to_string())),
        };
        let page = self
            .list_records::<IndicatorValueKind>(p, &filter, cursor, limit)
            .await?;
        Ok(Page {
            items: page.items.into_iter().map(value_of).collect(),
            next: page.next,
        })
    }

    /// The indicator's figures over the values the viewer may read: actual,
    /// headline target, progress and the series over time.
    pub async fn indicator_standing(
        &self,
        p: &Principal,
        slug: &str,
    ) -> Result<(Indicator, Standing)> {
        let ind = self.get_indicator(slug).await?;
        self.standing_of(p, ind).await
    }

    /// The standings of these indicators over the values `p` may read,
    /// in their order, up to four read at once (each on its own
    /// connection): a page of indicators waits for the slowest of each
    /// four, not for the sum, and leaves the pool to other requests.
    pub async fn indicator_standings(
        &self,
        p: &Principal,
        indicators: Vec<Indicator>,
    ) -> Result<Vec<(Indicator, Standing)>> {
        use futures_util::{StreamExt, TryStreamExt};
        futures_util::stream::iter(indicators.into_iter().map(|i| self.standing_of(p, i)))
            .buffered(4)
            .try_collect()
            .await
    }

    async fn standing_of(&self, p: &Principal, ind: Indicator) -> Result<(Indicator, Standing)> {
        let slug = ind.slug.as_str();
        let values = all_pages(|cursor| async move {
            self.list_indicator_values(p, slug, cursor.as_deref(), MAX_PAGE)
                .await
        })
        .await?;
        let readings: Vec<Reading<'_>> = values
            .iter()
            .map(|v| Reading {
                observed_on: &v.observed_on,
                recorded_at_ms: v.recorded_at_ms,
                value: v.value,
            })
            .collect();
        let standing = Standing::compute(&ind, &readings);
        Ok((ind, standing))
    }
}
