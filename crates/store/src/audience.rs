//! THE releasability filter, as SQL. Every query that reads a marked record
//! (any record type, any version) puts [`readable`] in its WHERE clause, so
//! the database never hands a row outside the viewer's audience to the rest
//! of the program. The rule is the one of `coalesce_domain::Marking::readable_by`:
//! the viewer's member is in the audience directly, through `COALITION`, or
//! through a group it belongs to *now* (groups are expanded at read time).

use coalesce_domain::{AudienceToken, DomainError, Marking, MemberCode};
use sqlx::AnyConnection;

/// SQL condition: the record whose id is in column `subject_col` is readable
/// by the member bound to placeholder `member_param` (e.g. `$1`).
pub fn readable(subject_col: &str, member_param: &str) -> String {
    rule(
        "audience aud WHERE aud.subject_id",
        subject_col,
        &format!("= {member_param}"),
    )
}

/// [`readable`] for a page read in key order under a LIMIT (`ORDER BY
/// r.id DESC LIMIT n`): the same rule, checked row by row as the page is
/// walked. PostgreSQL otherwise turns the EXISTS into a merge semi-join
/// that walks the whole audience index from the top, through every newer
/// subject of other kinds (with a million contributions written after a
/// million reports, each page of reports took 1.4 s instead of 4 ms). The
/// OFFSET keeps the subquery a subquery (PostgreSQL does not pull up an
/// EXISTS with one; SQLite reads it row by row anyway). The cost is a
/// probe per row walked: a page costs its size over the share of rows the
/// reader may read.
pub fn readable_row_by_row(subject_col: &str, member_param: &str) -> String {
    rule_ending(
        "audience aud WHERE aud.subject_id",
        subject_col,
        &format!("= {member_param}"),
        " LIMIT 1 OFFSET 0",
    )
}

/// The same rule for a reader that stands for several members at once (a
/// peer node, served as every member it hosts): `members_in` is the SQL
/// that follows a column to test membership, e.g. `IN (SELECT …)`.
pub(crate) fn readable_by_any(subject_col: &str, members_in: &str) -> String {
    rule("audience aud WHERE aud.subject_id", subject_col, members_in)
}

/// [`readable_set`] for several members at once (see [`readable_by_any`]).
pub(crate) fn readable_set_by_any(key_col: &str, members_in: &str) -> String {
    rule("audience_sets aud WHERE aud.set_key", key_col, members_in)
}

/// The same rule over an audience *set* (`audience_sets`, keyed by the
/// sorted tokens): what the counts per audience set are summed with.
pub(crate) fn readable_set(key_col: &str, member_param: &str) -> String {
    rule(
        "audience_sets aud WHERE aud.set_key",
        key_col,
        &format!("= {member_param}"),
    )
}

/// The members who may read a subject whose audience is given as its
/// tokens, a JSON array bound at `tokens_param` (a set written in the same
/// statement, which `audience_sets` does not show yet): the rule of
/// [`rule`] as a set query (a member named, every member for COALITION,
/// the members of a group named), which costs one pass over the members
/// and groups rather than a lookup per member and token.
pub(crate) fn readers_of_tokens(postgres: bool, tokens_param: &str) -> String {
    let tokens = crate::bulk::json_texts(postgres, tokens_param);
    format!(
        "SELECT m.code FROM members m WHERE m.code IN ({tokens}) OR 'COALITION' IN ({tokens}) \
         UNION SELECT gm.member_code FROM group_members gm WHERE 'GROUP:' || gm.group_slug IN ({tokens})"
    )
}

/// The rule itself, once: some token of the subject's audience is the
/// member (a column `member_is` holds), COALITION, or a group the member
/// belongs to now.
fn rule(rows_where_key: &str, key_col: &str, member_is: &str) -> String {
    rule_ending(rows_where_key, key_col, member_is, "")
}

/// [`rule`] with `tail` at the end of its subquery.
fn rule_ending(rows_where_key: &str, key_col: &str, member_is: &str, tail: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM {rows_where_key} = {key_col} AND (\
         aud.token {member_is} OR aud.token = 'COALITION' OR aud.token IN \
         (SELECT 'GROUP:' || gm.group_slug FROM group_members gm WHERE gm.member_code {member_is})){tail})"
    )
}

