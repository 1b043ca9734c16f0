//! IATI 2.03 activity XML export of contributions (and, by
//! `crate::iati_fund`, of pooled funds and their projects).
//!
//! One `<iati-activity>` per contribution, its elements in the order the
//! 2.03 schema's sequence requires, so that the document validates against
//! the official `iati-activities-schema.xsd` (checked by
//! `tests/iati/validate.py` on `cargo run -p coalesce-exchange --example
//! iati_sample`). The mapping:
//!
//! | coalesce | IATI |
//! | --- | --- |
//! | origin member | `reporting-org` `ref="<prefix>-<MEMBER>"`, type 10 (government) for a state, 40 (multilateral) for an organisation |
//! | id | `iati-identifier` = reporting-org ref + `-` + id |
//! | title, description | `title`, `description type="1"` (the title when there is no description) |
//! | in-kind quantity and deliveries | `description type="4"` (IATI values are money) |
//! | contributors | `participating-org role="1"` (funding) each |
//! | implementing partners (parties) | `participating-org role="4"` (implementing), by name |
//! | status | `activity-status`: pledged 1 (pipeline/identification), committed 2 (implementation), delivered 3 (finalisation), cancelled 5 |
//! | window | `activity-date` 1 (planned start) and 3 (planned end); first and, once delivered, last delivery as 2 (actual start) and 4 (actual end) |
//! | place | `recipient-country` (alpha-2, 100 %); a `location` for admin-1 area, town or point (the P-code goes in its description: 2.03's geographic vocabularies have none for OCHA P-codes) |
//! | line of effort, category | `sector` vocabulary 99 and 98 (the reporting organisation's own) |
//! | money | `default-currency`; `transaction`s: an outgoing pledge (12) while pledged, a commitment (2) once committed, a disbursement (3) per delivery; amounts in major units with the currency's decimals |
//! | marking | `<coalesce:marking>` in the `urn:coalesce:marking` namespace, last in the activity (the schema's `xsd:any namespace="##other"`) |
//!
//! The caller passes only contributions its user may read; the export
//! carries each one's marking so that the receiving side can keep it.

use crate::country::alpha2;
use crate::money::format_minor;
use crate::xml::Writer;
use coalesce_domain::marking::AudienceToken;
use coalesce_domain::needs::{Contribution, Delivery, Measure, Place, Requirement, Status, Window};
use coalesce_domain::MemberCode;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The namespace of the marking element.
pub const MARKING_NS: &str = "urn:coalesce:marking";

static NO_NAMES: BTreeMap<String, String> = BTreeMap::new();

/// What the export needs beside the contributions.
#[derive(Debug, Clone, Copy)]
pub struct IatiOptions<'a> {
    /// Organisation identifiers are `<prefix>-<MEMBER>` (default
    /// `XM-COALESCE`): letters, digits and `-`.
    pub org_prefix: &'a str,
    /// Members' names by code, for narratives; a member missing here is
    /// named by its code.
    pub member_names: &'a BTreeMap<String, String>,
    /// The requirements the contributions answer (any order, extra ones
    /// ignored): a contribution without its own place or window takes its
    /// requirement's, and the requesting member becomes the receiver of
    /// its transactions.
    pub requirements: &'a [Requirement],
    /// Pooled funds with their projects and transactions (issue 16):
    /// `crate::iati_fund`.
    pub funds: &'a [crate::iati_fund::FundActivity],
    /// The default language of narratives (`xml:lang` of each activity);
    /// a narrative in Arabic script only is marked `ar`.
    pub lang: &'a str,
}

impl Default for IatiOptions<'_> {
    fn default() -> Self {
        IatiOptions {
            org_prefix: "XM-COALESCE",
            member_names: &NO_NAMES,
            requirements: &[],
            funds: &[],
            lang: "en",
        }
    }
}

/// Why no document was produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IatiError {
    #[error(
        "generated-datetime {0:?} is not an RFC 3339 date and time (e.g. 2015-06-01T12:00:00Z)"
    )]
    Generated(String),
    #[error(
        "an IATI activity file holds at least one activity: there is no contribution or fund to export"
    )]
    Empty,
    #[error(
        "organisation identifier prefix {0:?}: expected letters, digits and '-' (e.g. XM-COALESCE)"
    )]
    Prefix(String),
    #[error("language {0:?} is not a language tag (e.g. en, ar)")]
    Lang(String),
}

fn rfc3339(t: OffsetDateTime) -> Option<String> {
    t.format(&Rfc3339).ok()
}

