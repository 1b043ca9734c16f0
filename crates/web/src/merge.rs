//! The merge choice after a version conflict, for every form that edits
//! a versioned record: the fields that differ between the version saved
//! meanwhile and the writer's form, side by side, each with a box to keep
//! the newer value; the form is then saved against the newer version. A
//! form takes part by naming the fields a merge compares, in form order.

use crate::rel_to_tokens;
use minijinja::{context, Value};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A marking's REL TO as an edit form shows it: its tokens, sorted.
pub(crate) fn rel_to_field(m: &coalesce_domain::Marking) -> String {
    let mut rel_to: Vec<String> = m.rel_to.iter().map(|t| t.as_string()).collect();
    rel_to.sort();
    rel_to.join(" ")
}

/// An amount as an edit form shows it: a whole number, or money in major
/// units with its currency's decimals ("1500000.50").
pub(crate) fn amount_field(m: &coalesce_domain::needs::Measure) -> String {
    amount_field_of(m, m.amount())
}

/// `amount` in `m`'s terms, as [`amount_field`] shows it.
pub(crate) fn amount_field_of(m: &coalesce_domain::needs::Measure, amount: i64) -> String {
    match m {
        coalesce_domain::needs::Measure::Money { currency, .. } => {
            coalesce_exchange::money::format_minor(amount, currency)
        }
        coalesce_domain::needs::Measure::Quantity { .. } => amount.to_string(),
    }
}

/// The values a merge compares, field by field in `fields`' order: text
/// trimmed, an audience as its sorted tokens.
pub(crate) fn compared<'a, F: Serialize>(form: &F, fields: &[&'a str]) -> Vec<(&'a str, String)> {
    let v = serde_json::to_value(form).unwrap_or_default();
    fields
        .iter()
        .map(|&name| {
            let s = v[name].as_str().unwrap_or("").trim().to_string();
            let s = if name == "rel_to" {
                let mut t = rel_to_tokens(&s);
                t.sort();
                t.join(" ")
            } else {
                s
            };
            (name, s)
        })
        .collect()
}

/// `mine` with `chosen` taken from `from` (the newer version's form).
pub(crate) fn with_fields_of<F: Serialize + DeserializeOwned + Clone>(
    mine: &F,
    from: &F,
    chosen: &[&str],
) -> F {
    let mut merged = serde_json::to_value(mine).unwrap_or_default();
    let theirs = serde_json::to_value(from).unwrap_or_default();
    for f in chosen {
        // A field the newer version does not have (a row it lacks) is
        // taken as empty.
        let t = theirs.get(*f).cloned().unwrap_or_default();
        let t = if t.is_null() { String::new().into() } else { t };
        if let Some(m) = merged.as_object_mut() {
            m.insert((*f).to_string(), t);
        }
    }
    serde_json::from_value(merged).unwrap_or_else(|_| mine.clone())
}

/// The fields the writer chose to take from the newer version (the merge
/// choice's checkboxes, joined by the form extractor); names outside
/// `fields` are ignored.
pub(crate) fn chosen<'a>(take_theirs: &str, fields: &[&'a str]) -> Vec<&'a str> {
    take_theirs
        .split_whitespace()
        .filter_map(|t| fields.iter().find(|m| **m == t).copied())
        .collect()
}

/// A form that takes part in the merge choice: it carries the version it
/// was read at (`if_version`) and, after a conflict, the fields the writer
/// chose to take from the newer version (`take_theirs`); both hidden.
pub(crate) trait MergeForm: Serialize + DeserializeOwned + Clone {
    /// Its `take_theirs` and `if_version` fields.
    fn merge_state(&mut self) -> (&mut String, &mut String);
}

/// Makes forms with `take_theirs` and `if_version` fields [`MergeForm`]s.
macro_rules! merge_forms {
    ($($form:ty),+ $(,)?) => {
        $(impl crate::merge::MergeForm for $form {
            fn merge_state(&mut self) -> (&mut String, &mut String) {
                (&mut self.take_theirs, &mut self.if_version)
            }
        })+
    };
}
pub(crate) use merge_forms;

