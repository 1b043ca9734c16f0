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

// ---------------------------------------------------------------------------
// Numbers and dates

/// Formats `v` with `decimals` decimals and thousands separators
/// (`-1234.5` → `−1,234.5`). Magnitudes from 10¹⁵ use scientific notation.
pub fn format_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    let digits = if a >= 1e15 {
        format!("{a:.2e}")
    } else {
        let s = format!("{a:.decimals$}");
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s, None),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{grouped}.{f}"),
            None => grouped,
        }
    };
    // No "−0": only negative when something non-zero is shown.
    let shows_nonzero = digits.chars().any(|c| c.is_ascii_digit() && c != '0');
    if v < 0.0 && shows_nonzero {
        format!("−{digits}")
    } else {
        digits
    }
}

/// A value for people: up to two decimals, trailing zeros dropped.
fn format_value(v: f64) -> String {
    let s = format_number(v, 2);
    if s.contains('e') || !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn with_unit(number: String, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        number
    } else if unit.starts_with('%') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}

fn clamp_value(v: f64) -> f64 {
    v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(m: Month) -> &'static str {
    MONTHS[usize::from(u8::from(m)).saturating_sub(1) % 12]
}

/// `3 Sep 2014`.
fn format_day(d: Date) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

fn format_jd(jd: i32) -> String {
    match Date::from_julian_day(jd) {
        Ok(d) => format_day(d),
        Err(_) => String::from("?"),
    }
}

/// Months since year 0, so that month arithmetic is integer arithmetic.
fn month_index(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

fn first_of_month(index: i64) -> Option<Date> {
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DateStep {
    Days(i64),
    Months(i64),
    Years(i64),
}

impl DateStep {
    fn label(self, d: Date) -> String {
        match self {
            DateStep::Days(_) => format_day(d),
            DateStep::Months(_) => format!("{} {}", month_name(d.month()), d.year()),
            DateStep::Years(_) => d.year().to_string(),
        }
    }

    /// A typical label, to estimate how many fit.
    fn sample(self) -> &'static str {
        match self {
            DateStep::Days(_) => "30 Sep 2014",
            DateStep::Months(_) => "Sep 2014",
            DateStep::Years(_) => "2014",
        }
    }

    /// Tick dates within `[start, end]` (Julian days), at most `limit + 1` of them.
    fn ticks(self, start: i32, end: i32, limit: usize) -> Vec<Date> {
        let mut out = Vec::new();
        let (Ok(s), Ok(e)) = (Date::from_julian_day(start), Date::from_julian_day(end)) else {
            return out;
        };
        match self {
            DateStep::Days(k) => {
                let first = i64::from(start).div_euclid(k) * k;
                let first = if first < i64::from(start) {
                    first + k
                } else {
                    first
                };
                let mut jd = first;
                while jd <= i64::from(end) && out.len() <= limit {
                    if let Some(d) = i32::try_from(jd)
                        .ok()
                        .and_then(|j| Date::from_julian_day(j).ok())
                    {
                        out.push(d);
                    }
                    jd += k;
                }
            }
            DateStep::Months(k) => {
                let mut m = month_index(s) + i64::from(s.day() != 1);
                m = m.div_euclid(k) * k + if m.rem_euclid(k) == 0 { 0 } else { k };
                let last = month_index(e);
                while m <= last && out.len() <= limit {
                    if let Some(d) = first_of_month(m) {
                        out.push(d);
                    }
                    m += k;
                }
            }
            DateStep::Years(k) => {
                let mut y = i64::from(s.year()) + i64::from(s.ordinal() != 1);
                y = y.div_euclid(k) * k + if y.rem_euclid(k) == 0 { 0 } else { k };
                while y <= i64::from(e.year()) && out.len() <= limit {
                    if let Some(d) = first_of_month(y * 12) {
                        out.push(d);
                    }
                    y += k;
                }
            }
        }
        out
    }
}

/// Picks the finest date step whose labels fit in `width` px and returns its
/// ticks as (Julian day, label).
fn date_ticks(start: i32, end: i32, width: f64) -> Vec<(i32, String)> {
    let mut steps = vec![
        DateStep::Days(1),
        DateStep::Days(2),
        DateStep::Days(7),
        DateStep::Days(14),
        DateStep::Months(1),
        DateStep::Months(2),
        DateStep::Months(3),
        DateStep::Months(6),
    ];
    let mut k = 1;
    while k <= 10_000 {
        for m in [1, 2, 5] {
            steps.push(DateStep::Years(k * m));
        }
        k *= 10;
    }
    for step in steps {
        let fits = (width / (text_width(step.sample(), TICK_SIZE) + 14.0)).floor() as usize;
        let fits = fits.max(2);
        let ticks = step.ticks(start, end, fits);
        if ticks.len() <= fits {
            return ticks
                .into_iter()
                .map(|d| (d.to_julian_day(), step.label(d)))
                .collect();
        }
    }
    Vec::new()
}

/// A "nice" axis from `min` to `max` (always including 0): round bounds and a
/// step of 1, 2 or 5 × 10ⁿ giving at most about six intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    lo: f64,
    hi: f64,
    step: f64,
    decimals: usize,
}

impl Axis {
    fn new(min: f64, max: f64) -> Axis {
        let lo = min.min(0.0);
        let mut hi = max.max(0.0);
        if hi - lo <= 0.0 || !(hi - lo).is_normal() {
            hi = lo + 1.0;
        }
        let raw = (hi - lo) / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let f = raw / magnitude;
        let nice = if f <= 1.0 {
            1.0
        } else if f <= 2.0 {
            2.0
        } else if f <= 5.0 {
            5.0
        } else {
            10.0
        };
        let step = nice * magnitude;
        let lo = (lo / step).floor() * step;
        let hi = ((hi / step).ceil() * step).max(lo + step);
        let exponent = (step.log10() * 1e6).round() / 1e6;
        let decimals = if exponent >= 0.0 {
            0
        } else {
            ((-exponent.floor()) as usize).min(12)
        };
        Axis {
            lo,
            hi,
            step,
            decimals,
        }
    }

    fn ticks(&self) -> Vec<(f64, String)> {
        let n = ((self.hi - self.lo) / self.step).round().clamp(1.0, 50.0) as usize;
        (0..=n)
            .map(|i| {
                let v = self.lo + i as f64 * self.step;
                let v = if v.abs() < self.step * 1e-9 { 0.0 } else { v };
                (v, format_number(v, self.decimals))
            })
            .collect()
    }

    /// Maps a value to a y coordinate between `bottom` and `top`.
    fn y(&self, v: f64, top: f64, bottom: f64) -> f64 {
        bottom - (v - self.lo) / (self.hi - self.lo) * (bottom - top)
    }
}

