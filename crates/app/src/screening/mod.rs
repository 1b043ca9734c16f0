//! Sanctions screening as the API and the web pages share it: wire types of
//! the yente-shaped `/screen/match`, per-entry content hashes, recording the
//! loaded list versions, and joining hits with the caller's member's review
//! decisions.
//!
//! A decision is remembered for one party (compared by
//! [`coalesce_store::screening::party_key`]: trimmed, lower-cased, whitespace
//! collapsed — an exact comparison) and one list entry *as it was*: the
//! entry's content hash is stored with the decision. While the loaded entry
//! still has that hash, a later hit carries the decision, and a false positive
//! is `suppressed` (not re-alerted). Once the entry changes, the decision is
//! shown as `stale` and the hit alerts again.

use crate::wire::rfc3339;
use crate::{ApiError, AppState};
use axum::http::StatusCode;
use coalesce_screen::{Entity, MatchQuery, MatchResult, NameStrength, Screener};
use coalesce_store::screening::{
    party_key, Decision, DecisionKind, ListVersionRecord, NewDecision, MAX_REASON_LEN,
};
use coalesce_store::{Principal, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// Queries accepted in one `/screen/match` request.
pub const MAX_QUERIES: usize = 100;
/// Longest value of any query property (characters).
pub const MAX_VALUE_LEN: usize = 300;
/// Values accepted per property of one query.
pub const MAX_VALUES: usize = 20;
/// Results per query at most.
pub const MAX_LIMIT: usize = 50;

/// Content hash (SHA-256, hex) of one listed entry: its names, dates,
/// nationalities, identifiers, programmes — everything the list says of it.
pub fn entry_hash(e: &Entity) -> String {
    let bytes = serde_json::to_vec(e).unwrap_or_default();
    coalesce_screen::model::content_hash(&[&bytes])
}

/// [`entry_hash`] of every loaded entry, by `list:reference`.
pub fn entry_hashes(s: &Screener) -> HashMap<String, String> {
    s.entities()
        .iter()
        .map(|e| (format!("{}:{}", e.list, e.reference), entry_hash(e)))
        .collect()
}

/// A list version recorded at load, with what changed since the previous one.
#[derive(Debug, Clone)]
pub struct RecordedList {
    pub version: ListVersionRecord,
    /// A version the node had not seen before.
    pub new: bool,
    /// For a new version of a source seen before: added, removed, changed entries.
    pub diff: Option<coalesce_store::screening::VersionDiff>,
}

/// Records every list version `s` holds and, for new ones, keeps their
/// entries and compares them with the previous version of the same list.
pub async fn record_versions(store: &Store, s: &Screener) -> Result<Vec<RecordedList>, StoreError> {
    let mut out = Vec::new();
    for v in s.versions() {
        let (version, new) = store
            .record_list_version(
                &v.source,
                v.published.as_deref(),
                &v.content_hash,
                i64::try_from(v.entries).unwrap_or(i64::MAX),
            )
            .await?;
        let diff = if new {
            let entries: Vec<coalesce_store::screening::ListedEntry> = s
                .entities()
                .iter()
                .filter(|e| e.list == v.source)
                .map(|e| coalesce_store::screening::ListedEntry {
                    reference: e.reference.clone(),
                    entry_hash: entry_hash(e),
                    caption: e.caption().to_string(),
                })
                .collect();
            store.record_list_entries(&version, &entries).await?
        } else {
            None
        };
        out.push(RecordedList { version, new, diff });
    }
    Ok(out)
}

/// Properties of a query, named as in FollowTheMoney / yente; every property
/// is a list of strings. Unknown properties are refused (a misspelt
/// `birthdate` would otherwise be silently ignored).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PropertiesIn {
    pub name: Vec<String>,
    /// YYYY, YYYY-MM or YYYY-MM-DD
    #[serde(rename = "birthDate")]
    pub birth_date: Vec<String>,
    /// Country names or ISO codes.
    pub nationality: Vec<String>,
    /// `male` or `female`
    pub gender: Vec<String>,
    #[serde(rename = "idNumber")]
    pub id_number: Vec<String>,
    #[serde(rename = "passportNumber")]
    pub passport_number: Vec<String>,
    #[serde(rename = "imoNumber")]
    pub imo_number: Vec<String>,
}

