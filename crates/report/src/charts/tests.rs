use super::*;
use bar::GAP_W;
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
    let long = "A very long indicator title that goes on and on about the share of territory held";
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
