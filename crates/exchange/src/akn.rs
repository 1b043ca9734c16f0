//! Akoma Ntoso 3.0 (OASIS LegalDocML) XML of a joint statement, in the
//! UN's AKN4UN profile: a `statement` named "jointStatement", so that
//! parliaments' and the UN's document systems can take it in as it is.
//!
//! One document holds one expression, in one language: a translation is
//! its own document, whose expression says which language it was
//! translated from (`FRBRtranslation`). Names follow the AKN naming
//! convention, country "un":
//!
//! | level | FRBRthis | FRBRuri |
//! | --- | --- | --- |
//! | work | `/akn/un/statement/jointStatement/<adopted>/<id>/!main` | `/akn/un/statement/jointStatement/<adopted>/<id>` |
//! | expression | `…/<id>/<lang3>@/!main` | `…/<id>/<lang3>@` |
//! | manifestation | `…/<id>/<lang3>@/!main.xml` | `…/<id>/<lang3>@.akn` |
//!
//! The marking's banner goes in `proprietary`, in the same namespace as
//! the IATI export's, so that whoever passes the file on sees it.

use crate::xml::Writer;
use time::macros::format_description;
use time::OffsetDateTime;

/// The Akoma Ntoso 3.0 namespace.
pub const AKN_NS: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// One numbered paragraph of the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AknParagraph<'a> {
    pub num: &'a str,
    /// May hold several lines: one `<p>` per non-empty line.
    pub text: &'a str,
}

/// A joint statement as the caller has it from its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AknStatement<'a> {
    /// The record's id.
    pub id: &'a str,
    pub title: &'a str,
    /// The expression's language: "en", "ar", "fr"…
    pub language: &'a str,
    pub original_language: &'a str,
    /// YYYY-MM-DD.
    pub adopted_on: &'a str,
    pub meeting_title: &'a str,
    pub meeting_place: &'a str,
    /// (member code e.g. "USA", name e.g. "United States").
    pub signatories: &'a [(&'a str, &'a str)],
    /// Banner text, e.g. "TLP:AMBER REL TO USA, GBR".
    pub marking: &'a str,
    pub generated_ms: i64,
    pub paragraphs: &'a [AknParagraph<'a>],
}

/// The ISO 639-2 (alpha-3) code that AKN's FRBRlanguage and URIs use, for
/// the UN's six languages and German; any other code as given.
fn lang3(code: &str) -> &str {
    let primary = code.split(['-', '_']).next().unwrap_or(code);
    match primary.to_ascii_lowercase().as_str() {
        "en" => "eng",
        "ar" => "ara",
        "fr" => "fra",
        "es" => "spa",
        "ru" => "rus",
        "zh" => "zho",
        "de" => "deu",
        _ => code,
    }
}

