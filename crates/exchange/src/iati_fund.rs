//! IATI 2.03 activities of a pooled fund (issue 16): one activity for the
//! fund and one per project, linked as parent and children
//! (`related-activity` 2 and 1), with the ledger's transfers as IATI
//! transactions:
//!
//! | ledger | activity | IATI transaction type |
//! | --- | --- | --- |
//! | pledge (pending) | fund | 13 incoming pledge (provider: the donor) |
//! | pledge voided | fund | 13, the voided amount negative |
//! | commitment | fund | 11 incoming commitment (provider: the donor) |
//! | deposit, interest, refund | fund | 1 incoming funds |
//! | approval of a project | fund | 2 outgoing commitment (receiver: the project's activity) |
//! | approval of a project | project | 11 incoming commitment (provider: the fund's activity) |
//! | disbursement | fund | 3 disbursement (receiver: the organisation) |
//! | disbursement | project | 1 incoming funds |
//! | agent's fee | fund | 4 expenditure ("administrative agent fee") |
//! | expenditure, indirect costs | project | 4 expenditure |
//!
//! A reversal is its original's type with the amount negative, described as
//! a reversal. Allocations to windows stay inside the fund (no IATI
//! transaction). The caller passes only what its reader may read; a
//! transaction marked more narrowly than its activity says so in its
//! description.

use crate::iati::{with_narrative, Ctx};
use crate::money::format_minor;
use crate::xml::Writer;
use coalesce_domain::fund::{Fund, FundProject, ProjectStatus};
use coalesce_domain::marking::AudienceToken;
use coalesce_domain::Marking;

/// One transfer of the fund's ledger as the export needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundFlow {
    pub id: String,
    /// pledge, pledge_void, commitment, deposit, agent_fee, interest,
    /// allocation, approval, disbursement, indirect_cost, expenditure, refund.
    pub code: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    pub value_date: String,
    pub donor: Option<String>,
    pub project: Option<String>,
    pub organisation: Option<String>,
    /// It reverses another transfer (its amount counts negative).
    pub reversal: bool,
    /// A pending pledge not yet posted or voided.
    pub pending: bool,
    /// Its banner when it is marked more narrowly than the fund.
    pub narrower: Option<String>,
}

/// A project of the fund, with its record's id and marking.
#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub id: String,
    pub project: FundProject,
    pub marking: Marking,
}

/// A fund with what the export shows of it.
#[derive(Debug, Clone)]
pub struct FundActivity {
    pub id: String,
    pub origin: String,
    pub fund: Fund,
    pub marking: Marking,
    pub projects: Vec<ProjectRecord>,
    pub flows: Vec<FundFlow>,
}

fn marking_element(w: &mut Writer, origin: &str, m: &Marking) {
    let rel: Vec<String> = m.rel_to.iter().map(AudienceToken::as_string).collect();
    let banner = coalesce_domain::MemberCode::parse(origin)
        .map(|o| m.banner(&o))
        .unwrap_or_default();
    w.text(
        "coalesce:marking",
        &[("tlp", m.tlp.as_str()), ("rel-to", &rel.join(" "))],
        &banner,
    );
}

fn project_status(s: ProjectStatus) -> &'static str {
    match s {
        ProjectStatus::Planned => "1",
        ProjectStatus::Ongoing => "2",
        ProjectStatus::Completed => "3",
        ProjectStatus::Cancelled => "5",
    }
}

/// The organisation or donor as a participating or transacting
/// organisation: a member of the registry by its identifier, else by name.
fn party(ctx: &Ctx<'_>, w: &mut Writer, element: &str, who: &str, role: Option<&str>) {
    if ctx.is_member(who) {
        ctx.org(w, element, who, role);
    } else {
        let r = format!("{}-ORG-{who}", ctx.prefix());
        let mut attrs = vec![("ref", r.as_str())];
        if let Some(role) = role {
            attrs.push(("role", role));
        }
        with_narrative(w, element, &attrs, who);
    }
}

