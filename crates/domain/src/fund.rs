//! The stabilisation fund's own records: the fund (its administrative
//! agent, base currency, fee and indirect-cost rates, windows) and its
//! projects (window, place by P-code, implementing organisation, budget).
//! Both are marked records of the layer; the money that moves through the
//! fund is the ledger's (`coalesce-ledger`), kept by the store beside them.

use crate::record::{Kind, RefTarget, Reference, StixProperties, StixRefs};
use crate::DomainError;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{Map, Value};

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// A code used in ledger account names (a window, a project, an
/// organisation, a donor): 1–64 ASCII letters, digits, `-` or `_`.
pub fn code(field: &'static str, value: &str) -> Result<String, DomainError> {
    let v = value.trim();
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(v.to_string())
    } else {
        Err(invalid(
            field,
            format!("{value:?} must be 1 to 64 letters, digits, '-' or '_'"),
        ))
    }
}

fn basis_points(field: &'static str, v: i64) -> Result<i64, DomainError> {
    if (0..=10_000).contains(&v) {
        Ok(v)
    } else {
        Err(invalid(
            field,
            format!("{v} basis points is outside 0 to 10000 (100 = 1 %)"),
        ))
    }
}

fn currency(value: &str) -> Result<String, DomainError> {
    let c = value.trim();
    if crate::needs::is_iso_4217(c) {
        Ok(c.to_string())
    } else {
        Err(invalid(
            "currency",
            format!("{value:?} is not an ISO 4217 currency code (e.g. USD, EUR, IQD)"),
        ))
    }
}

/// A window (or channel) of a fund: what its allocations are for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundWindow {
    /// Its code in the ledger (`W1`, `ESC`).
    pub code: String,
    pub name: String,
}

/// A pooled fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fund {
    pub name: String,
    /// The administrative agent (e.g. "UNDP Multi-Partner Trust Fund Office").
    pub agent: String,
    /// ISO 4217: what totals are converted to.
    pub base_currency: String,
    /// The agent's fee taken at deposit, in basis points (100 = 1 %).
    #[serde(default = "default_fee")]
    pub fee_bp: i64,
    /// Participating organisations' indirect costs, in basis points.
    #[serde(default = "default_indirect")]
    pub indirect_bp: i64,
    pub windows: Vec<FundWindow>,
    /// YYYY-MM-DD.
    pub opened: String,
    /// Where the figures come from, and what is illustrative.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

fn default_fee() -> i64 {
    100
}
fn default_indirect() -> i64 {
    700
}

pub struct FundKind;

impl Kind for FundKind {
    const NAME: &'static str = "fund";
    const LABEL: &'static str = "fund";
    const STIX_TYPE: &'static str = "x-coalesce-fund";
    type Body = Fund;

    fn validate(f: Fund) -> Result<Fund, DomainError> {
        if f.windows.is_empty() || f.windows.len() > 32 {
            return Err(invalid("windows", "a fund has 1 to 32 windows"));
        }
        let mut windows = Vec::with_capacity(f.windows.len());
        for w in f.windows {
            let w = FundWindow {
                code: code("windows", &w.code)?,
                name: crate::text::required_line("windows", &w.name, 200)?,
            };
            if windows.iter().any(|x: &FundWindow| x.code == w.code) {
                return Err(invalid("windows", format!("window {} named twice", w.code)));
            }
            windows.push(w);
        }
        Ok(Fund {
            name: crate::text::required_line("name", &f.name, 200)?,
            agent: crate::text::required_line("agent", &f.agent, 200)?,
            base_currency: currency(&f.base_currency)?,
            fee_bp: basis_points("fee_bp", f.fee_bp)?,
            indirect_bp: basis_points("indirect_bp", f.indirect_bp)?,
            windows,
            opened: crate::text::iso_date("opened", &f.opened)?,
            source: crate::text::body("source", f.source.trim(), 2_000)?,
        })
    }

    fn stix_properties(f: &Fund, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        own_properties(f)
    }

    fn from_stix(o: &Map<String, Value>, _: &Map<String, Value>) -> Result<Fund, DomainError> {
        Self::validate(from_properties(o, &FUND_FIELDS)?)
    }
}

const FUND_FIELDS: [&str; 8] = [
    "name",
    "agent",
    "base_currency",
    "fee_bp",
    "indirect_bp",
    "windows",
    "opened",
    "source",
];

/// Where a project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProjectStatus {
    Planned,
    Ongoing,
    Completed,
    Cancelled,
}

/// A project the fund pays for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundProject {
    /// The fund's record id.
    pub fund: String,
    /// Its code in the ledger (`FFS-TKT-001`).
    pub code: String,
    pub title: String,
    /// The window's code.
    pub window: String,
    /// Where: the OCHA P-code of the place (`IQG10Q01` …) and its name.
    pub pcode: String,
    pub place: String,
    /// The implementing organisation's code in the ledger (`UNDP`).
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_of_effort: Option<String>,
    /// Where it stands (IATI's activity status; `status` is the layer's).
    pub activity_status: ProjectStatus,
    /// The approved budget, in minor units of `currency`.
    pub budget: i64,
    pub currency: String,
    /// Where the figures come from, and what is illustrative.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

pub struct FundProjectKind;

/// A P-code: OCHA's place codes are letters and digits (`IQG10Q01`).
fn pcode(value: &str) -> Result<String, DomainError> {
    let v = value.trim();
    if (2..=20).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(invalid(
            "pcode",
            format!("{value:?} is not a P-code (2 to 20 letters and digits, e.g. IQG10Q01)"),
        ))
    }
}

