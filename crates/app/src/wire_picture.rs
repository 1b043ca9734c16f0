//! Wire types of the coordination picture and of indicators (issue 3).

use crate::wire::{rfc3339, MarkingWire};
use crate::wire_needs::banner;
use crate::wire_needs::{ContributionOut, RequirementOut, SummaryOut};
use crate::ApiError;
use coalesce_domain::indicators::{Indicator, IndicatorValue, Standing};
use coalesce_domain::needs::Status;
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::{Duplication, MonthCount, RecentDelivery, RequirementFigures, Total};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The who-does-what-where filters (all optional; they narrow what you may
/// read, never widen it) and paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ContributionQuery {
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// Line of effort slug.
    pub line_of_effort: Option<String>,
    /// A contributing member's code (joint contributions count for each).
    pub member: Option<String>,
    /// ISO 3166-1 alpha-3 country code of the place.
    pub country: Option<String>,
    /// P-code of the first-level administrative area.
    pub admin1: Option<String>,
    /// Item category slug.
    pub category: Option<String>,
    /// `pledged`, `committed`, `delivered` or `cancelled`.
    pub status: Option<String>,
}

impl ContributionQuery {
    pub fn filter(&self) -> Result<ContributionFilter, ApiError> {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(ContributionFilter {
            requirement_id: None,
            line_of_effort: clean(&self.line_of_effort),
            member: clean(&self.member).map(|m| m.to_ascii_uppercase()),
            country: clean(&self.country).map(|m| m.to_ascii_uppercase()),
            admin1_pcode: clean(&self.admin1),
            category: clean(&self.category),
            status: clean(&self.status).map(|s| Status::parse(&s)).transpose()?,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TotalsQuery {
    /// `line_of_effort`, `member`, `country`, `admin1` (P-code) or `category`.
    pub by: String,
    pub line_of_effort: Option<String>,
    pub member: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub category: Option<String>,
    pub status: Option<String>,
}

impl TotalsQuery {
    pub fn filter(&self) -> Result<ContributionFilter, ApiError> {
        ContributionQuery {
            line_of_effort: self.line_of_effort.clone(),
            member: self.member.clone(),
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            category: self.category.clone(),
            status: self.status.clone(),
            ..ContributionQuery::default()
        }
        .filter()
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContributionCount {
    pub count: i64,
}

/// Totals of one group in one unit or currency (never added across units).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TotalOut {
    /// The group: a line of effort, member, country, P-code or category.
    pub key: String,
    /// `quantity` or `money`.
    pub kind: String,
    /// The unit (quantity) or ISO 4217 currency (money; amounts in minor units).
    pub unit: String,
    pub contributions: i64,
    pub pledged: i64,
    /// What committed contributions have yet to deliver.
    pub committed: i64,
    pub delivered: i64,
    pub cancelled: i64,
}

impl From<Total> for TotalOut {
    fn from(t: Total) -> Self {
        TotalOut {
            key: t.key,
            kind: t.kind,
            unit: t.unit,
            contributions: t.contributions,
            pledged: t.pledged,
            committed: t.committed,
            delivered: t.delivered,
            cancelled: t.cancelled,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TotalList {
    pub items: Vec<TotalOut>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MonthOut {
    /// YYYY-MM.
    pub month: String,
    /// Contributions recorded (pledged) that month.
    pub pledged: i64,
    /// Deliveries made that month (by delivery date).
    pub deliveries: i64,
}

impl From<MonthCount> for MonthOut {
    fn from(m: MonthCount) -> Self {
        MonthOut {
            month: m.month,
            pledged: m.pledged,
            deliveries: m.deliveries,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TrendOut {
    pub months: Vec<MonthOut>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OverContributedOut {
    pub requirement: RequirementOut,
    /// The sum of the non-cancelled contributions against it that you may read.
    pub offered: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DuplicationOut {
    /// Requirements whose contributions together exceed them.
    pub over_contributed: Vec<OverContributedOut>,
    /// Groups of standalone contributions of the same category to the same
    /// place in overlapping windows.
    pub overlapping: Vec<Vec<ContributionOut>>,
}

impl From<Duplication> for DuplicationOut {
    fn from(d: Duplication) -> Self {
        DuplicationOut {
            over_contributed: d
                .over_contributed
                .into_iter()
                .map(|o| OverContributedOut {
                    requirement: o.requirement.into(),
                    offered: o.offered,
                })
                .collect(),
            overlapping: d
                .overlapping
                .into_iter()
                .map(|g| g.into_iter().map(Into::into).collect())
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequirementFiguresOut {
    pub requirement: RequirementOut,
    pub summary: SummaryOut,
}

impl From<RequirementFigures> for RequirementFiguresOut {
    fn from(f: RequirementFigures) -> Self {
        let summary = SummaryOut::new(f.summary, &f.requirement.measure);
        RequirementFiguresOut {
            requirement: f.requirement.into(),
            summary,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecentDeliveryOut {
    pub delivered_on: String,
    pub amount: i64,
    pub evidence: String,
    pub received: bool,
    pub contribution: ContributionOut,
}

impl From<RecentDelivery> for RecentDeliveryOut {
    fn from(d: RecentDelivery) -> Self {
        RecentDeliveryOut {
            delivered_on: d.delivery.delivered_on,
            amount: d.delivery.amount,
            evidence: d.delivery.evidence,
            received: d.delivery.received_at_ms.is_some(),
            contribution: d.contribution.into(),
        }
    }
}

/// A line of effort's dashboard: its open requirements with their figures
/// (most urgent first), recent deliveries, totals by member and category,
/// and the monthly trend — all over what you may read.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DashboardOut {
    pub line_of_effort: String,
    pub requirements: Vec<RequirementFiguresOut>,
    pub recent_deliveries: Vec<RecentDeliveryOut>,
    pub by_member: Vec<TotalOut>,
    pub by_category: Vec<TotalOut>,
    pub trend: Vec<MonthOut>,
    pub indicators: Vec<IndicatorOut>,
}

// ----- indicators ---------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetWire {
    /// YYYY-MM-DD.
    pub date: String,
    pub value: f64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorIn {
    /// Identity of the indicator (lowercase, digits, hyphens).
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// e.g. `airstrikes`, `km²`, `%`, `brigades`, `people`.
    pub unit: String,
    pub line_of_effort: Option<String>,
    /// `increase` or `decrease`: which way is progress.
    pub direction: String,
    /// `sum` (values are counts per period), `last` (values are readings of
    /// the whole) or `max`.
    pub aggregation: String,
    pub baseline: f64,
    pub baseline_date: Option<String>,
    /// Dated targets (possibly none), each beyond the baseline in the direction of progress.
    pub targets: Vec<TargetWire>,
}

impl IndicatorIn {
    pub fn draft(&self) -> Result<coalesce_domain::indicators::IndicatorDraft, ApiError> {
        let targets: Vec<(String, f64)> = self
            .targets
            .iter()
            .map(|t| (t.date.clone(), t.value))
            .collect();
        Ok(coalesce_domain::indicators::IndicatorDraft::parse(
            &self.slug,
            &self.name,
            &self.description,
            &self.unit,
            self.line_of_effort.as_deref(),
            &self.direction,
            &self.aggregation,
            self.baseline,
            self.baseline_date.as_deref(),
            &targets,
        )?)
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PointOut {
    pub date: String,
    pub value: f64,
}

/// An indicator with its figures over the values you may read: `actual`
/// (per the aggregation rule), the headline `target` (the next one due, or
/// the last), `progress` = (actual − baseline) / (target − baseline), and the
/// series over time.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IndicatorOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub line_of_effort: Option<String>,
    pub direction: String,
    pub aggregation: String,
    pub baseline: f64,
    pub baseline_date: Option<String>,
    pub targets: Vec<TargetWire>,
    pub actual: Option<f64>,
    pub as_of: Option<String>,
    pub target: Option<TargetWire>,
    pub progress: Option<f64>,
    pub series: Vec<PointOut>,
    pub updated_at: String,
    pub updated_by: String,
}

impl IndicatorOut {
    pub fn new(i: Indicator, s: Standing) -> Self {
        IndicatorOut {
            source: None,
            direction: i.direction.as_str().into(),
            aggregation: i.aggregation.as_str().into(),
            targets: i
                .targets
                .iter()
                .map(|t| TargetWire {
                    date: t.date.clone(),
                    value: t.value,
                })
                .collect(),
            slug: i.slug,
            name: i.name,
            description: i.description,
            unit: i.unit,
            line_of_effort: i.line_of_effort,
            baseline: i.baseline,
            baseline_date: i.baseline_date,
            actual: s.actual,
            as_of: s.as_of,
            target: s.target.map(|t| TargetWire {
                date: t.date,
                value: t.value,
            }),
            progress: s.progress,
            series: s
                .series
                .into_iter()
                .map(|(date, value)| PointOut { date, value })
                .collect(),
            updated_at: rfc3339(i.updated_at_ms),
            updated_by: i.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IndicatorList {
    pub items: Vec<IndicatorOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueIn {
    /// YYYY-MM-DD: when the value was observed (or the end of the period it counts).
    pub observed_on: String,
    pub value: f64,
    #[serde(default)]
    pub note: String,
    pub marking: MarkingWire,
}

impl ValueIn {
    pub fn draft(&self) -> Result<coalesce_domain::indicators::ValueDraft, ApiError> {
        let marking = coalesce_domain::Marking::parse(&self.marking.tlp, &self.marking.rel_to)?;
        Ok(coalesce_domain::indicators::ValueDraft::parse(
            &self.observed_on,
            self.value,
            &self.note,
            marking,
        )?)
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ValueOut {
    pub id: String,
    pub indicator: String,
    /// The reporting member (the value's source).
    pub origin: String,
    pub observed_on: String,
    pub value: f64,
    pub note: String,
    pub marking: MarkingWire,
    pub banner: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl From<IndicatorValue> for ValueOut {
    fn from(v: IndicatorValue) -> Self {
        ValueOut {
            banner: banner(&v.origin, &v.marking),
            marking: MarkingWire::from(&v.marking),
            id: v.id,
            indicator: v.indicator,
            origin: v.origin,
            observed_on: v.observed_on,
            value: v.value,
            note: v.note,
            recorded_at: rfc3339(v.recorded_at_ms),
            recorded_by: v.recorded_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ValueList {
    pub items: Vec<ValueOut>,
    pub next: Option<String>,
}
