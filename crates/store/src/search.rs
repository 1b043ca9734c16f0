//! Full-text search over reports and entities, and its index: every hit
//! passes the one audience filter (`readable`) before it is shown, and the
//! ranking reads only the candidates' own highlights and cached word counts.
//! Split from `reports.rs`, whose writes keep the index (`index_doc`,
//! `unindex_doc`).

use crate::audience::{marking_from_columns, readable};
use crate::notes::MAX_PAGE;
use crate::reports::{entity_from_row, ENTITY_COLUMNS, MAX_CANDIDATES, MAX_KEY_FREQUENCY};
use crate::{Dialect, Principal, Result, Store};
use coalesce_domain::{Marking, Tlp};
use serde::Serialize;
use sqlx::Row;

/// A search hit's marking as it is now, read from its report or entity (a
/// record of the layer: the row itself, not the kind's view, which would
/// cost every search the views' preparation) in the search query itself.
/// The marking of a hit's record, and its body (what the snippet is cut
/// from), read from `records m` ([`MARKING_JOIN`]).
const MARKING: &str = "m.tlp AS tlp, m.rel_to AS rel_to, m.body AS body";
/// The columns of a hit read from `search_docs d` (besides its title).
const HIT_COLUMNS: &str =
    "d.subject_id, d.record, d.kind, d.origin, d.occurred_on, d.line_of_effort";
const MARKING_JOIN: &str = "JOIN records m ON m.id = d.subject_id AND m.status = 'live'";

/// Search ranks at most this many of the newest matches.
pub const SEARCH_WINDOW: i64 = 1_000;
/// From this many indexed documents on, a query word found in more than
/// one in [`COMMON_WORD_SHARE`] of them is left out when the query has a
/// rarer word (a stop word: "al", "report"). Below it every word counts.
pub const COMMON_WORDS_FROM: i64 = 10_000;
pub const COMMON_WORD_SHARE: i64 = 10;
/// How long a word's document count is trusted.
const WORD_COUNT_TTL: std::time::Duration = std::time::Duration::from_secs(600);
/// At most this many windows are searched for a page (20,000 matches).
const SEARCH_WINDOWS: usize = 20;
/// Candidates checked for releasability per query.
const SEARCH_BATCH: usize = 200;

/// The search filters over `search_docs d`, at `$3`..`$9` (see
/// [`bind_search_filters`]; '' = any).
const FILTERS: &str = "($3 = '' OR d.record = $3) AND ($4 = '' OR d.kind = $4) AND ($5 = '' OR d.origin = $5) \
     AND ($6 = '' OR d.line_of_effort = $6) AND ($7 = '' OR d.occurred_on >= $7) AND ($8 = '' OR d.occurred_on <= $8) \
     AND ($9 = '' OR d.tlp = $9)";

/// Search filters (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// `report` or `entity`.
    pub record: Option<String>,
    /// A report kind or an entity kind.
    pub kind: Option<String>,
    /// The origin member.
    pub member: Option<String>,
    pub line_of_effort: Option<String>,
    /// Reports that occurred from / until (YYYY-MM-DD).
    pub from: Option<String>,
    pub until: Option<String>,
    pub tlp: Option<Tlp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub id: String,
    /// `report` or `entity`.
    pub record: String,
    pub kind: String,
    pub title: String,
    pub origin: String,
    pub marking: Marking,
    pub occurred_on: Option<String>,
    pub line_of_effort: Option<String>,
    /// Where the hit's text holds the words searched for: pieces of text,
    /// each with whether it is one of those words.
    pub snippet: Vec<(String, bool)>,
    /// The title in the same pieces.
    pub title_parts: Vec<(String, bool)>,
}

/// The spellings a search looked for besides a query word: how names of
/// entities the reader may read spell it, when the screening matcher finds
/// such a name like the query (see [`NAME_MATCH`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Respelling {
    pub asked: String,
    pub also: Vec<String>,
}

/// Search results and the other spellings searched for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub respellings: Vec<Respelling>,
}

/// How close (the screening matcher's score, 0..1) the name of an entity
/// the reader may read must be to the whole query for its spellings of the
/// query's words to be searched for too; and how close one of its words
/// must be to a query word to stand for it.
pub const NAME_MATCH: f64 = 0.80;
const WORD_MATCH: f64 = 0.80;
/// About how long a hit's snippet is, in characters.
const SNIPPET_CHARS: usize = 180;
/// Query words shorter than this are never respelled ("al", "bin").
const RESPELL_MIN_CHARS: usize = 3;

/// The words of a search query as an FTS5 expression: every word must
/// occur (quoted, so no user input is FTS5 syntax); `None` if no word.
/// Binds `$3`..`$9` of the search queries: the filters ('' = any).
fn bind_search_filters<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    f: &SearchFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    q.bind(s(&f.record))
        .bind(s(&f.kind))
        .bind(s(&f.member))
        .bind(s(&f.line_of_effort))
        .bind(s(&f.from))
        .bind(s(&f.until))
        .bind(f.tlp.map(|t| t.as_str().to_string()).unwrap_or_default())
}

fn fts5_query(q: &str) -> Option<String> {
    let words = query_words(q);
    fts5_of(&words)
}

/// The words of a query, as the index splits them (at most 16), without
/// invisible characters (as the index keeps its documents).
fn query_words(q: &str) -> Vec<String> {
    coalesce_screen::normalize::fold_lookalikes(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(str::to_string)
        .collect()
}

/// The words worth matching: those in at most one in [`COMMON_WORD_SHARE`]
/// of `docs` documents, when there are such words and others (`None`: keep
/// every word — all rare, all common, or a small collection).
fn selective_words(words: &[String], counts: &[i64], docs: i64) -> Option<Vec<String>> {
    if docs < COMMON_WORDS_FROM {
        return None;
    }
    let keep: Vec<String> = words
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n * COMMON_WORD_SHARE <= docs)
        .map(|(w, _)| w.clone())
        .collect();
    (!keep.is_empty() && keep.len() < words.len()).then_some(keep)
}

