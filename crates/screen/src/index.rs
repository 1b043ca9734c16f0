//! The screening index: candidate retrieval by consonant-skeleton keys (and
//! their one-deletion neighbourhood, for typos), then full scoring of the few
//! retrieved names with evidence from dates of birth, nationality, gender and
//! identifiers. No query ever scans all names.

use crate::model::{
    normalize_id, BirthDate, Entity, Gender, IdKind, ListVersion, NameStrength, SanctionsList,
    Schema,
};
use crate::normalize::{
    country_key, guess_and_tokenize, same_for_kind, tokenize, tokenize_as, Token, TokenKind,
};
use crate::score::{score_tokens_memo, NameScore, PartMemo};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: small fast hasher for short keys (no DoS concern: keys come from the lists).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);
impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(v))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FxSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

/// Names retrieved per query name before full scoring.
const CANDIDATES_PER_NAME: usize = 16;
/// Keys this frequent are skipped when the query has rarer keys.
const MAX_DF: usize = 1200;
/// Below this many exact postings a query part also looks up its typo neighbourhood.
const RARE_DF: usize = 8;
/// A weak alias alone never reaches the match threshold: its name score is
/// capped this far below it (evidence may still lift it).
const WEAK_MARGIN: f64 = 0.01;

/// Whether two tokenised names have the same parts, in any order (after
/// normalisation): a full match.
fn same_parts(a: &[Token], b: &[Token]) -> bool {
    fn parts(t: &[Token]) -> Vec<&str> {
        let mut v: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        v.sort_unstable();
        v
    }
    !a.is_empty() && parts(a) == parts(b)
}

thread_local! {
    /// The part comparisons of the query being screened, kept between
    /// queries so that the table is not allocated for each.
    static PART_MEMO: std::cell::RefCell<PartMemo> = std::cell::RefCell::new(PartMemo::default());
}

/// A name of a listed entry, tokenised.
#[derive(Debug, Clone)]
struct IndexedName {
    entity: u32,
    name: u16,
    /// The entity's kind and whether the name is a weak alias, kept here
    /// so that scoring a candidate reads no entity (one cache miss fewer
    /// for each of the candidates of every query).
    schema: Schema,
    weak: bool,
    tokens: Vec<Token>,
    /// Each token's part id: equal for parts alike in everything a part's
    /// similarity reads ([`PartIds`]), so that one query's comparisons
    /// with a part are made once however many candidates hold it.
    part_ids: Vec<u32>,
}

/// Ids of the distinct parts of the indexed names ([`Token::same_part`]),
/// from 1, by spelling first.
#[derive(Default)]
struct PartIds {
    by_text: FxMap<String, Vec<(Token, u32)>>,
    count: u32,
}

impl PartIds {
    fn of(&mut self, tokens: &[Token]) -> Vec<u32> {
        tokens
            .iter()
            .map(|t| {
                if let Some(alike) = self.by_text.get(&t.text) {
                    if let Some((_, id)) = alike.iter().find(|(p, _)| p.same_part(t)) {
                        return *id;
                    }
                }
                self.count = self.count.saturating_add(1);
                let alike = self.by_text.entry(t.text.clone()).or_default();
                alike.push((t.clone(), self.count));
                self.count
            })
            .collect()
    }
}

/// What a query knows about the party being screened.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub schema: Option<Schema>,
    pub names: Vec<String>,
    pub birth_dates: Vec<BirthDate>,
    pub nationalities: Vec<String>,
    /// Identifier kind (`None`: any kind) and value.
    pub identifiers: Vec<(Option<IdKind>, String)>,
    pub gender: Option<Gender>,
}

/// One piece of non-name evidence and what it did to the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `birth_date`, `nationality`, `gender`, `identifier`, `weak_alias`.
    pub kind: String,
    /// Added to the score (negative: lowered it).
    pub effect: f64,
    pub detail: String,
}

