//! The plenary report as a document (issue 18): a cover, then sections of
//! paragraphs, tables and charts, each with the marking of its most
//! restrictive source — already computed for one reader by the caller, so
//! nothing here can show what that reader may not read. Rendered to HTML
//! (printable, SVG charts, no JavaScript) and to PDF (Typst) from the same
//! value; the value is what a snapshot keeps, so a report regenerates
//! byte for byte.

use crate::charts;
use serde::{Deserialize, Serialize};

/// One report for one reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plenary {
    pub title: String,
    /// What it is for: the meeting, or "as of" its date.
    pub subtitle: String,
    /// The reader's member (code) and name.
    pub reader: String,
    pub reader_name: String,
    /// YYYY-MM-DD.
    pub as_of: String,
    /// The highest TLP of any source and the reader it is released to:
    /// `TLP:AMBER REL TO GBR`.
    pub banner: String,
    pub sections: Vec<Section>,
    /// The records that went into it: (kind, id, version).
    pub sources: Vec<(String, String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Its anchor (`summary`, `fund` …).
    pub id: String,
    pub title: String,
    /// The marking of its most restrictive source (`TLP:GREEN`).
    pub marking: String,
    /// Some of what it sums is not releasable to the reader.
    pub partial: bool,
    pub paragraphs: Vec<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Table {
        caption: String,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Which columns are numbers (set right-aligned).
        numeric: Vec<bool>,
    },
    Chart {
        title: String,
        unit: String,
        categories: Vec<String>,
        series: Vec<Series>,
    },
    /// A text in a language other than the report's (a statement's title
    /// in Arabic), set in its own direction.
    Quote {
        language: String,
        rtl: bool,
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub label: String,
    pub values: Vec<f64>,
}

const CSS: &str = include_str!("../../templates/plenary.css");

/// The report as one HTML document. `stylesheet`: the address of its
/// style sheet (a page of the node, whose policy refuses inline styles), or
/// `None` to carry the styles inline (a file on its own). `pdf`: the
/// address of the same report as PDF, for a page's toolbar (not printed).
pub fn html(p: &Plenary, stylesheet: Option<&str>, pdf: Option<&str>) -> String {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let charts: Vec<Vec<String>> = p
        .sections
        .iter()
        .map(|s| {
            s.blocks
                .iter()
                .map(|b| match b {
                    Block::Chart {
                        title,
                        unit,
                        categories,
                        series,
                    } => charts::bar_chart(
                        title,
                        unit,
                        categories,
                        &series
                            .iter()
                            .map(|s| (s.label.clone(), s.values.clone()))
                            .collect::<Vec<_>>(),
                    ),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let rendered = env
        .template_from_str(include_str!("../../templates/plenary.html"))
        .and_then(|t| {
            t.render(minijinja::context! {
                p => minijinja::Value::from_serialize(p),
                charts => charts,
                stylesheet => stylesheet,
                pdf => pdf,
                css => if stylesheet.is_none() { CSS } else { "" },
            })
        });
    // The template is compiled in and renders plain data: it cannot fail
    // but by a programming error, which the tests would show.
    rendered.unwrap_or_else(|e| format!("<!doctype html><p>report template error: {e}</p>"))
}

/// The report's style sheet (served by the web interface).
pub fn css() -> &'static str {
    CSS
}

/// A string as a Typst string literal.
fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The report as Typst markup: the fixed template reading the report's
/// figures as JSON data (never as markup, so no text of a record is ever
/// interpreted).
pub fn typst(p: &Plenary) -> String {
    let data = serde_json::to_string(p).unwrap_or_else(|_| "{}".into());
    format!(
        "#let data = json(bytes({}))\n{}",
        typst_string(&data),
        include_str!("../../templates/plenary.typ")
    )
}

/// The report as PDF.
pub fn pdf(p: &Plenary) -> Result<Vec<u8>, crate::ReportError> {
    crate::pdf(
        &typst(p),
        &p.as_of,
        &format!("plenary/{}/{}", p.reader, p.as_of),
    )
}

#[cfg(test)]
mod tests;