fn from_ms(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

fn date_of_ms(ms: i64) -> Option<String> {
    from_ms(ms).map(|t| {
        let d = t.date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    })
}

fn language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Arabic script and no Latin letters: the narrative is marked `ar`.
fn arabic_only(text: &str) -> bool {
    let arabic = |c: char| matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    text.chars().any(arabic) && !text.chars().any(|c| c.is_ascii_alphabetic())
}

pub(crate) fn narrative(w: &mut Writer, text: &str) {
    if arabic_only(text) {
        w.text("narrative", &[("xml:lang", "ar")], text);
    } else {
        w.text("narrative", &[], text);
    }
}

/// An element holding one narrative.
pub(crate) fn with_narrative(w: &mut Writer, name: &str, attrs: &[(&str, &str)], text: &str) {
    w.start(name, attrs);
    narrative(w, text);
    w.end();
}

fn org_type(code: &str) -> &'static str {
    match MemberCode::parse(code) {
        Ok(m) if m.is_iso_alpha3() => "10",
        _ => "40",
    }
}

fn status_code(s: Status) -> &'static str {
    match s {
        Status::Pledged => "1",
        Status::Committed => "2",
        Status::Delivered => "3",
        Status::Cancelled => "5",
    }
}

fn banner(c: &Contribution) -> String {
    match MemberCode::parse(&c.origin) {
        Ok(origin) => c.marking.banner(&origin),
        Err(_) => {
            let list: Vec<String> = c
                .marking
                .rel_to
                .iter()
                .map(AudienceToken::as_string)
                .collect();
            format!("TLP:{} REL TO {}", c.marking.tlp, list.join(", "))
        }
    }
}

pub(crate) struct Ctx<'a> {
    options: &'a IatiOptions<'a>,
    requirements: BTreeMap<&'a str, &'a Requirement>,
}

impl Ctx<'_> {
    pub(crate) fn prefix(&self) -> &str {
        self.options.org_prefix
    }
    pub(crate) fn lang(&self) -> &str {
        self.options.lang
    }
    /// Whether `code` is a member of the registry (by the names given).
    pub(crate) fn is_member(&self, code: &str) -> bool {
        self.options.member_names.contains_key(code)
    }
    pub(crate) fn org_ref(&self, member: &str) -> String {
        format!("{}-{member}", self.options.org_prefix)
    }
    fn name<'b>(&'b self, member: &'b str) -> &'b str {
        self.options
            .member_names
            .get(member)
            .map(String::as_str)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(member)
    }
    pub(crate) fn org(&self, w: &mut Writer, element: &str, member: &str, role: Option<&str>) {
        let r = self.org_ref(member);
        let mut attrs = vec![("ref", r.as_str()), ("type", org_type(member))];
        if let Some(role) = role {
            attrs.push(("role", role));
        }
        with_narrative(w, element, &attrs, self.name(member));
    }
}

/// The IATI 2.03 activity document for `contributions` (each with its
/// deliveries, in the order recorded). `generated` is the document's
/// generated-datetime (RFC 3339: the caller's clock, this crate has none).
pub fn iati_activities(
    contributions: &[(Contribution, Vec<Delivery>)],
    generated: &str,
    options: &IatiOptions<'_>,
) -> Result<String, IatiError> {
    let mut doc = IatiWriter::open(generated, options)?;
    if contributions.is_empty() && options.funds.is_empty() {
        return Err(IatiError::Empty);
    }
    let mut out = doc.contributions(contributions, options);
    out.push_str(&doc.funds(options));
    out.push_str(&doc.close());
    Ok(out)
}

/// An IATI activity document written a piece at a time, so that an export
/// of any size holds one page of contributions in memory:
/// [`IatiWriter::open`], pieces of contributions and funds, then
/// [`IatiWriter::close`]; the pieces join into one document. The caller
/// makes sure there is at least one activity (the schema wants one).
pub struct IatiWriter {
    w: Writer,
}

impl IatiWriter {
    /// Checks the options and starts the document (`generated` as in
    /// [`iati_activities`]); the start is in the first piece written.
    pub fn open(generated: &str, options: &IatiOptions<'_>) -> Result<Self, IatiError> {
        let generated = OffsetDateTime::parse(generated.trim(), &Rfc3339)
            .ok()
            .and_then(rfc3339)
            .ok_or_else(|| IatiError::Generated(generated.to_string()))?;
        let prefix = options.org_prefix;
        if prefix.is_empty()
            || prefix.starts_with('-')
            || !prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(IatiError::Prefix(prefix.to_string()));
        }
        if !language_tag(options.lang) {
            return Err(IatiError::Lang(options.lang.to_string()));
        }
        let mut w = Writer::new();
        w.start(
            "iati-activities",
            &[
                ("version", "2.03"),
                ("generated-datetime", &generated),
                ("xmlns:coalesce", MARKING_NS),
            ],
        );
        Ok(IatiWriter { w })
    }

    /// An activity per contribution; `options.requirements` holds (at
    /// least) the requirements these contributions answer.
    pub fn contributions(
        &mut self,
        contributions: &[(Contribution, Vec<Delivery>)],
        options: &IatiOptions<'_>,
    ) -> String {
        let ctx = Ctx::new(options);
        for (c, deliveries) in contributions {
            activity(&mut self.w, &ctx, c, deliveries);
        }
        self.w.take()
    }

    /// The activities of `options.funds` and their projects.
    pub fn funds(&mut self, options: &IatiOptions<'_>) -> String {
        let ctx = Ctx::new(options);
        for f in options.funds {
            crate::iati_fund::fund_activities(&mut self.w, &ctx, f);
        }
        self.w.take()
    }

    /// The end of the document.
    pub fn close(self) -> String {
        self.w.finish()
    }
}

