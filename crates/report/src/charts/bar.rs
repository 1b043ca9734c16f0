//! The grouped bar chart, and the gap bar of one requirement.

use super::*;

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

pub(super) const GAP_W: f64 = 240.0;
pub(super) const GAP_H: f64 = 18.0;
/// Delivered, committed, pledged, gap.
pub(super) const GAP_COLOURS: [&str; 4] = ["#009E73", "#0072B2", "#E69F00", "#D55E00"];

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