/// One query: `{"schema": "Person", "properties": {"name": ["..."]}}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueryIn {
    /// `Person`, `Organization`, `Vessel`; absent or `Thing`: any.
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub properties: PropertiesIn,
}

/// The body of `POST /screen/match`, as yente's `/match`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// Queries by the caller's own keys (1–100).
    pub queries: BTreeMap<String, QueryIn>,
}

fn unprocessable(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", detail)
}

impl QueryIn {
    /// The party this query screens (for joining review decisions).
    pub fn screened_party(&self) -> ScreenedParty {
        ScreenedParty {
            names: self.properties.name.clone(),
            birth_dates: self.properties.birth_date.clone(),
            nationalities: self.properties.nationality.clone(),
        }
    }

    /// Checks bounds and converts to the screening crate's query.
    pub fn to_match_query(&self, key: &str) -> Result<MatchQuery, ApiError> {
        let p = &self.properties;
        for (prop, values) in [
            ("name", &p.name),
            ("birthDate", &p.birth_date),
            ("nationality", &p.nationality),
            ("gender", &p.gender),
            ("idNumber", &p.id_number),
            ("passportNumber", &p.passport_number),
            ("imoNumber", &p.imo_number),
        ] {
            if values.len() > MAX_VALUES {
                return Err(unprocessable(format!(
                    "query {key:?}: at most {MAX_VALUES} values of {prop}"
                )));
            }
            if values.iter().any(|v| v.chars().count() > MAX_VALUE_LEN) {
                return Err(unprocessable(format!(
                    "query {key:?}: a value of {prop} is longer than {MAX_VALUE_LEN} characters"
                )));
            }
        }
        if p.name.iter().all(|n| n.trim().is_empty()) {
            return Err(unprocessable(format!(
                "query {key:?}: properties.name needs at least one non-empty name"
            )));
        }
        let q = MatchQuery {
            schema: self.schema.clone(),
            properties: coalesce_screen::MatchProperties {
                name: p.name.clone(),
                birth_date: p.birth_date.clone(),
                nationality: p.nationality.clone(),
                gender: p.gender.clone(),
                id_number: p.id_number.clone(),
                passport_number: p.passport_number.clone(),
                imo_number: p.imo_number.clone(),
            },
        };
        // Unknown schemas and unparseable dates are refused here, naming the query.
        q.to_query()
            .map_err(|e| unprocessable(format!("query {key:?}: {e}")))?;
        Ok(q)
    }
}

/// A review decision as shown with a hit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionState {
    pub id: String,
    /// `confirmed` or `false_positive`
    pub decision: String,
    pub reason: String,
    /// The party as the reviewer entered it.
    pub party: String,
    pub decided_at: String,
    pub decided_by: String,
    /// The date of birth and nationality the party was screened with when decided.
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    /// The list entry changed since the decision: it no longer applies.
    pub stale: bool,
}

/// One ranked result, as yente's plus the review state.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenResultOut {
    /// `list:reference`, e.g. `un:QDi.001`
    pub id: String,
    /// The entry's primary name.
    pub caption: String,
    /// `Person`, `Organization` or `Vessel`
    pub schema: String,
    pub score: f64,
    /// Score at or above the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// `un` or `ofac`
    pub list: String,
    /// The list's own reference number.
    pub reference: String,
    /// The entry's name that matched best.
    pub matched_name: String,
    /// `strong`, `weak` or `original_script`
    pub matched_name_strength: String,
    /// Its own tier: every part of a weak alias matched ("weak alias —
    /// review"); `match` is true so that it is reviewed.
    pub weak_alias_review: bool,
    pub programs: Vec<String>,
    /// Readable lines: which name matched, how the parts aligned, what evidence did.
    pub explanation: Vec<String>,
    /// Content hash of the entry as loaded now (what a decision is taken on).
    pub entry_hash: String,
    /// The newest decision of the caller's member on this party and entry.
    pub decision: Option<DecisionState>,
    /// A current false-positive decision: do not alert again.
    pub suppressed: bool,
    /// The same party's listings on the other lists: one party, one hit.
    /// A review decision taken on any of its listings applies to the party.
    #[serde(default)]
    pub also_listed: Vec<AlsoListedOut>,
}

/// Another listing of the party of a result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AlsoListedOut {
    /// `list:reference`
    pub id: String,
    pub list: String,
    pub reference: String,
    pub caption: String,
    /// Content hash of that entry as loaded now.
    pub entry_hash: String,
}

