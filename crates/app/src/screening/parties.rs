//! Screening the parties of a record: an entity or a contribution's
//! parties as the queries the screener takes, run off the async threads,
//! joined with the member's review decisions.

use super::*;

/// A party of a record to screen: an entity a report is about, or a
/// supplier, carrier, ... of a contribution.
#[derive(Debug, Clone)]
pub struct PartyToScreen {
    /// The party's role in the record (`buyer`, `vessel`, `supplier`, ...).
    pub role: String,
    /// The entity screened, when the party is one.
    pub entity_id: Option<String>,
    pub query: QueryIn,
}

/// What screening one party found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyScreeningOut {
    pub role: String,
    /// The entity screened, when the party is one.
    pub entity_id: Option<String>,
    /// The party's name as recorded.
    pub name: String,
    /// What was screened: names, date of birth, nationality, identifiers.
    pub query: QueryIn,
    /// Listed entries scoring near the party, best first (matches and
    /// near misses), with the member's review decisions.
    pub results: Vec<ScreenResultOut>,
    /// Matches nobody of the member has cleared.
    pub alerts: usize,
}

/// The screening of a record's parties.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordScreeningOut {
    /// The score at or above which a result is a match.
    pub threshold: f64,
    /// `list version` of each loaded list, e.g. `UN 2026-02-27`.
    pub lists: Vec<String>,
    pub parties: Vec<PartyScreeningOut>,
}

fn one(v: &Option<String>) -> Vec<String> {
    v.iter().filter(|x| !x.trim().is_empty()).cloned().collect()
}

/// The screening query for an entity a report is about (None for places,
/// which no sanctions list names).
pub fn entity_party(e: &coalesce_domain::reports::Entity, role: &str) -> Option<PartyToScreen> {
    entity_body_party(&e.id, &e.body(), role)
}

/// [`entity_party`] from an entity's body as the layer keeps it.
pub fn entity_body_party(
    id: &str,
    e: &coalesce_domain::entity::EntityBody,
    role: &str,
) -> Option<PartyToScreen> {
    use coalesce_domain::reports::EntityKind;
    let schema = match e.kind {
        EntityKind::Person => "Person",
        EntityKind::Organisation => "Organization",
        EntityKind::Vessel => "Vessel",
        EntityKind::Place => return None,
    };
    let mut names = vec![e.name.clone()];
    names.extend(e.aliases.iter().take(MAX_VALUES - 1).cloned());
    Some(PartyToScreen {
        role: role.to_string(),
        entity_id: Some(id.to_string()),
        query: QueryIn {
            schema: Some(schema.to_string()),
            properties: PropertiesIn {
                name: names,
                birth_date: one(&e.birth_date),
                nationality: if e.kind == EntityKind::Person {
                    one(&e.nationality)
                } else {
                    vec![]
                },
                id_number: e.documents.iter().take(MAX_VALUES).cloned().collect(),
                imo_number: one(&e.imo),
                ..PropertiesIn::default()
            },
        },
    })
}

/// The screening query for a party of a contribution.
pub fn contribution_party(p: &coalesce_domain::needs::Party) -> PartyToScreen {
    use coalesce_domain::needs::PartyKind;
    let (schema, nationality) = match p.kind {
        PartyKind::Person => ("Person", one(&p.country)),
        // A company's country of registration is not a nationality.
        PartyKind::Organisation => ("Organization", vec![]),
        PartyKind::Vessel => ("Vessel", vec![]),
    };
    PartyToScreen {
        role: p.role.as_str().to_string(),
        entity_id: None,
        query: QueryIn {
            schema: Some(schema.to_string()),
            properties: PropertiesIn {
                name: vec![p.name.clone()],
                nationality,
                ..PropertiesIn::default()
            },
        },
    }
}

/// One query to screen: a label for errors (`query "q1"`, `party 2`), the
/// caller's own data, the query as received and as the matcher takes it.
pub struct ScreenJob<T> {
    pub label: String,
    pub tag: T,
    pub query: QueryIn,
    pub match_query: MatchQuery,
}

/// Screens `jobs` against the loaded lists off the async workers (scoring is
/// CPU work) and joins the caller's member's decisions: each job's tag,
/// query and results, in order.
pub async fn screen_jobs<T: Send + 'static>(
    st: &AppState,
    p: &Principal,
    jobs: Vec<ScreenJob<T>>,
    opts: coalesce_screen::MatchOptions,
) -> Result<Vec<(T, QueryIn, Vec<ScreenResultOut>)>, ApiError> {
    let screener = st.screener.clone().ok_or_else(no_lists)?;
    let hashes = st.entry_hashes.clone();
    let computed = tokio::task::spawn_blocking(move || {
        jobs.into_iter()
            .map(|job| {
                let r = screener
                    .match_query(&job.match_query, &opts)
                    .map_err(|e| format!("{}: {e}", job.label))?;
                let results: Vec<ScreenResultOut> = r
                    .results
                    .into_iter()
                    .map(|r| result_out(r, &hashes))
                    .collect();
                Ok((job.tag, job.query, results))
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "screening task failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the node's log",
        )
    })?
    .map_err(unprocessable)?;
    let mut groups: Vec<(ScreenedParty, Vec<ScreenResultOut>)> = computed
        .iter()
        .map(|(_, q, results)| (q.screened_party(), results.clone()))
        .collect();
    attach_decisions(&st.store, p, &mut groups).await?;
    Ok(computed
        .into_iter()
        .zip(groups)
        .map(|((tag, query, _), (_, results))| (tag, query, results))
        .collect())
}

/// Screens the parties of a record against the loaded lists and joins the
/// caller's member's decisions. The caller has already read the record
/// (its releasability is the store's); this reads nothing else of it.
pub async fn screen_parties(
    st: &AppState,
    p: &Principal,
    parties: Vec<PartyToScreen>,
) -> Result<RecordScreeningOut, ApiError> {
    let screener = st.screener.clone().ok_or_else(no_lists)?;
    let lists: Vec<String> = screener
        .versions()
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v.source.to_uppercase(),
                v.published.as_deref().unwrap_or("undated")
            )
        })
        .collect();
    let mut jobs = Vec::with_capacity(parties.len());
    for (i, party) in parties.into_iter().enumerate() {
        let label = format!("party {}", i + 1);
        let match_query = party.query.to_match_query(&label)?;
        jobs.push(ScreenJob {
            label,
            tag: (party.role, party.entity_id),
            query: party.query,
            match_query,
        });
    }
    let opts = coalesce_screen::MatchOptions::default();
    let parties = screen_jobs(st, p, jobs, opts)
        .await?
        .into_iter()
        .map(|((role, entity_id), query, results)| PartyScreeningOut {
            alerts: results.iter().filter(|r| r.alert()).count(),
            name: query.properties.name.first().cloned().unwrap_or_default(),
            role,
            entity_id,
            query,
            results,
        })
        .collect();
    Ok(RecordScreeningOut {
        threshold: opts.threshold,
        lists,
        parties,
    })
}
