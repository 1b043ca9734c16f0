//! Rescreening after a list update: when a loaded list is a newer version
//! of one the node had (added, removed, changed entries), the parties of
//! open records — live entities, contributions not cancelled — are screened
//! against the added and changed entries only, and the matches are kept
//! (`coalesce_store::rescreen`) for each reader to see on the records it
//! may read. Removed entries need no rescreen: a hit on them disappears
//! from every screening at once.

use super::*;
use coalesce_store::now_ms;
use coalesce_store::rescreen::{Finding, Rescreen};
use std::sync::Arc;

/// What one rescreen compared and found (every record's, no names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RescreenSummary {
    /// `un`, `ofac`, …
    pub source: String,
    pub version_id: String,
    pub entries_compared: usize,
    pub records_screened: usize,
    pub parties_screened: usize,
    pub findings: usize,
}

/// A party to rescreen and where it sits: (record id, kind, version,
/// party index), the party.
type Located = ((String, String, i64, i64), PartyToScreen);

/// The parties of an open record, with their places in it.
fn open_record_parties(r: &coalesce_store::rescreen::OpenRecord) -> Vec<Located> {
    let at = |i: usize| (r.id.clone(), r.kind.clone(), r.version, i as i64);
    match r.kind.as_str() {
        "entity" => serde_json::from_str::<coalesce_domain::entity::EntityBody>(&r.body)
            .ok()
            .and_then(|b| entity_body_party(&r.id, &b, "subject"))
            .map(|p| vec![(at(0), p)])
            .unwrap_or_default(),
        "contribution" => serde_json::from_str::<coalesce_domain::needs::ContributionBody>(&r.body)
            .map(|b| {
                b.parties
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (at(i), contribution_party(p)))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Starts the rescreening after list updates ([`rescreen_pending`]) as a
/// node job (`rescreen`): every user sees it in `/jobs`, so what it shows
/// counts nothing of the node's records — its progress is a percentage of
/// the parties, its result names the lists rescreened (how many records,
/// parties and matches goes to `console`, the operator's, one line per
/// list). The node's shutdown stops it, and the version it was at is
/// rescreened at the next start.
pub fn start_rescreen(
    jobs: &crate::jobs::Jobs,
    store: Store,
    screener: Arc<coalesce_screen::Screener>,
    console: impl Fn(&str) + Send + 'static,
) -> Result<crate::jobs::JobOut, crate::ApiError> {
    jobs.start_for_node("rescreen", move |job| async move {
        let (done, stopped) = rescreen_until_stopped(&store, screener, &job).await?;
        for summary in &done {
            console(&summary.line());
        }
        if stopped {
            return Err(crate::ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "cancelled",
                "the rescreen was stopped with the node; the list version under way is rescreened at the next start",
            ));
        }
        let lists: Vec<String> = done
            .iter()
            .map(|d| format!("rescreened after the {} update", d.source))
            .collect();
        Ok(if lists.is_empty() {
            "no list update to rescreen after".to_string()
        } else {
            lists.join("; ")
        })
    })
}

impl RescreenSummary {
    /// What the rescreen did, in one line (no names).
    pub fn line(&self) -> String {
        format!(
            "rescreened after the {} update: {} parties of {} open records against {} added or changed entries, {} matches",
            self.source, self.parties_screened, self.records_screened, self.entries_compared, self.findings
        )
    }
}

/// Parties screened between two progress reports (and stop checks).
const PARTIES_PER_STEP: usize = 100;

/// Rescreens after every loaded list version that follows an earlier
/// version of its list and was not rescreened yet (so a node stopped
/// during a rescreen does it at its next start). Returns what each did.
pub async fn rescreen_pending(
    store: &Store,
    screener: Arc<coalesce_screen::Screener>,
) -> Result<Vec<RescreenSummary>, StoreError> {
    let unwatched = crate::jobs::JobHandle::detached_for_node("rescreen");
    Ok(rescreen_until_stopped(store, screener, &unwatched).await?.0)
}

/// [`rescreen_pending`] under `job`: its progress (percent of the parties
/// of the version under way), and whether it stopped because `job` was
/// asked to (the version under way is then not recorded).
async fn rescreen_until_stopped(
    store: &Store,
    screener: Arc<coalesce_screen::Screener>,
    job: &crate::jobs::JobHandle,
) -> Result<(Vec<RescreenSummary>, bool), StoreError> {
    let recorded = store.list_versions().await?;
    let mut out = Vec::new();
    for v in screener.versions() {
        let Some(rec) = recorded
            .iter()
            .find(|r| r.source == v.source && r.content_hash == v.content_hash)
        else {
            continue;
        };
        if store.rescreened(&rec.id).await? {
            continue;
        }
        let Some(changes) = store.list_version_changes(&rec.id).await? else {
            continue;
        };
        let ids: Vec<String> = changes
            .added
            .iter()
            .chain(&changes.changed)
            .map(|e| format!("{}:{}", v.source, e.reference))
            .collect();
        match rescreen_version(store, screener.clone(), &rec.id, &v.source, &ids, job).await? {
            Some(done) => out.push(done),
            None => return Ok((out, true)),
        }
    }
    Ok((out, false))
}

/// Screens the parties of open records against the entries `ids` of list
/// version `version_id` and keeps the matches; None (nothing kept) when
/// `job` was asked to stop.
async fn rescreen_version(
    store: &Store,
    screener: Arc<coalesce_screen::Screener>,
    version_id: &str,
    source: &str,
    ids: &[String],
    job: &crate::jobs::JobHandle,
) -> Result<Option<RescreenSummary>, StoreError> {
    let started = now_ms();
    let records = store.open_screening_records().await?;
    let ids = ids.to_vec();
    let job = job.clone();
    let stage = format!("screening against the {source} update");
    // Scoring is CPU work: off the async workers.
    let screened =
        tokio::task::spawn_blocking(move || {
            let among = screener.among(ids.iter().map(String::as_str));
            let parties: Vec<Located> = records.iter().flat_map(open_record_parties).collect();
            let opts = coalesce_screen::MatchOptions {
                limit: 20,
                cutoff: 0.3,
                ..coalesce_screen::MatchOptions::default()
            };
            let mut findings = Vec::new();
            if !among.is_empty() {
                for (i, ((record_id, record_kind, record_version, party), p)) in
                    parties.iter().enumerate()
                {
                    if i.is_multiple_of(PARTIES_PER_STEP) {
                        // A percentage: the count of parties would tell every
                        // user how many records the node holds.
                        job.progress(&stage, (i * 100 / parties.len()) as u64, Some(100));
                        if job.stopped() {
                            return None;
                        }
                    }
                    // A party whose recorded fields no longer make a query
                    // (a rule tightened since) is skipped, not fatal.
                    let Ok(q) = p.query.to_match_query("party") else {
                        continue;
                    };
                    let Ok(r) = screener.match_query_among(&q, &opts, &among) else {
                        continue;
                    };
                    findings.extend(r.results.into_iter().filter(|h| h.is_match).map(|h| {
                        Finding {
                            record_id: record_id.clone(),
                            record_kind: record_kind.clone(),
                            record_version: *record_version,
                            party: *party,
                            role: p.role.clone(),
                            entry_id: h.id,
                            caption: h.caption,
                            score: h.score,
                            is_match: h.is_match,
                            weak_alias_review: h.weak_alias_review,
                        }
                    }));
                }
            }
            job.progress(&stage, 100, Some(100));
            Some((findings, records.len(), parties.len(), among.len()))
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("rescreen task failed: {e}")))?;
    let Some((findings, records_screened, parties_screened, entries_compared)) = screened else {
        return Ok(None);
    };
    let rescreen = Rescreen {
        id: String::new(),
        version_id: version_id.to_string(),
        entries_compared: entries_compared as i64,
        records_screened: records_screened as i64,
        parties_screened: parties_screened as i64,
        started_at_ms: started,
        finished_at_ms: now_ms(),
    };
    store.record_rescreen(&rescreen, &findings).await?;
    Ok(Some(RescreenSummary {
        source: source.to_string(),
        version_id: version_id.to_string(),
        entries_compared,
        records_screened,
        parties_screened,
        findings: findings.len(),
    }))
}

/// One match a rescreen found, as its reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RescreenFindingOut {
    /// `entity` or `contribution`.
    pub record_kind: String,
    pub record_id: String,
    /// The record's page (`/entities/{id}`, `/contributions/{id}`), where
    /// its full screening is shown.
    pub record_path: String,
    /// The record's version that was screened, and its version now.
    pub screened_version: i64,
    pub current_version: i64,
    pub role: String,
    /// The party's name as the record holds it now.
    pub party: String,
    /// The listed entry matched, `list:reference`.
    pub entry_id: String,
    pub caption: String,
    pub score: f64,
    /// A full match on a weak alias (its own tier: review).
    pub weak_alias_review: bool,
    /// The entry is new in this version (else it changed).
    pub entry_added: bool,
}

/// The rescreen after a list version, as one reader sees it. How many
/// records and parties it screened is not said: that counts records
/// outside the reader's audience (the node's log and audit say it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RescreenOut {
    pub version_id: String,
    /// Entries the update added or changed, screened against.
    pub entries_compared: i64,
    pub started_at: String,
    pub finished_at: String,
    /// The matches on records the reader may read now, best first.
    pub findings: Vec<RescreenFindingOut>,
}

