//! Validation of a problem before it is solved: ids, quantities, windows,
//! priorities, cost model and units.

use std::collections::{HashMap, HashSet};

use super::{AllocateError, Priority, Problem, UnitMismatch, MAX_WEIGHT};

fn invalid(kind: &'static str, id: &str, reason: impl Into<String>) -> AllocateError {
    AllocateError::Invalid {
        kind,
        id: id.to_owned(),
        reason: reason.into(),
    }
}

/// Largest accepted quantity of one record.
pub const MAX_QUANTITY: i64 = 1 << 40;

pub(super) fn validate(p: &Problem) -> Result<(), AllocateError> {
    let c = &p.costs;
    for (name, v) in [
        ("per_day_late", c.per_day_late),
        ("per_distance_class", c.per_distance_class),
        ("split_penalty", c.split_penalty),
    ] {
        if !(0..=1_000_000).contains(&v) {
            return Err(invalid("cost model", name, "must be in 0..=1000000"));
        }
    }
    let mut seen = HashSet::new();
    type Units<'a> = HashMap<&'a str, (&'a str, &'static str, &'a str)>;
    fn check_unit<'a>(
        units: &mut Units<'a>,
        kind: &'static str,
        id: &'a str,
        cat: &'a str,
        unit: &'a str,
    ) -> Result<(), AllocateError> {
        let (u, k, i) = *units.entry(cat).or_insert((unit, kind, id));
        if !u.eq_ignore_ascii_case(unit) {
            return Err(AllocateError::UnitMismatch(Box::new(UnitMismatch {
                kind,
                id: id.to_owned(),
                unit: unit.to_owned(),
                category: cat.to_owned(),
                expected: u.to_owned(),
                other_kind: k,
                other_id: i.to_owned(),
            })));
        }
        Ok(())
    }
    let mut units: Units = HashMap::new();
    for r in &p.requirements {
        let k = "requirement";
        if r.id.trim().is_empty() {
            return Err(invalid(k, &r.id, "empty id"));
        }
        if !seen.insert(r.id.as_str()) {
            return Err(AllocateError::DuplicateId {
                kind: k,
                id: r.id.clone(),
            });
        }
        if r.category.trim().is_empty() {
            return Err(invalid(k, &r.id, "no category"));
        }
        if r.quantity < 0 {
            return Err(invalid(
                k,
                &r.id,
                format!("negative quantity {}", r.quantity),
            ));
        }
        if r.quantity > MAX_QUANTITY {
            return Err(invalid(
                k,
                &r.id,
                format!("quantity {} too large", r.quantity),
            ));
        }
        if r.place.trim().is_empty() {
            return Err(invalid(k, &r.id, "no place"));
        }
        if r.window.start > r.window.end {
            return Err(invalid(
                k,
                &r.id,
                format!("window {} ends before it starts", r.window),
            ));
        }
        match r.priority {
            Priority::Rank(x) if !(1..=5).contains(&x) => {
                return Err(invalid(k, &r.id, format!("priority {x} not in 1..=5")))
            }
            Priority::Weight(w) if w == 0 || w > MAX_WEIGHT => {
                return Err(invalid(
                    k,
                    &r.id,
                    format!("weight {w} not in 1..={MAX_WEIGHT}"),
                ))
            }
            _ => {}
        }
        check_unit(&mut units, k, &r.id, &r.category, &r.unit)?;
    }
    seen.clear();
    for o in &p.offers {
        let k = "offer";
        if o.id.trim().is_empty() {
            return Err(invalid(k, &o.id, "empty id"));
        }
        if !seen.insert(o.id.as_str()) {
            return Err(AllocateError::DuplicateId {
                kind: k,
                id: o.id.clone(),
            });
        }
        if o.category.trim().is_empty() {
            return Err(invalid(k, &o.id, "no category"));
        }
        if o.quantity < 0 {
            return Err(invalid(
                k,
                &o.id,
                format!("negative quantity {}", o.quantity),
            ));
        }
        if o.quantity > MAX_QUANTITY {
            return Err(invalid(
                k,
                &o.id,
                format!("quantity {} too large", o.quantity),
            ));
        }
        if o.window.start > o.window.end {
            return Err(invalid(
                k,
                &o.id,
                format!("window {} ends before it starts", o.window),
            ));
        }
        if let Some(pl) = o.deliver_to.iter().find(|pl| pl.distance_class > 1000) {
            return Err(invalid(
                k,
                &o.id,
                format!(
                    "distance class {} to {} above 1000",
                    pl.distance_class, pl.place
                ),
            ));
        }
        check_unit(&mut units, k, &o.id, &o.category, &o.unit)?;
    }
    Ok(())
}
