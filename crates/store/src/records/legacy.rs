//! Moving the rows of a kind written before it was on the layer into the
//! layer's tables, once, in the migration that moves it: one code for both
//! dialects, and bodies canonical by construction (the SQL moves of
//! migrations 19–21 wrote JSON with the database's functions and had to
//! rewrite it afterwards). Ids are kept, and so are every kept version's
//! marking, author and time; a version's provenance is `local` (the node
//! wrote it) and it gets the next node-wide `seq`.

use super::*;

/// One version of a record as the old tables kept it.
pub(crate) struct LegacyVersion<B> {
    pub version: i64,
    /// Withdrawn when the old tables kept the withdrawal as a version.
    pub status: Status,
    pub body: B,
    pub marking: Marking,
    pub author: String,
    pub at_ms: i64,
}

/// A record as the old tables kept it: its versions, oldest first, and
/// whether it was withdrawn (marked on the record; on the layer it is a
/// version of its own, made here when no kept version is the withdrawal).
pub(crate) struct LegacyRecord<B> {
    pub id: String,
    pub origin: MemberCode,
    pub created_at_ms: i64,
    pub created_by: String,
    pub withdrawn: bool,
    pub versions: Vec<LegacyVersion<B>>,
}

/// Writes these records of kind `K` as records of the layer: the record
/// row (its newest version), every kept version, the audience rows of the
/// current version and the audience sets of every version, and what it
/// refers to. Counts are the caller's to rebuild. Returns how many records.
pub(crate) async fn move_onto_layer<K: Kind>(
    conn: &mut AnyConnection,
    node: &str,
    legacy: Vec<LegacyRecord<K::Body>>,
) -> Result<usize> {
    let n = legacy.len();
    // Mid-migration, before `seq_floor` exists (no replica was ever forgotten then).
    let (mut seq,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM record_versions")
            .fetch_one(&mut *conn)
            .await?;
    let mut records = Vec::with_capacity(n);
    let mut versions = Vec::new();
    let mut audience = Vec::new();
    let mut sets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut refs = Vec::new();
    let mut ids = Vec::with_capacity(n);
    for mut r in legacy {
        r.versions.sort_by_key(|v| v.version);
        let Some(last) = r.versions.last() else {
            return Err(StoreError::Corrupt(format!(
                "{} {} has no version to move",
                K::LABEL,
                r.id
            )));
        };
        // The withdrawal becomes a version of its own, as the layer keeps it.
        let withdrawal = (r.withdrawn && last.status == Status::Live).then(|| LegacyVersion {
            version: last.version + 1,
            status: Status::Withdrawn,
            body: last.body.clone(),
            marking: last.marking.clone(),
            author: last.author.clone(),
            at_ms: last.at_ms,
        });
        let mut current = None;
        for v in r.versions.iter().chain(withdrawal.iter()) {
            let status = v.status;
            let json = canonical_json(&v.body)?;
            let (key, tokens) = set_key(&v.marking, &r.origin);
            let row = VersionRow {
                id: &r.id,
                version: v.version,
                status,
                marking: &v.marking,
                audience_key: &key,
                body: &json,
                author: &v.author,
                at: v.at_ms,
                provenance: &Provenance::Local,
                origin_node: node,
                seq,
                signature: None,
            };
            versions.push(unsigned_version_args(
                &row,
                &format!("{}:{}", r.id, v.version),
            ));
            current = Some(record_args::<K>(
                &row,
                r.origin.as_str(),
                r.created_at_ms,
                &r.created_by,
            ));
            sets.insert(key, tokens);
            seq += 1;
        }
        records.extend(current);
        let newest = withdrawal.as_ref().unwrap_or(last);
        let (_, tokens) = set_key(&newest.marking, &r.origin);
        audience.extend(
            tokens
                .into_iter()
                .map(|t| vec![Arg::Text(r.id.clone()), Arg::Text(t)]),
        );
        refs.extend(ref_args(&r.id, &K::references(&newest.body)));
        ids.push(r.id);
    }
    for id in &ids {
        sqlx::query("DELETE FROM audience WHERE subject_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    insert_rows(conn, RECORD_INSERT, &records).await?;
    insert_rows(conn, UNSIGNED_VERSION_INSERT, &versions).await?;
    insert_rows(conn, "audience (subject_id, token)", &audience).await?;
    insert_rows(conn, REF_INSERT, &refs).await?;
    let set_rows: Vec<Vec<Arg>> = sets
        .into_iter()
        .flat_map(|(key, tokens)| {
            tokens
                .into_iter()
                .map(move |t| vec![Arg::Text(key.clone()), Arg::Text(t)])
        })
        .collect();
    insert_rows_then(
        conn,
        "audience_sets (set_key, token)",
        &set_rows,
        "ON CONFLICT (set_key, token) DO NOTHING",
    )
    .await?;
    Ok(n)
}

/// One kept version as an old versions table held it: its number, its
/// snapshot read as `S`, the marking it had, its author and time.
pub(crate) struct LegacyRow<S> {
    pub version: i64,
    pub snapshot: S,
    pub marking: Marking,
    pub author: String,
    pub at_ms: i64,
}

impl<S> LegacyRow<S> {
    /// This kept version as the layer keeps it: `to` makes its body from
    /// the snapshot and says whether the snapshot was the withdrawal.
    pub(crate) fn into_version<B>(self, to: impl FnOnce(S) -> (bool, B)) -> LegacyVersion<B> {
        let (withdrawn, body) = to(self.snapshot);
        LegacyVersion {
            version: self.version,
            status: if withdrawn {
                Status::Withdrawn
            } else {
                Status::Live
            },
            body,
            marking: self.marking,
            author: self.author,
            at_ms: self.at_ms,
        }
    }
}

/// A record's kept versions (oldest first) with its current row, at
/// `version`, as the newest: unless a kept version is that one already,
/// the row (which may have been written without its kept copy) replaces
/// any kept version numbered from it on.
pub(crate) fn with_current<B>(
    mut kept: Vec<LegacyVersion<B>>,
    version: i64,
    current: impl FnOnce() -> Result<LegacyVersion<B>>,
) -> Result<Vec<LegacyVersion<B>>> {
    if kept.last().map(|v| v.version) != Some(version) {
        kept.retain(|v| v.version < version);
        kept.push(current()?);
    }
    Ok(kept)
}

/// The rows of an old versions table (`id, <parent>, version, snapshot,
/// tlp, rel_to, updated_at, updated_by`, the shape every kind kept), by
/// record id, oldest first.
pub(crate) async fn legacy_versions<S: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    table: &str,
    parent: &str,
) -> Result<BTreeMap<String, Vec<LegacyRow<S>>>> {
    let rows: Vec<(String, i64, String, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT {parent}, version, snapshot, tlp, rel_to, updated_by, updated_at FROM {table} ORDER BY {parent}, version"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut out: BTreeMap<String, Vec<LegacyRow<S>>> = BTreeMap::new();
    for (id, version, snapshot, tlp, rel_to, author, at_ms) in rows {
        let snapshot = serde_json::from_str(&snapshot)
            .map_err(|e| StoreError::Corrupt(format!("{table} {id} version {version}: {e}")))?;
        out.entry(id).or_default().push(LegacyRow {
            version,
            snapshot,
            marking: crate::audience::marking_from_columns(&tlp, &rel_to)?,
            author,
            at_ms,
        });
    }
    Ok(out)
}

/// The id of this node (the origin node of what moves).
pub(crate) async fn node_id_in(conn: &mut AnyConnection) -> Result<String> {
    let (node,): (String,) = sqlx::query_as("SELECT value FROM settings WHERE key = 'node_id'")
        .fetch_one(&mut *conn)
        .await?;
    Ok(node)
}

/// Drops an old versions table and its rows' own audience rows: a kept
/// version is read through its audience set on the layer.
pub(crate) async fn drop_legacy_versions(
    conn: &mut AnyConnection,
    versions_table: &str,
) -> Result<()> {
    for sql in [
        format!("DELETE FROM audience WHERE subject_id IN (SELECT id FROM {versions_table})"),
        format!("DROP TABLE {versions_table}"),
    ] {
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Moves these records of kind `K` onto the layer ([`move_onto_layer`]),
/// then drops the old versions' audience rows and the legacy tables.
/// The kind's hooks run over its live records once every migration is in
/// (they write today's tables: `migrate::run`). Returns how many records.
pub(crate) async fn move_and_drop<K: Kind>(
    w: &mut crate::WriteTx<'_>,
    legacy: Vec<LegacyRecord<K::Body>>,
    versions_table: &str,
    table: &str,
) -> Result<usize> {
    let node = node_id_in(&mut w.tx).await?;
    let n = move_onto_layer::<K>(&mut w.tx, &node, legacy).await?;
    drop_legacy_versions(&mut w.tx, versions_table).await?;
    sqlx::query(&format!("DROP TABLE {table}"))
        .execute(&mut *w.tx)
        .await?;
    Ok(n)
}