/// The key of a record's audience set: its tokens (REL TO plus origin) as
/// strings, sorted bytewise, joined by ','.
pub(crate) fn set_key(marking: &Marking, origin: &MemberCode) -> (String, Vec<String>) {
    let mut tokens: Vec<String> = marking
        .audience(origin)
        .iter()
        .map(AudienceToken::as_string)
        .collect();
    tokens.sort();
    (tokens.join(","), tokens)
}

/// How many rows of `from_where` (e.g. `notes n WHERE n.revoked = 0`) whose
/// record id is in `subject_col` the viewer `p` may read.
pub(crate) async fn count_readable(
    pool: &sqlx::AnyPool,
    p: &crate::Principal,
    from_where: &str,
    subject_col: &str,
) -> crate::Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM {from_where} AND {}",
        readable(subject_col, "$1")
    );
    let (n,): (i64,) = sqlx::query_as(&sql)
        .bind(p.member.as_str())
        .fetch_one(pool)
        .await?;
    Ok(n)
}

/// Refuses a marking whose REL TO names a member or group the registry does
/// not hold: a typo sends data nowhere, and a token for a group created later
/// would hand the record to whoever is put in it then.
pub(crate) async fn check_tokens(
    conn: &mut AnyConnection,
    marking: &Marking,
    origin: &MemberCode,
) -> crate::Result<()> {
    check_all_tokens(conn, [marking], origin).await
}

/// As [`check_tokens`], for every marking of a batch at once: one query
/// for all the members and groups they name.
pub(crate) async fn check_all_tokens<'m>(
    conn: &mut AnyConnection,
    markings: impl IntoIterator<Item = &'m Marking>,
    origin: &MemberCode,
) -> crate::Result<()> {
    let mut members = std::collections::BTreeSet::new();
    let mut groups = std::collections::BTreeSet::new();
    for marking in markings {
        for t in &marking.rel_to {
            match t {
                AudienceToken::Coalition => {}
                AudienceToken::Member(m) if m == origin => {}
                AudienceToken::Member(m) => {
                    members.insert(m.to_string());
                }
                AudienceToken::Group(g) => {
                    groups.insert(g.to_string());
                }
            }
        }
    }
    if members.is_empty() && groups.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT 'm', code FROM members WHERE code IN ({}) UNION ALL SELECT 'g', slug FROM coalition_groups WHERE slug IN ({})",
        if members.is_empty() { "NULL".into() } else { crate::placeholders(1, members.len()) },
        if groups.is_empty() { "NULL".into() } else { crate::placeholders(members.len() + 1, groups.len()) },
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for v in members.iter().chain(&groups) {
        q = q.bind(v);
    }
    let known = q.fetch_all(&mut *conn).await?;
    let is_known = |kind: &str, v: &str| known.iter().any(|(k, x)| k == kind && x == v);
    if let Some(m) = members.iter().find(|m| !is_known("m", m)) {
        return Err(DomainError::UnknownAudienceToken(m.clone()).into());
    }
    if let Some(g) = groups.iter().find(|g| !is_known("g", g)) {
        return Err(DomainError::UnknownAudienceToken(format!("GROUP:{g}")).into());
    }
    Ok(())
}

/// Serialises a REL TO list for its column (JSON array of token strings).
pub(crate) fn rel_to_json(marking: &Marking) -> String {
    let tokens: Vec<String> = marking
        .rel_to
        .iter()
        .map(AudienceToken::as_string)
        .collect();
    serde_json::to_string(&tokens).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn marking_from_columns(tlp: &str, rel_to: &str) -> Result<Marking, crate::StoreError> {
    let tokens: Vec<String> = serde_json::from_str(rel_to)
        .map_err(|e| crate::StoreError::Corrupt(format!("rel_to column: {e}")))?;
    Marking::parse(tlp, &tokens)
        .map_err(|e| crate::StoreError::Corrupt(format!("marking column: {e}")))
}
