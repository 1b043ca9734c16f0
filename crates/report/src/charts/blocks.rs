//! The building blocks every chart is drawn with: the `<svg>` frame, axes, grid, legend, labels.

use super::*;

pub(super) fn open_svg(out: &mut String, w: f64, h: f64, title: &str, desc: &str) {
    let t = escape(title);
    w!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" font-family="{FONT}" font-size="{LABEL_SIZE}"><title>{t}</title><desc>{d}</desc>"#,
        d = escape(desc)
    );
}

/// Title lines from the top; returns the y below them.
pub(super) fn title_block(out: &mut String, title: &str) -> f64 {
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

pub(super) enum Swatch {
    Line,
    Square,
}

/// A legend in rows under the title; returns the y below it.
pub(super) fn legend(out: &mut String, items: &[(String, &str)], swatch: Swatch, top: f64) -> f64 {
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
pub(super) fn no_data(title: &str, message: &str) -> String {
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
pub(super) fn y_axis(
    out: &mut String,
    axis: &Axis,
    unit: &str,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
) {
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
pub(super) fn left_margin(axis: &Axis, unit: &str) -> f64 {
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
pub(super) struct Placed {
    pub(super) boxes: Vec<[f64; 4]>,
    pub(super) segments: Vec<[f64; 4]>,
}

/// Whether the segment `s` (x1, y1, x2, y2) crosses the box `b` (x0, y0, x1,
/// y1), by Liang–Barsky clipping.
pub(super) fn segment_hits(b: &[f64; 4], s: &[f64; 4]) -> bool {
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
    pub(super) fn place(
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
pub(super) fn around(x: f64, y: f64) -> Vec<(f64, f64, bool)> {
    let mut out = Vec::new();
    for dy in [-8.0, 18.0, -24.0, 34.0, -40.0, 50.0] {
        out.push((x - 10.0, y + dy, true));
        out.push((x + 10.0, y + dy, false));
    }
    out
}

/// A label with a white halo so that it stays readable over lines.
pub(super) fn halo_text(out: &mut String, x: f64, y: f64, end: bool, fill: &str, text: &str) {
    let anchor = if end { "end" } else { "start" };
    w!(
        out,
        r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" fill="{fill}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
        escape(text)
    );
}