/// The rescreen after list version `version_id` as `p` may read it: only
/// findings on records `p` reads now (filtered by the store's audience
/// rule, then each record read through its own getter, which applies the
/// layer's whole rule). None when that version was not rescreened.
/// `changes`: the version's changes when the caller has them already (the
/// list version's page), so they are not read again; otherwise they are
/// read only when there is a finding to tell added from changed.
pub async fn rescreen_out(
    st: &AppState,
    p: &Principal,
    version_id: &str,
    changes: Option<&coalesce_store::screening::VersionChanges>,
) -> Result<Option<RescreenOut>, ApiError> {
    let Some((r, findings)) = st.store.rescreen_of(p, version_id).await? else {
        return Ok(None);
    };
    let read;
    let changes = match changes {
        Some(c) => Some(c),
        None if findings.is_empty() => None,
        None => {
            read = st.store.list_version_changes(version_id).await?;
            read.as_ref()
        }
    };
    let added: std::collections::HashSet<String> = changes
        .map(|c| {
            let source = c.version.as_ref().map_or("", |v| v.source.as_str());
            c.added
                .iter()
                .map(|e| format!("{source}:{}", e.reference))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::with_capacity(findings.len());
    for f in findings {
        let read = match f.record_kind.as_str() {
            "entity" => st
                .store
                .get_entity(p, &f.record_id)
                .await
                .map(|e| (e.name, e.version, format!("/entities/{}", e.id))),
            "contribution" => st.store.get_contribution(p, &f.record_id).await.map(|c| {
                let name = usize::try_from(f.party)
                    .ok()
                    .and_then(|i| c.parties.get(i))
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                (name, c.version, format!("/contributions/{}", c.id))
            }),
            _ => continue,
        };
        let (party, current_version, record_path) = match read {
            Ok(x) => x,
            Err(StoreError::NotFound) => continue,
            Err(e) => return Err(e.into()),
        };
        out.push(RescreenFindingOut {
            entry_added: added.contains(&f.entry_id),
            record_kind: f.record_kind,
            record_id: f.record_id,
            record_path,
            screened_version: f.record_version,
            current_version,
            role: f.role,
            party,
            entry_id: f.entry_id,
            caption: f.caption,
            score: f.score,
            weak_alias_review: f.weak_alias_review,
        });
    }
    Ok(Some(RescreenOut {
        version_id: r.version_id,
        entries_compared: r.entries_compared,
        started_at: rfc3339(r.started_at_ms),
        finished_at: rfc3339(r.finished_at_ms),
        findings: out,
    }))
}
