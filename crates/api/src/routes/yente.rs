//! `POST /match/{dataset}` in the request and response shape of yente, the
//! OpenSanctions API server, so that tools written for it (nomenklatura's
//! `YenteEnricher`, compliance scripts) work against a coalesce node
//! unchanged: FollowTheMoney schemas and properties in, FollowTheMoney
//! entities with a score out. The node's own `/screen/match` stays the
//! richer form (review decisions, alerts); this one carries the decisions
//! too, as extra fields yente clients ignore.
//!
//! Datasets: `default` and `sanctions` are every loaded list; a list's own
//! name (`un`, `ofac`) is that list alone.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::screening::{screen_jobs, DecisionState, PropertiesIn, QueryIn, ScreenJob, MAX_LIMIT};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_screen::{BirthDate, Entity, IdKind, MatchOptions, NameStrength, Schema};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// yente's query parameters. `algorithm` and `fuzzy` are accepted and
/// ignored: coalesce has one matcher, named in the response.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YenteParams {
    /// Score at or above which a result is a match, 0–1 (default 0.5).
    pub threshold: Option<f64>,
    /// Results scored below this are left out, 0–1 (default: the matcher's cut-off, at most the threshold).
    pub cutoff: Option<f64>,
    /// Results per query, 1–50 (default 5).
    pub limit: Option<usize>,
    /// yente's matching algorithm; any value gets coalesce's matcher.
    #[allow(dead_code)] // accepted from yente's clients, not used
    pub algorithm: Option<String>,
    /// Accepted and ignored (any spelling of a boolean: Python clients send `False`).
    #[allow(dead_code)] // accepted from yente's clients, not used
    pub fuzzy: Option<String>,
}

/// A FollowTheMoney entity to match: a schema and properties, each a
/// string or a list of strings. Properties coalesce does not compare are
/// ignored, as yente ignores those a schema does not match on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct YenteQuery {
    /// `Person`, `Organization`, `Company`, `LegalEntity`, `Vessel` or `Thing`.
    pub schema: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct YenteRequest {
    pub queries: BTreeMap<String, YenteQuery>,
}