impl<'a> Ctx<'a> {
    fn new(options: &'a IatiOptions<'a>) -> Self {
        Ctx {
            options,
            requirements: options
                .requirements
                .iter()
                .map(|r| (r.id.as_str(), r))
                .collect(),
        }
    }
}

fn activity(w: &mut Writer, ctx: &Ctx<'_>, c: &Contribution, deliveries: &[Delivery]) {
    let requirement = c
        .requirement_id
        .as_deref()
        .and_then(|id| ctx.requirements.get(id).copied());
    let place: Option<&Place> = c.place.as_ref().or(requirement.map(|r| &r.place));
    let window: Option<&Window> = c.window.as_ref().or(requirement.map(|r| &r.window));
    let receiver = requirement.map(|r| r.requesting_member.as_str());
    let money = match &c.measure {
        Measure::Money { currency, .. } => Some(currency.as_str()),
        Measure::Quantity { .. } => None,
    };

    let updated = from_ms(c.updated_at_ms).and_then(rfc3339);
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    if let Some(u) = &updated {
        attrs.push(("last-updated-datetime", u));
    }
    attrs.push(("xml:lang", ctx.options.lang));
    if let Some(cur) = money {
        attrs.push(("default-currency", cur));
    }
    w.start("iati-activity", &attrs);

    let reporting = ctx.org_ref(&c.origin);
    w.text("iati-identifier", &[], &format!("{reporting}-{}", c.id));
    ctx.org(w, "reporting-org", &c.origin, None);
    with_narrative(w, "title", &[], &c.title);
    let general = if c.description.trim().is_empty() {
        &c.title
    } else {
        &c.description
    };
    with_narrative(w, "description", &[("type", "1")], general);
    if let Measure::Quantity { amount, unit } = &c.measure {
        let mut text = format!("In kind: {amount} {unit}");
        if c.delivered > 0 {
            text.push_str(&format!("; delivered so far: {} {unit}", c.delivered));
            let each: Vec<String> = deliveries
                .iter()
                .map(|d| format!("{} on {}", d.amount, d.delivered_on))
                .collect();
            if !each.is_empty() {
                text.push_str(&format!(" ({})", each.join(", ")));
            }
        }
        text.push('.');
        with_narrative(w, "description", &[("type", "4")], &text);
    }
    for m in &c.contributors {
        ctx.org(w, "participating-org", m, Some("1"));
    }
    // Implementing partners are IATI's implementing organisations (role 4);
    // suppliers, carriers and banks have no participating-org role.
    for p in c
        .parties
        .iter()
        .filter(|p| p.role == coalesce_domain::needs::PartyRole::ImplementingPartner)
    {
        with_narrative(w, "participating-org", &[("role", "4")], &p.name);
    }
    w.empty("activity-status", &[("code", status_code(c.status))]);

    // activity-date: at least one is required.
    let mut dated = false;
    if let Some(win) = window {
        w.empty("activity-date", &[("type", "1"), ("iso-date", &win.start)]);
        w.empty("activity-date", &[("type", "3"), ("iso-date", &win.end)]);
        dated = true;
    }
    let first = deliveries.iter().map(|d| d.delivered_on.as_str()).min();
    let last = deliveries.iter().map(|d| d.delivered_on.as_str()).max();
    if let Some(first) = first {
        w.empty("activity-date", &[("type", "2"), ("iso-date", first)]);
        dated = true;
    }
    if let (Status::Delivered, Some(last)) = (c.status, last) {
        w.empty("activity-date", &[("type", "4"), ("iso-date", last)]);
    }
    let created = date_of_ms(c.created_at_ms);
    if !dated {
        // Neither window nor delivery: the day it was recorded stands in
        // as the planned start.
        let d = created.clone().unwrap_or_else(|| "1970-01-01".to_string());
        w.empty("activity-date", &[("type", "1"), ("iso-date", &d)]);
    }

    if let Some(p) = place {
        if let Some(a2) = alpha2(&p.country) {
            w.empty("recipient-country", &[("code", a2), ("percentage", "100")]);
        }
        location(w, p);
    }

    w.empty(
        "sector",
        &[
            ("vocabulary", "99"),
            ("code", &c.line_of_effort),
            ("percentage", "100"),
        ],
    );
    w.empty(
        "sector",
        &[
            ("vocabulary", "98"),
            ("code", &c.category),
            ("percentage", "100"),
        ],
    );

    if let Some(currency) = money {
        let on = created.unwrap_or_else(|| "1970-01-01".to_string());
        let firm = match c.status {
            Status::Pledged => Some("12"),
            Status::Committed | Status::Delivered => Some("2"),
            Status::Cancelled => None,
        };
        if let Some(kind) = firm {
            transaction(
                w,
                ctx,
                None,
                kind,
                &on,
                c.measure.amount(),
                currency,
                None,
                receiver,
            );
        }
        for d in deliveries {
            let evidence = Some(d.evidence.as_str()).filter(|e| !e.trim().is_empty());
            transaction(
                w,
                ctx,
                Some(&d.id),
                "3",
                &d.delivered_on,
                d.amount,
                currency,
                evidence,
                receiver,
            );
        }
    }

    let rel: Vec<String> = c
        .marking
        .rel_to
        .iter()
        .map(AudienceToken::as_string)
        .collect();
    w.text(
        "coalesce:marking",
        &[("tlp", c.marking.tlp.as_str()), ("rel-to", &rel.join(" "))],
        &banner(c),
    );
    w.end();
}

