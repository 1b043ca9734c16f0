//! String measures: Jaro-Winkler (rescaled, and its cheap upper bound),
//! Levenshtein, and the weighted edit distance of consonant skeletons.

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
    let mut b_used = Scratch::<bool, 64>::new(b.len(), false);
    let b_used: &mut [bool] = &mut b_used;
    // Which characters of `a` matched, in order.
    let mut a_used = Scratch::<bool, 64>::new(a.len(), false);
    let a_used: &mut [bool] = &mut a_used;
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
pub(super) fn jw_rescaled(jw: f64) -> f64 {
    ((jw - 0.7) / 0.3).max(0.0)
}

/// An upper bound of [`jaro_winkler`] from letter counts, common prefix
/// and lengths (no matching window, no transpositions).
pub(super) fn jaro_winkler_upper_bound(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    // Letters fold into 32 buckets (a-z apart); a shared bucket can only
    // raise the count, so the bound holds.
    let mut counts = [0u32; 32];
    for &c in a {
        counts[usize::from(c & 31)] += 1;
    }
    // Without a branch: whether a letter of `b` finds one left in `a` is
    // as good as random, and a mispredicted branch costs more than this.
    let mut m = 0u32;
    for &c in b {
        let k = &mut counts[usize::from(c & 31)];
        let found = u32::from(*k > 0);
        *k -= found;
        m += found;
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
    let (mut prev_row, mut cur_row) = (
        Scratch::<usize, 32>::new(b.len() + 1, 0),
        Scratch::<usize, 32>::new(b.len() + 1, 0),
    );
    let (mut prev, mut cur): (&mut [usize], &mut [usize]) = (&mut prev_row, &mut cur_row);
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
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
/// j / zh / ch, b / p, b / v, v / f) cost less than a different letter.
pub(super) fn substitution_cost(x: u8, y: u8) -> f64 {
    if x == y {
        return 0.0;
    }
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    match (a, b) {
        (b'g', b'k') | (b'b', b'p') => 0.3,
        // b and v (w in skeletons): one Hebrew letter ב, one sound in
        // Spanish; too common a difference between Latin names (Vesna /
        // Bosnia) to let two start alike but from another script.
        (b'b', b'w') => 0.5,
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
    let (mut prev_row, mut cur_row) = (
        Scratch::<f64, 32>::new(b.len() + 1, 0.0),
        Scratch::<f64, 32>::new(b.len() + 1, 0.0),
    );
    let (mut prev, mut cur): (&mut [f64], &mut [f64]) = (&mut prev_row, &mut cur_row);
    for (j, &cb) in b.iter().enumerate() {
        prev[j + 1] = prev[j] + indel_cost(cb);
    }
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

/// `len` values, on the stack when `len` is at most `N` (the letters or
/// parts of all but a few names), else on the heap: the measures and the
/// alignment run for every pair of parts or names compared, where an
/// allocation would cost as much as the work.
pub(crate) enum Scratch<T, const N: usize> {
    Stack([T; N], usize),
    Heap(Vec<T>),
}

impl<T: Copy, const N: usize> Scratch<T, N> {
    pub(crate) fn new(len: usize, fill: T) -> Self {
        if len <= N {
            Scratch::Stack([fill; N], len)
        } else {
            Scratch::Heap(vec![fill; len])
        }
    }
}

impl<T, const N: usize> std::ops::Deref for Scratch<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Scratch::Stack(values, len) => &values[..*len],
            Scratch::Heap(values) => values,
        }
    }
}

impl<T, const N: usize> std::ops::DerefMut for Scratch<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Scratch::Stack(values, len) => &mut values[..*len],
            Scratch::Heap(values) => values,
        }
    }
}
