//! Duplicate detection: which standalone contributions overlap in category, place and time.

use super::*;

/// What duplicate detection needs of a standalone contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    pub id: String,
    pub category: String,
    pub place: Place,
    pub window: Window,
}

impl Footprint {
    /// Same country; the same first-level area and town where both name
    /// one (a contribution to "Iraq" overlaps one to "Iraq, Kirkuk").
    fn same_place(&self, other: &Footprint) -> bool {
        let (a, b) = (&self.place, &other.place);
        let admin_ok = match (&a.admin1, &b.admin1) {
            (Some(x), Some(y)) => x.pcode.eq_ignore_ascii_case(&y.pcode),
            _ => true,
        };
        let town_ok = match (&a.town, &b.town) {
            (Some(x), Some(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
            _ => true,
        };
        a.country == b.country && admin_ok && town_ok
    }

    /// Windows are inclusive date ranges in ISO form (text order is date order).
    fn same_time(&self, other: &Footprint) -> bool {
        self.window.start <= other.window.end && other.window.start <= self.window.end
    }
}

/// Groups of standalone contributions that likely duplicate each other:
/// the same item category, the same place and overlapping windows. Each
/// group lists indexes into `items`, in order, at least two per group; a
/// contribution is in at most one group (groups are the connected
/// components of the overlap relation). Sorting by (category, country,
/// window start) keeps the comparison to neighbours that can still
/// overlap, instead of all pairs.
pub fn overlapping_groups(items: &[Footprint]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&items[a], &items[b]);
        (&x.category, &x.place.country, &x.window.start).cmp(&(
            &y.category,
            &y.place.country,
            &y.window.start,
        ))
    });
    // Union-find over the overlap edges.
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (pos, &i) in order.iter().enumerate() {
        for &j in &order[pos + 1..] {
            let (a, b) = (&items[i], &items[j]);
            if a.category != b.category
                || a.place.country != b.place.country
                || b.window.start > a.window.end
            {
                break;
            }
            if a.same_place(b) && a.same_time(b) {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                if ri != rj {
                    parent[rj] = ri;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..items.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: &str, cat: &str, country: &str, town: Option<&str>, s: &str, e: &str) -> Footprint {
        Footprint {
            id: id.into(),
            category: cat.into(),
            place: Place::parse(country, None, town, None).expect("place"),
            window: Window::parse(s, e).expect("window"),
        }
    }

    #[test]
    fn same_category_place_and_time_are_grouped() {
        let items = [
            f(
                "a",
                "water",
                "IRQ",
                Some("Tikrit"),
                "2015-04-01",
                "2015-06-30",
            ),
            f(
                "b",
                "water",
                "IRQ",
                Some("tikrit"),
                "2015-06-01",
                "2015-07-31",
            ),
            f(
                "c",
                "water",
                "IRQ",
                Some("Mosul"),
                "2015-04-01",
                "2015-06-30",
            ),
            f(
                "d",
                "electricity",
                "IRQ",
                Some("Tikrit"),
                "2015-04-01",
                "2015-06-30",
            ),
            f("e", "water", "IRQ", None, "2015-07-15", "2015-08-01"),
            f(
                "g",
                "water",
                "IRQ",
                Some("Tikrit"),
                "2015-09-01",
                "2015-09-30",
            ),
        ];
        // a–b overlap in June; e (all of Iraq) overlaps b in July and c? no:
        // c ends in June. So {a, b, e} and nothing else.
        assert_eq!(overlapping_groups(&items), vec![vec![0, 1, 4]]);
    }

    #[test]
    fn nothing_overlaps_in_an_empty_or_single_list() {
        assert!(overlapping_groups(&[]).is_empty());
        let one = [f("a", "water", "IRQ", None, "2015-01-01", "2015-01-02")];
        assert!(overlapping_groups(&one).is_empty());
    }

    #[test]
    fn the_sweep_agrees_with_all_pairs() {
        // A deterministic pseudo-random set, checked against the quadratic definition.
        let towns = [None, Some("A"), Some("B")];
        let mut items = Vec::new();
        let mut x: u64 = 7;
        for i in 0..120 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let cat = if x >> 60 & 1 == 0 { "water" } else { "police" };
            let town = towns[(x >> 40) as usize % 3];
            let start = 1 + (x >> 20) % 25;
            let len = (x >> 10) % 4;
            items.push(f(
                &i.to_string(),
                cat,
                "IRQ",
                town,
                &format!("2015-01-{start:02}"),
                &format!("2015-01-{:02}", start + len),
            ));
        }
        let groups = overlapping_groups(&items);
        let group_of = |i: usize| groups.iter().position(|g| g.contains(&i));
        for i in 0..items.len() {
            for j in i + 1..items.len() {
                let (a, b) = (&items[i], &items[j]);
                if a.category == b.category && a.same_place(b) && a.same_time(b) {
                    assert!(
                        group_of(i).is_some() && group_of(i) == group_of(j),
                        "{i} {j}"
                    );
                }
            }
        }
    }
}