fn location(w: &mut Writer, p: &Place) {
    if p.admin1.is_none() && p.town.is_none() && p.point.is_none() {
        return;
    }
    w.start("location", &[]);
    w.empty("location-reach", &[("code", "1")]);
    let name = p
        .town
        .as_deref()
        .or(p.admin1.as_ref().map(|a| a.name.as_str()));
    if let Some(n) = name {
        with_narrative(w, "name", &[], n);
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = &p.town {
        parts.push(t.clone());
    }
    if let Some(a) = &p.admin1 {
        parts.push(format!("{} ({})", a.name, a.pcode));
    }
    parts.push(p.country.clone());
    with_narrative(w, "description", &[], &parts.join(", "));
    if let Some(a2) = alpha2(&p.country) {
        w.empty(
            "administrative",
            &[("vocabulary", "A4"), ("level", "0"), ("code", a2)],
        );
    }
    if let Some(pt) = p.point {
        w.start(
            "point",
            &[("srsName", "http://www.opengis.net/def/crs/EPSG/0/4326")],
        );
        let pos = format!(
            "{} {}",
            crate::hxl::degrees(pt.lat_micro),
            crate::hxl::degrees(pt.lon_micro)
        );
        w.text("pos", &[], &pos);
        w.end();
    }
    w.empty(
        "exactness",
        &[("code", if p.point.is_some() { "1" } else { "2" })],
    );
    if p.town.is_some() {
        w.empty("location-class", &[("code", "2")]);
    } else if p.admin1.is_some() {
        w.empty("location-class", &[("code", "1")]);
    }
    w.end();
}

#[allow(clippy::too_many_arguments)]
fn transaction(
    w: &mut Writer,
    ctx: &Ctx<'_>,
    reference: Option<&str>,
    kind: &str,
    date: &str,
    amount: i64,
    currency: &str,
    description: Option<&str>,
    receiver: Option<&str>,
) {
    match reference {
        Some(r) => w.start("transaction", &[("ref", r)]),
        None => w.start("transaction", &[]),
    }
    w.empty("transaction-type", &[("code", kind)]);
    w.empty("transaction-date", &[("iso-date", date)]);
    w.text(
        "value",
        &[("currency", currency), ("value-date", date)],
        &format_minor(amount, currency),
    );
    if let Some(d) = description {
        with_narrative(w, "description", &[], d);
    }
    if let Some(m) = receiver {
        ctx.org(w, "receiver-org", m, None);
    }
    w.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_and_scripts() {
        assert!(language_tag("en"));
        assert!(language_tag("ar-IQ"));
        assert!(!language_tag(""));
        assert!(!language_tag("en_GB"));
        assert!(arabic_only("مساعدات إنسانية"));
        assert!(!arabic_only("Amerli / آمرلي"));
        assert!(!arabic_only("Amerli"));
    }

    #[test]
    fn dates_from_milliseconds() {
        assert_eq!(date_of_ms(0).as_deref(), Some("1970-01-01"));
        assert_eq!(date_of_ms(1_409_529_600_000).as_deref(), Some("2014-09-01"));
        assert_eq!(
            from_ms(1_409_529_600_123).and_then(rfc3339).as_deref(),
            Some("2014-09-01T00:00:00.123Z")
        );
    }
}