/// `s` with every character other than a letter or digit replaced by
/// '_': AKN identifiers hold no spaces or punctuation.
fn id_part(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

/// A signatory's eId: its code in lower case.
fn party_id(code: &str) -> String {
    id_part(&code.to_lowercase())
}

/// The day of the generation, UTC; the adoption date if the clock's
/// value is out of range (never for a real clock).
fn generation_date(ms: i64, fallback: &str) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.date()
                .format(format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_else(|| fallback.to_string())
}

/// Paragraph eIds, `para_<num>`, made unique (`_2`, `_3`… on a repeated
/// num) because an eId names one element; an empty num takes the
/// paragraph's position.
fn paragraph_ids(paragraphs: &[AknParagraph<'_>]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(paragraphs.len());
    for (i, p) in paragraphs.iter().enumerate() {
        let num = if p.num.trim().is_empty() {
            (i + 1).to_string()
        } else {
            id_part(p.num.trim())
        };
        let base = format!("para_{num}");
        let mut id = base.clone();
        let mut k = 2;
        while ids.contains(&id) {
            id = format!("{base}_{k}");
            k += 1;
        }
        ids.push(id);
    }
    ids
}

/// The signatories, each code once, in the order given.
fn parties<'a>(s: &AknStatement<'a>) -> Vec<(String, &'a str, &'a str)> {
    let mut out: Vec<(String, &str, &str)> = Vec::new();
    for (code, name) in s.signatories {
        let id = party_id(code);
        if !out.iter().any(|(seen, _, _)| *seen == id) {
            out.push((id, code, name));
        }
    }
    out
}

fn identification(w: &mut Writer, s: &AknStatement<'_>) {
    let lang = lang3(s.language);
    let work = format!("/akn/un/statement/jointStatement/{}/{}", s.adopted_on, s.id);
    let expression = format!("{work}/{lang}@");
    let generated = generation_date(s.generated_ms, s.adopted_on);
    w.start("identification", &[("source", "#coalesce")]);

    w.start("FRBRWork", &[]);
    w.empty("FRBRthis", &[("value", &format!("{work}/!main"))]);
    w.empty("FRBRuri", &[("value", &work)]);
    w.empty("FRBRdate", &[("date", s.adopted_on), ("name", "adoption")]);
    w.empty("FRBRauthor", &[("href", "#coalition")]);
    w.empty("FRBRcountry", &[("value", "un")]);
    w.empty("FRBRname", &[("value", "jointStatement")]);
    w.end();

    w.start("FRBRExpression", &[]);
    w.empty("FRBRthis", &[("value", &format!("{expression}/!main"))]);
    w.empty("FRBRuri", &[("value", &expression)]);
    w.empty("FRBRdate", &[("date", s.adopted_on), ("name", "adoption")]);
    w.empty("FRBRauthor", &[("href", "#coalition")]);
    let original = lang == lang3(s.original_language);
    w.empty(
        "FRBRauthoritative",
        &[("value", if original { "true" } else { "false" })],
    );
    w.empty("FRBRlanguage", &[("language", lang)]);
    if !original {
        let from = lang3(s.original_language);
        w.empty(
            "FRBRtranslation",
            &[
                ("href", &format!("{work}/{from}@")),
                ("fromLanguage", from),
                ("by", "#coalition"),
            ],
        );
    }
    w.end();

    // The manifestation is this file, made by coalesce from the record.
    w.start("FRBRManifestation", &[]);
    w.empty("FRBRthis", &[("value", &format!("{expression}/!main.xml"))]);
    w.empty("FRBRuri", &[("value", &format!("{expression}.akn"))]);
    w.empty("FRBRdate", &[("date", &generated), ("name", "generation")]);
    w.empty("FRBRauthor", &[("href", "#coalesce")]);
    w.empty("FRBRformat", &[("value", "application/akn+xml")]);
    w.end();

    w.end();
}

fn references(w: &mut Writer, s: &AknStatement<'_>) {
    w.start("references", &[("source", "#coalesce")]);
    w.empty(
        "TLCOrganization",
        &[
            ("eId", "coalition"),
            ("href", "/ontology/organization/coalition"),
            ("showAs", "Coalition"),
        ],
    );
    w.empty(
        "TLCOrganization",
        &[
            ("eId", "coalesce"),
            ("href", "/ontology/organization/coalesce"),
            ("showAs", "coalesce"),
        ],
    );
    for (id, code, name) in parties(s) {
        w.empty(
            "TLCOrganization",
            &[
                ("eId", &id),
                ("href", &format!("/ontology/organization/{code}")),
                ("showAs", name),
            ],
        );
    }
    w.empty(
        "TLCEvent",
        &[
            ("eId", "meeting"),
            ("href", &format!("/ontology/event/coalition/{}", s.id)),
            ("showAs", s.meeting_title),
        ],
    );
    w.end();
}

/// The statement as an Akoma Ntoso 3.0 document.
pub fn statement(s: &AknStatement<'_>) -> String {
    let mut w = Writer::new();
    w.start("akomaNtoso", &[("xmlns", AKN_NS)]);
    w.start(
        "statement",
        &[("name", "jointStatement"), ("contains", "originalVersion")],
    );

    w.start("meta", &[]);
    identification(&mut w, s);
    references(&mut w, s);
    w.start("proprietary", &[("source", "#coalesce")]);
    w.text(
        "coalesce:marking",
        &[("xmlns:coalesce", crate::iati::MARKING_NS)],
        s.marking,
    );
    w.end();
    w.end();

    w.start("preface", &[]);
    w.start("p", &[("class", "title")]);
    w.text("docTitle", &[], s.title);
    w.end();
    if !s.meeting_title.is_empty() {
        w.start("p", &[]);
        w.text("event", &[("refersTo", "#meeting")], s.meeting_title);
        w.end();
    }
    w.start("p", &[]);
    w.text("docDate", &[("date", s.adopted_on)], s.adopted_on);
    if !s.meeting_place.is_empty() {
        w.text("location", &[("refersTo", "#meeting")], s.meeting_place);
    }
    w.end();
    w.end();

    w.start("mainBody", &[]);
    for (p, id) in s.paragraphs.iter().zip(paragraph_ids(s.paragraphs)) {
        w.start("paragraph", &[("eId", &id)]);
        w.text("num", &[], p.num);
        w.start("content", &[]);
        let mut lines = p.text.lines().filter(|l| !l.trim().is_empty()).peekable();
        if lines.peek().is_none() {
            // A content holds at least one block.
            w.text("p", &[], "");
        }
        for line in lines {
            w.text("p", &[], line);
        }
        w.end();
        w.end();
    }
    w.end();

    let parties = parties(s);
    if !parties.is_empty() {
        w.start("conclusions", &[]);
        for (id, _, name) in &parties {
            w.start("p", &[]);
            w.start("signature", &[]);
            w.text("party", &[("refersTo", &format!("#{id}"))], name);
            w.end();
            w.end();
        }
        w.end();
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::{BytesStart, Event};
    use quick_xml::name::ResolveResult;
    use quick_xml::NsReader;

    #[derive(Debug, Clone)]
    struct El {
        name: String,
        ns: Option<String>,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    }

    #[derive(Debug, Clone)]
    enum Node {
        El(El),
        Text(String),
    }

    impl El {
        fn attr(&self, k: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        }

        fn elements(&self) -> impl Iterator<Item = &El> {
            self.children.iter().filter_map(|c| match c {
                Node::El(e) => Some(e),
                Node::Text(_) => None,
            })
        }

        fn child(&self, name: &str) -> &El {
            self.elements()
                .find(|e| e.name == name)
                .unwrap_or_else(|| panic!("<{name}> in <{}>", self.name))
        }

        fn all(&self, name: &str) -> Vec<&El> {
            self.elements().filter(|e| e.name == name).collect()
        }

        /// The text directly inside, as the parser gives it back.
        fn text(&self) -> String {
            self.children
                .iter()
                .filter_map(|c| match c {
                    Node::Text(t) => Some(t.as_str()),
                    Node::El(_) => None,
                })
                .collect()
        }

        fn path(&self, names: &[&str]) -> &El {
            names.iter().fold(self, |e, n| e.child(n))
        }
    }

    fn element(ns: ResolveResult<'_>, e: &BytesStart<'_>) -> El {
        let ns = match ns {
            ResolveResult::Bound(n) => Some(String::from_utf8_lossy(n.as_ref()).into_owned()),
            _ => None,
        };
        El {
            name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
            ns,
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.expect("attribute");
                    (
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        a.unescape_value().expect("value").into_owned(),
                    )
                })
                .collect(),
            children: Vec::new(),
        }
    }

    fn parse(doc: &str) -> El {
        let mut reader = NsReader::from_str(doc);
        let mut stack: Vec<El> = Vec::new();
        let mut root = None;
        loop {
            let (ns, ev) = reader.read_resolved_event().expect("well-formed XML");
            match ev {
                Event::Start(e) => {
                    let el = element(ns, &e);
                    stack.push(el);
                }
                Event::Empty(e) => {
                    let el = element(ns, &e);
                    stack
                        .last_mut()
                        .expect("a parent")
                        .children
                        .push(Node::El(el));
                }
                Event::Text(t) => {
                    let s = t.unescape().expect("text").into_owned();
                    if let Some(top) = stack.last_mut() {
                        // Indentation between elements is not content.
                        if !s.trim().is_empty() {
                            top.children.push(Node::Text(s));
                        }
                    }
                }
                Event::End(_) => {
                    let done = stack.pop().expect("an open element");
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::El(done)),
                        None => root = Some(done),
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        root.expect("a root element")
    }

    const ARABIC_TITLE: &str = "بيان مشترك للتحالف الدولي";
    const ARABIC_PARAS: [&str; 3] = [
        "يؤكد أعضاء التحالف الدولي التزامهم بهزيمة داعش.",
        "يرحب الأعضاء بالتقدم المحرز في العراق وسوريا.\nويدعون إلى مواصلة الدعم.",
        "تعقد الاجتماعات القادمة في بروكسل، في ٤ أيلول ٢٠١٤ (الجولة ٢).",
    ];

    fn english<'a>(
        paras: &'a [AknParagraph<'a>],
        signatories: &'a [(&'a str, &'a str)],
    ) -> AknStatement<'a> {
        AknStatement {
            id: "0190c7f2-7d1a-7000-8000-000000000009",
            title: "Joint statement on \"stabilisation\" & <recovery>",
            language: "en",
            original_language: "en",
            adopted_on: "2014-09-04",
            meeting_title: "Ministerial meeting of the Small Group",
            meeting_place: "Brussels",
            signatories,
            marking: "TLP:AMBER REL TO USA, GBR",
            generated_ms: 1_410_000_000_000,
            paragraphs: paras,
        }
    }

    fn paragraphs(doc: &El) -> Vec<(String, String, Vec<String>)> {
        doc.path(&["statement", "mainBody"])
            .all("paragraph")
            .into_iter()
            .map(|p| {
                (
                    p.attr("eId").expect("eId").to_string(),
                    p.child("num").text(),
                    p.child("content")
                        .all("p")
                        .into_iter()
                        .map(El::text)
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn english_statement_parses_back() {
        let paras = [
            AknParagraph {
                num: "1.",
                text: "We, the members, condemn <all> attacks & threats.",
            },
            AknParagraph {
                num: "2",
                text: "First line, with \"quotes\" and 'apostrophes'.\n\n  \nSecond line.\r\nThird line.",
            },
            AknParagraph {
                num: "3 (a)",
                text: "Closing paragraph ]]> done.",
            },
        ];
        let sig = [
            ("USA", "United States"),
            ("GBR", "United Kingdom & N. Ireland"),
            ("USA", "again"),
        ];
        let s = english(&paras, &sig);
        let xml = statement(&s);
        let doc = parse(&xml);

        assert_eq!(doc.name, "akomaNtoso");
        assert_eq!(doc.ns.as_deref(), Some(AKN_NS));
        let st = doc.child("statement");
        assert_eq!(st.ns.as_deref(), Some(AKN_NS));
        assert_eq!(st.attr("name"), Some("jointStatement"));
        assert_eq!(st.attr("contains"), Some("originalVersion"));

        let id = st.path(&["meta", "identification"]);
        assert_eq!(id.attr("source"), Some("#coalesce"));
        let work = id.child("FRBRWork");
        let base =
            "/akn/un/statement/jointStatement/2014-09-04/0190c7f2-7d1a-7000-8000-000000000009";
        assert_eq!(work.child("FRBRuri").attr("value"), Some(base));
        assert_eq!(
            work.child("FRBRthis").attr("value"),
            Some(format!("{base}/!main").as_str())
        );
        assert_eq!(work.child("FRBRdate").attr("date"), Some("2014-09-04"));
        assert_eq!(work.child("FRBRdate").attr("name"), Some("adoption"));
        assert_eq!(work.child("FRBRauthor").attr("href"), Some("#coalition"));
        assert_eq!(work.child("FRBRcountry").attr("value"), Some("un"));
        let ex = id.child("FRBRExpression");
        assert_eq!(
            ex.child("FRBRuri").attr("value"),
            Some(format!("{base}/eng@").as_str())
        );
        assert_eq!(ex.child("FRBRlanguage").attr("language"), Some("eng"));
        assert_eq!(ex.child("FRBRauthoritative").attr("value"), Some("true"));
        assert!(ex.all("FRBRtranslation").is_empty());
        let man = id.child("FRBRManifestation");
        assert_eq!(
            man.child("FRBRthis").attr("value"),
            Some(format!("{base}/eng@/!main.xml").as_str())
        );
        // 1_410_000_000 s is 2014-09-06 UTC.
        assert_eq!(man.child("FRBRdate").attr("date"), Some("2014-09-06"));

        let refs = st.path(&["meta", "references"]);
        assert_eq!(refs.attr("source"), Some("#coalesce"));
        let orgs: Vec<(Option<&str>, Option<&str>, Option<&str>)> = refs
            .all("TLCOrganization")
            .into_iter()
            .map(|o| (o.attr("eId"), o.attr("href"), o.attr("showAs")))
            .collect();
        assert!(orgs.contains(&(
            Some("coalition"),
            Some("/ontology/organization/coalition"),
            Some("Coalition")
        )));
        assert!(orgs.contains(&(
            Some("usa"),
            Some("/ontology/organization/USA"),
            Some("United States")
        )));
        assert!(orgs.contains(&(
            Some("gbr"),
            Some("/ontology/organization/GBR"),
            Some("United Kingdom & N. Ireland")
        )));
        assert_eq!(orgs.iter().filter(|o| o.0 == Some("usa")).count(), 1);
        let ev = refs.child("TLCEvent");
        assert_eq!(ev.attr("eId"), Some("meeting"));
        assert_eq!(
            ev.attr("showAs"),
            Some("Ministerial meeting of the Small Group")
        );

        let prop = st.path(&["meta", "proprietary"]);
        assert_eq!(prop.attr("source"), Some("#coalesce"));
        let marking = prop.child("marking");
        assert_eq!(marking.ns.as_deref(), Some(crate::iati::MARKING_NS));
        assert_eq!(marking.text(), "TLP:AMBER REL TO USA, GBR");

        let preface = st.child("preface");
        let ps = preface.all("p");
        assert_eq!(ps[0].attr("class"), Some("title"));
        assert_eq!(ps[0].child("docTitle").text(), s.title);
        let date = preface
            .elements()
            .flat_map(|p| p.all("docDate"))
            .next()
            .expect("docDate");
        assert_eq!(date.attr("date"), Some("2014-09-04"));
        let place = preface
            .elements()
            .flat_map(|p| p.all("location"))
            .next()
            .expect("location");
        assert_eq!(place.attr("refersTo"), Some("#meeting"));
        assert_eq!(place.text(), "Brussels");

        assert_eq!(
            paragraphs(&doc),
            vec![
                (
                    "para_1_".to_string(),
                    "1.".to_string(),
                    vec!["We, the members, condemn <all> attacks & threats.".to_string()]
                ),
                (
                    "para_2".to_string(),
                    "2".to_string(),
                    vec![
                        "First line, with \"quotes\" and 'apostrophes'.".to_string(),
                        "Second line.".to_string(),
                        "Third line.".to_string()
                    ]
                ),
                (
                    "para_3__a_".to_string(),
                    "3 (a)".to_string(),
                    vec!["Closing paragraph ]]> done.".to_string()]
                ),
            ]
        );
        // Escaped on the way out.
        assert!(xml.contains("condemn &lt;all&gt; attacks &amp; threats."));
        assert!(xml.contains("on \"stabilisation\" &amp; &lt;recovery&gt;"));

        let signed: Vec<(Option<&str>, String)> = st
            .child("conclusions")
            .all("p")
            .into_iter()
            .map(|p| {
                let party = p.path(&["signature", "party"]);
                (party.attr("refersTo"), party.text())
            })
            .collect();
        assert_eq!(
            signed,
            vec![
                (Some("#usa"), "United States".to_string()),
                (Some("#gbr"), "United Kingdom & N. Ireland".to_string())
            ]
        );
        // Every reference resolves to an eId of the document.
        let mut ids = Vec::new();
        let mut refs_to = Vec::new();
        fn walk<'e>(e: &'e El, ids: &mut Vec<&'e str>, refs: &mut Vec<&'e str>) {
            ids.extend(e.attr("eId"));
            refs.extend(e.attr("refersTo"));
            refs.extend(e.attr("source"));
            if e.name.starts_with("FRBRauthor") {
                refs.extend(e.attr("href"));
            }
            for c in e.elements() {
                walk(c, ids, refs);
            }
        }
        walk(&doc, &mut ids, &mut refs_to);
        for r in refs_to {
            let target = r.strip_prefix('#').expect("a local reference");
            assert!(ids.contains(&target), "{r} resolves");
        }
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "eIds are unique");
    }

    #[test]
    fn arabic_translation_parses_back_byte_identical() {
        let paras: Vec<AknParagraph<'_>> = ["١", "٢", "٣"]
            .iter()
            .zip(ARABIC_PARAS)
            .map(|(num, text)| AknParagraph { num, text })
            .collect();
        let sig = [
            ("IRQ", "جمهورية العراق"),
            ("JOR", "المملكة الأردنية الهاشمية"),
        ];
        let s = AknStatement {
            title: ARABIC_TITLE,
            language: "ar",
            original_language: "en",
            meeting_place: "بروكسل",
            ..english(&paras, &sig)
        };
        let xml = statement(&s);
        let doc = parse(&xml);
        assert_eq!(doc.name, "akomaNtoso");
        assert_eq!(doc.ns.as_deref(), Some(AKN_NS));
        let st = doc.child("statement");
        assert_eq!(st.attr("name"), Some("jointStatement"));
        let ex = st.path(&["meta", "identification", "FRBRExpression"]);
        assert_eq!(ex.child("FRBRlanguage").attr("language"), Some("ara"));
        assert_eq!(ex.child("FRBRauthoritative").attr("value"), Some("false"));
        let tr = ex.child("FRBRtranslation");
        assert_eq!(tr.attr("fromLanguage"), Some("eng"));
        assert!(tr.attr("href").expect("href").ends_with("/eng@"));
        assert!(ex
            .child("FRBRuri")
            .attr("value")
            .expect("uri")
            .ends_with("/ara@"));
        assert_eq!(
            st.path(&["preface"]).all("p")[0].child("docTitle").text(),
            ARABIC_TITLE
        );

        let got = paragraphs(&doc);
        let want: Vec<(String, String, Vec<String>)> = vec![
            ("para_١".into(), "١".into(), vec![ARABIC_PARAS[0].into()]),
            (
                "para_٢".into(),
                "٢".into(),
                ARABIC_PARAS[1].lines().map(String::from).collect(),
            ),
            ("para_٣".into(), "٣".into(), vec![ARABIC_PARAS[2].into()]),
        ];
        assert_eq!(got, want);
        // Byte for byte, in logical order: nothing reordered or normalised.
        let joined: Vec<u8> = got
            .iter()
            .flat_map(|(_, _, lines)| lines.join("\n").into_bytes().into_iter().chain([b'|']))
            .collect();
        let expected: Vec<u8> = ARABIC_PARAS
            .iter()
            .flat_map(|t| t.as_bytes().iter().copied().chain([b'|']))
            .collect();
        assert_eq!(joined, expected);

        let refers: Vec<Option<&str>> = st
            .child("conclusions")
            .all("p")
            .into_iter()
            .map(|p| p.path(&["signature", "party"]).attr("refersTo"))
            .collect();
        assert_eq!(refers, vec![Some("#irq"), Some("#jor")]);
        assert_eq!(
            st.path(&["conclusions", "p", "signature", "party"]).text(),
            "جمهورية العراق"
        );
    }

    #[test]
    fn language_codes_ids_and_odd_input() {
        assert_eq!(lang3("en"), "eng");
        assert_eq!(lang3("AR"), "ara");
        assert_eq!(lang3("fr-CA"), "fra");
        assert_eq!(lang3("zh_Hans"), "zho");
        for (two, three) in [("es", "spa"), ("ru", "rus"), ("de", "deu")] {
            assert_eq!(lang3(two), three);
        }
        assert_eq!(lang3("tr"), "tr");
        assert_eq!(lang3(""), "");
        let paras = [
            AknParagraph {
                num: "1",
                text: "a",
            },
            AknParagraph { num: "1", text: "" },
            AknParagraph { num: "", text: "c" },
        ];
        assert_eq!(paragraph_ids(&paras), ["para_1", "para_1_2", "para_3"]);
        assert_eq!(generation_date(i64::MIN, "2014-09-04"), "2014-09-04");

        // Control characters, an empty paragraph, no signatories: still a
        // well-formed document.
        let paras = [AknParagraph {
            num: "1",
            text: "nul\u{0} bell\u{7}",
        }];
        let s = AknStatement {
            signatories: &[],
            meeting_place: "",
            marking: "\u{1b}[0m",
            ..english(&paras, &[])
        };
        let doc = parse(&statement(&s));
        let st = doc.child("statement");
        assert!(st.all("conclusions").is_empty());
        assert_eq!(paragraphs(&doc)[0].2, ["nul\u{FFFD} bell\u{FFFD}"]);
        let empty = [AknParagraph {
            num: "9",
            text: " \n",
        }];
        let doc = parse(&statement(&english(&empty, &[])));
        assert_eq!(paragraphs(&doc)[0].2, [""]);
        assert_eq!(
            doc.path(&["statement", "mainBody", "paragraph", "content"])
                .all("p")
                .len(),
            1
        );
    }
}