// ---------------------------------------------------------------------------
// Building blocks

fn open_svg(out: &mut String, w: f64, h: f64, title: &str, desc: &str) {
    let t = escape(title);
    w!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" font-family="{FONT}" font-size="{LABEL_SIZE}"><title>{t}</title><desc>{d}</desc>"#,
        d = escape(desc)
    );
}

/// Title lines from the top; returns the y below them.
fn title_block(out: &mut String, title: &str) -> f64 {
    let mut y = 8.0;
    for line in wrap(title, W - 24.0, TITLE_SIZE, 2) {
        y += TITLE_SIZE + 4.0;
        w!(
            out,
            r#"<text x="12" y="{y}" font-size="{TITLE_SIZE}" font-weight="600" fill="{INK}">{}</text>"#,
            escape(&line)
        );
    }
    y
}

enum Swatch {
    Line,
    Square,
}

/// A legend in rows under the title; returns the y below it.
fn legend(out: &mut String, items: &[(String, &str)], swatch: Swatch, top: f64) -> f64 {
    let items: Vec<_> = items.iter().filter(|(l, _)| !l.trim().is_empty()).collect();
    if items.is_empty() {
        return top;
    }
    let (mut x, mut y) = (12.0, top + 14.0);
    out.push_str("<g>");
    for (label, col) in items {
        let label = fit(label, W / 2.0, LABEL_SIZE);
        let wdt = 22.0 + text_width(&label, LABEL_SIZE) + 16.0;
        if x > 12.0 && x + wdt > W - 12.0 {
            x = 12.0;
            y += 18.0;
        }
        match swatch {
            Swatch::Line => w!(
                out,
                r##"<line x1="{x}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="{col}" stroke-width="2.5"/><circle cx="{cx}" cy="{ly}" r="3.5" fill="{col}" stroke="#ffffff" stroke-width="1"/>"##,
                ly = y - 4.0,
                x2 = x + 16.0,
                cx = x + 8.0
            ),
            Swatch::Square => w!(
                out,
                r#"<rect x="{x}" y="{ry}" width="12" height="12" fill="{col}"/>"#,
                ry = y - 10.0
            ),
        }
        w!(
            out,
            r#"<text x="{tx}" y="{y}" fill="{INK}">{}</text>"#,
            escape(&label),
            tx = x + 22.0
        );
        x += wdt;
    }
    out.push_str("</g>");
    y + 6.0
}

/// The whole chart, when there is nothing to plot.
fn no_data(title: &str, message: &str) -> String {
    let mut out = String::new();
    open_svg(&mut out, W, H, title, message);
    let top = title_block(&mut out, title) + 12.0;
    w!(
        out,
        r##"<rect x="12" y="{top}" width="{rw}" height="{rh}" fill="#fafafa" stroke="{GRID}"/><text x="{cx}" y="{cy}" text-anchor="middle" font-size="14" fill="{MUTED}">{}</text></svg>"##,
        escape(message),
        rw = W - 24.0,
        rh = H - top - 12.0,
        cx = W / 2.0,
        cy = (top + H) / 2.0
    );
    out
}

/// The y axis: grid lines, tick labels and the rotated unit title.
fn y_axis(out: &mut String, axis: &Axis, unit: &str, left: f64, right: f64, top: f64, bottom: f64) {
    out.push_str("<g>");
    for (v, label) in axis.ticks() {
        let y = axis.y(v, top, bottom);
        let stroke = if v == 0.0 && axis.lo < 0.0 {
            AXIS
        } else {
            GRID
        };
        w!(
            out,
            r#"<line x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}" stroke="{stroke}" stroke-width="1"/><text x="{lx}" y="{y:.1}" dy="0.32em" text-anchor="end" font-size="{TICK_SIZE}" fill="{MUTED}">{}</text>"#,
            escape(&label),
            lx = left - 6.0
        );
    }
    if !unit.trim().is_empty() {
        let cy = (top + bottom) / 2.0;
        w!(
            out,
            r#"<text transform="rotate(-90)" x="{x:.1}" y="16" text-anchor="middle" fill="{INK}">{}</text>"#,
            escape(&fit(unit.trim(), bottom - top, LABEL_SIZE)),
            x = -cy
        );
    }
    w!(
        out,
        r#"<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/><line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/></g>"#
    );
}

/// Width of the left margin for these y tick labels (and the unit title).
fn left_margin(axis: &Axis, unit: &str) -> f64 {
    let widest = axis
        .ticks()
        .iter()
        .map(|(_, l)| text_width(l, TICK_SIZE))
        .fold(0.0, f64::max);
    let title = if unit.trim().is_empty() { 0.0 } else { 22.0 };
    10.0 + title + widest + 8.0
}

/// What labels must not cover: boxes of other labels and marks, and the
/// segments of the plotted lines.
#[derive(Default)]
struct Placed {
    boxes: Vec<[f64; 4]>,
    segments: Vec<[f64; 4]>,
}

/// Whether the segment `s` (x1, y1, x2, y2) crosses the box `b` (x0, y0, x1,
/// y1), by Liang–Barsky clipping.
fn segment_hits(b: &[f64; 4], s: &[f64; 4]) -> bool {
    let (dx, dy) = (s[2] - s[0], s[3] - s[1]);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, s[0] - b[0]),
        (dx, b[2] - s[0]),
        (-dy, s[1] - b[1]),
        (dy, b[3] - s[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return false;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return false;
                }
                t1 = t1.min(r);
            }
        }
    }
    true
}

impl Placed {
    /// Chooses the first candidate (x, y baseline, anchor-end?) whose box is
    /// inside `bounds` and free; else the first inside; else the first.
    fn place(
        &mut self,
        text: &str,
        size: f64,
        candidates: &[(f64, f64, bool)],
        bounds: [f64; 4],
    ) -> (f64, f64, bool) {
        let w = text_width(text, size);
        let boxed = |&(x, y, end): &(f64, f64, bool)| {
            let x0 = if end { x - w } else { x };
            [x0, y - size, x0 + w, y + size * 0.3]
        };
        let inside = |b: &[f64; 4]| {
            b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3]
        };
        let free = |b: &[f64; 4]| {
            self.boxes
                .iter()
                .all(|o| b[2] <= o[0] || b[0] >= o[2] || b[3] <= o[1] || b[1] >= o[3])
                && !self.segments.iter().any(|s| segment_hits(b, s))
        };
        let chosen = candidates
            .iter()
            .find(|c| {
                let b = boxed(c);
                inside(&b) && free(&b)
            })
            .or_else(|| candidates.iter().find(|c| inside(&boxed(c))))
            .or(candidates.first())
            .copied()
            .unwrap_or((bounds[0], bounds[3], false));
        self.boxes.push(boxed(&chosen));
        chosen
    }
}

