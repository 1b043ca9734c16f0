//! Name-part alignment and scoring.

use crate::normalize::{Token, TokenKind};
use serde::{Deserialize, Serialize};

/// Jaro-Winkler similarity of two strings (char-wise).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        return jaro_winkler_chars(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    jaro_winkler_chars(&a, &b)
}

fn jaro_winkler_chars<T: PartialEq + Copy>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = [false; 64];
    let mut b_used_vec;
    let b_used: &mut [bool] = if b.len() <= 64 {
        &mut b_used[..b.len()]
    } else {
        b_used_vec = vec![false; b.len()];
        &mut b_used_vec
    };
    // Which characters of `a` matched, in order (no allocation for names).
    let mut a_used_arr = [false; 64];
    let mut a_used_vec;
    let a_used: &mut [bool] = if a.len() <= 64 {
        &mut a_used_arr[..a.len()]
    } else {
        a_used_vec = vec![false; a.len()];
        &mut a_used_vec
    };
    let mut m = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_used[j] && b[j] == ca {
                b_used[j] = true;
                a_used[i] = true;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let a_match = a
        .iter()
        .zip(a_used.iter())
        .filter(|(_, u)| **u)
        .map(|(c, _)| *c);
    let b_match = b
        .iter()
        .zip(b_used.iter())
        .filter(|(_, u)| **u)
        .map(|(c, _)| *c);
    let transpositions = a_match.zip(b_match).filter(|(x, y)| *x != *y).count() / 2;
    let m = m as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a
        .iter()
        .zip(b.iter())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Raw Jaro-Winkler says two different names are ~0.8 alike: only its top
/// range (above 0.7) counts, stretched to [0,1].
fn jw_rescaled(jw: f64) -> f64 {
    ((jw - 0.7) / 0.3).max(0.0)
}

/// Jaro-Winkler at which [`jw_rescaled`] reaches [`MIN_PART_SIM`].
const LAT_FLOOR: f64 = 0.7 + 0.3 * MIN_PART_SIM;

/// Jaro-Winkler a part of three or four letters needs to count as a
/// spelling of another (one letter off: Jang / Jag, Rana / Raa).
const SHORT_PART_JW: f64 = 0.92;

/// An upper bound of [`jaro_winkler`] from letter counts, common prefix
/// and lengths (no matching window, no transpositions).
fn jaro_winkler_upper_bound(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    // Letters fold into 32 buckets (a-z apart); a shared bucket can only
    // raise the count, so the bound holds.
    let mut counts = [0u16; 32];
    for &c in a {
        counts[usize::from(c & 31)] += 1;
    }
    let mut m = 0u16;
    for &c in b {
        let k = &mut counts[usize::from(c & 31)];
        if *k > 0 {
            *k -= 1;
            m += 1;
        }
    }
    let m = f64::from(m);
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Levenshtein distance over bytes.
pub fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// What replacing one skeleton consonant by another costs: letters that
/// transliterations of one sound swap (q / k / gh, t / d / th / dh, s / sh,
/// j / zh / ch, b / p, v / f) cost less than a different letter.
fn substitution_cost(x: u8, y: u8) -> f64 {
    if x == y {
        return 0.0;
    }
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    match (a, b) {
        (b'g', b'k') | (b'b', b'p') => 0.3,
        (b'd', b't')
        | (b'd', b'z')
        | (b's', b't')
        | (b's', b'z')
        | (b's', b'x')
        | (b'f', b'w')
        | (b'f', b'p')
        | (b'h', b'k') => 0.4,
        (b'j', b'x') | (b'j', b'z') | (b'j', b'y') => 0.5,
        (b'm', b'n') | (b'l', b'r') => 0.6,
        _ => 1.0,
    }
}

/// Dropping or adding a consonant: an h (ح / ه, often not written) costs half.
fn indel_cost(x: u8) -> f64 {
    if x == b'h' {
        0.5
    } else {
        1.0
    }
}

/// Edit distance between two consonant skeletons with the costs above.
pub fn skeleton_distance(a: &[u8], b: &[u8]) -> f64 {
    let mut prev: Vec<f64> = Vec::with_capacity(b.len() + 1);
    prev.push(0.0);
    for &cb in b {
        let last = prev.last().copied().unwrap_or(0.0);
        prev.push(last + indel_cost(cb));
    }
    let mut cur = vec![0.0; b.len() + 1];
    for &ca in a {
        cur[0] = prev[0] + indel_cost(ca);
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + substitution_cost(ca, cb))
                .min(prev[j + 1] + indel_cost(ca))
                .min(cur[j] + indel_cost(cb));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Equal skeletons of two Latin spellings count as a variant only if they
/// start alike (same letter, or both with a vowel: Omar / Umar) and, for
/// skeletons of one or two consonants, are close in length or spelling.
fn latin_variant_plausible(a: &str, b: &str, skel_len: usize) -> bool {
    let (Some(fa), Some(fb)) = (a.bytes().next(), b.bytes().next()) else {
        return false;
    };
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let hard = |c: u8| matches!(c, b'q' | b'k' | b'c' | b'g');
    if !(fa == fb || (vowel(fa) && vowel(fb)) || (hard(fa) && hard(fb))) {
        return false;
    }
    skel_len >= 3 || a.len().abs_diff(b.len()) <= 1 || jaro_winkler(a, b) >= 0.8
}

fn first_vowel_class(t: &str) -> Option<u8> {
    t.bytes().find_map(|c| match c {
        b'a' | b'e' => Some(b'A'),
        b'o' | b'u' => Some(b'U'),
        b'i' => Some(b'I'),
        _ => None,
    })
}

/// How two name parts were found to correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartMatch {
    /// Same after normalisation.
    Exact,
    /// Same consonant skeleton: a transliteration / spelling variant.
    Variant,
    /// Similar spelling (typo, close transliteration).
    Fuzzy,
    /// An initial standing for the other part.
    Initial,
    /// Two parts of one name written as one word of the other.
    Joined,
}

impl PartMatch {
    pub fn describe(self) -> &'static str {
        match self {
            PartMatch::Exact => "same",
            PartMatch::Variant => "spelling variant",
            PartMatch::Fuzzy => "similar spelling",
            PartMatch::Initial => "initial",
            PartMatch::Joined => "written together",
        }
    }
}

/// Similarity of two name parts in [0,1] and how they matched; a glued
/// article (`Elkaddafi`, `Alhalim`) is tried without it.
pub fn token_similarity(a: &Token, b: &Token) -> (f64, PartMatch) {
    let r = token_similarity_inner(a, b);
    if r.0 >= 0.95 {
        return r;
    }
    let glued = |t: &Token| {
        t.text.len() >= 6
            && !t.from_script
            && (t.text.starts_with("al") || t.text.starts_with("el"))
    };
    let strip = |t: &Token| t.respelt(t.text[2..].to_string());
    if glued(a) && !glued(b) {
        let s = token_similarity_inner(&strip(a), b);
        if s.0 > r.0 {
            return s;
        }
    } else if glued(b) && !glued(a) {
        let s = token_similarity_inner(a, &strip(b));
        if s.0 > r.0 {
            return s;
        }
    }
    r
}

fn token_similarity_inner(a: &Token, b: &Token) -> (f64, PartMatch) {
    if a.text == b.text {
        return (1.0, PartMatch::Exact);
    }
    if a.kind == TokenKind::Initial || b.kind == TokenKind::Initial {
        let (i, o) = if a.kind == TokenKind::Initial {
            (a, b)
        } else {
            (b, a)
        };
        if o.kind != TokenKind::Initial && o.text.as_bytes().first() == i.text.as_bytes().first() {
            return (0.85, PartMatch::Initial);
        }
        return (0.0, PartMatch::Fuzzy);
    }
    if a.kind != b.kind && (a.kind == TokenKind::Particle || b.kind == TokenKind::Particle) {
        return (0.0, PartMatch::Fuzzy);
    }
    // "Abd" / "Abdel" / "Abdul" standing alone are one word.
    if crate::normalize::is_abd_prefix(&a.text) && crate::normalize::is_abd_prefix(&b.text) {
        return (0.95, PartMatch::Variant);
    }
    // Both in the given-name table: one name in two spellings, or two names
    // (Hasan / Husayn, Muhammad / Mahmud) however alike their letters.
    if a.name != 0 && b.name != 0 {
        return if a.name == b.name {
            (0.97, PartMatch::Variant)
        } else {
            (0.0, PartMatch::Fuzzy)
        };
    }
    // Numbers (vessel and branch numbers, registrations) match exactly or not at all.
    if a.text.bytes().any(|c| c.is_ascii_digit()) || b.text.bytes().any(|c| c.is_ascii_digit()) {
        return (0.0, PartMatch::Fuzzy);
    }
    // Abd-compounds: compare what follows "abd"; Abd al-Husayn is not Husayn.
    let a_abd = a.text.len() > 3 && a.text.starts_with("abd");
    let b_abd = b.text.len() > 3 && b.text.starts_with("abd");
    let (at, bt) = match (a_abd, b_abd) {
        (true, true) => (&a.text[3..], &b.text[3..]),
        (false, false) => (a.text.as_str(), b.text.as_str()),
        _ => return (0.5, PartMatch::Fuzzy),
    };
    let script = a.from_script || b.from_script;
    let short = at.len() < 4 || bt.len() < 4;
    // Jaro-Winkler of the Latin spellings; computed only where it can change
    // the answer (it is most of the cost of a comparison).
    let lat = || {
        if script || short {
            0.0
        } else {
            jaro_winkler(at, bt)
        }
    };
    let sl = a.skel.len().max(b.skel.len());
    if a.skel == b.skel && !a.skel.is_empty() && (script || latin_variant_plausible(at, bt, sl)) {
        let conflict = !script
            && matches!((first_vowel_class(at), first_vowel_class(bt)), (Some(x), Some(y)) if x != y && x != b'I' && y != b'I');
        let base = if conflict {
            0.7
        } else if sl >= 3 {
            0.95
        } else if sl == 2 {
            0.9
        } else {
            0.8
        };
        return (lat().max(base), PartMatch::Variant);
    }
    let (sa, sb) = (a.skel.as_bytes(), b.skel.as_bytes());
    // Skeletons that differ only in letters transliterations swap (Qasim /
    // Gasim; from Arabic script also ض as z, ث as s: Faiz / فيض) are
    // spelling variants too.
    let swap_budget = if script { 0.4 } else { 0.3 };
    if sa.len() == sb.len()
        && !sa.is_empty()
        && sa
            .iter()
            .zip(sb)
            .map(|(&x, &y)| substitution_cost(x, y))
            .sum::<f64>()
            <= swap_budget
        && (script || latin_variant_plausible(at, bt, sl))
    {
        let base = if sl >= 3 { 0.9 } else { 0.85 };
        return (lat().max(base), PartMatch::Variant);
    }
    // Skeletons must start alike (the same consonant, or one that
    // transliterations swap: Qadhafi / Ghaddafi).
    let same_start = match (sa.first(), sb.first()) {
        (Some(&x), Some(&y)) => substitution_cost(x, y) <= if script { 0.5 } else { 0.4 },
        _ => false,
    };
    let skel_sim = if sl >= 3 && same_start {
        (1.0 - skeleton_distance(sa, sb) / sl as f64).max(0.0)
    } else {
        0.0
    };
    // Raw Jaro-Winkler says two different names are ~0.8 alike: only its
    // top range counts, and when even its upper bound is below the range
    // where it would count, it is not computed.
    let lat_sim = if script
        || short
        || (skel_sim * 0.8 < MIN_PART_SIM
            && jaro_winkler_upper_bound(at.as_bytes(), bt.as_bytes()) < LAT_FLOOR)
    {
        0.0
    } else {
        jw_rescaled(lat())
    };
    let fuzzy = if script {
        skel_sim * 0.85
    } else if short {
        // Short parts: only a near-identical spelling (one letter off in
        // three or four: Jang / Jag, Rana / Raa).
        if at.len() >= 3 && bt.len() >= 3 && at.as_bytes()[0] == bt.as_bytes()[0] {
            let j = jaro_winkler(at, bt);
            if j >= SHORT_PART_JW {
                jw_rescaled(j)
            } else {
                0.0
            }
        } else {
            0.0
        }
    } else {
        lat_sim.max(skel_sim * 0.8)
    };
    (fuzzy.clamp(0.0, 1.0), PartMatch::Fuzzy)
}

/// One aligned pair of name parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignedPart {
    pub query: String,
    pub candidate: String,
    pub similarity: f64,
    pub how: PartMatch,
}