impl ScreenResultOut {
    /// An alert: a match nobody of the member has cleared (on the entry as it is).
    pub fn alert(&self) -> bool {
        self.is_match && !self.suppressed
    }
}

fn strength(s: NameStrength) -> &'static str {
    match s {
        NameStrength::Strong => "strong",
        NameStrength::Weak => "weak",
        NameStrength::OriginalScript => "original_script",
    }
}

/// A result before its decision is looked up.
pub fn result_out(r: MatchResult, hashes: &HashMap<String, String>) -> ScreenResultOut {
    ScreenResultOut {
        entry_hash: hashes.get(&r.id).cloned().unwrap_or_default(),
        schema: r.schema.as_str().to_string(),
        matched_name_strength: strength(r.matched_name_strength).to_string(),
        weak_alias_review: r.weak_alias_review,
        id: r.id,
        caption: r.caption,
        score: r.score,
        is_match: r.is_match,
        list: r.list,
        reference: r.reference,
        matched_name: r.matched_name,
        programs: r.programs,
        explanation: r.explanation,
        decision: None,
        suppressed: false,
        also_listed: r
            .also_listed
            .into_iter()
            .map(|l| AlsoListedOut {
                entry_hash: hashes.get(&l.id).cloned().unwrap_or_default(),
                id: l.id,
                list: l.list,
                reference: l.reference,
                caption: l.caption,
            })
            .collect(),
    }
}

/// Wire form of a stored decision.
pub fn decision_state(d: &Decision, current_hash: Option<&str>) -> DecisionState {
    DecisionState {
        id: d.id.clone(),
        decision: d.decision.as_str().to_string(),
        reason: d.reason.clone(),
        party: d.party.clone(),
        decided_at: crate::wire::rfc3339(d.decided_at_ms),
        decided_by: d.decided_by.clone(),
        birth_date: d.birth_date.clone(),
        nationality: d.nationality.clone(),
        stale: current_hash != Some(d.entry_hash.as_str()),
    }
}

/// What a party was screened as: its names, and the dates of birth and
/// nationalities given with them (which decide whether a decision taken on
/// a party with a date of birth applies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenedParty {
    pub names: Vec<String>,
    pub birth_dates: Vec<String>,
    pub nationalities: Vec<String>,
}

impl ScreenedParty {
    /// A party known by one name only.
    pub fn named(name: impl Into<String>) -> ScreenedParty {
        ScreenedParty {
            names: vec![name.into()],
            ..ScreenedParty::default()
        }
    }

    /// A decision taken with a date of birth or nationality holds only for a
    /// party screened with the same (a false positive for "Mohamed Ali, born
    /// 1980" does not clear "Mohamed Ali, born 1965", nor a "Mohamed Ali"
    /// whose date of birth is not known).
    pub fn covered_by(&self, d: &Decision) -> bool {
        let dob = d
            .birth_date
            .as_deref()
            .is_none_or(|b| self.birth_dates.iter().any(|x| x.trim() == b));
        let nat = d.nationality.as_deref().is_none_or(|n| {
            let key = coalesce_screen::normalize::country_key(n);
            self.nationalities
                .iter()
                .any(|x| coalesce_screen::normalize::country_key(x) == key)
        });
        dob && nat
    }
}

/// Attaches the caller's member's decisions to groups of results; each
/// group comes with the party it was screened for. One store call.
pub async fn attach_decisions(
    store: &Store,
    p: &Principal,
    groups: &mut [(ScreenedParty, Vec<ScreenResultOut>)],
) -> Result<(), StoreError> {
    let pairs: Vec<(String, String)> = groups
        .iter()
        .flat_map(|(party, results)| {
            results.iter().flat_map(move |r| {
                party
                    .names
                    .iter()
                    .filter(|n| !n.trim().is_empty())
                    .flat_map(move |n| {
                        std::iter::once(r.id.clone())
                            .chain(r.also_listed.iter().map(|l| l.id.clone()))
                            .map(move |id| (n.clone(), id))
                    })
            })
        })
        .collect();
    if pairs.is_empty() {
        return Ok(());
    }
    let decisions = store.screening_decisions_for(p, &pairs).await?;
    for (party, results) in groups.iter_mut() {
        let keys: Vec<String> = party.names.iter().map(|n| party_key(n)).collect();
        for r in results.iter_mut() {
            // The newest decision on any of the party's names, on any of
            // the listed party's listings, that holds for what the party
            // was screened with (ids are UUIDv7); stale when the listing it
            // was taken on changed.
            let hash_of = |id: &str| -> Option<String> {
                if id == r.id {
                    Some(r.entry_hash.clone())
                } else {
                    r.also_listed
                        .iter()
                        .find(|l| l.id == id)
                        .map(|l| l.entry_hash.clone())
                }
            };
            let best = decisions
                .iter()
                .filter(|d| {
                    hash_of(&d.entity_id).is_some()
                        && keys.contains(&d.party_key)
                        && party.covered_by(d)
                })
                .max_by(|a, b| a.id.cmp(&b.id));
            if let Some(d) = best {
                let state = decision_state(d, hash_of(&d.entity_id).as_deref());
                r.suppressed = !state.stale && d.decision.as_str() == "false_positive";
                r.decision = Some(state);
            }
        }
    }
    Ok(())
}