/// Candidate label positions around a mark at (x, y): beside it on either
/// side, above then below, moving further away.
fn around(x: f64, y: f64) -> Vec<(f64, f64, bool)> {
    let mut out = Vec::new();
    for dy in [-8.0, 18.0, -24.0, 34.0, -40.0, 50.0] {
        out.push((x - 10.0, y + dy, true));
        out.push((x + 10.0, y + dy, false));
    }
    out
}

/// A label with a white halo so that it stays readable over lines.
fn halo_text(out: &mut String, x: f64, y: f64, end: bool, fill: &str, text: &str) {
    let anchor = if end { "end" } else { "start" };
    w!(
        out,
        r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" fill="{fill}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
        escape(text)
    );
}

// ---------------------------------------------------------------------------
// Line chart

/// Indicator chart: lines over time, an optional dashed baseline and targets
/// (a diamond at the target value on its date, a dashed drop line to the date
/// axis, and a label). The y axis runs from 0 (or the lowest value, if
/// negative) to a round number above the highest value, baseline or target;
/// its title is `unit`. Date ticks are days, months or years by span.
pub fn line_chart(
    title: &str,
    unit: &str,
    series: &[Series],
    baseline: Option<f64>,
    targets: &[Target],
) -> String {
    let lines: Vec<(&Series, Vec<(i32, f64)>)> = series
        .iter()
        .map(|s| {
            let mut pts: Vec<(i32, f64)> = s
                .points
                .iter()
                .filter(|p| p.value.is_finite())
                .map(|p| (p.date.to_julian_day(), clamp_value(p.value)))
                .collect();
            pts.sort_by_key(|p| p.0);
            (s, pts)
        })
        .collect();
    if lines.iter().all(|(_, pts)| pts.is_empty()) {
        return no_data(title, "No data to chart yet.");
    }
    let targets: Vec<(i32, f64, &Target)> = targets
        .iter()
        .filter(|t| t.value.is_finite())
        .map(|t| (t.date.to_julian_day(), clamp_value(t.value), t))
        .collect();
    let baseline = baseline.filter(|b| b.is_finite()).map(clamp_value);

    // Domains.
    let all_points = lines.iter().flat_map(|(_, pts)| pts.iter().copied());
    let values = all_points
        .clone()
        .map(|p| p.1)
        .chain(targets.iter().map(|t| t.1))
        .chain(baseline);
    let (ymin, ymax) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let days = all_points.map(|p| p.0).chain(targets.iter().map(|t| t.0));
    let (mut d0, mut d1) = days.fold((i32::MAX, i32::MIN), |(a, b), d| (a.min(d), b.max(d)));
    if d0 >= d1 {
        d0 = d0.saturating_sub(1);
        d1 = d1.saturating_add(1);
    }
    let axis = Axis::new(ymin, ymax);

    // Summary for screen readers.
    let mut desc = format!(
        "Line chart from {} to {}, in {}.",
        format_jd(d0),
        format_jd(d1),
        if unit.trim().is_empty() {
            "units"
        } else {
            unit.trim()
        }
    );
    for (s, pts) in &lines {
        if let (Some(first), Some(last)) = (pts.first(), pts.last()) {
            w!(
                desc,
                " {}: {} on {}, {} on {}.",
                if s.label.is_empty() {
                    "Series"
                } else {
                    &s.label
                },
                format_value(first.1),
                format_jd(first.0),
                format_value(last.1),
                format_jd(last.0)
            );
        }
    }
    if let Some(b) = baseline {
        w!(desc, " Baseline {}.", format_value(b));
    }
    for (d, v, t) in &targets {
        w!(
            desc,
            " Target {}: {} by {}.",
            t.label,
            format_value(*v),
            format_jd(*d)
        );
    }

    let mut out = String::new();
    open_svg(&mut out, W, H, title, &desc);
    let below_title = title_block(&mut out, title);
    let items: Vec<(String, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (s.label.clone(), colour(i)))
        .collect();
    let top = legend(&mut out, &items, Swatch::Line, below_title + 2.0) + 14.0;
    let left = left_margin(&axis, unit);
    let right = W - 28.0;
    let bottom = H - 34.0;
    y_axis(&mut out, &axis, unit, left, right, top, bottom);

    let pad = 12.0;
    let x =
        |jd: i32| left + pad + f64::from(jd - d0) / f64::from(d1 - d0) * (right - left - 2.0 * pad);
    let y = |v: f64| axis.y(v, top, bottom);

    // Date ticks.
    out.push_str("<g>");
    for (jd, label) in date_ticks(d0, d1, right - left - 2.0 * pad) {
        let tx = x(jd);
        let half = text_width(&label, TICK_SIZE) / 2.0;
        let lx = tx.clamp(half + 2.0, W - half - 2.0);
        w!(
            out,
            r#"<line x1="{tx:.1}" y1="{bottom}" x2="{tx:.1}" y2="{b5}" stroke="{AXIS}" stroke-width="1"/><text x="{lx:.1}" y="{ly}" text-anchor="middle" font-size="{TICK_SIZE}" fill="{MUTED}">{}</text>"#,
            escape(&label),
            b5 = bottom + 5.0,
            ly = bottom + 18.0
        );
    }
    out.push_str("</g>");

    let mut placed = Placed::default();
    let bounds = [left + 2.0, top, W - 4.0, bottom - 2.0];
    if axis.lo < 0.0 {
        let zy = y(0.0);
        placed.segments.push([left, zy, right, zy]);
    }

    if let Some(b) = baseline {
        let by = y(b);
        placed.segments.push([left, by, right, by]);
        w!(
            out,
            r#"<line x1="{left}" y1="{by:.1}" x2="{right}" y2="{by:.1}" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="6 4"><title>{}</title></line>"#,
            escape(&format!("Baseline: {}", with_unit(format_value(b), unit)))
        );
    }

    // Series, each in its own group.
    for (i, (s, pts)) in lines.iter().enumerate() {
        if pts.is_empty() {
            continue;
        }
        let col = colour(i);
        let name = if s.label.is_empty() {
            "Value"
        } else {
            &s.label
        };
        w!(out, r#"<g aria-label="{}">"#, escape(name));
        let mut d = String::new();
        let mut prev: Option<(f64, f64)> = None;
        for &(jd, v) in pts {
            let (px, py) = (x(jd), y(v));
            match prev {
                None => w!(d, "M{px:.1} {py:.1}"),
                Some((qx, qy)) if s.step => {
                    w!(d, " H{px:.1} V{py:.1}");
                    placed.segments.push([qx, qy, px, qy]);
                    placed.segments.push([px, qy, px, py]);
                }
                Some((qx, qy)) => {
                    w!(d, " L{px:.1} {py:.1}");
                    placed.segments.push([qx, qy, px, py]);
                }
            }
            if pts.len() <= MAX_MARKERS {
                placed.boxes.push([px - 4.0, py - 4.0, px + 4.0, py + 4.0]);
            }
            prev = Some((px, py));
        }
        w!(
            out,
            r#"<path d="{d}" fill="none" stroke="{col}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>"#
        );
        if pts.len() <= MAX_MARKERS {
            for &(jd, v) in pts {
                w!(
                    out,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="3.5" fill="{col}" stroke="#ffffff" stroke-width="1"><title>{}</title></circle>"##,
                    escape(&format!(
                        "{name}, {}: {}",
                        format_jd(jd),
                        with_unit(format_value(v), unit)
                    )),
                    cx = x(jd),
                    cy = y(v)
                );
            }
        }
        out.push_str("</g>");
    }

    // Targets: drop line, diamond, then labels once every mark is drawn.
    let mut target_labels = Vec::new();
    for &(jd, v, t) in &targets {
        let (tx, ty) = (x(jd), y(v));
        let text = format!(
            "{}: {} by {}",
            if t.label.trim().is_empty() {
                "Target"
            } else {
                t.label.trim()
            },
            with_unit(format_value(v), unit),
            format_jd(jd)
        );
        w!(
            out,
            r##"<g><line x1="{tx:.1}" y1="{bottom}" x2="{tx:.1}" y2="{ty:.1}" stroke="{INK}" stroke-width="1" stroke-dasharray="3 3"/><path d="M{tx:.1} {a:.1} L{r:.1} {ty:.1} L{tx:.1} {b:.1} L{l:.1} {ty:.1} Z" fill="#ffffff" stroke="{INK}" stroke-width="2"><title>{}</title></path></g>"##,
            escape(&text),
            a = ty - 6.0,
            b = ty + 6.0,
            l = tx - 6.0,
            r = tx + 6.0
        );
        placed.boxes.push([tx - 7.0, ty - 7.0, tx + 7.0, ty + 7.0]);
        placed.segments.push([tx, bottom, tx, ty]);
        target_labels.push((tx, ty, text));
    }
    for (tx, ty, text) in target_labels {
        let (lx, ly, end) = placed.place(&text, LABEL_SIZE, &around(tx, ty), bounds);
        halo_text(&mut out, lx, ly, end, INK, &text);
    }
    if let Some(b) = baseline {
        let by = y(b);
        let text = format!("Baseline: {}", with_unit(format_value(b), unit));
        let (lx, ly, end) = placed.place(
            &text,
            LABEL_SIZE,
            &[
                (right - 4.0, by - 6.0, true),
                (right - 4.0, by + 16.0, true),
                (left + 6.0, by - 6.0, false),
                (left + 6.0, by + 16.0, false),
                ((left + right) / 2.0, by - 6.0, false),
                ((left + right) / 2.0, by + 16.0, false),
            ],
            bounds,
        );
        halo_text(&mut out, lx, ly, end, MUTED, &text);
    }
    out.push_str("</svg>");
    out
}

// ---------------------------------------------------------------------------
// Bar chart

/// Grouped bars: one group per category (in the given order, e.g. months
/// "2014-09"), one bar per series. Values beyond the number of categories are
/// ignored, missing or non-finite values draw no bar. The y axis runs from 0
/// (or the lowest negative value) to a round maximum; its title is `unit`.
pub fn bar_chart(
    title: &str,
    unit: &str,
    categories: &[String],
    series: &[(String, Vec<f64>)],
) -> String {
    let n = categories.len();
    let value = |s: &(String, Vec<f64>), c: usize| {
        s.1.get(c)
            .copied()
            .filter(|v| v.is_finite())
            .map(clamp_value)
    };
    let finite: Vec<f64> = series
        .iter()
        .flat_map(|s| (0..n).filter_map(move |c| value(s, c)))
        .collect();
    if finite.is_empty() {
        return no_data(title, "No data to chart yet.");
    }
    let (ymin, ymax) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let axis = Axis::new(ymin, ymax);

    let mut desc = format!(
        "Bar chart of {} categories, from {} to {}, in {}.",
        n,
        categories.first().map(String::as_str).unwrap_or(""),
        categories.last().map(String::as_str).unwrap_or(""),
        if unit.trim().is_empty() {
            "units"
        } else {
            unit.trim()
        }
    );
    for s in series {
        let total: f64 = (0..n).filter_map(|c| value(s, c)).sum();
        w!(desc, " {} total {}.", s.0, format_value(total));
    }

    let mut out = String::new();
    open_svg(&mut out, W, H, title, &desc);
    let below_title = title_block(&mut out, title);
    let items: Vec<(String, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.0.clone(), colour(i)))
        .collect();
    let top = legend(&mut out, &items, Swatch::Square, below_title + 2.0) + 14.0;
    let left = left_margin(&axis, unit);
    let right = W - 16.0;
    let bottom = H - 34.0;
    y_axis(&mut out, &axis, unit, left, right, top, bottom);
    let y = |v: f64| axis.y(v, top, bottom);

    let band = (right - left) / n as f64;
    let group = band * 0.8;
    let bar = group / series.len().max(1) as f64;
    // Show every k-th category label so that they do not overlap.
    let widest = categories
        .iter()
        .map(|c| text_width(&fit(c, 120.0, TICK_SIZE), TICK_SIZE))
        .fold(0.0, f64::max);
    let needed = ((widest + 10.0) / band).ceil().max(1.0) as usize;
    // Round steps (good for months: quarters, halves, years).
    let every = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120]
        .into_iter()
        .find(|&k| k >= needed)
        .unwrap_or(needed);
    out.push_str("<g>");
    for (c, label) in categories.iter().enumerate() {
        if c % every != 0 {
            continue;
        }
        let cx = left + band * (c as f64 + 0.5);
        let label = fit(label, 120.0, TICK_SIZE);
        let half = text_width(&label, TICK_SIZE) / 2.0;
        w!(
            out,
            r#"<line x1="{cx:.1}" y1="{bottom}" x2="{cx:.1}" y2="{b5}" stroke="{AXIS}" stroke-width="1"/><text x="{lx:.1}" y="{ly}" text-anchor="middle" font-size="{TICK_SIZE}" fill="{MUTED}">{}</text>"#,
            escape(&label),
            b5 = bottom + 5.0,
            ly = bottom + 18.0,
            lx = cx.clamp(half + 2.0, W - half - 2.0)
        );
    }
    out.push_str("</g>");

    let zero = y(0.0);
    for (i, s) in series.iter().enumerate() {
        let col = colour(i);
        w!(out, r#"<g aria-label="{}" fill="{col}">"#, escape(&s.0));
        for (c, cat) in categories.iter().enumerate() {
            let Some(v) = value(s, c) else { continue };
            let bx = left + band * c as f64 + (band - group) / 2.0 + bar * i as f64;
            let (y0, y1) = (y(v).min(zero), y(v).max(zero));
            w!(
                out,
                r#"<rect x="{bx:.2}" y="{y0:.1}" width="{bw:.2}" height="{bh:.1}"><title>{}</title></rect>"#,
                escape(&format!(
                    "{}, {cat}: {}",
                    s.0,
                    with_unit(format_value(v), unit)
                )),
                bw = (bar - 1.0).max(bar * 0.85),
                bh = y1 - y0
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

// ---------------------------------------------------------------------------
// Gap bar

const GAP_W: f64 = 240.0;
const GAP_H: f64 = 18.0;
/// Delivered, committed, pledged, gap.
const GAP_COLOURS: [&str; 4] = ["#009E73", "#0072B2", "#E69F00", "#D55E00"];

/// One requirement at a glance (240 × 18): from the left, delivered (green),
/// committed but not yet delivered (blue) and pledged (orange) — the three
/// are disjoint, as in `coalesce_domain::needs::Summary` — over a grey track as
/// long as the request, whose end is marked by a dark tick. The gap
/// (requested − committed − delivered: pledges are not firm) is underlined in
/// vermillion. When more is offered than requested, the scale stretches so the
/// excess shows past the tick. Negative inputs count as 0.
pub fn gap_bar(requested: i64, pledged: i64, committed: i64, delivered: i64, unit: &str) -> String {
    let [r, p, c, d] = [requested, pledged, committed, delivered].map(|v| v.max(0));
    let firm = d.saturating_add(c);
    let offered = firm.saturating_add(p);
    let gap = r.saturating_sub(firm).max(0);
    let q = |v: i64| with_unit(format_number(v as f64, 0), unit);

    let mut text = if r == 0 {
        String::from("Nothing requested.")
    } else {
        format!("Requested {}.", q(r))
    };
    w!(
        text,
        " Delivered {}, committed {}, pledged {}.",
        format_number(d as f64, 0),
        format_number(c as f64, 0),
        format_number(p as f64, 0)
    );
    if gap > 0 {
        w!(text, " Gap {} (pledges do not close it).", q(gap));
    }
    if firm > r {
        w!(text, " Over-committed by {}.", q(firm - r));
    } else if offered > r {
        w!(text, " Over-pledged by {}.", q(offered - r));
    }

    let mut out = String::new();
    let t = escape(&text);
    w!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GAP_W} {GAP_H}" width="{GAP_W}" height="{GAP_H}" role="img" aria-label="{t}" font-family="{FONT}" font-size="11"><title>{t}</title>"#
    );
    let total = r.max(offered).max(1) as f64;
    let span = GAP_W - 4.0;
    let x = |v: i64| 2.0 + v as f64 / total * span;
    let (bar_y, bar_h) = (1.0, 11.0);
    w!(
        out,
        r##"<rect x="{x0}" y="{bar_y}" width="{tw:.2}" height="{bar_h}" fill="#e6e6e6"/>"##,
        x0 = x(0),
        tw = x(r) - x(0)
    );
    if r == 0 && offered == 0 {
        w!(
            out,
            r#"<text x="4" y="10" fill="{MUTED}">Nothing requested</text></svg>"#
        );
        return out;
    }
    let mut at = 0i64;
    for (i, (name, v)) in [("Delivered", d), ("Committed", c), ("Pledged", p)]
        .into_iter()
        .enumerate()
    {
        if v > 0 {
            let end = at.saturating_add(v);
            w!(
                out,
                r#"<rect x="{x0:.2}" y="{bar_y}" width="{bw:.2}" height="{bar_h}" fill="{col}"><title>{}</title></rect>"#,
                escape(&format!("{name}: {}", q(v))),
                x0 = x(at),
                bw = x(end) - x(at),
                col = GAP_COLOURS[i]
            );
            at = end;
        }
    }
    if gap > 0 {
        w!(
            out,
            r#"<rect x="{x0:.2}" y="14" width="{gw:.2}" height="3" fill="{col}"><title>{}</title></rect>"#,
            escape(&format!("Gap: {}", q(gap))),
            x0 = x(firm),
            gw = x(r) - x(firm),
            col = GAP_COLOURS[3]
        );
    }
    w!(
        out,
        r#"<line x1="{rx:.2}" y1="0" x2="{rx:.2}" y2="{GAP_H}" stroke="{INK}" stroke-width="2"><title>{}</title></line></svg>"#,
        escape(&format!("Requested: {}", q(r))),
        rx = x(r).clamp(1.0, GAP_W - 1.0)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::Reader;
    use time::macros::date;

    /// A parsed element: name, attributes, children and its own text.
    #[derive(Debug, Default)]
    struct El {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<El>,
        text: String,
    }

    impl El {
        fn attr(&self, k: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.as_str())
        }
        fn num(&self, k: &str) -> f64 {
            self.attr(k)
                .unwrap_or_else(|| panic!("{} has no {k}", self.name))
                .parse()
                .expect("number")
        }
        fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a El>) {
            if self.name == name {
                out.push(self);
            }
            for c in &self.children {
                c.all(name, out);
            }
        }
        fn find(&self, name: &str) -> Vec<&El> {
            let mut v = Vec::new();
            self.all(name, &mut v);
            v
        }
        fn title(&self) -> String {
            self.children
                .iter()
                .find(|c| c.name == "title")
                .map(|t| t.text.clone())
                .unwrap_or_default()
        }
        /// Text of every <text> element.
        fn texts(&self) -> Vec<String> {
            self.find("text").iter().map(|t| t.text.clone()).collect()
        }
    }

    /// Parses `svg` strictly: well-formed, one root `<svg>`, every element closed.
    fn parse(svg: &str) -> El {
        fn element(e: &quick_xml::events::BytesStart) -> El {
            El {
                name: String::from_utf8(e.name().as_ref().to_vec()).expect("utf8"),
                attrs: e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("well-formed attribute");
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).expect("utf8"),
                            a.unescape_value().expect("escaped value").into_owned(),
                        )
                    })
                    .collect(),
                ..El::default()
            }
        }
        let mut reader = Reader::from_str(svg);
        let mut stack: Vec<El> = Vec::new();
        let mut root = None;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => stack.push(element(&e)),
                Event::Empty(e) => {
                    let el = element(&e);
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => panic!("element outside the root"),
                    }
                }
                Event::End(_) => {
                    let el = stack.pop().expect("open element");
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => {
                            assert!(root.is_none(), "two roots");
                            root = Some(el);
                        }
                    }
                }
                Event::Text(t) => {
                    let text = t.unescape().expect("escaped text");
                    match stack.last_mut() {
                        Some(el) => el.text.push_str(&text),
                        None => assert!(text.trim().is_empty(), "text outside the root"),
                    }
                }
                Event::Eof => break,
                other => panic!("unexpected XML event {other:?}"),
            }
        }
        assert!(stack.is_empty(), "unclosed elements");
        let root = root.expect("a root element");
        assert_eq!(root.name, "svg");
        assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
        assert!(root.attr("viewBox").is_some());
        root
    }

    fn pt(date: Date, value: f64) -> Point {
        Point { date, value }
    }

    fn airstrikes() -> Vec<Point> {
        vec![
            pt(date!(2014 - 10 - 01), 300.0),
            pt(date!(2014 - 08 - 08), 10.0),
            pt(date!(2014 - 09 - 01), 120.0),
            pt(date!(2014 - 11 - 01), 800.0),
            pt(date!(2014 - 12 - 01), 1_400.0),
            pt(date!(2015 - 01 - 15), 2_050.0),
        ]
    }

    #[test]
    fn points_follow_dates_and_values() {
        let svg = line_chart(
            "Coalition airstrikes",
            "strikes (cumulative)",
            &[Series::new("Airstrikes", airstrikes()).stepped()],
            None,
            &[],
        );
        let root = parse(&svg);
        let circles = root.find("circle");
        // Legend swatch circle has no title; data points do.
        let points: Vec<_> = circles.iter().filter(|c| !c.title().is_empty()).collect();
        assert_eq!(points.len(), 6);
        // Sorted defensively: x strictly increases with the date.
        for pair in points.windows(2) {
            assert!(pair[0].num("cx") < pair[1].num("cx"), "{pair:?}");
            // And, the series rising, y decreases.
            assert!(pair[0].num("cy") > pair[1].num("cy"));
        }
        let highest = points
            .iter()
            .min_by(|a, b| a.num("cy").total_cmp(&b.num("cy")))
            .expect("points");
        assert_eq!(
            highest.title(),
            "Airstrikes, 15 Jan 2015: 2,050 strikes (cumulative)"
        );
        assert!(points[0].title().contains("8 Aug 2014"));
        // The axis reaches a round maximum above 2,050 with separators.
        let texts = root.texts();
        assert!(texts.iter().any(|t| t == "2,500"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "0"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "strikes (cumulative)"));
        for month in ["Sep 2014", "Oct 2014", "Nov 2014", "Dec 2014", "Jan 2015"] {
            assert!(texts.iter().any(|t| t == month), "{month} in {texts:?}");
        }
    }

    #[test]
    fn targets_and_baseline_are_drawn_and_included_in_the_axis() {
        let svg = line_chart(
            "Share of territory held",
            "%",
            &[Series::new(
                "Territory held",
                vec![
                    pt(date!(2015 - 01 - 01), 40.0),
                    pt(date!(2016 - 06 - 01), 14.0),
                ],
            )],
            Some(40.0),
            &[Target {
                date: date!(2016 - 12 - 31),
                value: 10.0,
                label: "Target".into(),
            }],
        );
        let root = parse(&svg);
        let texts = root.texts();
        assert!(
            texts.iter().any(|t| t == "Target: 10% by 31 Dec 2016"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t == "Baseline: 40%"), "{texts:?}");
        assert!(root
            .find("path")
            .iter()
            .any(|p| p.title().starts_with("Target")));
        // The target date extends the x axis past the last point.
        let points: Vec<_> = root
            .find("circle")
            .into_iter()
            .filter(|c| !c.title().is_empty())
            .collect();
        let diamond = root
            .find("path")
            .into_iter()
            .find(|p| p.title().starts_with("Target"))
            .expect("target marker");
        let dx: f64 = diamond
            .attr("d")
            .and_then(|d| d.trim_start_matches('M').split(' ').next())
            .and_then(|x| x.parse().ok())
            .expect("diamond x");
        assert!(points.iter().all(|p| p.num("cx") < dx));
        // Over 2 years: month steps of 3 or 6, labelled with month and year.
        assert!(texts.iter().any(|t| t == "Jan 2016"), "{texts:?}");
    }

    #[test]
    fn values_above_the_baseline_raise_the_axis() {
        let svg = line_chart(
            "t",
            "u",
            &[Series::new("s", vec![pt(date!(2020 - 01 - 01), 3.0)])],
            Some(12.0),
            &[Target {
                date: date!(2020 - 02 - 01),
                value: 70.0,
                label: String::new(),
            }],
        );
        let texts = parse(&svg).texts();
        assert!(texts.iter().any(|t| t == "80"), "{texts:?}");
    }

    #[test]
    fn text_is_escaped() {
        let nasty = r#"<script>alert("x")</script> & 'q'"#;
        let svg = line_chart(
            nasty,
            nasty,
            &[Series::new(nasty, vec![pt(date!(2020 - 01 - 01), 1.0)])],
            None,
            &[Target {
                date: date!(2020 - 01 - 02),
                value: 2.0,
                label: nasty.into(),
            }],
        );
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
        let root = parse(&svg);
        assert_eq!(root.attr("aria-label"), Some(nasty));
        assert!(root.find("script").is_empty());
        let bars = bar_chart(nasty, nasty, &[nasty.into()], &[(nasty.into(), vec![1.0])]);
        assert!(!bars.contains("<script"));
        parse(&bars);
        let gap = gap_bar(10, 1, 2, 3, nasty);
        assert!(!gap.contains("<script"));
        parse(&gap);
        // Control characters are not allowed in XML at all.
        parse(&line_chart("a\u{1}b\u{0}", "", &[], None, &[]));
    }

    #[test]
    fn empty_and_non_finite_input_says_no_data() {
        let only_nan = [Series::new(
            "s",
            vec![
                pt(date!(2020 - 01 - 01), f64::NAN),
                pt(date!(2020 - 01 - 02), f64::INFINITY),
            ],
        )];
        for svg in [
            line_chart("Empty", "u", &[], None, &[]),
            line_chart("Empty", "u", &[Series::new("s", vec![])], Some(1.0), &[]),
            line_chart("NaN", "u", &only_nan, None, &[]),
            bar_chart("Empty", "u", &[], &[]),
            bar_chart("Empty", "u", &["2014-09".into()], &[]),
            bar_chart("NaN", "u", &["a".into()], &[("s".into(), vec![f64::NAN])]),
        ] {
            let root = parse(&svg);
            assert!(
                root.texts().iter().any(|t| t == "No data to chart yet."),
                "{svg}"
            );
            assert!(root.find("circle").is_empty() && root.find("path").is_empty());
        }
    }

    #[test]
    fn non_finite_points_are_skipped() {
        let svg = line_chart(
            "t",
            "u",
            &[Series::new(
                "s",
                vec![
                    pt(date!(2020 - 01 - 01), 1.0),
                    pt(date!(2020 - 01 - 02), f64::NAN),
                    pt(date!(2020 - 01 - 03), f64::NEG_INFINITY),
                    pt(date!(2020 - 01 - 04), 2.0),
                ],
            )],
            Some(f64::NAN),
            &[Target {
                date: date!(2020 - 01 - 05),
                value: f64::INFINITY,
                label: "x".into(),
            }],
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let root = parse(&svg);
        let n = root
            .find("circle")
            .iter()
            .filter(|c| !c.title().is_empty())
            .count();
        assert_eq!(n, 2);
        assert!(!root.texts().iter().any(|t| t.starts_with("Baseline")));
    }

    #[test]
    fn degenerate_ranges_still_chart() {
        let d = date!(2016 - 03 - 15);
        let cases: Vec<Vec<Point>> = vec![
            vec![pt(d, 5.0)],
            vec![pt(d, 0.0), pt(d.next_day().expect("day"), 0.0)],
            vec![pt(d, 7.0), pt(date!(2016 - 09 - 01), 7.0)],
            vec![pt(d, 1e12), pt(date!(2017 - 01 - 01), 2.5e12)],
            vec![pt(d, -30.0), pt(date!(2017 - 01 - 01), 20.0)],
            vec![pt(d, -5.0), pt(date!(2017 - 01 - 01), -1.0)],
            vec![pt(d, 1e308), pt(date!(2017 - 01 - 01), -1e308)],
            vec![pt(d, 1e-9), pt(date!(2017 - 01 - 01), 3e-9)],
        ];
        for pts in cases {
            let svg = line_chart("t", "u", &[Series::new("s", pts.clone())], None, &[]);
            let root = parse(&svg);
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            let circles: Vec<_> = root
                .find("circle")
                .into_iter()
                .filter(|c| !c.title().is_empty())
                .collect();
            assert_eq!(circles.len(), pts.len());
            for c in circles {
                let (x, y) = (c.num("cx"), c.num("cy"));
                assert!((0.0..=W).contains(&x) && (0.0..=H).contains(&y), "{svg}");
            }
        }
        // Huge values get separators; negative ones a minus sign and a zero line.
        let texts = parse(&line_chart(
            "t",
            "USD",
            &[Series::new(
                "s",
                vec![pt(d, 1e12), pt(date!(2017 - 01 - 01), 2.5e12)],
            )],
            None,
            &[],
        ))
        .texts();
        assert!(texts.iter().any(|t| t == "1,000,000,000,000"), "{texts:?}");
        let texts = parse(&line_chart(
            "t",
            "°C",
            &[Series::new(
                "s",
                vec![pt(d, -30.0), pt(date!(2017 - 01 - 01), 20.0)],
            )],
            None,
            &[],
        ))
        .texts();
        assert!(texts.iter().any(|t| t == "−30"), "{texts:?}");
    }

    #[test]
    fn date_ticks_follow_the_span() {
        let ticks = |a: Date, b: Date| -> Vec<String> {
            date_ticks(a.to_julian_day(), b.to_julian_day(), 540.0)
                .into_iter()
                .map(|t| t.1)
                .collect()
        };
        // A week: days.
        let t = ticks(date!(2014 - 09 - 01), date!(2014 - 09 - 05));
        assert_eq!(
            t,
            [
                "1 Sep 2014",
                "2 Sep 2014",
                "3 Sep 2014",
                "4 Sep 2014",
                "5 Sep 2014"
            ]
        );
        // Five months: every month.
        let t = ticks(date!(2014 - 08 - 08), date!(2015 - 01 - 15));
        assert_eq!(
            t,
            ["Sep 2014", "Oct 2014", "Nov 2014", "Dec 2014", "Jan 2015"]
        );
        // Twenty years: whole years, a few of them.
        let t = ticks(date!(1996 - 05 - 01), date!(2016 - 05 - 01));
        assert!(t.len() >= 4 && t.len() <= 12, "{t:?}");
        assert!(
            t.iter().all(|l| l.len() == 4 && l.parse::<i32>().is_ok()),
            "{t:?}"
        );
        assert!(t.contains(&"2000".to_string()) && t.contains(&"2010".to_string()));
        // One day (the chart pads a single date by a day each side).
        let d = date!(2014 - 09 - 03).to_julian_day();
        let t: Vec<String> = date_ticks(d - 1, d + 1, 540.0)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert!(t.contains(&"3 Sep 2014".to_string()), "{t:?}");
        // Ten thousand years does not loop for ever.
        let t = date_ticks(
            date!(-9000 - 01 - 01).to_julian_day(),
            date!(9000 - 01 - 01).to_julian_day(),
            540.0,
        );
        assert!(!t.is_empty() && t.len() < 20, "{t:?}");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(format_number(0.0, 0), "0");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(1000.0, 0), "1,000");
        assert_eq!(format_number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_number(-1234.0, 0), "−1,234");
        assert_eq!(format_number(-0.001, 1), "0.0");
        assert_eq!(format_number(2e15, 0), "2.00e15");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(2000.0), "2,000");
        assert_eq!(with_unit("10".into(), "%"), "10%");
        assert_eq!(with_unit("10".into(), "tents"), "10 tents");
        let axis = Axis::new(0.0, 0.37);
        let labels: Vec<_> = axis.ticks().into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["0.0", "0.1", "0.2", "0.3", "0.4"]);
    }

    #[test]
    fn bars_are_grouped_and_proportional() {
        let cats: Vec<String> = ["2014-09", "2014-10", "2014-11"].map(String::from).into();
        let svg = bar_chart(
            "Tents per month",
            "tents",
            &cats,
            &[
                ("Pledged".into(), vec![100.0, 200.0, 400.0]),
                ("Committed".into(), vec![50.0, f64::NAN, 300.0]),
                ("Delivered".into(), vec![0.0, 100.0]),
            ],
        );
        let root = parse(&svg);
        let bars: Vec<_> = root
            .find("rect")
            .into_iter()
            .filter(|r| !r.title().is_empty())
            .collect();
        assert_eq!(bars.len(), 3 + 2 + 2);
        let by = |t: &str| {
            bars.iter()
                .find(|b| b.title() == t)
                .unwrap_or_else(|| panic!("{t}"))
                .num("height")
        };
        let h100 = by("Pledged, 2014-09: 100 tents");
        let h400 = by("Pledged, 2014-11: 400 tents");
        assert!((h400 / h100 - 4.0).abs() < 0.05, "{h100} {h400}");
        assert_eq!(by("Delivered, 2014-09: 0 tents"), 0.0);
        // Bars of one category sit side by side, categories left to right.
        let x = |t: &str| {
            bars.iter()
                .find(|b| b.title() == t)
                .map(|b| b.num("x"))
                .expect("bar")
        };
        assert!(x("Pledged, 2014-09: 100 tents") < x("Committed, 2014-09: 50 tents"));
        assert!(x("Committed, 2014-09: 50 tents") < x("Pledged, 2014-10: 200 tents"));
        let texts = root.texts();
        for t in [
            "2014-09",
            "2014-10",
            "2014-11",
            "tents",
            "Pledged",
            "Delivered",
            "400",
        ] {
            assert!(texts.iter().any(|x| x == t), "{t} in {texts:?}");
        }
    }

    #[test]
    fn many_categories_thin_their_labels() {
        let cats: Vec<String> = (0..60)
            .map(|i| format!("{}-{:02}", 2010 + i / 12, i % 12 + 1))
            .collect();
        let svg = bar_chart("t", "u", &cats, &[("s".into(), vec![1.0; 60])]);
        let root = parse(&svg);
        let shown = root
            .texts()
            .into_iter()
            .filter(|t| t.starts_with("201"))
            .count();
        assert!((3..=12).contains(&shown), "{shown}");
    }

    /// Every horizontal label lies inside the viewBox, by the same width
    /// estimate that spaces them.
    #[test]
    fn labels_are_not_clipped() {
        let long =
            "A very long indicator title that goes on and on about the share of territory held";
        let charts = [
            line_chart(
                long,
                "% of territory",
                &[Series::new(
                    format!("{long}, {long}"),
                    vec![
                        pt(date!(2015 - 01 - 01), 40.0),
                        pt(date!(2017 - 06 - 01), 7.0),
                    ],
                )],
                Some(40.0),
                &[Target {
                    date: date!(2017 - 06 - 01),
                    value: 10.0,
                    label: "Target with a long label".into(),
                }],
            ),
            line_chart(
                "t",
                "u",
                &[Series::new("s", vec![pt(date!(2014 - 09 - 03), -1e14)])],
                None,
                &[],
            ),
            bar_chart(
                long,
                "u",
                &[long.into(), "b".into()],
                &[(long.into(), vec![1.0, 2.0])],
            ),
        ];
        for svg in charts {
            let root = parse(&svg);
            for t in root.find("text") {
                if t.attr("transform").is_some() {
                    continue;
                }
                let size = t
                    .attr("font-size")
                    .map_or(LABEL_SIZE, |s| s.parse().expect("size"));
                let w = text_width(&t.text, size);
                let x = t.num("x");
                let x0 = match t.attr("text-anchor") {
                    Some("end") => x - w,
                    Some("middle") => x - w / 2.0,
                    _ => x,
                };
                assert!(
                    x0 >= 0.0 && x0 + w <= W,
                    "{:?} clipped at {x0}..{}",
                    t.text,
                    x0 + w
                );
                assert!(t.num("y") <= H && t.num("y") >= size, "{:?}", t.text);
            }
        }
    }

    /// Width of the segment whose tooltip starts with `name`.
    fn segment(root: &El, name: &str) -> Option<f64> {
        root.find("rect")
            .into_iter()
            .find(|r| r.title().starts_with(name))
            .map(|r| r.num("width"))
    }

    #[test]
    fn gap_bar_is_proportional() {
        let root = parse(&gap_bar(1000, 100, 200, 300, "tents"));
        let d = segment(&root, "Delivered").expect("delivered");
        let c = segment(&root, "Committed").expect("committed");
        let p = segment(&root, "Pledged").expect("pledged");
        let g = segment(&root, "Gap").expect("gap");
        assert!((d / p - 3.0).abs() < 0.01 && (c / p - 2.0).abs() < 0.01);
        // Gap = 1000 − 300 − 200 = 500: pledges do not close it.
        assert!((g / p - 5.0).abs() < 0.01);
        // The whole request spans the width.
        assert!((p / (GAP_W - 4.0) - 0.1).abs() < 0.001);
        let label = root.attr("aria-label").expect("label");
        assert_eq!(
            label,
            "Requested 1,000 tents. Delivered 300, committed 200, pledged 100. \
             Gap 500 tents (pledges do not close it)."
        );
        assert_eq!(root.attr("width"), Some("240"));
        assert_eq!(root.attr("height"), Some("18"));
    }

    #[test]
    fn gap_bar_shows_over_pledging() {
        let root = parse(&gap_bar(100, 150, 0, 50, "kits"));
        let label = root.attr("aria-label").expect("label").to_string();
        assert!(label.contains("Over-pledged by 100 kits"), "{label}");
        assert!(label.contains("Gap 50 kits"), "{label}");
        // Scale stretches to 200: the request marker sits at half the width.
        let marker = root.find("line").into_iter().next().expect("marker");
        assert!((marker.num("x1") - (2.0 + (GAP_W - 4.0) / 2.0)).abs() < 0.01);
        let p = segment(&root, "Pledged").expect("pledged");
        assert!((p / (GAP_W - 4.0) - 0.75).abs() < 0.001);

        let label = gap_bar(100, 0, 80, 50, "kits");
        assert!(label.contains("Over-committed by 30 kits"));
        assert!(!label.contains("Gap"));
    }

    #[test]
    fn gap_bar_edge_cases() {
        let root = parse(&gap_bar(0, 0, 0, 0, ""));
        assert!(root.texts().iter().any(|t| t == "Nothing requested"));
        let root = parse(&gap_bar(0, 5, 0, 0, "t"));
        assert!(segment(&root, "Pledged").is_some());
        let root = parse(&gap_bar(-5, -1, -1, -1, "t"));
        assert!(segment(&root, "Pledged").is_none());
        let root = parse(&gap_bar(i64::MAX, i64::MAX, i64::MAX, i64::MAX, "t"));
        for r in root.find("rect") {
            let w = r.num("width");
            assert!(w.is_finite() && (0.0..=GAP_W).contains(&w));
        }
    }
}