/// The outcome of comparing two names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameScore {
    pub score: f64,
    pub aligned: Vec<AlignedPart>,
    pub unmatched_query: Vec<String>,
    pub unmatched_candidate: Vec<String>,
}

impl NameScore {
    /// `muhammad~mohamed (spelling variant 0.95), zaidan=zaidan; unmatched: salah`
    pub fn describe(&self) -> String {
        let mut s = self
            .aligned
            .iter()
            .map(|p| {
                if p.how == PartMatch::Exact {
                    format!("{}={}", p.query, p.candidate)
                } else {
                    format!(
                        "{}~{} ({} {:.2})",
                        p.query,
                        p.candidate,
                        p.how.describe(),
                        p.similarity
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if s.is_empty() {
            s.push_str("no name parts aligned");
        }
        if !self.unmatched_query.is_empty() {
            s.push_str(&format!(
                "; query parts not in listed name: {}",
                self.unmatched_query.join(" ")
            ));
        }
        if !self.unmatched_candidate.is_empty() {
            s.push_str(&format!(
                "; listed parts not in query: {}",
                self.unmatched_candidate.join(" ")
            ));
        }
        s
    }
}

/// Below this a part pair is not considered aligned.
const MIN_PART_SIM: f64 = 0.55;
/// Cost of parts unmatched on both sides, relative to a matched part: a
/// different given name (Pedro / Bernardo) is strong evidence of a
/// different person.
const CONFLICT_COST: f64 = 2.5;
/// Cost of parts only one name has (missing middle names, a longer form of
/// a company's name).
const EXTRA_COST: f64 = 0.3;
/// One shared part between multi-part names is weak evidence ("Seif
/// al-Adel" vs an alias "Adel"); weaker still beside a conflicting part.
const ONE_SHARED_PART: f64 = 0.8;
const ONE_SHARED_PART_IN_CONFLICT: f64 = 0.6;
/// The least weight a name part has as evidence of a conflict.
const CONFLICT_FLOOR: f64 = 1.0;

/// Aligns the parts of two tokenised names (order-free, greedy on best pairs)
/// and scores them: weighted matched similarity over matched plus discounted
/// unmatched weight. Symmetric.
pub fn score_tokens(q: &[Token], c: &[Token]) -> NameScore {
    align(q, c, true)
}

/// The score of [`score_tokens`] without building the explanation (hot path).
pub fn score_tokens_fast(q: &[Token], c: &[Token]) -> f64 {
    align(q, c, false).score
}

/// A candidate correspondence: parts `q.0 .. q.0 + q.1` of the query with
/// parts `c.0 .. c.0 + c.1` of the candidate (one part each, or two parts
/// written apart on one side and together on the other).
struct Link {
    sim: f64,
    q: (usize, usize),
    c: (usize, usize),
    how: PartMatch,
}

/// Two adjacent parts written as one word ("Aero Skyone" / "Aeroskyone",
/// "Abu Hamza" / "Abuhamza"), if `other` could be that word.
fn joined(a: &Token, b: &Token, other: &Token) -> Option<Token> {
    let joinable = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::Particle);
    if !joinable(a) || !joinable(b) || other.kind != TokenKind::Word {
        return None;
    }
    let len = a.text.len() + b.text.len();
    if other.text.len().abs_diff(len) > 2
        || a.text.as_bytes().first() != other.text.as_bytes().first()
    {
        return None;
    }
    Some(Token {
        kind: TokenKind::Word,
        from_script: a.from_script || b.from_script,
        weight: a.weight.max(b.weight),
        ..a.respelt(format!("{}{}", a.text, b.text))
    })
}

/// Below this a joined pair of parts is not taken for one word.
const MIN_JOINED_SIM: f64 = 0.85;

/// Every candidate link between the parts of `q` and `c`, best first, into `out`.
fn links(q: &[Token], c: &[Token], out: &mut Vec<Link>) {
    out.clear();
    for (i, a) in q.iter().enumerate() {
        for (j, b) in c.iter().enumerate() {
            let (sim, how) = token_similarity(a, b);
            if sim >= MIN_PART_SIM {
                out.push(Link {
                    sim,
                    q: (i, 1),
                    c: (j, 1),
                    how,
                });
            }
        }
    }
    // Two parts of one name written as one word of the other.
    for (side_q, (two, one)) in [(true, (q, c)), (false, (c, q))] {
        for i in 0..two.len().saturating_sub(1) {
            for (j, other) in one.iter().enumerate() {
                let Some(t) = joined(&two[i], &two[i + 1], other) else {
                    continue;
                };
                let (sim, how) = token_similarity_inner(&t, other);
                if sim >= MIN_JOINED_SIM {
                    let (qr, cr) = if side_q {
                        ((i, 2), (j, 1))
                    } else {
                        ((j, 1), (i, 2))
                    };
                    out.push(Link {
                        sim,
                        q: qr,
                        c: cr,
                        how,
                    });
                }
            }
        }
    }
    out.sort_unstable_by(|x, y| {
        y.sim
            .total_cmp(&x.sim)
            .then(x.q.cmp(&y.q))
            .then(x.c.cmp(&y.c))
    });
}

thread_local! {
    /// The link buffer of [`align`], kept between calls (the hot path of
    /// screening aligns a query with every retrieved candidate).
    static LINKS: std::cell::RefCell<Vec<Link>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Weight of parts `r.0 .. r.0 + r.1`: a joined pair counts as one part.
fn range_weight(ts: &[Token], r: (usize, usize)) -> f64 {
    ts[r.0..r.0 + r.1]
        .iter()
        .map(|t| t.weight)
        .fold(0.0, f64::max)
}

fn range_text(ts: &[Token], r: (usize, usize)) -> String {
    ts[r.0..r.0 + r.1]
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_name_part(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word | TokenKind::Initial)
}

/// Weight of the "abd" half of an Abd-compound taken apart.
const ABD_HALF_WEIGHT: f64 = 0.3;

/// A part left over by the main alignment, as [`realign_abd`] sees it.
struct Piece {
    /// The token it comes from.
    index: usize,
    /// The part after "abd" of a compound taken apart (else the whole part).
    rest: Option<Token>,
}

/// Abd-compounds attached to another neighbour: "ABD AL-HADI AL-IRAQI"
/// turned round as "AL-HADI ABD AL-IRAQI" makes "abdhadi iraqi" on one side
/// and "hadi abdiraqi" on the other. When both sides have an "abd" left
/// over, compounds are taken apart and their other halves aligned with the
/// leftover parts; "Abd al-Rahman" and "Rahman" (no "abd" on one side) stay
/// different names. Returns the links (piece of q, piece of c, similarity),
/// the pieces, and how many "abd" halves pair up.
#[allow(clippy::type_complexity)]
fn realign_abd(
    q: &[Token],
    qa: &[bool],
    c: &[Token],
    ca: &[bool],
) -> Option<(Vec<(usize, usize, f64)>, Vec<Piece>, Vec<Piece>, usize)> {
    let is_compound = |t: &Token| {
        t.kind == TokenKind::Word
            && t.text.len() > 3
            && t.text.starts_with("abd")
            && !crate::normalize::is_abd_prefix(&t.text)
    };
    let is_lone = |t: &Token| crate::normalize::is_abd_prefix(&t.text);
    let abds = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .filter(|(t, u)| !**u && (is_compound(t) || is_lone(t)))
            .count()
    };
    let (aq, ac) = (abds(q, qa), abds(c, ca));
    if aq == 0 || ac == 0 {
        return None;
    }
    let pieces = |ts: &[Token], used: &[bool]| -> Vec<Piece> {
        let mut out = Vec::new();
        for (i, t) in ts.iter().enumerate() {
            if used[i] || t.kind != TokenKind::Word || is_lone(t) {
                continue;
            }
            let rest = is_compound(t).then(|| t.respelt(t.text[3..].to_string()));
            out.push(Piece { index: i, rest });
        }
        out
    };
    let (pq, pc) = (pieces(q, qa), pieces(c, ca));
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, a) in pq.iter().enumerate() {
        for (j, b) in pc.iter().enumerate() {
            // Whole parts against whole parts were compared already.
            if a.rest.is_none() && b.rest.is_none() {
                continue;
            }
            let ta = a.rest.as_ref().unwrap_or(&q[a.index]);
            let tb = b.rest.as_ref().unwrap_or(&c[b.index]);
            let (sim, _) = token_similarity_inner(ta, tb);
            if sim >= MIN_PART_SIM {
                cands.push((sim, i, j));
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut uq, mut uc) = (vec![false; pq.len()], vec![false; pc.len()]);
    let mut links = Vec::new();
    for (sim, i, j) in cands {
        if uq[i] || uc[j] {
            continue;
        }
        uq[i] = true;
        uc[j] = true;
        links.push((i, j, sim));
    }
    if links.is_empty() {
        return None;
    }
    Some((links, pq, pc, aq.min(ac)))
}

fn align(q: &[Token], c: &[Token], detail: bool) -> NameScore {
    let mut qa = vec![false; q.len()];
    let mut ca = vec![false; c.len()];
    let mut aligned = Vec::new();
    let mut any_word = false;
    let (mut num, mut den) = (0.0, 0.0);
    let free = |used: &[bool], r: (usize, usize)| used[r.0..r.0 + r.1].iter().all(|u| !u);
    let mut all = LINKS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    links(q, c, &mut all);
    for l in all.iter() {
        if !free(&qa, l.q) || !free(&ca, l.c) {
            continue;
        }
        qa[l.q.0..l.q.0 + l.q.1].iter_mut().for_each(|u| *u = true);
        ca[l.c.0..l.c.0 + l.c.1].iter_mut().for_each(|u| *u = true);
        let (tq, tc) = (&q[l.q.0], &c[l.c.0]);
        let joined = l.q.1 > 1 || l.c.1 > 1;
        if joined || (tq.kind == TokenKind::Word && tc.kind == TokenKind::Word) {
            any_word = true;
        }
        let w = range_weight(q, l.q) + range_weight(c, l.c);
        num += l.sim * w;
        den += w;
        if detail {
            aligned.push(AlignedPart {
                query: range_text(q, l.q),
                candidate: range_text(c, l.c),
                similarity: l.sim,
                how: if joined { PartMatch::Joined } else { l.how },
            });
        }
    }
    LINKS.with(|b| *b.borrow_mut() = all);
    // Abd-compounds attached to other neighbours on the two sides.
    let (mut extra_q, mut extra_c) = (0.0, 0.0);
    if let Some((links, pq, pc, abd_pairs)) = realign_abd(q, &qa, c, &ca) {
        any_word = true;
        for &(i, j, sim) in &links {
            let (a, b) = (&pq[i], &pc[j]);
            qa[a.index] = true;
            ca[b.index] = true;
            let w = q[a.index].weight + c[b.index].weight;
            num += sim * w;
            den += w;
            if detail {
                aligned.push(AlignedPart {
                    query: q[a.index].text.clone(),
                    candidate: c[b.index].text.clone(),
                    similarity: sim,
                    how: PartMatch::Joined,
                });
            }
        }
        // The "abd"s pair up. Halves of the compounds taken apart come first;
        // pairs beyond them were lone "abd"s, now matched; halves beyond the
        // pairs are extra particles.
        let hq = links.iter().filter(|l| pq[l.0].rest.is_some()).count();
        let hc = links.iter().filter(|l| pc[l.1].rest.is_some()).count();
        num += abd_pairs as f64 * 2.0 * ABD_HALF_WEIGHT;
        den += abd_pairs as f64 * 2.0 * ABD_HALF_WEIGHT;
        let match_lone = |ts: &[Token], used: &mut [bool], n: usize| {
            for (_, u) in ts
                .iter()
                .zip(used.iter_mut())
                .filter(|(t, u)| !**u && crate::normalize::is_abd_prefix(&t.text))
                .take(n)
            {
                *u = true;
            }
        };
        match_lone(q, &mut qa, abd_pairs.saturating_sub(hq));
        match_lone(c, &mut ca, abd_pairs.saturating_sub(hc));
        extra_q += hq.saturating_sub(abd_pairs) as f64 * ABD_HALF_WEIGHT;
        extra_c += hc.saturating_sub(abd_pairs) as f64 * ABD_HALF_WEIGHT;
    }
    let mut unmatched_query = Vec::new();
    let mut unmatched_candidate = Vec::new();
    // Unmatched weight on each side; and as evidence of a conflict, where a
    // name part counts fully however common it is (Muhammad against Ahmad
    // says "different person" as clearly as Pedro against Bernardo).
    let (mut uq, mut uc, mut kq, mut kc) = (0.0, 0.0, 0.0, 0.0);
    let conflict_weight = |t: &Token| {
        if t.kind == TokenKind::Word {
            t.weight.max(CONFLICT_FLOOR)
        } else {
            t.weight
        }
    };
    for (i, t) in q.iter().enumerate() {
        if !qa[i] {
            uq += t.weight;
            kq += conflict_weight(t);
            if detail {
                unmatched_query.push(t.text.clone());
            }
        }
    }
    for (j, t) in c.iter().enumerate() {
        if !ca[j] {
            uc += t.weight;
            kc += conflict_weight(t);
            if detail {
                unmatched_candidate.push(t.text.clone());
            }
        }
    }
    let unmatched_word = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .any(|(t, u)| !u && t.kind == TokenKind::Word)
    };
    uq += extra_q;
    uc += extra_c;
    let word_conflict = unmatched_word(q, &qa) && unmatched_word(c, &ca);
    let matched_parts = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .filter(|(t, u)| **u && is_name_part(t))
            .count()
    };
    let shared_parts = matched_parts(q, &qa).max(matched_parts(c, &ca));
    let numeric = |t: &Token| t.text.bytes().any(|b| b.is_ascii_digit());
    let number_conflict = q.iter().zip(&qa).any(|(t, m)| !m && numeric(t))
        && c.iter().zip(&ca).any(|(t, m)| !m && numeric(t));
    // Parts left over on both sides conflict (Pedro vs Bernardo: different
    // people); parts left over on one side only are missing (middle) names.
    let conflict = f64::min(kq, kc);
    let extra = uq + uc - 2.0 * f64::min(uq, uc);
    den += CONFLICT_COST * 2.0 * conflict + EXTRA_COST * extra;
    let mut score = if den > 0.0 { num / den } else { 0.0 };
    let words = |ts: &[Token]| ts.iter().filter(|t| is_name_part(t)).count();
    if shared_parts == 1 && (words(q) >= 2 || words(c) >= 2) {
        score *= if word_conflict {
            ONE_SHARED_PART_IN_CONFLICT
        } else {
            ONE_SHARED_PART
        };
    }
    // Only particles / legal forms / initials in common: not a name match.
    if !any_word {
        score = score.min(0.4);
    }
    // Different numbers (IMICO NEKA 455 / 456): different vessels or branches.
    if number_conflict {
        score = score.min(0.4);
    }
    // Concatenation fallback: "Abuhamza" vs "Abu Hamza", "Alqaida" vs "Al Qaida".
    let lq: usize = q.iter().map(|t| t.skel.len()).sum();
    let lc: usize = c.iter().map(|t| t.skel.len()).sum();
    let ml = lq.max(lc);
    // Only worth computing when it could beat the aligned score.
    if ml >= 4 && score < 0.9 && (lq.abs_diff(lc) as f64) <= 0.1 * ml as f64 {
        let cq: String = q.iter().map(|t| t.skel.as_str()).collect();
        let cc: String = c.iter().map(|t| t.skel.as_str()).collect();
        let sim = 1.0 - levenshtein(cq.as_bytes(), cc.as_bytes()) as f64 / ml as f64;
        if sim >= 0.9 && q.len() != c.len() {
            score = score.max(sim * 0.9);
        }
    }
    NameScore {
        score: score.clamp(0.0, 1.0),
        aligned,
        unmatched_query,
        unmatched_candidate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn score(a: &str, b: &str) -> f64 {
        score_tokens(&tokenize(a), &tokenize(b)).score
    }

    /// `expected`: true = at or above the default threshold.
    fn check(a: &str, b: &str, expected: bool) {
        let s = score(a, b);
        assert_eq!(
            s >= crate::DEFAULT_THRESHOLD,
            expected,
            "{a:?} vs {b:?}: {s:.3} ({})",
            score_tokens(&tokenize(a), &tokenize(b)).describe()
        );
        assert!((score(b, a) - s).abs() < 1e-9, "symmetric");
    }

    #[test]
    fn variants_match() {
        check(
            "Mohammed Salah al-Din Zaidan",
            "Muhammad Salahuddin Zeidan",
            true,
        );
        check("Abdul Rahman Yousef", "Abd al-Rahman Yusuf", true);
        check("Hussein Ahmed", "Husayn Ahmad", true);
        check("ZAIDAN, Mohamed", "Mohamed Zaidan", true);
        check("M. Zaidan", "Mohamed Zaidan", true);
        check("Mohamed Zaidna", "Mohamed Zaidan", true);
        check("محمد زيدان", "Mohamed Zaidan", true);
        check("Osama bin Laden", "Usama Ladin", true);
    }

    #[test]
    fn different_people_do_not() {
        check("Mohammed Zaidan", "Mohammed Haddad", false);
        // Relatives: the family names agree, the given names conflict.
        check("Pedro Antonio Marin", "Bernardo Antonio Marin Tobon", false);
        check("Carlos CASTANO GIL", "Jose Vicente CASTANO GIL", false);
        check("MOHAMMAD REZA NAQDI", "MOHAMMAD REZA ZAHEDI", false);
        check("Kyong Ok KIM", "Kyong Il KIM", false);
        assert!(
            score("Pedro Antonio Marin", "Bernardo Antonio Marin Tobon")
                < score("Pedro Antonio Marin", "Pedro Antonyo Marín")
        );
        // Names alike in their consonants but different names (the table).
        check("Mahmoud Ali", "Muhammad Ali", false);
        check("Hamid Salim", "Hamad Salim", false);
        check("Hasan Ali al-Tikriti", "Husayn Ali al-Tikriti", false);
        check("محمود علي", "محمد علي", false);
        check("John Smith", "Abdul Rahman Yousef", false);
        check("al-Zaidan", "al-Haddad", false);
        check("Abu Bakr", "Abu Hamza", false);
        check("IMICO NEKA 455", "IMICO NEKA 456", false);
    }

    #[test]
    fn words_written_together_or_apart() {
        check("AERO SKYONE CO. LIMITED", "AEROSKYONE CO. LTD", true);
        check("Abu Hamza al-Masri", "Abuhamza al-Masri", true);
        // "ABD AL-SALAM" turned round as "AL-SALAM, ... ABD".
        check("Said Jan ABD AL-SALAM", "AL-SALAM, Said Jan ABD", true);
        check("Salah ABDESLAM", "Salah Abdessalam", true);
        // Word order reversed: "abd" attached to another neighbour.
        check("AL-IRAQI, Abd al-Hadi", "al-Hadi Abd AL-IRAQI", true);
        check("SAID JAN ABD AL-SALAM", "AL-SALAM ABD JAN SAID", true);
        check("ABD AL-RAHMAN, Atiyah", "Atiyah AL-RAHMAN, ABD", true);
        // ... but Abd al-Rahman is not Rahman.
        check("Abd al-Rahman Ali Haddad", "Rahman Ali Haddad", false);
        // A mistyped Abdul still joins its partner.
        check("Adbul Aziz HAQQANI", "Abdul Aziz HAQQANI", true);
        check("Mati ur Rehman", "Mati-ur-Rehman", true);
    }

    #[test]
    fn arabic_script_and_its_regional_letters() {
        check(
            "Anwar Nasser Abdulla al-Aulaqi",
            "انور ناصر عبدالله العولقي",
            true,
        );
        check(
            "Faysal Ahmad bin Ali al-Zahrani",
            "فيصل احمد بن علي الزهراني",
            true,
        );
        check("Sanaullah Ghafari", "ثناء اللہ غفاری", true);
        check("Muhammad Omar Zadran", "محمد عمر ځدران", true);
        check("Mohammad Essa Akhund", "محمد عیسی آخوند", true);
    }

    #[test]
    fn transliteration_swaps() {
        check("Mutassim GADDAFI", "Mutassim GHATHAFI", true);
        check("Qasim Sulaymani", "Gasim Soleimani", true);
    }

    #[test]
    fn bounded_and_explained() {
        let ns = score_tokens(
            &tokenize("Mohamed Zaidan Extra"),
            &tokenize("Muhammad Zaidan"),
        );
        assert!((0.0..=1.0).contains(&ns.score));
        let d = ns.describe();
        assert!(d.contains("zaidan=zaidan"), "{d}");
        assert!(d.contains("spelling variant"), "{d}");
        assert!(d.contains("query parts not in listed name: extra"), "{d}");
        assert_eq!(score("", "Zaidan"), 0.0);
    }

    #[test]
    fn string_metrics() {
        assert_eq!(levenshtein(b"kitten", b"sitting"), 3);
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert_eq!(jaro_winkler("", ""), 1.0);
        assert_eq!(jaro_winkler("a", ""), 0.0);
    }
}