/// A listed entry scored against a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Index into [`Screener::entities`].
    pub entity: usize,
    pub score: f64,
    pub is_match: bool,
    /// The threshold `is_match` was decided at.
    pub threshold: f64,
    pub query_name: String,
    pub matched_name: String,
    pub strength: NameStrength,
    pub name_score: f64,
    pub name_detail: NameScore,
    pub evidence: Vec<Evidence>,
    /// Every part of a weak alias matched (in any order): a hit in its own
    /// tier, "weak alias — review" (the list calls such an alias too broad
    /// to identify anyone alone, and expects a full match on it reviewed).
    pub weak_alias_review: bool,
    /// The other listings of the same party (indices into
    /// [`Screener::entities`]): the UN and OFAC list one person or body
    /// each, and a hit shows the party once, with all its listings.
    pub also_listed: Vec<usize>,
}

impl Hit {
    /// Sentences a compliance officer can read.
    pub fn explanation(&self, e: &Entity) -> Vec<String> {
        let strength = match self.strength {
            NameStrength::Strong
                if e.names
                    .first()
                    .is_some_and(|n| n.value == self.matched_name) =>
            {
                "primary name"
            }
            NameStrength::Strong => "strong alias",
            NameStrength::Weak => "weak alias (low quality; not sufficient on its own)",
            NameStrength::OriginalScript => "name in original script",
        };
        let mut v = vec![format!(
            "name '{}' matched {} '{}' of {} {} ({}): name score {:.2}",
            self.query_name,
            strength,
            self.matched_name,
            e.list.to_uppercase(),
            e.reference,
            e.caption(),
            self.name_score
        )];
        v.push(format!("parts: {}", self.name_detail.describe()));
        for ev in &self.evidence {
            v.push(format!("{} {:+.2}: {}", ev.kind, ev.effect, ev.detail));
        }
        if self.weak_alias_review {
            v.push(format!(
                "weak alias — review: final score {:.2}, raised for review because every part of the weak alias matched",
                self.score
            ));
        } else {
            v.push(format!(
                "final score {:.2} {} threshold {:.2}",
                self.score,
                if self.is_match { ">=" } else { "<" },
                self.threshold
            ));
        }
        v
    }
    /// The explanation on one line (CSV output).
    pub fn explanation_line(&self, e: &Entity) -> String {
        self.explanation(e).join(" | ")
    }
}

/// Loaded lists plus the index over all their names.
#[derive(Debug, Clone)]
pub struct Screener {
    versions: Vec<ListVersion>,
    entities: Vec<Entity>,
    names: Vec<IndexedName>,
    exact: FxMap<String, Vec<u32>>,
    deletions: FxMap<String, Vec<u32>>,
    /// Names by the concepts of their words ([`crate::translations`]), so
    /// that a name is found by its translation.
    concepts: FxMap<u16, Vec<u32>>,
    /// Each entry's party: the least entry index of the listings of one
    /// party on different lists ([`parties`]).
    party: Vec<u32>,
    /// The listings of each party listed more than once.
    listings: FxMap<u32, Vec<u32>>,
    /// `list:reference` -> entry index.
    by_id: FxMap<String, u32>,
}