struct Tx<'a> {
    kind: &'a str,
    flow: &'a FundFlow,
    sign: i64,
    description: Option<String>,
    provider: Option<(&'a str, bool)>,
    receiver: Option<(&'a str, bool)>,
    /// The other end's activity identifier.
    activity: Option<String>,
}

fn transaction(w: &mut Writer, ctx: &Ctx<'_>, t: Tx<'_>) {
    w.start("transaction", &[("ref", &t.flow.id)]);
    w.empty("transaction-type", &[("code", t.kind)]);
    w.empty("transaction-date", &[("iso-date", &t.flow.value_date)]);
    w.text(
        "value",
        &[
            ("currency", &t.flow.currency),
            ("value-date", &t.flow.value_date),
        ],
        &format_minor(t.sign * t.flow.amount, &t.flow.currency),
    );
    let mut text: Vec<String> = t.description.into_iter().collect();
    if t.flow.reversal {
        text.push("Reversal of an earlier transaction".into());
    }
    if let Some(b) = &t.flow.narrower {
        text.push(format!("Marked {b}"));
    }
    if !text.is_empty() {
        with_narrative(w, "description", &[], &text.join(". "));
    }
    for (element, end, attr) in [
        ("provider-org", t.provider, "provider-activity-id"),
        ("receiver-org", t.receiver, "receiver-activity-id"),
    ] {
        if let Some((who, is_activity)) = end {
            if is_activity {
                let id = t.activity.clone().unwrap_or_default();
                w.start(element, &[(attr, &id)]);
                crate::iati::narrative(w, who);
                w.end();
            } else {
                party(ctx, w, element, who, None);
            }
        }
    }
    w.end();
}

/// Writes the fund's activity and its projects'.
pub(crate) fn fund_activities(w: &mut Writer, ctx: &Ctx<'_>, f: &FundActivity) {
    let reporting = ctx.org_ref(&f.origin);
    let fund_iati = format!("{reporting}-{}", f.id);
    let project_iati = |code: &str| -> Option<String> {
        f.projects
            .iter()
            .find(|p| p.project.code == code)
            .map(|p| format!("{reporting}-{}", p.id))
    };
    w.start(
        "iati-activity",
        &[
            ("xml:lang", ctx.lang()),
            ("default-currency", &f.fund.base_currency),
        ],
    );
    w.text("iati-identifier", &[], &fund_iati);
    ctx.org(w, "reporting-org", &f.origin, None);
    with_narrative(w, "title", &[], &f.fund.name);
    let mut general = format!(
        "Pooled fund administered by {}; windows: {}.",
        f.fund.agent,
        f.fund
            .windows
            .iter()
            .map(|x| format!("{} ({})", x.name, x.code))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !f.fund.source.is_empty() {
        general.push(' ');
        general.push_str(&f.fund.source);
    }
    with_narrative(w, "description", &[("type", "1")], &general);
    let mut donors: Vec<&str> = f.flows.iter().filter_map(|x| x.donor.as_deref()).collect();
    donors.sort_unstable();
    donors.dedup();
    for d in donors {
        party(ctx, w, "participating-org", d, Some("1"));
    }
    with_narrative(w, "participating-org", &[("role", "3")], &f.fund.agent);
    w.empty("activity-status", &[("code", "2")]);
    w.empty(
        "activity-date",
        &[("type", "2"), ("iso-date", &f.fund.opened)],
    );
    for x in &f.flows {
        let sign = if x.reversal { -1 } else { 1 };
        let donor = x.donor.as_deref().map(|d| (d, false));
        let org = x.organisation.as_deref().map(|o| (o, false));
        let tx = |kind, sign, description: Option<&str>, provider, receiver, activity| Tx {
            kind,
            flow: x,
            sign,
            description: description.map(str::to_string),
            provider,
            receiver,
            activity,
        };
        let t = match x.code.as_str() {
            "pledge" if x.pending => Some(tx("13", sign, None, donor, None, None)),
            "pledge_void" => Some(tx("13", -1, Some("Pledge voided"), donor, None, None)),
            "commitment" => Some(tx("11", sign, None, donor, None, None)),
            "deposit" => Some(tx("1", sign, None, donor, None, None)),
            "interest" => Some(tx("1", sign, Some("Interest earned"), None, None, None)),
            "refund" => Some(tx(
                "1",
                sign,
                Some("Refund from an organisation"),
                org,
                None,
                None,
            )),
            "agent_fee" => Some(tx(
                "4",
                sign,
                Some("Administrative agent fee"),
                None,
                None,
                None,
            )),
            "approval" => {
                let pid = x.project.as_deref().and_then(project_iati);
                pid.map(|pid| {
                    tx(
                        "2",
                        sign,
                        Some("Project budget approved"),
                        None,
                        Some((x.project.as_deref().unwrap_or(""), true)),
                        Some(pid),
                    )
                })
            }
            "disbursement" => Some(tx("3", sign, None, None, org, None)),
            _ => None,
        };
        if let Some(t) = t {
            transaction(w, ctx, t);
        }
    }
    for p in &f.projects {
        w.empty(
            "related-activity",
            &[("ref", &format!("{reporting}-{}", p.id)), ("type", "2")],
        );
    }
    marking_element(w, &f.origin, &f.marking);
    w.end();

    for p in &f.projects {
        project_activity(w, ctx, f, p, &fund_iati);
    }
}

fn project_activity(
    w: &mut Writer,
    ctx: &Ctx<'_>,
    f: &FundActivity,
    p: &ProjectRecord,
    fund_iati: &str,
) {
    let reporting = ctx.org_ref(&f.origin);
    let pr = &p.project;
    w.start(
        "iati-activity",
        &[("xml:lang", ctx.lang()), ("default-currency", &pr.currency)],
    );
    w.text("iati-identifier", &[], &format!("{reporting}-{}", p.id));
    ctx.org(w, "reporting-org", &f.origin, None);
    with_narrative(w, "title", &[], &pr.title);
    let mut general = format!(
        "A project of {} (window {}), {}.",
        f.fund.name, pr.window, pr.place
    );
    if !pr.source.is_empty() {
        general.push(' ');
        general.push_str(&pr.source);
    }
    with_narrative(w, "description", &[("type", "1")], &general);
    with_narrative(w, "participating-org", &[("role", "1")], &f.fund.name);
    party(ctx, w, "participating-org", &pr.organisation, Some("4"));
    w.empty(
        "activity-status",
        &[("code", project_status(pr.activity_status))],
    );
    let first = f
        .flows
        .iter()
        .filter(|x| x.project.as_deref() == Some(&pr.code))
        .map(|x| x.value_date.as_str())
        .min()
        .unwrap_or(&f.fund.opened);
    w.empty("activity-date", &[("type", "2"), ("iso-date", first)]);
    if pr.pcode.len() >= 2 {
        let country = &pr.pcode[..2];
        if country.bytes().all(|b| b.is_ascii_uppercase()) {
            w.empty(
                "recipient-country",
                &[("code", country), ("percentage", "100")],
            );
        }
    }
    w.start("location", &[]);
    w.empty("location-reach", &[("code", "1")]);
    with_narrative(w, "name", &[], &pr.place);
    with_narrative(
        w,
        "description",
        &[],
        &format!("{} (P-code {})", pr.place, pr.pcode),
    );
    w.empty("exactness", &[("code", "2")]);
    w.end();
    if let Some(l) = &pr.line_of_effort {
        w.empty(
            "sector",
            &[("vocabulary", "99"), ("code", l), ("percentage", "100")],
        );
    }
    w.start("budget", &[("type", "1"), ("status", "2")]);
    w.empty("period-start", &[("iso-date", first)]);
    w.empty("period-end", &[("iso-date", &end_of_year(first))]);
    w.text(
        "value",
        &[("currency", &pr.currency), ("value-date", first)],
        &format_minor(pr.budget, &pr.currency),
    );
    w.end();
    for x in f
        .flows
        .iter()
        .filter(|x| x.project.as_deref() == Some(&pr.code))
    {
        let sign = if x.reversal { -1 } else { 1 };
        let fund_end = Some((f.fund.name.as_str(), true));
        let t = match x.code.as_str() {
            "approval" => Some(Tx {
                kind: "11",
                flow: x,
                sign,
                description: Some("Budget approved by the fund".into()),
                provider: fund_end,
                receiver: None,
                activity: Some(fund_iati.to_string()),
            }),
            "disbursement" => Some(Tx {
                kind: "1",
                flow: x,
                sign,
                description: None,
                provider: fund_end,
                receiver: x.organisation.as_deref().map(|o| (o, false)),
                activity: Some(fund_iati.to_string()),
            }),
            "expenditure" => Some(Tx {
                kind: "4",
                flow: x,
                sign,
                description: None,
                provider: x.organisation.as_deref().map(|o| (o, false)),
                receiver: None,
                activity: None,
            }),
            "indirect_cost" => Some(Tx {
                kind: "4",
                flow: x,
                sign,
                description: Some("Indirect costs of the participating organisation".into()),
                provider: x.organisation.as_deref().map(|o| (o, false)),
                receiver: None,
                activity: None,
            }),
            _ => None,
        };
        if let Some(t) = t {
            transaction(w, ctx, t);
        }
    }
    w.empty("related-activity", &[("ref", fund_iati), ("type", "1")]);
    marking_element(w, &f.origin, &p.marking);
    w.end();
}

/// The last day of the year of a YYYY-MM-DD date (a budget's period end:
/// IATI budget periods are at most a year).
fn end_of_year(date: &str) -> String {
    format!("{}-12-31", date.get(..4).unwrap_or("1970"))
}