/// The writer's form with the fields they chose taken from `newer` (the
/// version the merge choice showed them), the choice then cleared.
pub(crate) fn taking_chosen<F: MergeForm>(mut f: F, newer: &F, fields: &[&str]) -> F {
    let (take_theirs, _) = f.merge_state();
    let take = chosen(take_theirs, fields);
    take_theirs.clear();
    if take.is_empty() {
        f
    } else {
        with_fields_of(&f, newer, &take)
    }
}

/// After a version conflict: the merge choice's context between `newer`
/// (the version saved meanwhile, as a form) and the writer's form, which
/// is then set to be saved next against that version, unless it changes
/// again.
pub(crate) fn against_newer<F: MergeForm>(
    f: &mut F,
    newer: &F,
    fields: &[&str],
    at: Newer<'_>,
    label: impl Fn(&str) -> String,
) -> Value {
    let version = at.version;
    let choice = conflict(newer, f, fields, at, label);
    *f.merge_state().1 = version.to_string();
    choice
}

/// The version saved meanwhile, as the page shows it.
pub(crate) struct Newer<'a> {
    pub version: i64,
    pub by: &'a str,
    pub at_ms: i64,
}

impl<'a> Newer<'a> {
    pub(crate) fn new(version: i64, by: &'a str, at_ms: i64) -> Self {
        Newer { version, by, at_ms }
    }

    /// The version a record of the layer is at now.
    pub(crate) fn of<B>(r: &'a coalesce_domain::record::Record<B>) -> Self {
        Newer {
            version: r.version,
            by: &r.updated_by,
            at_ms: r.updated_at_ms,
        }
    }
}

/// The merge choice's context: the newer version and the rows of the
/// fields that differ (`label` names a field in the reader's language).
pub(crate) fn conflict<F: Serialize>(
    newer: &F,
    yours: &F,
    fields: &[&str],
    at: Newer<'_>,
    label: impl Fn(&str) -> String,
) -> Value {
    let rows: Vec<_> = compared(newer, fields)
        .into_iter()
        .zip(compared(yours, fields))
        .filter(|((_, theirs), (_, yours))| theirs != yours)
        .map(|((field, theirs), (_, yours))| {
            context! { field, label => label(field), theirs, yours }
        })
        .collect();
    context! {
        version => at.version,
        by => at.by,
        at => coalesce_app::wire::rfc3339(at.at_ms),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default, Serialize, serde::Deserialize)]
    struct F {
        title: String,
        rel_to: String,
        note: String,
    }
    const FIELDS: &[&str] = &["title", "rel_to"];

    #[test]
    fn only_the_fields_that_differ_are_rows_and_an_audience_compares_as_a_set() {
        let newer = F {
            title: "New title".into(),
            rel_to: "GBR USA".into(),
            note: "x".into(),
        };
        let yours = F {
            title: " Old title ".into(),
            rel_to: "USA, GBR".into(),
            note: "y".into(),
        };
        let at = Newer {
            version: 3,
            by: "usa",
            at_ms: 0,
        };
        let c = conflict(&newer, &yours, FIELDS, at, |f| f.to_uppercase());
        let rows = c.get_attr("rows").expect("rows");
        assert_eq!(rows.len(), Some(1), "rel_to is the same set: {rows}");
        let row = rows.get_item(&Value::from(0)).expect("a row");
        assert_eq!(
            row.get_attr("field").expect("field").as_str(),
            Some("title")
        );
        assert_eq!(
            row.get_attr("label").expect("label").as_str(),
            Some("TITLE")
        );
        assert_eq!(
            row.get_attr("yours").expect("yours").as_str(),
            Some("Old title")
        );
    }

    #[test]
    fn the_chosen_fields_come_from_the_newer_version_and_only_named_ones() {
        let newer = F {
            title: "Theirs".into(),
            rel_to: "GBR".into(),
            note: "theirs".into(),
        };
        let mine = F {
            title: "Mine".into(),
            rel_to: "USA".into(),
            note: "mine".into(),
        };
        let take = chosen("rel_to note bogus", FIELDS);
        assert_eq!(take, vec!["rel_to"]);
        let merged = with_fields_of(&mine, &newer, &take);
        assert_eq!(merged.title, "Mine");
        assert_eq!(merged.rel_to, "GBR");
        assert_eq!(merged.note, "mine");
    }
}
