//! IATI 2.03 export: the document parses back, elements come in the
//! schema's order, the mapping holds. Schema validation proper is
//! `tests/iati/validate.py` on the `iati_sample` example (see its header).

mod common;

use coalesce_domain::needs::Status;
use coalesce_exchange::iati::{iati_activities, IatiError, IatiOptions, MARKING_NS};
use common::*;
use quick_xml::events::Event;

/// A parsed element.
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
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn one(&self, name: &str) -> &El {
        let v = self.all(name);
        assert_eq!(v.len(), 1, "one <{name}> in <{}>", self.name);
        v[0]
    }
    fn narrative(&self) -> &str {
        &self.one("narrative").text
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> El {
    El {
        name: String::from_utf8(e.name().as_ref().to_vec()).expect("utf-8 name"),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8 key"),
                    a.unescape_value().expect("value").into_owned(),
                )
            })
            .collect(),
        ..El::default()
    }
}

fn parse(doc: &str) -> El {
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().expect("parent").children.push(el);
            }
            Event::Text(t) => {
                let s = t.unescape().expect("text");
                stack.last_mut().expect("open").text.push_str(&s);
            }
            Event::End(_) => {
                let el = stack.pop().expect("open");
                stack.last_mut().expect("parent").children.push(el);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    stack
        .pop()
        .expect("root")
        .children
        .into_iter()
        .next()
        .expect("document element")
}

fn sample() -> String {
    let requirements = requirements();
    let names = member_names();
    let options = IatiOptions {
        member_names: &names,
        requirements: &requirements,
        ..IatiOptions::default()
    };
    iati_activities(&contributions(), "2015-06-01T12:00:00Z", &options).expect("export")
}

/// The children of iati-activity, in the 2.03 schema's sequence order.
const SEQUENCE: &[&str] = &[
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "other-identifier",
    "activity-status",
    "activity-date",
    "contact-info",
    "activity-scope",
    "recipient-country",
    "recipient-region",
    "location",
    "sector",
    "tag",
    "country-budget-items",
    "humanitarian-scope",
    "policy-marker",
    "collaboration-type",
    "default-flow-type",
    "default-finance-type",
    "default-aid-type",
    "default-tied-status",
    "budget",
    "planned-disbursement",
    "capital-spend",
    "transaction",
    "document-link",
    "related-activity",
    "legacy-data",
    "conditions",
    "result",
    "crs-add",
    "fss",
];

