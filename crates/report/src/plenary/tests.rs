use super::*;

pub(crate) fn sample() -> Plenary {
    Plenary {
        title: "Progress report to the plenary".into(),
        subtitle: "Defence ministerial, London, 15 December 2016".into(),
        reader: "GBR".into(),
        reader_name: "United Kingdom".into(),
        as_of: "2016-12-16".into(),
        banner: "TLP:AMBER REL TO GBR".into(),
        sections: vec![
            Section {
                id: "summary".into(),
                title: "Executive summary".into(),
                marking: "TLP:GREEN".into(),
                partial: false,
                paragraphs: vec!["Less than 10 % of Iraqi territory is held by ISIL <b>\"quoted\"</b> & \\ #set.".into()],
                blocks: vec![
                    Block::Table {
                        caption: "Headline indicators".into(),
                        head: vec!["Indicator".into(), "Value".into(), "Target".into()],
                        rows: vec![vec!["New brigades".into(), "9".into(), "12".into()]],
                        numeric: vec![false, true, true],
                    },
                    Block::Chart {
                        title: "Contributions per line of effort".into(),
                        unit: "contributions".into(),
                        categories: vec!["humanitarian".into(), "stabilisation".into()],
                        series: vec![
                            Series { label: "Pledged".into(), values: vec![3.0, 1.0] },
                            Series { label: "Delivered".into(), values: vec![2.0, 0.0] },
                        ],
                    },
                ],
            },
            Section {
                id: "meetings".into(),
                title: "Meetings and decisions".into(),
                marking: "TLP:AMBER".into(),
                partial: true,
                paragraphs: vec![],
                blocks: vec![Block::Quote {
                    language: "ar".into(),
                    rtl: true,
                    text: "بيان مشترك للوزير كيري".into(),
                }],
            },
        ],
        sources: vec![("meeting".into(), "m1".into(), 2)],
    }
}

#[test]
fn html_escapes_text_keeps_rtl_and_is_the_same_every_time() {
    let p = sample();
    let h = html(&p, None, None);
    assert!(h.contains("&lt;b&gt;"), "{h}");
    assert!(h.contains("&amp; \\ #set."));
    assert!(!h.contains("<b>\"quoted\""));
    assert!(h.contains(r#"<blockquote lang="ar" dir="rtl">بيان مشترك للوزير كيري</blockquote>"#));
    assert!(h.contains("<svg"), "the chart as SVG");
    assert!(h.contains("<style>"));
    assert!(!h.contains("<script"));
    assert_eq!(h, html(&p, None, None));
    let linked = html(&p, Some("/static/report.css"), Some("/report.pdf"));
    // minijinja escapes the slashes of the address; a browser decodes them.
    assert!(
        linked.contains(r#"<link rel="stylesheet" href="&#x2f;static&#x2f;report.css">"#),
        "{linked}"
    );
    assert!(!linked.contains("<style>"));
}

#[test]
fn text_reaches_typst_as_data_never_as_markup() {
    let t = typst(&sample());
    // The paragraph's `#set` and quotes are inside a string literal.
    assert!(t.starts_with("#let data = json(bytes(\""));
    assert!(!t.contains("\n#set. "));
}

#[test]
fn the_report_typesets_to_pdf_with_its_metadata() {
    let bytes = pdf(&sample()).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes, pdf(&sample()).expect("again"), "deterministic");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("StructTreeRoot"), "tagged");
}