/// One result: a FollowTheMoney entity of the list, with its score.
#[derive(Debug, Serialize, ToSchema)]
pub struct YenteResult {
    /// `list:reference`
    pub id: String,
    pub caption: String,
    pub schema: String,
    /// `name`, `alias`, `weakAlias`, `birthDate`, `passportNumber`,
    /// `idNumber`, `imoNumber`, `topics`.
    pub properties: BTreeMap<String, Vec<String>>,
    /// The list the entry is on.
    pub datasets: Vec<String>,
    /// The same party's listings on the other lists.
    pub referents: Vec<String>,
    pub target: bool,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub last_change: Option<String>,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    /// `name_score` (the best name's), `weak_alias_review` (1 when every
    /// part of a weak alias matched).
    pub features: BTreeMap<String, f64>,
    pub token: String,
    /// coalesce: why, in sentences.
    pub explanation: Vec<String>,
    /// coalesce: the caller's member's newest review decision on this party.
    pub decision: Option<DecisionState>,
    /// coalesce: a current false-positive decision; not alerted again.
    pub suppressed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YenteTotal {
    pub value: usize,
    pub relation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YenteQueryResponse {
    pub status: u16,
    pub results: Vec<YenteResult>,
    pub total: YenteTotal,
    /// The query as received.
    pub query: YenteQuery,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YenteMatcher {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YenteResponse {
    pub responses: BTreeMap<String, YenteQueryResponse>,
    pub matcher: YenteMatcher,
    pub limit: usize,
}

/// The string values of a property (a string or a list of strings).
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

impl YenteQuery {
    /// The node's own query: names from `name` and `alias` (or the name
    /// parts when there is no name), identifiers from every property that
    /// holds one.
    fn to_query_in(&self, key: &str) -> Result<QueryIn, ApiError> {
        if !self
            .properties
            .values()
            .all(|v| v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
        {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("query {key:?}: every property is a string or a list of strings"),
            ));
        }
        let get = |k: &str| strings(self.properties.get(k));
        let mut name = get("name");
        name.extend(get("alias"));
        if name.iter().all(|n| n.trim().is_empty()) {
            let parts: Vec<String> = [
                "firstName",
                "secondName",
                "middleName",
                "fatherName",
                "lastName",
            ]
            .iter()
            .flat_map(|k| get(k))
            .filter(|s| !s.trim().is_empty())
            .collect();
            if !parts.is_empty() {
                name = vec![parts.join(" ")];
            }
        }
        let mut nationality = get("nationality");
        nationality.extend(get("citizenship"));
        let mut id_number = get("idNumber");
        for k in [
            "registrationNumber",
            "taxNumber",
            "innCode",
            "ogrnCode",
            "leiCode",
            "swiftBic",
        ] {
            id_number.extend(get(k));
        }
        let schema = match self.schema.as_str() {
            "Company" | "PublicBody" => "Organization".to_string(),
            s => s.to_string(),
        };
        Ok(QueryIn {
            schema: Some(schema),
            properties: PropertiesIn {
                name,
                birth_date: get("birthDate"),
                nationality,
                gender: get("gender"),
                id_number,
                passport_number: get("passportNumber"),
                imo_number: get("imoNumber"),
            },
        })
    }
}

fn iso(d: &BirthDate) -> Option<String> {
    match d {
        BirthDate::Exact { .. } => Some(d.to_string()),
        BirthDate::Approx { year } => Some(format!("{year:04}")),
        BirthDate::Range { .. } => None,
    }
}

/// A listed entry as a FollowTheMoney entity's properties.
fn properties(e: &Entity) -> BTreeMap<String, Vec<String>> {
    let mut p: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut push = |k: &str, v: String| {
        let values = p.entry(k.to_string()).or_default();
        if !v.trim().is_empty() && !values.contains(&v) {
            values.push(v);
        }
    };
    for (i, n) in e.names.iter().enumerate() {
        let prop = match n.strength {
            _ if i == 0 => "name",
            NameStrength::Weak => "weakAlias",
            NameStrength::Strong | NameStrength::OriginalScript => "alias",
        };
        push(prop, n.value.clone());
    }
    if e.schema == Schema::Person {
        for d in e.birth_dates.iter().filter_map(iso) {
            push("birthDate", d);
        }
    }
    for id in &e.identifiers {
        let prop = match (id.kind, e.schema) {
            (IdKind::Imo, Schema::Vessel) => "imoNumber",
            (IdKind::Passport, Schema::Person) => "passportNumber",
            (IdKind::Imo | IdKind::Passport, _) => continue,
            _ => "idNumber",
        };
        push(prop, id.value.clone());
    }
    push("topics", "sanction".into());
    p.retain(|_, v| !v.is_empty());
    p
}

/// Match FollowTheMoney entities against a dataset of the node's loaded
/// sanctions lists, in yente's request and response shape. `default` and
/// `sanctions` are every list; `un`, `ofac` (a list's own name) that list.
/// Any logged-in user; tokens are accepted as `Authorization: Bearer` or,
/// as yente clients send them, `Authorization: ApiKey`.
#[utoipa::path(post, path = "/match/{dataset}", tag = "screening",
    params(("dataset" = String, Path, description = "default, sanctions, or a list's name (un, ofac)"), YenteParams),
    request_body = YenteRequest,
    responses(
        (status = 200, body = YenteResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn yente_match(
    State(st): State<AppState>,
    auth: Auth,
    Path(dataset): Path<String>,
    ApiQuery(params): ApiQuery<YenteParams>,
    ApiJson(req): ApiJson<YenteRequest>,
) -> Result<Json<YenteResponse>, ApiError> {
    let screener = st.screener.clone().ok_or_else(crate::screening::no_lists)?;
    let lists: Vec<String> = screener
        .versions()
        .iter()
        .map(|v| v.source.clone())
        .collect();
    let only: Option<String> = match dataset.as_str() {
        "default" | "sanctions" => None,
        d if lists.iter().any(|l| l == d) => Some(d.to_string()),
        d => {
            return Err(ApiError::not_found(format!(
                "no dataset {d:?}: this node has default, sanctions, {}",
                lists.join(", ")
            )))
        }
    };
    let (threshold, limit) = super::screen::match_limits(params.threshold, params.limit)?;
    let cutoff = params
        .cutoff
        .unwrap_or(MatchOptions::default().cutoff.min(threshold));
    if !(0.0..=1.0).contains(&cutoff) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "cutoff must be between 0 and 1",
        ));
    }
    super::screen::check_query_count(req.queries.len())?;
    let mut jobs = Vec::with_capacity(req.queries.len());
    let mut received = BTreeMap::new();
    for (key, q) in req.queries {
        super::screen::check_query_key(&key)?;
        let query = q.to_query_in(&key)?;
        let match_query = query.to_match_query(&key)?;
        jobs.push(ScreenJob {
            label: format!("query {key:?}"),
            tag: key.clone(),
            query,
            match_query,
        });
        received.insert(key, q);
    }
    // One list alone: rank over every list, then keep that list's results.
    let opts = MatchOptions {
        limit: if only.is_some() { MAX_LIMIT } else { limit },
        threshold,
        cutoff,
    };
    let computed = screen_jobs(&st, &auth.principal, jobs, opts).await?;
    let published: BTreeMap<String, String> = screener
        .versions()
        .iter()
        .filter_map(|v| {
            Some((
                v.source.clone(),
                format!("{}T00:00:00", v.published.clone()?),
            ))
        })
        .collect();
    let mut responses = BTreeMap::new();
    for (key, _, results) in computed {
        let results: Vec<YenteResult> = results
            .into_iter()
            .filter_map(|r| {
                // A party is one hit, shown by its best-scoring listing;
                // asked for one list, it is shown by its listing there.
                let (id, list) = match &only {
                    None => (r.id.clone(), r.list.clone()),
                    Some(l) if *l == r.list => (r.id.clone(), r.list.clone()),
                    Some(l) => {
                        let other = r.also_listed.iter().find(|o| o.list == *l)?;
                        (other.id.clone(), other.list.clone())
                    }
                };
                let e = screener.entity(&id)?;
                let referents = std::iter::once(r.id.clone())
                    .chain(r.also_listed.iter().map(|l| l.id.clone()))
                    .filter(|x| *x != id)
                    .collect();
                let seen = published.get(&list).cloned();
                Some(YenteResult {
                    properties: properties(e),
                    caption: e.caption().to_string(),
                    schema: e.schema.as_str().to_string(),
                    datasets: vec![list],
                    referents,
                    target: true,
                    first_seen: seen.clone(),
                    last_seen: seen.clone(),
                    last_change: seen,
                    features: BTreeMap::from([
                        ("name_score".to_string(), r.score),
                        (
                            "weak_alias_review".to_string(),
                            f64::from(u8::from(r.weak_alias_review)),
                        ),
                    ]),
                    token: r.entry_hash.clone(),
                    id,
                    score: r.score,
                    is_match: r.is_match,
                    explanation: r.explanation,
                    decision: r.decision,
                    suppressed: r.suppressed,
                })
            })
            .take(limit)
            .collect();
        let query = received.remove(&key).unwrap_or(YenteQuery {
            schema: String::new(),
            properties: BTreeMap::new(),
        });
        responses.insert(
            key,
            YenteQueryResponse {
                status: 200,
                total: YenteTotal {
                    value: results.len(),
                    relation: "eq".into(),
                },
                results,
                query,
            },
        );
    }
    Ok(Json(YenteResponse {
        responses,
        matcher: YenteMatcher {
            name: "coalesce".into(),
            description: "coalesce-screen: consonant-skeleton retrieval, part alignment with name tables, evidence from dates, nationality, gender and identifiers".into(),
        },
        limit,
    }))
}
