//! Charts as standalone inline SVG strings, for server-rendered pages.
//!
//! Pure functions, no IO: give them numbers, get back one `<svg>` element that
//! a template inserts with `|safe`. Every piece of text that reaches the output
//! (titles, units, labels, tooltips) is XML-escaped first, so the `|safe`
//! is sound whatever the caller passes.
//!
//! - [`line_chart`]: an indicator over time — one or more series (straight or
//!   step segments), an optional baseline and targets, date ticks whose
//!   granularity (days, months or years) follows the span.
//! - [`bar_chart`]: grouped bars per category (e.g. pledged / committed /
//!   delivered per month).
//! - [`gap_bar`]: one requirement's requested amount against what is
//!   delivered, committed and pledged, with the gap underlined.
//!
//! **Why hand-written SVG and not `plotters`:** plotters lays text out itself,
//! so even with only the SVG backend it needs a font backend (`ttf`/`ab_glyph`
//! plus font files or font-kit) to measure labels — heavy dependencies for a
//! few hundred lines of string building. Here the browser lays text out; we
//! estimate label widths only to space ticks and avoid overlaps.
//!
//! Presentation: sizing by `viewBox` with `width="100%"`, so a chart scales to
//! its container; colours are presentation attributes (no CSS, no `id`s, so
//! several charts can share a page) from the Okabe–Ito colour-blind-safe
//! palette. Each chart carries `role="img"`, an `aria-label`, a `<title>` and a
//! `<desc>` summary; every point and bar carries a `<title>` tooltip. Numbers
//! use thousands separators (`1,234,567`); magnitudes of 10¹⁵ and more switch
//! to scientific notation so labels stay short.
//!
//! Non-finite values (NaN, ±∞) are skipped; when nothing is left to draw the
//! chart says so in words instead of drawing empty axes.

use std::fmt::Write as _;
use time::{Date, Month};

/// One observation of an indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub date: Date,
    pub value: f64,
}

/// A named line of observations. Points need not be sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
    /// Draw as steps (the value holds until the next observation — right for
    /// cumulative counts) rather than straight segments.
    pub step: bool,
}

impl Series {
    /// A series drawn with straight segments.
    pub fn new(label: impl Into<String>, points: Vec<Point>) -> Self {
        Series {
            label: label.into(),
            points,
            step: false,
        }
    }

    /// The same series drawn as steps.
    pub fn stepped(mut self) -> Self {
        self.step = true;
        self
    }
}

/// A value to reach by a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub date: Date,
    pub value: f64,
    pub label: String,
}

// ---------------------------------------------------------------------------
// Look

const W: f64 = 640.0;
const H: f64 = 360.0;
const TITLE_SIZE: f64 = 15.0;
const LABEL_SIZE: f64 = 12.0;
const TICK_SIZE: f64 = 11.0;
/// Okabe & Ito (2008), without yellow (too pale on white).
const PALETTE: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000",
];
const INK: &str = "#222222";
const MUTED: &str = "#555555";
const AXIS: &str = "#767676";
const GRID: &str = "#e4e4e4";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
/// Beyond this many points a series is drawn as a line only, without markers.
const MAX_MARKERS: usize = 200;
/// Values are clamped to this magnitude so that ranges stay finite.
const MAX_MAGNITUDE: f64 = 1e300;

/// `write!` into a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Escapes text for XML content and attribute values, dropping the control
/// characters that XML 1.0 does not allow at all.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Estimated rendered width of `s` at `size` px in a sans-serif font. Only
/// used for spacing; it errs on the wide side.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// Cuts `s` to at most `max_w` px (estimated), ending with an ellipsis.
fn fit(s: &str, max_w: f64, size: f64) -> String {
    if text_width(s, size) <= max_w {
        return s.to_string();
    }
    let keep = ((max_w / (size * 0.6)).floor() as usize).saturating_sub(1);
    let mut out: String = s.chars().take(keep).collect();
    out.push('…');
    out
}

/// Greedy word wrap into at most `max_lines` lines of `max_w` px.
fn wrap(s: &str, max_w: f64, size: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= max_w || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(format!("{rest}…"));
    }
    lines.into_iter().map(|l| fit(&l, max_w, size)).collect()
}

mod bar;
mod blocks;
mod line;
mod numbers;
#[cfg(test)]
mod tests;

pub use bar::{bar_chart, gap_bar};
use blocks::*;
pub use line::line_chart;
pub use numbers::format_number;
use numbers::*;