#[test]
fn the_document_and_its_activities() {
    let doc = sample();
    let root = parse(&doc);
    assert_eq!(root.name, "iati-activities");
    assert_eq!(root.attr("version"), Some("2.03"));
    assert_eq!(
        root.attr("generated-datetime"),
        Some("2015-06-01T12:00:00Z")
    );
    assert_eq!(root.attr("xmlns:coalesce"), Some(MARKING_NS));
    let acts = root.all("iati-activity");
    assert_eq!(acts.len(), contributions().len());
    for a in &acts {
        // Schema order, then the foreign marking last.
        let names: Vec<&str> = a.children.iter().map(|c| c.name.as_str()).collect();
        let (marking, iati) = names.split_last().expect("children");
        assert_eq!(*marking, "coalesce:marking");
        let positions: Vec<usize> = iati
            .iter()
            .map(|n| {
                SEQUENCE
                    .iter()
                    .position(|s| s == n)
                    .expect("an IATI element")
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
        assert_eq!(a.attr("xml:lang"), Some("en"));
        assert_eq!(
            a.attr("last-updated-datetime"),
            Some("2014-09-02T00:00:00Z")
        );
    }
}

#[test]
fn joint_money_contribution() {
    let root = parse(&sample());
    let a = root.all("iati-activity")[0];
    assert_eq!(
        a.one("iati-identifier").text,
        "XM-COALESCE-USA-019000bb-0000-7000-8000-000000000001"
    );
    let rep = a.one("reporting-org");
    assert_eq!(
        (rep.attr("ref"), rep.attr("type")),
        (Some("XM-COALESCE-USA"), Some("10"))
    );
    assert_eq!(rep.narrative(), "United States of America");
    // Text survives escaping exactly.
    assert_eq!(
        a.one("title").narrative(),
        "Amerli airdrop — food & water <urgent> \"phase 1\""
    );
    let (c, _) = &contributions()[0];
    assert_eq!(a.all("description")[0].narrative(), c.description);
    let orgs = a.all("participating-org");
    let funders: Vec<&str> = orgs
        .iter()
        .filter(|p| p.attr("role") == Some("1"))
        .map(|p| p.attr("ref").expect("ref"))
        .collect();
    // The implementing partner, by name (escaped and back).
    let implementing: Vec<&str> = orgs
        .iter()
        .filter(|p| p.attr("role") == Some("4"))
        .map(|p| p.narrative())
        .collect();
    assert_eq!(
        implementing,
        vec!["UN team on the ground <OCHA> & partners"]
    );
    assert_eq!(orgs.len(), funders.len() + implementing.len());
    assert_eq!(
        funders,
        vec![
            "XM-COALESCE-AUS",
            "XM-COALESCE-FRA",
            "XM-COALESCE-GBR",
            "XM-COALESCE-USA"
        ]
    );
    assert_eq!(a.one("activity-status").attr("code"), Some("2"));
    let dates: Vec<(Option<&str>, Option<&str>)> = a
        .all("activity-date")
        .iter()
        .map(|d| (d.attr("type"), d.attr("iso-date")))
        .collect();
    assert_eq!(
        dates,
        vec![
            (Some("1"), Some("2014-08-30")),
            (Some("3"), Some("2014-09-01")),
            (Some("2"), Some("2014-08-30")),
        ]
    );
    let rc = a.one("recipient-country");
    assert_eq!(
        (rc.attr("code"), rc.attr("percentage")),
        (Some("IQ"), Some("100"))
    );
    let loc = a.one("location");
    assert_eq!(loc.one("name").narrative(), "Amerli");
    assert!(loc
        .one("description")
        .narrative()
        .contains("Salah al-Din (IQG18)"));
    assert_eq!(loc.one("point").one("pos").text, "34.724000 44.585000");
    let sectors: Vec<(Option<&str>, Option<&str>)> = a
        .all("sector")
        .iter()
        .map(|s| (s.attr("vocabulary"), s.attr("code")))
        .collect();
    assert_eq!(
        sectors,
        vec![
            (Some("99"), Some("humanitarian")),
            (Some("98"), Some("humanitarian-supplies"))
        ]
    );
    assert_eq!(a.attr("default-currency"), Some("USD"));
    let tx: Vec<(String, String, String)> = a
        .all("transaction")
        .iter()
        .map(|t| {
            let v = t.one("value");
            assert_eq!(v.attr("currency"), Some("USD"));
            assert_eq!(
                v.attr("value-date"),
                t.one("transaction-date").attr("iso-date")
            );
            (
                t.one("transaction-type")
                    .attr("code")
                    .expect("code")
                    .to_string(),
                t.one("transaction-date")
                    .attr("iso-date")
                    .expect("date")
                    .to_string(),
                v.text.clone(),
            )
        })
        .collect();
    assert_eq!(
        tx,
        vec![
            ("2".into(), "2014-09-01".into(), "1500000.00".into()),
            ("3".into(), "2014-08-30".into(), "400000.00".into()),
            ("3".into(), "2014-09-01".into(), "350000.50".into()),
        ]
    );
    assert_eq!(
        a.all("transaction")[1].one("description").narrative(),
        "Drop 1: 7 bundles; waybill #17 & #18"
    );
    let m = a.one("coalesce:marking");
    assert_eq!(m.text, "TLP:GREEN REL TO USA, COALITION");
    assert_eq!(
        (m.attr("tlp"), m.attr("rel-to")),
        (Some("GREEN"), Some("COALITION"))
    );
}

#[test]
fn in_kind_against_a_requirement() {
    let root = parse(&sample());
    let a = root.all("iati-activity")[1];
    assert!(a.attr("default-currency").is_none());
    assert!(a.all("transaction").is_empty(), "IATI values are money");
    let descs = a.all("description");
    assert_eq!(descs[0].attr("type"), Some("1"));
    assert_eq!(descs[0].narrative(), "Body armour for 12 brigades");
    assert_eq!(descs[1].attr("type"), Some("4"));
    assert_eq!(
        descs[1].narrative(),
        "In kind: 12 brigade-set; delivered so far: 12 brigade-set (5 on 2014-11-03, 7 on 2015-01-20)."
    );
    assert_eq!(a.one("activity-status").attr("code"), Some("3"));
    // Window and place from the requirement; actual start and end from the deliveries.
    let dates: Vec<(Option<&str>, Option<&str>)> = a
        .all("activity-date")
        .iter()
        .map(|d| (d.attr("type"), d.attr("iso-date")))
        .collect();
    assert_eq!(
        dates,
        vec![
            (Some("1"), Some("2014-10-01")),
            (Some("3"), Some("2015-03-31")),
            (Some("2"), Some("2014-11-03")),
            (Some("4"), Some("2015-01-20")),
        ]
    );
    assert_eq!(a.one("location").one("name").narrative(), "Baghdad");
    assert_eq!(
        a.one("coalesce:marking").text,
        "TLP:AMBER REL TO GBR, IRQ, USA"
    );
}

#[test]
fn cancelled_yen_without_place_or_window() {
    let root = parse(&sample());
    let a = root.all("iati-activity")[2];
    assert_eq!(contributions()[2].0.status, Status::Cancelled);
    assert_eq!(a.one("activity-status").attr("code"), Some("5"));
    assert!(a.all("transaction").is_empty());
    assert!(a.all("recipient-country").is_empty());
    // The day it was recorded stands in for the missing window.
    let d = a.one("activity-date");
    assert_eq!(
        (d.attr("type"), d.attr("iso-date")),
        (Some("1"), Some("2014-09-01"))
    );
    assert_eq!(a.attr("default-currency"), Some("JPY"));
    assert_eq!(a.one("coalesce:marking").text, "TLP:RED REL TO JPN");
}

#[test]
fn arabic_pledge_in_dinars() {
    let root = parse(&sample());
    let a = root.all("iati-activity")[3];
    let title = a.one("title").one("narrative");
    assert_eq!(title.text, "مساعدات إنسانية للنازحين في أربيل");
    assert_eq!(title.attr("xml:lang"), Some("ar"));
    assert_eq!(a.one("reporting-org").narrative(), "الكويت");
    assert_eq!(a.one("activity-status").attr("code"), Some("1"));
    let t = a.one("transaction");
    assert_eq!(t.one("transaction-type").attr("code"), Some("12"));
    assert_eq!(t.one("value").text, "1500.250");
    // The requirement's requesting member receives.
    assert_eq!(t.one("receiver-org").attr("ref"), Some("XM-COALESCE-IRQ"));
    assert_eq!(t.one("receiver-org").narrative(), "Iraq");
}

#[test]
fn an_organisation_is_multilateral() {
    let root = parse(&sample());
    let a = root.all("iati-activity")[4];
    assert_eq!(a.one("reporting-org").attr("type"), Some("40"));
    assert_eq!(
        a.one("reporting-org").narrative(),
        "North Atlantic Treaty Organization & partners"
    );
    assert_eq!(
        a.one("title").narrative(),
        "=HYPERLINK(\"http://evil\") counter-IED course"
    );
    let loc = a.one("location");
    assert!(loc.all("name").is_empty());
    assert_eq!(loc.one("point").one("pos").text, "33.520000 44.250000");
    assert_eq!(
        a.one("coalesce:marking").attr("rel-to"),
        Some("IRQ GROUP:small-group")
    );
}

#[test]
fn without_names_codes_stand_in() {
    let (c, d) = contributions().remove(0);
    let doc = iati_activities(
        &[(c, d)],
        "2015-06-01T12:00:00+03:00",
        &IatiOptions::default(),
    )
    .expect("export");
    let root = parse(&doc);
    assert_eq!(
        root.attr("generated-datetime"),
        Some("2015-06-01T12:00:00+03:00")
    );
    let a = root.one("iati-activity");
    assert_eq!(a.one("reporting-org").narrative(), "USA");
    // Without the requirement there is no receiver.
    assert!(a
        .all("transaction")
        .iter()
        .all(|t| t.all("receiver-org").is_empty()));
}

#[test]
fn refusals() {
    let c = contributions();
    let o = IatiOptions::default();
    assert_eq!(
        iati_activities(&[], "2015-06-01T12:00:00Z", &o),
        Err(IatiError::Empty)
    );
    for bad in ["", "2015-06-01", "yesterday", "2015-06-01 12:00:00"] {
        assert!(
            matches!(iati_activities(&c, bad, &o), Err(IatiError::Generated(_))),
            "{bad}"
        );
    }
    let p = IatiOptions {
        org_prefix: "XM COALESCE",
        ..IatiOptions::default()
    };
    assert!(matches!(
        iati_activities(&c, "2015-06-01T12:00:00Z", &p),
        Err(IatiError::Prefix(_))
    ));
    let l = IatiOptions {
        lang: "english language",
        ..IatiOptions::default()
    };
    assert!(matches!(
        iati_activities(&c, "2015-06-01T12:00:00Z", &l),
        Err(IatiError::Lang(_))
    ));
}

#[test]
fn characters_xml_cannot_hold_are_replaced() {
    let (mut c, d) = contributions().remove(0);
    c.title = "bell\u{7} and nul\u{0}".into();
    let doc = iati_activities(&[(c, d)], "2015-06-01T12:00:00Z", &IatiOptions::default())
        .expect("export");
    let root = parse(&doc);
    assert_eq!(
        root.one("iati-activity").one("title").narrative(),
        "bell\u{FFFD} and nul\u{FFFD}"
    );
}