/// Groups the entries of different lists that are one party: the same
/// identifier (passport, national id, IMO number: six characters or more),
/// or the same name (every part, in any order) of the same kind with, for
/// people, the same full date of birth. Returns each entry's party (the
/// least index of its group). Entries of one list are never merged: a list
/// keeps its own entries apart for a reason.
fn parties(entities: &[Entity], names: &[IndexedName]) -> Vec<u32> {
    let n = entities.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            parent[i as usize] = parent[parent[i as usize] as usize];
            i = parent[i as usize];
        }
        i
    }
    fn union(parent: &mut [u32], a: u32, b: u32) {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    // Keys: an identifier, or a sorted strong name with its kind and date.
    let mut seen: FxMap<String, Vec<u32>> = FxMap::default();
    for (i, e) in entities.iter().enumerate() {
        for id in &e.identifiers {
            let v = id.normalized();
            if v.len() >= 6 && v.bytes().any(|b| b.is_ascii_digit()) {
                seen.entry(format!("id:{v}")).or_default().push(i as u32);
            }
        }
    }
    for name in names {
        let e = &entities[name.entity as usize];
        if e.names[name.name as usize].strength == NameStrength::Weak {
            continue;
        }
        let mut parts: Vec<&str> = name
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.text.as_str())
            .collect();
        if parts.len() < 2 {
            continue;
        }
        parts.sort_unstable();
        parts.dedup();
        let joined = parts.join(" ");
        if e.schema == Schema::Person {
            for d in &e.birth_dates {
                if let BirthDate::Exact {
                    year,
                    month: Some(m),
                    day: Some(dd),
                } = d
                {
                    seen.entry(format!("p:{joined}:{year}-{m}-{dd}"))
                        .or_default()
                        .push(name.entity);
                }
            }
        } else {
            seen.entry(format!("{}:{joined}", e.schema.as_str()))
                .or_default()
                .push(name.entity);
        }
    }
    for group in seen.values_mut() {
        group.sort_unstable();
        group.dedup();
        // A key two entries of one list share says nothing of which is
        // which: it links nothing.
        let lists: Vec<&str> = group
            .iter()
            .map(|&i| entities[i as usize].list.as_str())
            .collect();
        if (1..lists.len()).any(|k| lists[..k].contains(&lists[k])) {
            continue;
        }
        for &b in &group[1..] {
            union(&mut parent, group[0], b);
        }
    }
    (0..n as u32).map(|i| find(&mut parent, i)).collect()
}

/// Calls `f` with each distinct spelling `skel` becomes with one letter
/// deleted (its typo neighbourhood), in one reused buffer; none for
/// skeletons shorter than four letters or not ASCII.
fn for_each_deletion_key(skel: &str, mut f: impl FnMut(&str)) {
    let b = skel.as_bytes();
    if b.len() < 4 || !skel.is_ascii() {
        return;
    }
    let mut key = String::with_capacity(b.len() - 1);
    for i in 0..b.len() {
        // Deleting either of two equal neighbours leaves the same key.
        if i > 0 && b[i] == b[i - 1] {
            continue;
        }
        key.clear();
        key.push_str(&skel[..i]);
        key.push_str(&skel[i + 1..]);
        f(&key);
    }
}

fn keyed(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word) && !t.skel.is_empty()
}

