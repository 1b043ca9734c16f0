//! The loaded list versions and what changed between two of them, as the
//! API and the pages show them.

use super::*;

/// How a list version differs from the one loaded before it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeCounts {
    /// The earlier version compared with.
    pub previous_published: Option<String>,
    pub previous_content_hash: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListVersionOut {
    /// The node's record of the version (absent for a loaded version the
    /// node could not record).
    pub id: Option<String>,
    /// `un` or `ofac`
    pub source: String,
    pub published: Option<String>,
    pub content_hash: String,
    pub entries: i64,
    /// Loaded now (screening uses it).
    pub loaded: bool,
    pub first_loaded_at: Option<String>,
    pub last_loaded_at: Option<String>,
    /// Against the version of the same list loaded before it (absent for
    /// the first); `GET /screen/lists/{id}/changes` names the entries.
    pub changes: Option<ChangeCounts>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListVersionList {
    pub items: Vec<ListVersionOut>,
    pub next: Option<String>,
}

/// One listed entry in a list of changes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListedEntryOut {
    pub reference: String,
    /// The entry's primary name.
    pub caption: String,
}

/// The entries that differ between a list version and the one before it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListChangesOut {
    pub source: String,
    pub published: Option<String>,
    pub content_hash: String,
    pub previous_published: Option<String>,
    pub previous_content_hash: String,
    pub added: Vec<ListedEntryOut>,
    pub removed: Vec<ListedEntryOut>,
    /// As they are in the newer version.
    pub changed: Vec<ListedEntryOut>,
}

impl From<coalesce_store::screening::VersionChanges> for ListChangesOut {
    fn from(c: coalesce_store::screening::VersionChanges) -> Self {
        let out = |v: Vec<coalesce_store::screening::ListedEntry>| {
            v.into_iter()
                .map(|e| ListedEntryOut {
                    reference: e.reference,
                    caption: e.caption,
                })
                .collect()
        };
        let (version, previous) = (
            c.version.unwrap_or_default(),
            c.previous.unwrap_or_default(),
        );
        ListChangesOut {
            source: version.source,
            published: version.published,
            content_hash: version.content_hash,
            previous_published: previous.published,
            previous_content_hash: previous.content_hash,
            added: out(c.added),
            removed: out(c.removed),
            changed: out(c.changed),
        }
    }
}

/// Every list version the node loaded now or before, the loaded ones first,
/// each with what changed since the version before it.
pub async fn list_versions_out(st: &AppState) -> Result<Vec<ListVersionOut>, StoreError> {
    let recorded = st.store.list_versions().await?;
    let mut items: Vec<ListVersionOut> = Vec::new();
    let loaded: Vec<(String, String)> = st
        .screener
        .as_ref()
        .map(|s| {
            s.versions()
                .iter()
                .map(|v| (v.source.clone(), v.content_hash.clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(s) = &st.screener {
        for v in s.versions() {
            let rec = recorded
                .iter()
                .find(|r| r.source == v.source && r.content_hash == v.content_hash);
            items.push(ListVersionOut {
                id: rec.map(|r| r.id.clone()),
                source: v.source.clone(),
                published: v.published.clone(),
                content_hash: v.content_hash.clone(),
                entries: i64::try_from(v.entries).unwrap_or(i64::MAX),
                loaded: true,
                first_loaded_at: rec.map(|r| rfc3339(r.first_loaded_at_ms)),
                last_loaded_at: rec.map(|r| rfc3339(r.last_loaded_at_ms)),
                changes: None,
            });
        }
    }
    for r in recorded {
        if loaded
            .iter()
            .any(|(s, h)| *s == r.source && *h == r.content_hash)
        {
            continue;
        }
        items.push(ListVersionOut {
            id: Some(r.id),
            source: r.source,
            published: r.published,
            content_hash: r.content_hash,
            entries: r.entries,
            loaded: false,
            first_loaded_at: Some(rfc3339(r.first_loaded_at_ms)),
            last_loaded_at: Some(rfc3339(r.last_loaded_at_ms)),
            changes: None,
        });
    }
    for item in items.iter_mut() {
        let Some(id) = &item.id else { continue };
        if let Some(c) = st.store.list_version_changes(id).await? {
            let previous = c.previous.unwrap_or_default();
            item.changes = Some(ChangeCounts {
                previous_published: previous.published,
                previous_content_hash: previous.content_hash,
                added: c.added.len(),
                removed: c.removed.len(),
                changed: c.changed.len(),
            });
        }
    }
    Ok(items)
}