impl Kind for FundProjectKind {
    const NAME: &'static str = "fund_project";
    const LABEL: &'static str = "fund project";
    const STIX_TYPE: &'static str = "x-coalesce-fund-project";
    type Body = FundProject;
    const REFERS_TO: &'static [RefTarget] = &[RefTarget::Fund];

    fn validate(p: FundProject) -> Result<FundProject, DomainError> {
        if !(0..=crate::needs::MAX_AMOUNT).contains(&p.budget) {
            return Err(invalid(
                "budget",
                format!(
                    "{} is not between 0 and {}",
                    p.budget,
                    crate::needs::MAX_AMOUNT
                ),
            ));
        }
        Ok(FundProject {
            fund: crate::text::required_line("fund", &p.fund, 64)?,
            code: code("code", &p.code)?,
            title: crate::text::required_line("title", &p.title, 300)?,
            window: code("window", &p.window)?,
            pcode: pcode(&p.pcode)?,
            place: crate::text::required_line("place", &p.place, 200)?,
            organisation: code("organisation", &p.organisation)?,
            line_of_effort: p
                .line_of_effort
                .filter(|l| !l.trim().is_empty())
                .map(|l| crate::text::required_line("line_of_effort", &l, 64))
                .transpose()?,
            activity_status: p.activity_status,
            budget: p.budget,
            currency: currency(&p.currency)?,
            source: crate::text::body("source", p.source.trim(), 2_000)?,
        })
    }

    fn references(p: &FundProject) -> Vec<Reference> {
        vec![Reference {
            target: RefTarget::Fund,
            id: p.fund.clone(),
        }]
    }

    fn stix_properties(p: &FundProject, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        own_properties(p)
    }

    fn from_stix(
        o: &Map<String, Value>,
        _: &Map<String, Value>,
    ) -> Result<FundProject, DomainError> {
        Self::validate(from_properties(o, &PROJECT_FIELDS)?)
    }
}

const PROJECT_FIELDS: [&str; 12] = [
    "fund",
    "code",
    "title",
    "window",
    "pcode",
    "place",
    "organisation",
    "line_of_effort",
    "activity_status",
    "budget",
    "currency",
    "source",
];

/// A kind of its own STIX type carries its fields as the object's
/// properties (lower-case names with underscores, as STIX asks).
pub(crate) fn own_properties(body: &impl Serialize) -> Option<StixProperties> {
    match serde_json::to_value(body) {
        Ok(Value::Object(object)) => Some(StixProperties {
            object,
            extension: Map::new(),
        }),
        _ => None,
    }
}

pub(crate) fn from_properties<T: DeserializeOwned>(
    o: &Map<String, Value>,
    fields: &[&str],
) -> Result<T, DomainError> {
    let own: Map<String, Value> = fields
        .iter()
        .filter_map(|f| o.get(*f).map(|v| ((*f).to_string(), v.clone())))
        .collect();
    serde_json::from_value(Value::Object(own)).map_err(|e| invalid("stix", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn ffs() -> Fund {
        Fund {
            name: " Funding Facility for Stabilization ".into(),
            agent: "UNDP".into(),
            base_currency: "USD".into(),
            fee_bp: 100,
            indirect_bp: 700,
            windows: vec![
                FundWindow {
                    code: "W1".into(),
                    name: "Public works and light infrastructure".into(),
                },
                FundWindow {
                    code: "W2".into(),
                    name: "Livelihoods".into(),
                },
            ],
            opened: "2015-06-01".into(),
            source: String::new(),
        }
    }

    #[test]
    fn a_fund_is_checked_and_round_trips_through_stix() {
        let f = FundKind::validate(ffs()).expect("valid");
        assert_eq!(f.name, "Funding Facility for Stabilization");
        let resolved = std::collections::BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let props = FundKind::stix_properties(&f, &refs).expect("a form");
        assert_eq!(
            FundKind::from_stix(&props.object, &props.extension).expect("back"),
            f
        );
        let mut bad = ffs();
        bad.base_currency = "XYZ".into();
        assert!(FundKind::validate(bad).is_err());
        let mut bad = ffs();
        bad.windows[1].code = "W1".into();
        assert!(FundKind::validate(bad).is_err());
        let mut bad = ffs();
        bad.fee_bp = 10_001;
        assert!(FundKind::validate(bad).is_err());
        let mut bad = ffs();
        bad.windows[0].code = "W 1".into();
        assert!(FundKind::validate(bad).is_err());
    }

    #[test]
    fn a_project_refers_to_its_fund() {
        let p = FundProjectKind::validate(FundProject {
            fund: "f1".into(),
            code: "FFS-TKT-001".into(),
            title: "Tikrit water network".into(),
            window: "W1".into(),
            pcode: "iqg18q02".into(),
            place: "Tikrit".into(),
            organisation: "UNDP".into(),
            line_of_effort: None,
            activity_status: ProjectStatus::Ongoing,
            budget: 120_000_000,
            currency: "USD".into(),
            source: String::new(),
        })
        .expect("valid");
        assert_eq!(p.pcode, "IQG18Q02");
        assert_eq!(
            FundProjectKind::references(&p),
            vec![Reference {
                target: RefTarget::Fund,
                id: "f1".into()
            }]
        );
    }
}