impl Screener {
    /// Builds the index over every name of every entry.
    pub fn new(lists: Vec<SanctionsList>) -> Screener {
        crate::score::prepare_tables();
        let mut s = Screener {
            versions: Vec::new(),
            entities: Vec::new(),
            names: Vec::new(),
            exact: FxMap::default(),
            deletions: FxMap::default(),
            concepts: FxMap::default(),
            party: Vec::new(),
            listings: FxMap::default(),
            by_id: FxMap::default(),
        };
        let mut part_ids = PartIds::default();
        for l in lists {
            s.versions.push(l.version);
            for e in l.entities {
                let ei = u32::try_from(s.entities.len()).unwrap_or(u32::MAX);
                for (ni, n) in e.names.iter().enumerate() {
                    let tokens = tokenize_as(&n.value, Some(e.schema));
                    if tokens.is_empty() {
                        continue;
                    }
                    let id = u32::try_from(s.names.len()).unwrap_or(u32::MAX);
                    for t in tokens.iter().filter(|t| keyed(t)) {
                        push_posting(s.exact.entry(t.skel.clone()).or_default(), id);
                        push_posting(s.deletions.entry(t.skel.clone()).or_default(), id);
                        for_each_deletion_key(&t.skel, |d| {
                            push_posting(s.deletions.entry(d.to_string()).or_default(), id);
                        });
                        if t.concept != 0 {
                            push_posting(s.concepts.entry(t.concept).or_default(), id);
                        }
                    }
                    s.names.push(IndexedName {
                        entity: ei,
                        name: u16::try_from(ni).unwrap_or(u16::MAX),
                        schema: e.schema,
                        weak: n.strength == NameStrength::Weak,
                        part_ids: part_ids.of(&tokens),
                        tokens,
                    });
                }
                s.entities.push(e);
            }
        }
        s.party = parties(&s.entities, &s.names);
        for (i, &p) in s.party.iter().enumerate() {
            s.listings.entry(p).or_default().push(i as u32);
        }
        s.listings.retain(|_, v| v.len() > 1);
        s.by_id = s
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("{}:{}", e.list, e.reference), i as u32))
            .collect();
        s
    }

    /// The entry `list:reference` (the id results carry).
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_id
            .get(id)
            .and_then(|&i| self.entities.get(i as usize))
    }

    /// The other listings of the party entry `entity` belongs to.
    pub fn also_listed(&self, entity: usize) -> Vec<usize> {
        let Some(&p) = self.party.get(entity) else {
            return Vec::new();
        };
        self.listings
            .get(&p)
            .map(|v| {
                v.iter()
                    .map(|&i| i as usize)
                    .filter(|&i| i != entity)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }
    pub fn versions(&self) -> &[ListVersion] {
        &self.versions
    }
    /// Number of indexed names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Name ids sharing keys with the query tokens, best first.
    fn candidates(&self, q: &[Token], any_kind: bool) -> Vec<u32> {
        /// What a name has gathered: its total credit, the query part that
        /// credited it last and that part's credit.
        #[derive(Clone, Copy)]
        struct Acc {
            total: f64,
            tok: usize,
            credit: f64,
        }
        const UNTOUCHED: Acc = Acc {
            total: 0.0,
            tok: usize::MAX,
            credit: 0.0,
        };
        thread_local! {
            /// One slot per indexed name and the names touched, kept between
            /// queries: indexing a slot is cheaper than hashing a name id,
            /// and only the touched slots are reset.
            static ACC: std::cell::RefCell<(Vec<Acc>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        let (mut acc, mut touched) = ACC.with(|a| std::mem::take(&mut *a.borrow_mut()));
        if acc.len() < self.names.len() {
            acc.resize(self.names.len(), UNTOUCHED);
        }
        touched.clear();
        let keyed_q: Vec<&Token> = q.iter().filter(|t| keyed(t)).collect();
        let min_df = keyed_q
            .iter()
            .map(|t| self.exact.get(&t.skel).map_or(usize::MAX, Vec::len))
            .min()
            .unwrap_or(0);
        let mut lists: Vec<(&Vec<u32>, f64)> = Vec::new();
        for (ti, t) in keyed_q.iter().enumerate() {
            lists.clear();
            if let Some(p) = self.exact.get(&t.skel) {
                if p.len() > MAX_DF && min_df <= MAX_DF {
                    continue;
                }
                lists.push((p, t.weight));
            }
            // Typo neighbourhood only for rare spellings: a frequent skeleton
            // is itself the right key.
            if lists.first().is_some_and(|(p, _)| p.len() >= RARE_DF) {
                // fall through to accumulation with the exact list only
            } else {
                if let Some(p) = self.deletions.get(&t.skel) {
                    lists.push((p, 0.6 * t.weight));
                }
                for_each_deletion_key(&t.skel, |d| {
                    if let Some(p) = self.deletions.get(d) {
                        if p.len() <= MAX_DF * 2 {
                            lists.push((p, 0.6 * t.weight));
                        }
                    }
                });
            }
            // A word the table knows also finds the names that hold it in
            // another language (no typo neighbourhood: the table's words
            // are spelt as the tokenizer writes them).
            // A query of no stated kind is tokenised as a person's name,
            // without concepts: its words are looked up here.
            let concept = match t.concept {
                0 if any_kind => crate::translations::concept(&t.text),
                c => c,
            };
            if concept != 0 {
                if let Some(p) = self.concepts.get(&concept) {
                    // Capped whatever the other words: a concept's list
                    // gathers many languages' spellings.
                    if p.len() <= MAX_DF || (min_df > MAX_DF && p.len() <= 2 * MAX_DF) {
                        lists.push((p, 0.9 * t.weight));
                    }
                }
            }
            for &(p, credit) in &lists {
                for &id in p {
                    let Some(a) = acc.get_mut(id as usize) else {
                        continue;
                    };
                    if a.tok == usize::MAX {
                        touched.push(id);
                    }
                    if a.tok == ti {
                        if credit > a.credit {
                            a.total += credit - a.credit;
                            a.credit = credit;
                        }
                    } else {
                        a.tok = ti;
                        a.credit = credit;
                        a.total += credit;
                    }
                }
            }
        }
        // Best total first, then the lower id, as one integer: a total is
        // not negative, so its bits order as it does. The best are kept in
        // order as the touched names are reset: most fall behind the last
        // kept and cost one comparison.
        let n = CANDIDATES_PER_NAME;
        let mut best: Vec<u128> = Vec::with_capacity(n + 1);
        for &id in &touched {
            let a = &mut acc[id as usize];
            let rank = u64::MAX - a.total.max(0.0).to_bits();
            *a = UNTOUCHED;
            let key = (u128::from(rank) << 32) | u128::from(id);
            if best.len() == n && best.last().is_some_and(|&last| key > last) {
                continue;
            }
            let at = best.partition_point(|&k| k < key);
            best.insert(at, key);
            best.truncate(n);
        }
        ACC.with(|a| *a.borrow_mut() = (acc, touched));
        // The low 32 bits are the id.
        best.into_iter().map(|k| k as u32).collect()
    }

    /// Screens one query; returns hits sorted by score (best first), at most
    /// `limit`, including non-matches above `min_score`.
    pub fn screen(&self, query: &Query, threshold: f64, min_score: f64, limit: usize) -> Vec<Hit> {
        self.screen_in(query, threshold, min_score, limit, None)
    }

    /// The entries of `ids` (`list:reference`; unknown ones are skipped),
    /// to screen against them alone ([`Screener::screen_among`]).
    pub fn among<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Among {
        let entities: FxSet<u32> = ids
            .into_iter()
            .filter_map(|id| self.by_id.get(id).copied())
            .collect();
        let names = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| entities.contains(&n.entity))
            .map(|(i, _)| i as u32)
            .collect();
        Among { entities, names }
    }

    /// Screens one query against the entries of `among` only (a list
    /// update's added and changed entries): every name of those entries is
    /// scored, none found by the index, so nothing near is missed; the
    /// scores are the ones [`Screener::screen`] gives the same pair.
    pub fn screen_among(
        &self,
        query: &Query,
        threshold: f64,
        min_score: f64,
        limit: usize,
        among: &Among,
    ) -> Vec<Hit> {
        self.screen_in(query, threshold, min_score, limit, Some(among))
    }

    fn screen_in(
        &self,
        query: &Query,
        threshold: f64,
        min_score: f64,
        limit: usize,
        among: Option<&Among>,
    ) -> Vec<Hit> {
        // entity -> (effective name score, name id, query name index)
        let mut best: FxMap<u32, (f64, u32, usize)> = FxMap::default();
        // A query of no stated kind is compared with each listed entry by
        // the rules of the entry's kind (its names were tokenised so); its
        // candidates are found by its tokens as a person's name.
        // A name that reads as an organisation's (a legal form, a number, a
        // word organisations are named with) is read so against every
        // entry, people's too: LA GRAN BODEGA, S.A. is not a person with
        // the initials S. A.
        let qts: Vec<Vec<Token>> = query
            .names
            .iter()
            .map(|n| match query.schema {
                Some(kind) => tokenize_as(n, Some(kind)),
                None => guess_and_tokenize(n),
            })
            .collect();
        // `None`: the same tokens as read as a person's name.
        let read_as = |schema: Schema| -> Vec<Option<Vec<Token>>> {
            query
                .names
                .iter()
                .zip(&qts)
                .map(|(n, person)| {
                    (!same_for_kind(n, person, schema)).then(|| tokenize_as(n, Some(schema)))
                })
                .collect()
        };
        let mut by_kind: [Option<Vec<Option<Vec<Token>>>>; 3] = [None, None, None];
        let mut memo = PART_MEMO.with(|m| std::mem::take(&mut *m.borrow_mut()));
        memo.clear();
        for (qi, qt) in qts.iter().enumerate() {
            if qt.is_empty() {
                continue;
            }
            let found;
            let candidates: &[u32] = match among {
                Some(a) => &a.names,
                None => {
                    found = self.candidates(qt, query.schema.is_none());
                    &found
                }
            };
            // Each candidate's name, first part and first part id are read
            // before any is scored: these loads do not wait on one another,
            // so their cache misses overlap, where scoring would wait for
            // each in turn.
            let touched: f64 = candidates
                .iter()
                .map(|&id| {
                    let n = &self.names[id as usize];
                    let first = n.tokens.first().map_or(0.0, |t| t.weight);
                    first + f64::from(n.part_ids.first().copied().unwrap_or(0))
                })
                .sum();
            std::hint::black_box(touched);
            for &id in candidates {
                let n = &self.names[id as usize];
                if !schema_compatible(query.schema, n.schema) {
                    continue;
                }
                // Which of the query's readings is compared (for the memo).
                let (qt, reading) = if query.schema.is_none() {
                    let k = kind_index(n.schema);
                    match by_kind[k].get_or_insert_with(|| read_as(n.schema))[qi].as_ref() {
                        Some(t) => (t, k),
                        None => (qt, 3),
                    }
                } else {
                    (qt, 3)
                };
                let raw = score_tokens_memo(
                    qt,
                    &n.tokens,
                    &n.part_ids,
                    &mut memo,
                    qi * 4 + reading,
                    false,
                )
                .score;
                let effective = if n.weak { raw * 0.9 } else { raw };
                if effective < min_score - 0.35
                    || effective <= best.get(&n.entity).map_or(-1.0, |b| b.0)
                {
                    continue;
                }
                best.insert(n.entity, (effective, id, qi));
            }
        }
        let mut hits: Vec<(Hit, u32, usize)> = best
            .into_iter()
            .filter_map(|(ent, (effective, id, qi))| {
                let n = &self.names[id as usize];
                let e = &self.entities[ent as usize];
                let name = &e.names[n.name as usize];
                let mut ev = Vec::new();
                let mut score = effective;
                let full_weak =
                    name.strength == NameStrength::Weak && same_parts(&qts[qi], &n.tokens);
                if full_weak {
                    ev.push(Evidence {
                        kind: "weak_alias_review".into(),
                        effect: 0.0,
                        detail: "every part of a weak alias matched: weak alias — review (the list marks this alias low quality, too broad to identify the party alone)".into(),
                    });
                } else if name.strength == NameStrength::Weak && score > threshold - WEAK_MARGIN {
                    let capped = threshold - WEAK_MARGIN;
                    ev.push(Evidence {
                        kind: "weak_alias".into(),
                        effect: capped - score,
                        detail: "matched only a weak alias, which the list says is not enough to identify the party".into(),
                    });
                    score = capped;
                }
                let facts = evidence(query, e);
                score += facts.iter().map(|x| x.effect).sum::<f64>();
                ev.extend(facts);
                let score = score.clamp(0.0, 1.0);
                if score < min_score {
                    return None;
                }
                let hit = Hit {
                    entity: ent as usize,
                    score,
                    is_match: score >= threshold || full_weak,
                    weak_alias_review: full_weak,
                    threshold,
                    query_name: query.names[qi].clone(),
                    matched_name: name.value.clone(),
                    strength: name.strength,
                    name_score: effective,
                    name_detail: NameScore { score: effective, aligned: Vec::new(), unmatched_query: Vec::new(), unmatched_candidate: Vec::new(), read_as: None },
                    evidence: ev,
                    also_listed: Vec::new(),
                };
                Some((hit, id, qi))
            })
            .collect();
        hits.sort_by(|a, b| {
            b.0.score
                .total_cmp(&a.0.score)
                .then(a.0.entity.cmp(&b.0.entity))
        });
        // One hit per party: its best-scoring listing, with the others.
        let mut shown: Vec<u32> = Vec::new();
        hits.retain(|(h, _, _)| {
            let p = self.party[h.entity];
            if shown.contains(&p) {
                return false;
            }
            shown.push(p);
            true
        });
        hits.truncate(limit);
        let hits = hits
            .into_iter()
            .map(|(mut h, id, qi)| {
                // The explanation is built for returned hits only.
                let kind = self.entities[h.entity].schema;
                let (qt, reading) = match query.schema {
                    Some(_) => (&qts[qi], 3),
                    None => {
                        let k = kind_index(kind);
                        match by_kind[k].get_or_insert_with(|| read_as(kind))[qi].as_ref() {
                            Some(t) => (t, k),
                            None => (&qts[qi], 3),
                        }
                    }
                };
                let n = &self.names[id as usize];
                h.name_detail = score_tokens_memo(
                    qt,
                    &n.tokens,
                    &n.part_ids,
                    &mut memo,
                    qi * 4 + reading,
                    true,
                );
                h.name_detail.score = h.name_score;
                h.name_detail.read_as = query.schema.is_none().then_some(kind);
                h.also_listed = self.also_listed(h.entity);
                h
            })
            .collect();
        PART_MEMO.with(|m| *m.borrow_mut() = memo);
        hits
    }
}

/// A set of listed entries to screen against alone ([`Screener::among`]).
#[derive(Debug, Clone, Default)]
pub struct Among {
    entities: FxSet<u32>,
    names: Vec<u32>,
}

impl Among {
    /// How many listed entries the set holds.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

fn push_posting(p: &mut Vec<u32>, id: u32) {
    if p.last() != Some(&id) {
        p.push(id);
    }
}

fn kind_index(s: Schema) -> usize {
    match s {
        Schema::Person => 0,
        Schema::Organization => 1,
        Schema::Vessel => 2,
    }
}

fn schema_compatible(q: Option<Schema>, e: Schema) -> bool {
    match q {
        None => true,
        Some(Schema::Person) => e == Schema::Person,
        Some(_) => e != Schema::Person,
    }
}

/// Non-name evidence for or against a query/entry pair.
pub fn evidence(q: &Query, e: &Entity) -> Vec<Evidence> {
    let mut out = Vec::new();
    // Identifiers: an exact identifier match is the strongest evidence there is.
    let mut id_matched = false;
    for (kind, v) in &q.identifiers {
        let nv = normalize_id(v);
        if nv.len() < 4 {
            continue;
        }
        if let Some(id) = e.identifiers.iter().find(|i| {
            i.normalized() == nv
                && (kind.is_none() || *kind == Some(i.kind) || i.kind == IdKind::Other)
        }) {
            out.push(Evidence {
                kind: "identifier".into(),
                effect: 0.3,
                detail: format!("{:?} {} is listed for this entry", id.kind, id.value),
            });
            id_matched = true;
            break;
        }
    }
    if !id_matched {
        let q_imo: Vec<String> = q
            .identifiers
            .iter()
            .filter(|(k, _)| *k == Some(IdKind::Imo))
            .map(|(_, v)| normalize_id(v))
            .collect();
        let e_imo: Vec<&str> = e
            .identifiers
            .iter()
            .filter(|i| i.kind == IdKind::Imo)
            .map(|i| i.value.as_str())
            .collect();
        if !q_imo.is_empty() && !e_imo.is_empty() {
            out.push(Evidence {
                kind: "identifier".into(),
                effect: -0.6,
                detail: format!(
                    "IMO {} differs from listed IMO {}",
                    q_imo.join("/"),
                    e_imo.join("/")
                ),
            });
        }
    }
    // Dates of birth.
    if !q.birth_dates.is_empty() && !e.birth_dates.is_empty() {
        let mut best: (i32, String) = (-1, String::new());
        for qd in &q.birth_dates {
            for ed in &e.birth_dates {
                let rel = date_relation(qd, ed);
                if rel > best.0 {
                    best = (rel, format!("query {qd} vs listed {ed}"));
                }
            }
        }
        let listed = e
            .birth_dates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let (effect, what) = match best.0 {
            3 => (0.1, format!("same date of birth ({})", best.1)),
            2 => (0.05, format!("birth year consistent ({})", best.1)),
            1 => (0.0, format!("birth year close ({})", best.1)),
            _ => (
                -0.2,
                format!(
                    "date of birth differs: query {} vs listed {listed}",
                    q.birth_dates
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        out.push(Evidence {
            kind: "birth_date".into(),
            effect,
            detail: what,
        });
    }
    // Nationality.
    if !q.nationalities.is_empty() && !e.nationalities.is_empty() {
        let qk: Vec<String> = q.nationalities.iter().map(|n| country_key(n)).collect();
        match e
            .nationalities
            .iter()
            .find(|n| qk.contains(&country_key(n)))
        {
            Some(n) => out.push(Evidence {
                kind: "nationality".into(),
                effect: 0.05,
                detail: format!("same nationality ({n})"),
            }),
            None => out.push(Evidence {
                kind: "nationality".into(),
                effect: -0.1,
                detail: format!(
                    "nationality differs: query {} vs listed {}",
                    q.nationalities.join("/"),
                    e.nationalities.join("/")
                ),
            }),
        }
    }
    if let (Some(qg), Some(eg)) = (q.gender, e.gender) {
        if qg != eg {
            out.push(Evidence {
                kind: "gender".into(),
                effect: -0.15,
                detail: format!("gender differs: query {qg:?} vs listed {eg:?}"),
            });
        }
    }
    out
}

/// 3 same full date, 2 year consistent, 1 within a year, 0 different.
fn date_relation(q: &BirthDate, e: &BirthDate) -> i32 {
    if let (
        BirthDate::Exact {
            year: y1,
            month: Some(m1),
            day: Some(d1),
        },
        BirthDate::Exact {
            year: y2,
            month: Some(m2),
            day: Some(d2),
        },
    ) = (q, e)
    {
        if y1 == y2 && m1 == m2 && d1 == d2 {
            return 3;
        }
        if y1 == y2 {
            return 1;
        }
    }
    let (ql, qh) = q.year_bounds();
    let (el, eh) = e.year_bounds();
    if ql <= eh && el <= qh {
        return 2;
    }
    if ql <= eh.saturating_add(1) && el <= qh.saturating_add(1) {
        return 1;
    }
    0
}

/// The retrieval keys of a name: the consonant skeletons of its word parts
/// (particles and initials left out), the same keys the index looks names
/// up by. Other stores (entity correlation) keep them to find candidates
/// without comparing all pairs.
pub fn name_keys(name: &str) -> Vec<String> {
    let mut keys: Vec<String> = tokenize(name)
        .into_iter()
        .filter(keyed)
        .map(|t| t.skel)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}
