//! Compatibility: the interned view of a problem and the check whether an
//! offer can serve a requirement, with the unit cost if it can.

use std::collections::HashMap;

use super::{Offer, Problem, Restriction, UnitCost};

/// Interned, validated view of a problem.
pub(super) struct Indexed<'a> {
    pub(super) p: &'a Problem,
    /// Requirement: (category, place, recipient, loe) ids.
    pub(super) req_keys: Vec<(u32, u32, u32, u32)>,
    /// Offer: category id.
    pub(super) offer_cat: Vec<u32>,
    /// Offer: (place id, distance class), sorted by place.
    offer_places: Vec<Vec<(u32, u32)>>,
    /// Offer: allowed recipients / lines of effort (None = any).
    offer_recipients: Vec<Option<Vec<u32>>>,
    offer_loes: Vec<Option<Vec<u32>>>,
    /// Requirements by category id.
    pub(super) reqs_by_cat: Vec<Vec<u32>>,
    /// Offers by category id.
    pub(super) offers_by_cat: Vec<Vec<u32>>,
}

#[derive(Default)]
struct Interner<'a> {
    map: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let n = self.map.len() as u32;
        *self.map.entry(s).or_insert(n)
    }
    fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }
}

/// Why an offer cannot serve a requirement (first failing check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mismatch {
    Window,
    Place,
    Restriction,
}

impl<'a> Indexed<'a> {
    pub(super) fn new(p: &'a Problem) -> Self {
        let mut cats = Interner::default();
        let mut places = Interner::default();
        let mut recips = Interner::default();
        let mut loes = Interner::default();
        let req_keys: Vec<_> = p
            .requirements
            .iter()
            .map(|r| {
                (
                    cats.id(&r.category),
                    places.id(&r.place),
                    recips.id(&r.recipient),
                    loes.id(&r.line_of_effort),
                )
            })
            .collect();
        let offer_cat: Vec<u32> = p.offers.iter().map(|o| cats.id(&o.category)).collect();
        // Places, recipients and lines of effort no requirement uses get no id:
        // they can never match.
        let offer_places = p
            .offers
            .iter()
            .map(|o| {
                let mut v: Vec<(u32, u32)> = o
                    .deliver_to
                    .iter()
                    .filter_map(|pl| places.get(&pl.place).map(|id| (id, pl.distance_class)))
                    .collect();
                v.sort_unstable();
                v.dedup_by_key(|x| x.0);
                v
            })
            .collect();
        let allowed = |o: &Offer, recipient: bool, int: &Interner| {
            let mut any = false;
            let mut v = Vec::new();
            for r in &o.restrictions {
                match (r, recipient) {
                    (Restriction::OnlyRecipient(x), true)
                    | (Restriction::OnlyLineOfEffort(x), false) => {
                        any = true;
                        if let Some(id) = int.get(x) {
                            v.push(id);
                        }
                    }
                    _ => {}
                }
            }
            any.then_some(v)
        };
        let offer_recipients = p.offers.iter().map(|o| allowed(o, true, &recips)).collect();
        let offer_loes = p.offers.iter().map(|o| allowed(o, false, &loes)).collect();
        let ncat = cats.map.len();
        let mut reqs_by_cat = vec![Vec::new(); ncat];
        for (i, k) in req_keys.iter().enumerate() {
            reqs_by_cat[k.0 as usize].push(i as u32);
        }
        let mut offers_by_cat = vec![Vec::new(); ncat];
        for (i, &c) in offer_cat.iter().enumerate() {
            offers_by_cat[c as usize].push(i as u32);
        }
        Indexed {
            p,
            req_keys,
            offer_cat,
            offer_places,
            offer_recipients,
            offer_loes,
            reqs_by_cat,
            offers_by_cat,
        }
    }

    /// Unit cost if offer `o` can serve requirement `r` (same category assumed).
    pub(super) fn check(&self, o: usize, r: usize) -> Result<UnitCost, Mismatch> {
        let offer = &self.p.offers[o];
        let req = &self.p.requirements[r];
        if !offer.window.overlaps(&req.window) {
            return Err(Mismatch::Window);
        }
        let (_, place, recip, loe) = self.req_keys[r];
        let places = &self.offer_places[o];
        let Ok(pi) = places.binary_search_by_key(&place, |x| x.0) else {
            return Err(Mismatch::Place);
        };
        if let Some(allowed) = &self.offer_recipients[o] {
            if !allowed.contains(&recip) {
                return Err(Mismatch::Restriction);
            }
        }
        if let Some(allowed) = &self.offer_loes[o] {
            if !allowed.contains(&loe) {
                return Err(Mismatch::Restriction);
            }
        }
        let c = &self.p.costs;
        let lead_days = (i64::from(offer.window.start.0) - i64::from(req.window.start.0)).max(0);
        let distance_class = places[pi].1;
        let split = offer.quantity < req.quantity;
        let total = lead_days * c.per_day_late
            + i64::from(distance_class) * c.per_distance_class
            + if split { c.split_penalty } else { 0 };
        Ok(UnitCost {
            lead_days,
            distance_class,
            split,
            total,
        })
    }
}
