//! The line chart: an indicator over time, with baseline and targets.

use super::*;

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