/// Every word must occur (each quoted: never query syntax).
fn fts5_of(words: &[String]) -> Option<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    (!quoted.is_empty()).then(|| quoted.join(" AND "))
}

/// Every word must occur in one of its spellings: `("w" OR "v") AND "x"`.
fn fts5_of_spellings(groups: &[Vec<String>]) -> Option<String> {
    let parts: Vec<String> = groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let quoted: Vec<String> = g.iter().map(|w| format!("\"{w}\"")).collect();
            if quoted.len() == 1 {
                quoted[0].clone()
            } else {
                format!("({})", quoted.join(" OR "))
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// The same for PostgreSQL's `to_tsquery` (the words are letters and
/// digits only, quoted: never query syntax).
fn tsquery_of_spellings(groups: &[Vec<String>]) -> String {
    groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let quoted: Vec<String> = g
                .iter()
                .map(|w| format!("'{}'", w.to_lowercase()))
                .collect();
            format!("({})", quoted.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The text around the first place `text` holds one of `terms` (lower
/// case): from a few words before it, about `width` characters, cut at
/// word boundaries; as pieces, each with whether it is one of the terms.
/// The text's start when none occurs.
fn snippet(text: &str, terms: &[String], width: usize) -> Vec<(String, bool)> {
    let text: &str = &coalesce_screen::normalize::fold_lookalikes(text);
    // Each word's byte range, and whether it is a term.
    let mut words: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start = start.or(Some(i));
        } else if let Some(s) = start.take() {
            words.push((s, i, terms.contains(&text[s..i].to_lowercase())));
        }
    }
    let first = words.iter().position(|w| w.2).unwrap_or(0);
    let from = match first.saturating_sub(6) {
        0 => 0,
        n => words[n].0,
    };
    // The byte where `width` characters from `from` end, then back to the
    // end of the word before it.
    let cut = text[from..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| from + i);
    let to = if cut == text.len() {
        cut
    } else {
        words
            .iter()
            .map(|w| w.1)
            .rfind(|&e| e > from && e <= cut)
            .unwrap_or(cut)
    };
    let mut out: Vec<(String, bool)> = Vec::new();
    if from > 0 {
        out.push(("…".into(), false));
    }
    let mut at = from;
    for &(s, e, _) in words.iter().filter(|w| w.2 && w.0 >= from && w.1 <= to) {
        out.push((text[at..s].to_string(), false));
        out.push((text[s..e].to_string(), true));
        at = e;
    }
    out.push((text[at..to].to_string(), false));
    if to < text.len() {
        out.push(("…".into(), false));
    }
    out.retain(|(t, _)| !t.is_empty());
    out
}

/// The ranking columns of an FTS5 candidate: its title and body with each
/// matched token between [`HIT_OPEN`] and [`HIT_CLOSE`].
const HIGHLIGHTS: &str =
    "highlight(search_fts, 0, char(1), char(2)) AS t, highlight(search_fts, 1, char(1), char(2)) AS b";

/// The window's candidates come back as one text (rowid, title, body
/// joined by these), not a row each: sqlx hands every row from SQLite's
/// thread to ours, and a thousand such hand-overs cost more than the join.
const FIELD_SEP: char = '\u{3}';
const ROW_SEP: char = '\u{4}';

/// The candidates in a window query's one text: (rowid, title, body).
fn window_rows(packed: &str) -> Vec<(i64, &str, &str)> {
    packed
        .split(ROW_SEP)
        .filter_map(|row| {
            let mut f = row.splitn(3, FIELD_SEP);
            Some((f.next()?.parse().ok()?, f.next()?, f.next()?))
        })
        .collect()
}

/// Wraps a window query selecting `rid` and either `score` (FTS5's bm25)
/// or [`HIGHLIGHTS`] into one that returns its rows packed for
/// [`window_rows`] (a score comes back as the title field, body empty).
fn packed_window(sql: &str, native_bm25: bool) -> String {
    let fields = if native_bm25 {
        "CAST(w.score AS TEXT) || char(3)"
    } else {
        "w.t || char(3) || w.b"
    };
    format!(
        "SELECT group_concat(CAST(w.rid AS TEXT) || char(3) || {fields}, char(4)) FROM ({sql}) AS w"
    )
}

/// See [`Store::search_plan`].
struct SearchPlan {
    fts: String,
    /// Inverse document frequency of each query word (lowercase).
    idf: std::collections::HashMap<String, f64>,
    native_bm25: bool,
}

/// Above this many matches of its words, a query is ranked in Rust rather
/// than by FTS5's `bm25()` (measured at 1M reports: two words in ~62k
/// reports each rank faster natively, two in ~340k each four times slower).
pub(crate) const NATIVE_BM25_MAX_MATCHES: i64 = 150_000;

/// The markers FTS5's `highlight()` puts around each matched token.
const HIT_OPEN: char = '\u{1}';
const HIT_CLOSE: char = '\u{2}';

/// One ranking candidate read from FTS5 `highlight()`s of its title and
/// body: matched tokens (lowercased) with their weighted counts (a title
/// hit counts [`TITLE_WEIGHT`]), and its length in tokens.
#[derive(Debug, Default)]
struct Highlighted {
    hits: std::collections::HashMap<String, f64>,
    tokens: usize,
}

const TITLE_WEIGHT: f64 = 5.0;

impl Highlighted {
    fn parse(title: &str, body: &str) -> Self {
        let mut h = Highlighted::default();
        for (text, weight) in [(title, TITLE_WEIGHT), (body, 1.0)] {
            h.tokens += text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .count();
            for part in text.split(HIT_OPEN).skip(1) {
                if let Some((hit, _)) = part.split_once(HIT_CLOSE) {
                    *h.hits.entry(hit.to_lowercase()).or_default() += weight;
                }
            }
        }
        h
    }

    /// Okapi BM25 (k1 = 1.2, b = 0.75, as FTS5's `bm25()`), higher is
    /// better. `idf` gives a matched word's inverse document frequency
    /// (words not in it weigh 1).
    fn bm25(&self, idf: &dyn Fn(&str) -> f64, avg_tokens: f64) -> f64 {
        const K1: f64 = 1.2;
        const B: f64 = 0.75;
        let norm = K1 * (1.0 - B + B * self.tokens as f64 / avg_tokens.max(1.0));
        self.hits
            .iter()
            .map(|(word, tf)| idf(word) * tf * (K1 + 1.0) / (tf + norm))
            .sum()
    }
}

/// BM25's inverse document frequency of a word in `n` of `docs` documents.
fn idf(n: i64, docs: i64) -> f64 {
    let (n, docs) = (n as f64, docs.max(1) as f64);
    (((docs - n + 0.5) / (n + 0.5)).ln()).max(1e-6)
}

/// Indexes `d` as the search document of record `id` (replacing any it had,
/// unless it was `created` in this transaction and so had none), in the
/// writer's transaction.
pub(crate) async fn index_doc(
    w: &mut crate::WriteTx<'_>,
    id: &str,
    d: &SearchDoc<'_>,
    created: bool,
) -> Result<()> {
    if !created {
        unindex_doc(w, id).await?;
    }
    // Invisible characters would split a word in the index ("Yu\u{200b}suf"
    // is then neither "Yusuf" nor found by it), look-alike letters of
    // another script would make another word ("Hаmdani", Cyrillic а).
    let title = coalesce_screen::normalize::fold_lookalikes(d.title);
    let body = coalesce_screen::normalize::fold_lookalikes(d.body);
    let d = &SearchDoc {
        title: &title,
        body: &body,
        ..*d
    };
    match w.dialect {
        Dialect::Sqlite => {
            let (rowid,): (i64,) = sqlx::query_as(
                    "INSERT INTO search_docs (subject_id, record, kind, origin, line_of_effort, tlp, occurred_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING rowid",
                )
                .bind(id)
                .bind(d.record)
                .bind(d.kind)
                .bind(d.origin)
                .bind(d.line_of_effort)
                .bind(d.tlp)
                .bind(d.occurred_on)
                .bind(d.created_at)
                .fetch_one(&mut *w.tx)
                .await?;
            sqlx::query("INSERT INTO search_fts (rowid, title, body) VALUES ($1, $2, $3)")
                .bind(rowid)
                .bind(d.title)
                .bind(d.body)
                .execute(&mut *w.tx)
                .await?;
        }
        Dialect::Postgres => {
            sqlx::query(
                    "INSERT INTO search_docs (subject_id, record, kind, origin, line_of_effort, tlp, occurred_on, created_at, title, doc) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, setweight(to_tsvector('simple', $9), 'A') || to_tsvector('simple', $10))",
                )
                .bind(id)
                .bind(d.record)
                .bind(d.kind)
                .bind(d.origin)
                .bind(d.line_of_effort)
                .bind(d.tlp)
                .bind(d.occurred_on)
                .bind(d.created_at)
                .bind(d.title)
                .bind(d.body)
                .execute(&mut *w.tx)
                .await?;
        }
    }
    Ok(())
}

/// Removes record `id`'s search document.
pub(crate) async fn unindex_doc(w: &mut crate::WriteTx<'_>, id: &str) -> Result<()> {
    if w.dialect == Dialect::Sqlite {
        sqlx::query("DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_docs WHERE subject_id = $1)")
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
    }
    sqlx::query("DELETE FROM search_docs WHERE subject_id = $1")
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

impl Store {
    // ----- search -------------------------------------------------------

    /// How many search documents hold `word` (0 when the index has no such
    /// term: it folds case, and a word written with diacritics is not found
    /// and so kept). Remembered for [`WORD_COUNT_TTL`].
    async fn word_count(&self, word: &str) -> Result<i64> {
        let term = word.to_lowercase();
        {
            let cache = self.word_counts.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((n, at)) = cache.get(&term) {
                if at.elapsed() < WORD_COUNT_TTL {
                    return Ok(*n);
                }
            }
        }
        let row: Option<(i64,)> = sqlx::query_as("SELECT doc FROM search_vocab WHERE term = $1")
            .bind(&term)
            .fetch_optional(self.pool())
            .await?;
        let n = row.map_or(0, |r| r.0);
        let mut cache = self.word_counts.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= 100_000 {
            cache.clear();
        }
        cache.insert(term, (n, std::time::Instant::now()));
        Ok(n)
    }

    /// How a SQLite search runs: the FTS5 query without the words too
    /// common to be worth matching (see [`COMMON_WORDS_FROM`]), each query
    /// word's IDF, and whether FTS5's own `bm25()` is cheap enough — it
    /// counts every match of every matched word on each query, which costs
    /// less than reading the candidates' text only while those words are
    /// rare ([`NATIVE_BM25_MAX_MATCHES`]).
    async fn search_plan(&self, groups: &[Vec<String>], fts: String) -> Result<SearchPlan> {
        let words: Vec<String> = groups.iter().filter_map(|g| g.first().cloned()).collect();
        let (docs,): (Option<i64>,) = sqlx::query_as("SELECT MAX(rowid) FROM search_docs")
            .fetch_one(self.pool())
            .await?;
        let docs = docs.unwrap_or(0);
        let mut plan = SearchPlan {
            fts,
            idf: std::collections::HashMap::new(),
            native_bm25: true,
        };
        let mut counts = Vec::with_capacity(words.len());
        for w in &words {
            counts.push(self.word_count(w).await?);
        }
        let kept = selective_words(&words, &counts, docs);
        let kept_groups: Vec<Vec<String>> = groups
            .iter()
            .filter(|g| {
                kept.as_ref()
                    .is_none_or(|k| g.first().is_some_and(|w| k.contains(w)))
            })
            .cloned()
            .collect();
        if let Some(fts) = fts5_of_spellings(&kept_groups) {
            plan.fts = fts;
        }
        let mut matched: i64 = 0;
        for g in &kept_groups {
            for w in g {
                let n = self.word_count(w).await?;
                matched = matched.saturating_add(n);
                plan.idf.insert(w.to_lowercase(), idf(n, docs));
            }
        }
        plan.native_bm25 = matched
            <= self
                .native_bm25_max
                .load(std::sync::atomic::Ordering::Relaxed);
        for (w, n) in words.iter().zip(counts) {
            plan.idf.insert(w.to_lowercase(), idf(n, docs));
        }
        Ok(plan)
    }

    /// Other spellings of each query word (in `words`' order), from the
    /// names of entities the reader may read that the screening matcher
    /// finds like the whole query ([`NAME_MATCH`]): "Youssef al-Hamdany"
    /// also looks for "Yusuf" and "Hamdani" when a readable entity is named
    /// "Yusuf al-Hamdani". Candidates come by the name-part skeletons the
    /// entities are correlated by (an index lookup per key).
    async fn name_spellings(
        &self,
        p: &Principal,
        q: &str,
        words: &[String],
    ) -> Result<Vec<Vec<String>>> {
        let mut also: Vec<Vec<String>> = vec![Vec::new(); words.len()];
        let asked: Vec<String> = coalesce_screen::name_keys(q)
            .into_iter()
            .take(16)
            .map(|k| format!("n:{k}"))
            .collect();
        if asked.is_empty() {
            return Ok(also);
        }
        // How many entities share each key, in one query: a name part that
        // very many share ("mhmd") finds nothing the others would not, and
        // is left out, as in correlation. Key lists are padded to a few
        // lengths, as set queries are (see `in_chunks`).
        let asked_keys: Vec<&str> = asked.iter().map(String::as_str).collect();
        let padded = crate::in_chunks(&asked_keys).concat();
        let sql = format!(
            "SELECT key, COUNT(*) FROM entity_keys WHERE key IN ({}) GROUP BY key",
            crate::placeholders(1, padded.len())
        );
        let mut count_query = sqlx::query_as::<_, (String, i64)>(&sql);
        for k in &padded {
            count_query = count_query.bind(*k);
        }
        let counts: std::collections::HashMap<String, i64> = count_query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .collect();
        let keys: Vec<String> = asked
            .into_iter()
            .filter(|k| counts.get(k).is_some_and(|n| *n <= MAX_KEY_FREQUENCY))
            .collect();
        if keys.is_empty() {
            return Ok(also);
        }
        let kept_keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let kept_keys = crate::in_chunks(&kept_keys).concat();
        let list = crate::placeholders(3, kept_keys.len());
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, e.retain_until, e.purged_on FROM entities e JOIN ( \
               SELECT k.entity_id AS eid, COUNT(*) AS n FROM entity_keys k WHERE k.key IN ({list}) \
               GROUP BY k.entity_id) hits ON hits.eid = e.id \
             WHERE e.withdrawn = 0 AND $2 = $2 AND {} ORDER BY hits.n DESC, e.id DESC LIMIT {MAX_CANDIDATES}",
            readable("e.id", "$1")
        );
        let mut query = sqlx::query(&sql).bind(p.member.as_str()).bind(0_i64);
        for k in &kept_keys {
            query = query.bind(*k);
        }
        let rows = query.fetch_all(self.pool()).await?;
        for row in &rows {
            let e = entity_from_row(row)?;
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                if coalesce_screen::compare_names(q, name, None).score < NAME_MATCH {
                    continue;
                }
                for spelled in query_words(name) {
                    for (i, w) in words.iter().enumerate() {
                        if w.chars().count() < RESPELL_MIN_CHARS
                            || spelled.to_lowercase() == w.to_lowercase()
                            || also[i]
                                .iter()
                                .any(|a| a.to_lowercase() == spelled.to_lowercase())
                        {
                            continue;
                        }
                        if coalesce_screen::compare_names(w, &spelled, None).score >= WORD_MATCH {
                            also[i].push(spelled.clone());
                        }
                    }
                }
            }
        }
        Ok(also)
    }

    /// Full-text search over the reports and entities the viewer may read,
    /// best match first. Every word of `q` must occur.
    ///
    /// Ranking is over the newest [`SEARCH_WINDOW`] matches that
    /// pass the filters (all of them, for any query more specific than a
    /// word in most records): SQLite's FTS5 walks its index newest first and
    /// stops there, so a query matching most of a million records costs the same
    /// as one matching ten thousand. The releasability filter is then
    /// applied to the ranked candidates a batch at a time until the page is
    /// full, so its cost follows the page, not the number of matches. In a
    /// large collection, words found in more than a tenth of it are left out
    /// of the match when the query has rarer words, like stop words.
    ///
    /// A name spelled otherwise than in the records is found too: see
    /// [`Store::search_with_spellings`], which also says which spellings
    /// were searched for.
    pub async fn search(
        &self,
        p: &Principal,
        q: &str,
        f: &SearchFilter,
        limit: i64,
    ) -> Result<Vec<SearchHit>> {
        Ok(self.search_with_spellings(p, q, f, limit).await?.hits)
    }

    /// [`Store::search`], with the other spellings it looked for (see
    /// [`Store::name_spellings`]) and a snippet of each hit.
    pub async fn search_with_spellings(
        &self,
        p: &Principal,
        q: &str,
        f: &SearchFilter,
        limit: i64,
    ) -> Result<SearchResults> {
        let limit = limit.clamp(1, MAX_PAGE);
        let Some(fts) = fts5_query(q) else {
            return Ok(SearchResults::default());
        };
        let words = query_words(q);
        let also = self.name_spellings(p, q, &words).await?;
        let respelled = also.iter().any(|a| !a.is_empty());
        let groups: Vec<Vec<String>> = words
            .iter()
            .zip(&also)
            .map(|(w, a)| {
                std::iter::once(w.clone())
                    .chain(a.iter().cloned())
                    .collect()
            })
            .collect();
        let mut rows = match self.dialect() {
            Dialect::Sqlite => {
                let plan = self.search_plan(&groups, fts).await?;
                self.sqlite_search_rows(p, f, &plan, limit).await?
            }
            Dialect::Postgres => {
                // PostgreSQL parses the query itself unless other spellings
                // are searched for too.
                let (tsquery, pg_query) = if respelled {
                    ("to_tsquery", tsquery_of_spellings(&groups))
                } else {
                    (
                        "plainto_tsquery",
                        // As the documents were indexed: without invisible characters.
                        coalesce_screen::normalize::fold_lookalikes(q).into_owned(),
                    )
                };
                self.postgres_search_rows(p, f, tsquery, pg_query, limit)
                    .await?
            }
        };
        rows.truncate(limit as usize);
        let mut hits = Vec::with_capacity(rows.len());
        let mut bodies = std::collections::HashMap::with_capacity(rows.len());
        for r in &rows {
            bodies.insert(r.try_get("subject_id")?, r.try_get("body")?);
            hits.push(SearchHit {
                id: r.try_get("subject_id")?,
                record: r.try_get("record")?,
                kind: r.try_get("kind")?,
                title: r.try_get("title")?,
                origin: r.try_get("origin")?,
                marking: marking_from_columns(
                    &r.try_get::<String, _>("tlp")?,
                    &r.try_get::<String, _>("rel_to")?,
                )?,
                occurred_on: r.try_get("occurred_on")?,
                line_of_effort: r.try_get("line_of_effort")?,
                snippet: Vec::new(),
                title_parts: Vec::new(),
            });
        }
        Self::add_snippets(&mut hits, &bodies, &groups);
        self.audit_reads(
            p,
            "search.read",
            "search",
            hits.iter().map(|h| (&h.id, &h.marking)),
        )
        .await?;
        let respellings = words
            .into_iter()
            .zip(also)
            .filter(|(_, a)| !a.is_empty())
            .map(|(asked, also)| Respelling { asked, also })
            .collect();
        Ok(SearchResults { hits, respellings })
    }

    /// The rows of a SQLite search's page (the columns the hits are read
    /// from), best first.
    ///
    /// 1. Candidates: the newest matches passing the filters, with a score
    ///    (lower is better), packed into one text (see `packed_window`).
    ///    `$1 = $1` keeps the placeholders numbered as in the filters.
    ///    Ranked with FTS5's bm25() while the words are rare, else in Rust
    ///    from FTS5's highlights of each candidate and the IDF of the
    ///    cached word counts.
    /// 2. The readable ones, in that order, a batch at a time.
    ///
    /// Window after window (newest first) until the page is full: a reader
    /// who may read little still finds older matches behind many newer ones
    /// it may not read — up to [`SEARCH_WINDOWS`] windows.
    async fn sqlite_search_rows(
        &self,
        p: &Principal,
        f: &SearchFilter,
        plan: &SearchPlan,
        limit: i64,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let ranking = if plan.native_bm25 {
            format!("bm25(search_fts, {TITLE_WEIGHT:.1}, 1.0) AS score")
        } else {
            HIGHLIGHTS.to_string()
        };
        // Without filters the documents table is not needed to choose.
        let (docs_join, conditions) = if *f == SearchFilter::default() {
            (
                "",
                "$3 = $3 AND $4 = $4 AND $5 = $5 AND $6 = $6 AND $7 = $7 AND $8 = $8 AND $9 = $9",
            )
        } else {
            ("JOIN search_docs d ON d.rowid = search_fts.rowid", FILTERS)
        };
        let sql = packed_window(
            &format!(
                "SELECT search_fts.rowid AS rid, {ranking} FROM search_fts {docs_join} \
                 WHERE search_fts MATCH $2 AND $1 = $1 AND {conditions} AND search_fts.rowid < $10 \
                 ORDER BY search_fts.rowid DESC LIMIT {SEARCH_WINDOW}"
            ),
            plan.native_bm25,
        );
        let idf_lookup = |w: &str| plan.idf.get(w).copied().unwrap_or(1.0);
        let mut rows = Vec::new();
        let mut below = i64::MAX;
        // Candidates checked and found readable, over every window.
        let (mut checked, mut found_readable) = (0usize, 0usize);
        for _ in 0..SEARCH_WINDOWS {
            let fetched = bind_search_filters(
                sqlx::query(&sql)
                    .bind(p.member.to_string())
                    .bind(plan.fts.clone()),
                f,
            )
            .bind(below)
            .fetch_all(self.pool())
            .await?;
            let packed: Option<String> = match fetched.first() {
                Some(r) => r.try_get(0)?,
                None => None,
            };
            let window = window_rows(packed.as_deref().unwrap_or(""));
            // (rowid, score), lower is better.
            let mut candidates: Vec<(i64, f64)> = if plan.native_bm25 {
                window
                    .into_iter()
                    .filter_map(|(id, score, _)| Some((id, score.parse().ok()?)))
                    .collect()
            } else {
                let parsed: Vec<(i64, Highlighted)> = window
                    .into_iter()
                    .map(|(id, t, b)| (id, Highlighted::parse(t, b)))
                    .collect();
                let avg = parsed.iter().map(|(_, h)| h.tokens).sum::<usize>() as f64
                    / parsed.len().max(1) as f64;
                parsed
                    .iter()
                    .map(|(id, h)| (*id, -h.bm25(&idf_lookup, avg)))
                    .collect()
            };
            let window_full = candidates.len() as i64 == SEARCH_WINDOW;
            below = candidates.iter().map(|c| c.0).min().unwrap_or(below);
            // Best first; ties newest first.
            candidates.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            // The first batch is SEARCH_BATCH, the next as many as the
            // share found readable so far says are still needed (with a
            // margin), so that a page short of a few hits does not check
            // 200 more.
            let mut at = 0;
            while at < candidates.len() {
                let need = (limit as usize).saturating_sub(rows.len());
                let size = if checked == 0 {
                    SEARCH_BATCH
                } else {
                    let share = found_readable.max(1) as f64 / checked as f64;
                    ((need as f64 / share) * 1.5).ceil() as usize
                }
                // Never under 50: the statement is padded to 50 anyway.
                .clamp(50, SEARCH_BATCH);
                let batch = &candidates[at..(at + size).min(candidates.len())];
                at += batch.len();
                // Bound and padded to a few lengths, so that the statement
                // is prepared once per connection, not once per search.
                let rowids: Vec<i64> = batch.iter().map(|c| c.0).collect();
                let rowids = crate::in_chunks(&rowids).concat();
                let sql = format!(
                    "SELECT d.rowid AS rid, {HIT_COLUMNS}, search_fts.title AS title, {MARKING} \
                     FROM search_docs d JOIN search_fts ON search_fts.rowid = d.rowid {MARKING_JOIN} WHERE d.rowid IN ({}) AND {}",
                    crate::placeholders(2, rowids.len()),
                    readable("d.subject_id", "$1")
                );
                let mut query = sqlx::query(&sql).bind(p.member.as_str());
                for rowid in rowids {
                    query = query.bind(rowid);
                }
                let mut found = query.fetch_all(self.pool()).await?;
                checked += batch.len();
                found_readable += found.len();
                let rank: std::collections::HashMap<i64, usize> =
                    batch.iter().enumerate().map(|(i, c)| (c.0, i)).collect();
                found.sort_by_key(|r| {
                    r.try_get::<i64, _>("rid")
                        .ok()
                        .and_then(|id| rank.get(&id).copied())
                        .unwrap_or(usize::MAX)
                });
                rows.extend(found);
                if rows.len() as i64 >= limit {
                    break;
                }
            }
            if rows.len() as i64 >= limit || !window_full {
                break;
            }
        }
        Ok(rows)
    }

    /// The rows of a PostgreSQL search's page, best first: the same
    /// windows and order as on SQLite ([`Store::sqlite_search_rows`]), each
    /// window in one statement. Its newest matches are ranked
    /// with `ts_rank` (after the window is cut: ranking every match would
    /// cost more than finding them), sorted, and then joined to the
    /// releasability filter row by row in that order under a LIMIT of the
    /// hits still needed — so PostgreSQL checks only as many candidates as
    /// the page takes (a nested loop over the sorted window, which stops
    /// at the LIMIT), in the round trip that finds them. Each row also
    /// carries how many matches its window held and its oldest, where the
    /// next window starts; a window with no readable match says so in a
    /// second statement (not in the same snapshot: a match withdrawn or
    /// indexed between the two can end that search a window early or
    /// look at part of a window twice — never show what the reader may
    /// not read).
    ///
    /// An unnamed statement, planned for these words each time: a cached
    /// generic plan cannot know whether they are rare (collect every match,
    /// keep the newest) or common (walk the newest documents until the
    /// window is full), and a wrong guess costs several times the planning.
    async fn postgres_search_rows(
        &self,
        p: &Principal,
        f: &SearchFilter,
        tsquery: &str,
        query: String,
        limit: i64,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let window = format!(
            "SELECT d.rowid, d.doc FROM search_docs d \
             WHERE d.doc @@ {tsquery}('simple', $2) AND {FILTERS} AND d.rowid < $10 \
             ORDER BY d.rowid DESC LIMIT {SEARCH_WINDOW}"
        );
        let page = format!(
            "SELECT c.rowid AS rid, c.matches, c.oldest, {HIT_COLUMNS}, d.title AS title, {MARKING} FROM ( \
               SELECT w.rowid, CAST(-ts_rank(w.doc, {tsquery}('simple', $2)) AS FLOAT8) AS score, \
                 COUNT(*) OVER () AS matches, MIN(w.rowid) OVER () AS oldest \
               FROM ({window}) AS w ORDER BY score, w.rowid DESC) AS c \
             JOIN search_docs d ON d.rowid = c.rowid {MARKING_JOIN} \
             WHERE {} ORDER BY c.score, c.rowid DESC LIMIT $11",
            readable("d.subject_id", "$1")
        );
        let extent = format!(
            "SELECT COUNT(*), MIN(w.rowid) FROM ({window}) AS w WHERE $1 = $1 AND $11 = $11"
        );
        let bound = |sql, below: i64, need: i64| {
            bind_search_filters(
                sqlx::query(sql)
                    .persistent(false)
                    .bind(p.member.to_string())
                    .bind(query.clone()),
                f,
            )
            .bind(below)
            .bind(need)
        };
        let mut rows: Vec<sqlx::any::AnyRow> = Vec::new();
        let mut below = i64::MAX;
        for _ in 0..SEARCH_WINDOWS {
            let need = limit - rows.len() as i64;
            let found = bound(&page, below, need).fetch_all(self.pool()).await?;
            let (matches, oldest): (i64, Option<i64>) = match found.first() {
                Some(r) => (r.try_get("matches")?, r.try_get("oldest")?),
                None => {
                    let row = bound(&extent, below, need).fetch_one(self.pool()).await?;
                    (row.try_get(0)?, row.try_get(1)?)
                }
            };
            rows.extend(found);
            match oldest {
                Some(oldest) if matches == SEARCH_WINDOW && (rows.len() as i64) < limit => {
                    below = oldest;
                }
                _ => break,
            }
        }
        Ok(rows)
    }

    /// Each hit's snippet, from its record's body as the hits were read
    /// (`bodies`, by id): a report's text, an entity's other names. The
    /// hits are the reader's already.
    fn add_snippets(
        hits: &mut [SearchHit],
        bodies: &std::collections::HashMap<String, String>,
        groups: &[Vec<String>],
    ) {
        let terms: Vec<String> = groups.iter().flatten().map(|w| w.to_lowercase()).collect();
        for h in hits.iter_mut() {
            h.title_parts = snippet(&h.title, &terms, usize::MAX);
            let Some(body) = bodies.get(&h.id) else {
                continue;
            };
            let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let text = match v.get("body").and_then(|b| b.as_str()) {
                Some(t) => t.to_string(),
                None => v
                    .get("aliases")
                    .and_then(|a| a.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .unwrap_or_default(),
            };
            h.snippet = snippet(&text, &terms, SNIPPET_CHARS);
        }
    }
}

/// A search a user saved: its name and the search page's query string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedSearch {
    pub id: String,
    pub name: String,
    pub query: String,
    pub created_at_ms: i64,
}

fn saved_invalid(field: &'static str, reason: String) -> crate::StoreError {
    crate::StoreError::Invalid(coalesce_domain::DomainError::InvalidField { field, reason })
}

/// How many searches one user may keep.
pub const MAX_SAVED_SEARCHES: i64 = 50;
const MAX_SAVED_NAME: usize = 100;
const MAX_SAVED_QUERY: usize = 2_000;

impl Store {
    /// Saves a search under a name for the user (a name already used is
    /// replaced). Refused when the name is empty or too long, the query
    /// too long, or the user keeps [`MAX_SAVED_SEARCHES`] already.
    pub async fn save_search(&self, p: &Principal, name: &str, query: &str) -> Result<SavedSearch> {
        let name = name.trim();
        let query = query.trim().trim_start_matches('?');
        if name.is_empty() || name.chars().count() > MAX_SAVED_NAME {
            return Err(saved_invalid(
                "name",
                format!("give the search a name of 1 to {MAX_SAVED_NAME} characters"),
            ));
        }
        if query.is_empty() || query.len() > MAX_SAVED_QUERY {
            return Err(saved_invalid(
                "query",
                format!("a search of 1 to {MAX_SAVED_QUERY} characters"),
            ));
        }
        let mut w = self.begin_write().await?;
        let user = p.username.as_str();
        sqlx::query("DELETE FROM saved_searches WHERE username = $1 AND name = $2")
            .bind(user)
            .bind(name)
            .execute(&mut *w.tx)
            .await?;
        let (kept,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM saved_searches WHERE username = $1")
                .bind(user)
                .fetch_one(&mut *w.tx)
                .await?;
        if kept >= MAX_SAVED_SEARCHES {
            return Err(saved_invalid(
                "name",
                format!("{MAX_SAVED_SEARCHES} saved searches at most; delete one first"),
            ));
        }
        let saved = SavedSearch {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.to_string(),
            query: query.to_string(),
            created_at_ms: crate::now_ms(),
        };
        sqlx::query(
            "INSERT INTO saved_searches (id, username, name, query, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&saved.id)
        .bind(user)
        .bind(&saved.name)
        .bind(&saved.query)
        .bind(saved.created_at_ms)
        .execute(&mut *w.tx)
        .await?;
        crate::audit::append(
            &mut w.tx,
            Some(p),
            "search.save",
            &saved.id,
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await?;
        Ok(saved)
    }

    /// The user's saved searches, newest first.
    pub async fn saved_searches(&self, p: &Principal) -> Result<Vec<SavedSearch>> {
        let rows = sqlx::query(
            "SELECT id, name, query, created_at FROM saved_searches WHERE username = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(p.username.as_str())
        .bind(MAX_SAVED_SEARCHES)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SavedSearch {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    query: r.try_get("query")?,
                    created_at_ms: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Deletes one of the user's saved searches (`NotFound` for another's).
    pub async fn delete_saved_search(&self, p: &Principal, id: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        let gone = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND username = $2")
            .bind(id)
            .bind(p.username.as_str())
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return Err(crate::StoreError::NotFound);
        }
        crate::audit::append(
            &mut w.tx,
            Some(p),
            "search.unsave",
            id,
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await
    }
}

/// What the search index keeps of a record.
#[derive(Clone, Copy)]
pub(crate) struct SearchDoc<'a> {
    pub(crate) record: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) origin: &'a str,
    pub(crate) line_of_effort: Option<&'a str>,
    pub(crate) tlp: &'a str,
    pub(crate) occurred_on: Option<&'a str>,
    pub(crate) created_at: i64,
    pub(crate) title: &'a str,
    pub(crate) body: &'a str,
}

#[cfg(test)]
mod tests {
    use super::{
        fts5_of, fts5_of_spellings, fts5_query, idf, query_words, selective_words, snippet,
        tsquery_of_spellings, window_rows, Highlighted,
    };

    #[test]
    fn other_spellings_are_alternatives_of_their_word() {
        let groups = vec![
            vec!["Youssef".to_string(), "Yusuf".to_string()],
            vec!["al".to_string()],
        ];
        assert_eq!(
            fts5_of_spellings(&groups).as_deref(),
            Some("(\"Youssef\" OR \"Yusuf\") AND \"al\"")
        );
        assert_eq!(
            tsquery_of_spellings(&groups),
            "('youssef' | 'yusuf') & ('al')"
        );
        assert_eq!(fts5_of_spellings(&[]), None);
    }

    #[test]
    fn a_snippet_shows_the_words_found_in_their_sentence() {
        let terms = vec!["yusuf".to_string(), "hamdani".to_string()];
        let text = "Met in Mosul in March. Later the convoy organiser Yusuf al-Hamdani was seen \
                    near the border crossing with two trucks of crude oil bound for the refinery.";
        let s = snippet(text, &terms, 60);
        let marked: Vec<&str> = s.iter().filter(|p| p.1).map(|p| p.0.as_str()).collect();
        assert_eq!(marked, ["Yusuf", "Hamdani"]);
        let whole: String = s.iter().map(|p| p.0.as_str()).collect();
        assert!(whole.starts_with('…') && whole.ends_with('…'), "{whole}");
        assert!(whole.contains("organiser Yusuf al-Hamdani was"), "{whole}");
        assert!(whole.chars().count() <= 64, "{whole}");
        // Nothing found: the start of the text.
        let s = snippet("Short text", &terms, 60);
        assert_eq!(s, vec![("Short text".to_string(), false)]);
        assert!(snippet("", &terms, 60).is_empty());
        // Arabic, and letters of another script that look alike, are found.
        let s = snippet("التقى يوسف في الموصل", &["يوسف".to_string()], 60);
        assert!(s.iter().any(|p| p.1 && p.0 == "يوسف"), "{s:?}");
    }

    #[test]
    fn packed_windows_unpack_and_skip_what_is_malformed() {
        assert_eq!(
            window_rows("12\u{3}a\u{3}b\u{4}7\u{3}\u{3}x\u{4}junk\u{4}8\u{3}only"),
            vec![(12, "a", "b"), (7, "", "x")]
        );
        assert!(window_rows("").is_empty());
    }

    #[test]
    fn highlights_give_weighted_hits_and_rank_like_bm25() {
        let h = Highlighted::parse(
            "\u{1}Tanker\u{2} seized",
            "a \u{1}tanker\u{2} and another \u{1}TANKER\u{2} near Mosul",
        );
        assert_eq!(
            h.hits.get("tanker"),
            Some(&7.0),
            "5 for the title, 1 per body hit"
        );
        assert_eq!(h.tokens, 9);
        let one = |_: &str| 1.0;
        let body_only = Highlighted::parse("Convoy seen", "one \u{1}tanker\u{2} seen");
        assert!(h.bm25(&one, 5.0) > body_only.bm25(&one, 5.0));
        // The same hits in a longer document weigh less.
        let long = Highlighted::parse("", &format!("\u{1}tanker\u{2} {}", "word ".repeat(50)));
        let short = Highlighted::parse("", "\u{1}tanker\u{2} word");
        assert!(short.bm25(&one, 10.0) > long.bm25(&one, 10.0));
        // A rarer word counts more.
        let idf_of = |w: &str| {
            if w == "mosul" {
                idf(10, 1000)
            } else {
                idf(400, 1000)
            }
        };
        let rare = Highlighted::parse("", "\u{1}mosul\u{2} oil");
        let common = Highlighted::parse("", "mosul \u{1}oil\u{2}");
        assert!(rare.bm25(&idf_of, 2.0) > common.bm25(&idf_of, 2.0));
        assert!(idf(999, 1000) > 0.0, "never zero or negative");
    }

    #[test]
    fn common_words_are_left_out_only_beside_rarer_ones_in_a_large_collection() {
        let words: Vec<String> = ["Omar", "al", "Shishani"].map(String::from).to_vec();
        let big = 1_000_000;
        assert_eq!(
            selective_words(&words, &[62_000, 1_000_000, 62_000], big),
            Some(vec!["Omar".to_string(), "Shishani".to_string()])
        );
        // All common, or all rare: every word counts.
        assert_eq!(
            selective_words(&words, &[900_000, 1_000_000, 500_000], big),
            None
        );
        assert_eq!(selective_words(&words, &[10, 20, 30], big), None);
        // A small collection: every word counts.
        assert_eq!(selective_words(&words, &[10, 9_000, 10], 9_000), None);
        assert_eq!(
            fts5_of(&words).as_deref(),
            Some("\"Omar\" AND \"al\" AND \"Shishani\"")
        );
        assert_eq!(
            query_words("  al-Tunisi \"x\" OR y*"),
            ["al", "Tunisi", "x", "OR", "y"]
        );
    }

    #[test]
    fn search_words_never_become_fts5_syntax() {
        assert_eq!(
            fts5_query("al-Testari \"OR\" NEAR("),
            Some("\"al\" AND \"Testari\" AND \"OR\" AND \"NEAR\"".into())
        );
        assert_eq!(
            fts5_query("محمد يوسف"),
            Some("\"محمد\" AND \"يوسف\"".into())
        );
        assert_eq!(fts5_query("  *** "), None);
    }
}