/// The problem when no lists are loaded.
pub fn no_lists() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "no_sanctions_lists",
        "this node has no sanctions lists loaded; start it with --sanctions PATH",
    )
}

/// A review decision on one hit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// The party screened, as entered (remembered by its trimmed, lower-cased form).
    pub party: String,
    /// The hit's `id` (`list:reference`), from a loaded list.
    pub entity_id: String,
    /// `confirmed` or `false_positive`
    pub decision: String,
    /// Why (required, at most 2000 characters).
    pub reason: String,
    /// The party's date of birth as screened (YYYY, YYYY-MM or YYYY-MM-DD),
    /// if known: the decision then holds for that date only.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// The party's nationality as screened, if known: the decision then
    /// holds for that nationality only.
    #[serde(default)]
    pub nationality: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    pub id: String,
    /// The member whose decision it is.
    pub member: String,
    pub party: String,
    pub entity_id: String,
    /// Content hash of the entry when decided.
    pub entry_hash: String,
    /// `confirmed` or `false_positive`
    pub decision: String,
    pub reason: String,
    pub decided_at: String,
    pub decided_by: String,
    /// The party's date of birth and nationality the decision was taken with.
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    /// `unchanged`, `changed` (the entry changed since: the decision is stale)
    /// or `not_loaded` (the entry is not in the lists loaded now).
    pub entry_status: String,
}

pub fn decision_out(d: Decision, st: &AppState) -> DecisionOut {
    let entry_status = match st.entry_hashes.get(&d.entity_id) {
        None => "not_loaded",
        Some(h) if *h == d.entry_hash => "unchanged",
        Some(_) => "changed",
    };
    DecisionOut {
        id: d.id,
        member: d.member,
        party: d.party,
        entity_id: d.entity_id,
        entry_hash: d.entry_hash,
        decision: d.decision.as_str().to_string(),
        reason: d.reason,
        decided_at: rfc3339(d.decided_at_ms),
        decided_by: d.decided_by,
        birth_date: d.birth_date,
        nationality: d.nationality,
        entry_status: entry_status.to_string(),
    }
}

/// Checks and records a decision (shared with the web form).
pub async fn record(st: &AppState, p: &Principal, d: &DecisionIn) -> Result<Decision, ApiError> {
    if !p.role.can_write_records() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "viewers cannot record screening decisions",
        ));
    }
    let kind = DecisionKind::parse(d.decision.trim()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "decision must be confirmed or false_positive",
        )
    })?;
    if d.reason.trim().is_empty() || d.reason.trim().chars().count() > MAX_REASON_LEN {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("a reason of 1-{MAX_REASON_LEN} characters is required"),
        ));
    }
    if st.screener.is_none() {
        return Err(no_lists());
    }
    let entity_id = d.entity_id.trim();
    let Some(hash) = st.entry_hashes.get(entity_id) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_entity",
            format!("{entity_id:?} is not an entry of the loaded lists"),
        ));
    };
    Ok(st
        .store
        .record_screening_decision(
            p,
            &NewDecision {
                party: d.party.clone(),
                entity_id: entity_id.to_string(),
                entry_hash: hash.clone(),
                decision: kind,
                reason: d.reason.clone(),
                birth_date: d.birth_date.clone(),
                nationality: d.nationality.clone(),
            },
        )
        .await?)
}

mod list_versions;
mod parties;
mod rescreen;

pub use list_versions::*;
pub use parties::*;
pub use rescreen::*;
