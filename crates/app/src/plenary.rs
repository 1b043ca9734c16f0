//! The plenary report's figures for one reader (issue 18), gathered from
//! the same reads the pages use — each through the audience filter — into
//! `coalesce_report::plenary::Plenary`, which renders to HTML and PDF and
//! is what a snapshot keeps. Each section carries the marking of its most
//! restrictive source and says when its totals are partial; the banner
//! carries the highest of all, released to the reader's member.

use crate::ApiError;
use axum::http::StatusCode;
use coalesce_domain::fund::FundKind;
use coalesce_domain::meetings::{local_time, CommitmentState, OutcomeType, StatementKind};
use coalesce_domain::record::RefTarget;
use coalesce_domain::Tlp;
use coalesce_ledger::fund::Line;
use coalesce_report::plenary::{Block, Plenary, Section, Series};
use coalesce_store::meetings::{BoardFilter, CommitmentView};
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::Dimension;
use coalesce_store::records::{all_pages, RecordFilter};
use coalesce_store::{Principal, Store};
use std::collections::BTreeMap;

/// An amount as people read it: `USD 1,250,000.00`, `12 brigade`.
pub fn show_amount(kind: &str, unit: &str, amount: i64) -> String {
    use coalesce_report::charts::format_number;
    if kind == "money" {
        let major = coalesce_exchange::money::format_minor(amount, unit);
        let (int, frac) = major.split_once('.').unwrap_or((major.as_str(), ""));
        let int = int
            .parse::<f64>()
            .map_or(int.to_string(), |v| format_number(v, 0));
        if frac.is_empty() {
            format!("{unit} {int}")
        } else {
            format!("{unit} {int}.{frac}")
        }
    } else {
        format!("{} {unit}", format_number(amount as f64, 0))
    }
}

/// The day a report is made as of when none is given: the node's
/// follow-up date (the demo's) or today.
pub async fn default_as_of(store: &Store) -> Result<String, ApiError> {
    Ok(crate::wire::rfc3339(store.follow_up_now().await?)
        .get(..10)
        .unwrap_or_default()
        .to_string())
}

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    /// YYYY-MM-DD, not in the future.
    pub as_of: String,
    /// The meeting it is written for (its record id).
    pub meeting: Option<String>,
}

fn invalid(field: &str, detail: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        format!("{field}: {}", detail.into()),
    )
}

/// The most restrictive of these TLPs, as a section's marking.
fn marking_of(tlps: impl IntoIterator<Item = Option<Tlp>>) -> (Option<Tlp>, String) {
    let highest = tlps.into_iter().flatten().max();
    (
        highest,
        highest.map_or_else(
            || "TLP:CLEAR (no source)".to_string(),
            |t| format!("TLP:{}", t.as_str()),
        ),
    )
}

fn table(caption: &str, head: &[&str], numeric: &[bool], rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        caption: caption.into(),
        head: head.iter().map(|h| h.to_string()).collect(),
        rows,
        numeric: numeric.to_vec(),
    }
}

fn num(v: f64) -> String {
    coalesce_report::charts::format_number(v, if v.fract() == 0.0 { 0 } else { 2 })
}

/// The value of an indicator on a day: the latest reading observed on or
/// before it (of those the reader may read).
fn value_on(values: &[(String, f64)], day: &str) -> Option<f64> {
    values
        .iter()
        .filter(|(d, _)| d.as_str() <= day)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| *v)
}

/// Gathers the report for `p`'s member.
pub async fn gather(store: &Store, p: &Principal, req: &Request) -> Result<Plenary, ApiError> {
    let as_of = coalesce_domain::text::iso_date("as_of", &req.as_of)?;
    let now = store.follow_up_now().await?;
    let today = crate::wire::rfc3339(now)
        .get(..10)
        .unwrap_or_default()
        .to_string();
    if as_of > today {
        return Err(invalid(
            "as_of",
            format!("{as_of} is in the future (today is {today})"),
        ));
    }
    // The instant follow-up is judged at: the end of the as-of day (UTC).
    let judged_at = coalesce_domain::meetings::due_end_ms(&as_of, "UTC")? - 1;
    let members = store.list_members().await?;
    let name_of = |code: &str| {
        members
            .iter()
            .find(|m| m.code.as_str() == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };
    let mut sources: Vec<(String, String, i64)> = Vec::new();
    let meetings: Vec<_> = store
        .list_meetings(p)
        .await?
        .into_iter()
        .filter(|m| m.body.starts.get(..10).unwrap_or_default() <= as_of.as_str())
        .collect();
    let meeting = match &req.meeting {
        Some(id) => Some(
            store
                .get_record::<coalesce_domain::meetings::MeetingKind>(p, id)
                .await
                .map_err(|e| match e {
                    coalesce_store::StoreError::NotFound => invalid(
                        "meeting",
                        format!("there is no meeting {id:?} you may read"),
                    ),
                    e => e.into(),
                })?,
        ),
        None => None,
    };
    let subtitle = match &meeting {
        Some(m) => format!(
            "{}, {} ({})",
            m.body.title,
            m.body.place,
            local_time(&m.body.starts, &m.body.time_zone)
        ),
        None => format!("As of {as_of}"),
    };
    // "Since the last meeting": the latest meeting before this one (or
    // before the as-of day).
    let cut = meeting.as_ref().map_or(as_of.clone(), |m| {
        m.body.starts.get(..10).unwrap_or_default().to_string()
    });
    let last_meeting = meetings
        .iter()
        .find(|m| m.body.starts.get(..10).unwrap_or_default() < cut.as_str())
        .cloned();
    let since = store
        .last_report_before(p.member.as_str(), &as_of)
        .await?
        .or_else(|| {
            last_meeting
                .as_ref()
                .map(|m| m.body.starts.get(..10).unwrap_or_default().to_string())
        });
    let mut sections = Vec::new();
    let mut highest: Option<Tlp> = None;

    // 1. Executive summary: the headline indicators.
    {
        let mut rows = Vec::new();
        let mut tlps = Vec::new();
        let mut partial = false;
        for ind in store.list_indicators().await? {
            let values = all_pages(|cursor| {
                let slug = ind.slug.clone();
                async move {
                    store
                        .list_indicator_values(p, &slug, cursor.as_deref(), 500)
                        .await
                }
            })
            .await?;
            let readings: Vec<(String, f64)> = values
                .iter()
                .filter(|v| v.observed_on.as_str() <= as_of.as_str())
                .map(|v| (v.observed_on.clone(), v.value))
                .collect();
            for v in &values {
                tlps.push(Some(v.marking.tlp));
                sources.push(("indicator_value".into(), v.id.clone(), 1));
            }
            let Some(value) = value_on(&readings, &as_of) else {
                continue;
            };
            let target = ind
                .targets
                .iter()
                .find(|t| t.date.as_str() >= as_of.as_str())
                .or(ind.targets.last())
                .map_or_else(
                    || "—".to_string(),
                    |t| format!("{} by {}", num(t.value), t.date),
                );
            let change = match since.as_deref().and_then(|d| value_on(&readings, d)) {
                Some(before) => {
                    let d = value - before;
                    format!("{}{}", if d > 0.0 { "+" } else { "" }, num(d))
                }
                None => "new".into(),
            };
            rows.push(vec![
                ind.name.clone(),
                format!("{} {}", num(value), ind.unit),
                target,
                change,
            ]);
        }
        let cov = store.kind_coverage(p, "indicator_value").await?;
        partial |= cov.partial();
        let (h, marking) = marking_of(tlps.into_iter().chain([cov.highest]));
        highest = highest.max(h);
        let since_label = since
            .as_deref()
            .map_or("Change".to_string(), |d| format!("Change since {d}"));
        sections.push(Section {
            id: "summary".into(),
            title: "Executive summary".into(),
            marking,
            partial,
            paragraphs: vec![format!(
                "The campaign's headline indicators as of {as_of}, over the readings {} may read.",
                p.member
            )],
            blocks: vec![table(
                "Headline indicators",
                &["Indicator", "Value", "Target", &since_label],
                &[false, true, false, true],
                rows,
            )],
        });
    }

    // 2. Progress by line of effort.
    let contributions_cov = store.kind_coverage(p, "contribution").await?;
    {
        let totals = store
            .contribution_totals(p, &ContributionFilter::default(), Dimension::LineOfEffort)
            .await?;
        let lines = store.list_lines_of_effort().await?;
        let line_name = |slug: &str| {
            lines
                .iter()
                .find(|l| l.slug == slug)
                .map_or_else(|| slug.to_string(), |l| l.name.clone())
        };
        let mut by_line: BTreeMap<String, (i64, i64, i64, i64)> = BTreeMap::new();
        let mut rows = Vec::new();
        for t in &totals {
            let e = by_line.entry(t.key.clone()).or_default();
            e.0 += t.contributions;
            rows.push(vec![
                line_name(&t.key),
                t.contributions.to_string(),
                show_amount(&t.kind, &t.unit, t.pledged),
                show_amount(&t.kind, &t.unit, t.committed),
                show_amount(&t.kind, &t.unit, t.delivered),
            ]);
        }
        let (h, marking) = marking_of([contributions_cov.highest]);
        highest = highest.max(h);
        let categories: Vec<String> = by_line.keys().map(|k| line_name(k)).collect();
        sections.push(Section {
            id: "lines".into(),
            title: "Progress by line of effort".into(),
            marking,
            partial: contributions_cov.partial(),
            paragraphs: vec![
                "Contributions per line of effort: what was pledged and not yet committed, committed and not yet delivered, and delivered (amounts in different units are never added together)."
                    .into(),
            ],
            blocks: vec![
                Block::Chart {
                    title: "Contributions per line of effort".into(),
                    unit: "contributions".into(),
                    categories,
                    series: vec![Series {
                        label: "Contributions".into(),
                        values: by_line.values().map(|v| v.0 as f64).collect(),
                    }],
                },
                table(
                    "Contributions per line of effort and unit",
                    &["Line of effort", "Contributions", "Pledged", "Committed", "Delivered"],
                    &[false, true, true, true, true],
                    rows,
                ),
            ],
        });
    }

    // 3. Requirements and gaps, largest unmet first.
    {
        let reqs = store.requirements_with_figures(p, "", 500).await?;
        let cov = store.kind_coverage(p, "requirement").await?;
        let mut reqs: Vec<_> = reqs.into_iter().filter(|r| r.summary.gap > 0).collect();
        reqs.sort_by(|a, b| {
            b.summary
                .gap
                .cmp(&a.summary.gap)
                .then(a.requirement.title.cmp(&b.requirement.title))
        });
        let rows = reqs
            .iter()
            .map(|r| {
                let q = &r.requirement;
                sources.push(("requirement".into(), q.id.clone(), q.version));
                let place = [
                    q.place.town.clone(),
                    q.place.admin1.as_ref().map(|a| a.name.clone()),
                    Some(q.place.country.clone()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                let (kind, unit) = (q.measure.kind(), q.measure.unit().to_string());
                vec![
                    q.title.clone(),
                    place,
                    show_amount(kind, &unit, r.summary.requested),
                    show_amount(kind, &unit, r.summary.delivered),
                    show_amount(kind, &unit, r.summary.gap),
                ]
            })
            .collect();
        let (h, marking) = marking_of(
            reqs.iter()
                .map(|r| Some(r.requirement.marking.tlp))
                .chain([cov.highest, contributions_cov.highest]),
        );
        highest = highest.max(h);
        sections.push(Section {
            id: "gaps".into(),
            title: "Requirements and gaps".into(),
            marking,
            partial: cov.partial() || contributions_cov.partial(),
            paragraphs: vec![
                "Open requirements with what is still unmet, largest first, by place.".into(),
            ],
            blocks: vec![table(
                "Unmet requirements",
                &["Requirement", "Place", "Requested", "Delivered", "Gap"],
                &[false, false, true, true, true],
                rows,
            )],
        });
    }

    // 4. Duplication.
    {
        let d = store.duplication(p, "").await?;
        let categories = store.item_categories().await?;
        let mut rows: Vec<Vec<String>> = d
            .over_contributed
            .iter()
            .map(|o| {
                let q = &o.requirement;
                vec![
                    "Offered beyond the requirement".into(),
                    q.title.clone(),
                    format!(
                        "{} offered for {}",
                        show_amount(q.measure.kind(), q.measure.unit(), o.offered),
                        show_amount(q.measure.kind(), q.measure.unit(), q.measure.amount())
                    ),
                ]
            })
            .collect();
        rows.extend(d.overlapping.iter().map(|g| {
            vec![
                "Same category, place and time".into(),
                g.first()
                    .map(|c| {
                        categories
                            .iter()
                            .find(|k| k.slug == c.category)
                            .map_or_else(|| c.category.clone(), |k| k.name.clone())
                    })
                    .unwrap_or_default(),
                g.iter()
                    .map(|c| format!("{} ({})", c.title, c.contributors.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        }));
        let (h, marking) = marking_of([contributions_cov.highest]);
        highest = highest.max(h);
        sections.push(Section {
            id: "duplication".into(),
            title: "Duplication".into(),
            marking,
            partial: contributions_cov.partial(),
            paragraphs: vec![if rows.is_empty() {
                "No duplication found among the contributions you may read.".into()
            } else {
                "Where members offer more than is asked, or the same thing at the same place and time.".into()
            }],
            blocks: vec![table(
                "Possible duplication",
                &["Finding", "What", "Details"],
                &[false, false, false],
                rows,
            )],
        });
    }

    // The funds the reader may read: the base currency of section 5 and
    // the status tables of section 6.
    let funds = all_pages(|cursor| async move {
        store
            .list_records::<FundKind>(p, &RecordFilter::default(), cursor.as_deref(), 100)
            .await
    })
    .await?;

    // 5. Contributions by member, totals per category, money by currency.
    {
        let by_member = store
            .contribution_totals(p, &ContributionFilter::default(), Dimension::Member)
            .await?;
        let by_category = store
            .contribution_totals(p, &ContributionFilter::default(), Dimension::Category)
            .await?;
        let row = |key: String, t: &coalesce_store::picture::Total| {
            vec![
                key,
                t.contributions.to_string(),
                show_amount(&t.kind, &t.unit, t.pledged + t.committed + t.delivered),
                show_amount(&t.kind, &t.unit, t.delivered),
            ]
        };
        let member_rows = by_member
            .iter()
            .map(|t| row(format!("{} ({})", name_of(&t.key), t.key), t))
            .collect();
        let categories = store.item_categories().await?;
        let category_rows = by_category
            .iter()
            .map(|t| {
                let name = categories
                    .iter()
                    .find(|c| c.slug == t.key)
                    .map_or_else(|| t.key.clone(), |c| c.name.clone());
                row(name, t)
            })
            .collect();
        let mut money: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for t in by_category.iter().filter(|t| t.kind == "money") {
            let e = money.entry(t.unit.clone()).or_default();
            e.0 += t.pledged + t.committed + t.delivered;
            e.1 += t.delivered;
        }
        // In the base currency (the first fund's, else USD) at the rate in
        // force on the as-of day, from the node's exchange rates.
        let base = funds
            .first()
            .map_or_else(|| "USD".to_string(), |f| f.body.base_currency.clone());
        let mut rates = coalesce_ledger::rates::RateTable::default();
        for r in store.list_rates(Some(&base)).await? {
            // Rates are checked when imported; one refused here is skipped.
            let _ = rates.add(r);
        }
        let in_base = |currency: &str, amount: i64| -> String {
            let (Ok(from), Ok(to)) = (
                coalesce_ledger::Currency::parse(currency),
                coalesce_ledger::Currency::parse(&base),
            ) else {
                return "—".into();
            };
            match rates.convert(amount, from, to, &as_of) {
                Ok(c) => show_amount("money", &base, c.amount),
                Err(_) => format!("no {currency}/{base} rate by {as_of}"),
            }
        };
        let mut money_total = Some((0i64, 0i64));
        let mut money_rows: Vec<Vec<String>> = money
            .iter()
            .map(|(c, (all, delivered))| {
                let (Ok(from), Ok(to)) = (
                    coalesce_ledger::Currency::parse(c),
                    coalesce_ledger::Currency::parse(&base),
                ) else {
                    money_total = None;
                    return vec![
                        c.clone(),
                        show_amount("money", c, *all),
                        show_amount("money", c, *delivered),
                        "—".into(),
                        "—".into(),
                    ];
                };
                match (
                    rates.convert(*all, from, to, &as_of),
                    rates.convert(*delivered, from, to, &as_of),
                ) {
                    (Ok(a), Ok(d)) => {
                        money_total = money_total.map(|(x, y)| (x + a.amount, y + d.amount));
                    }
                    _ => money_total = None,
                }
                vec![
                    c.clone(),
                    show_amount("money", c, *all),
                    show_amount("money", c, *delivered),
                    in_base(c, *all),
                    in_base(c, *delivered),
                ]
            })
            .collect();
        if let (Some((all, delivered)), false) = (money_total, money.is_empty()) {
            money_rows.push(vec![
                format!("Total in {base}"),
                String::new(),
                String::new(),
                show_amount("money", &base, all),
                show_amount("money", &base, delivered),
            ]);
        }
        let base_head_offered = format!("Offered in {base}");
        let base_head_delivered = format!("Delivered in {base}");
        let (h, marking) = marking_of([contributions_cov.highest]);
        highest = highest.max(h);
        let head = ["Member", "Contributions", "Offered", "Delivered"];
        sections.push(Section {
            id: "members".into(),
            title: "Contributions by member".into(),
            marking,
            partial: contributions_cov.partial(),
            paragraphs: vec!["A joint contribution counts in full for each of its members; cancelled contributions are left out of the amounts.".into()],
            blocks: vec![
                table("Per member", &head, &[false, true, true, true], member_rows),
                table(
                    "Per category",
                    &["Category", "Contributions", "Offered", "Delivered"],
                    &[false, true, true, true],
                    category_rows,
                ),
                table(
                    &format!("Money per currency, and in {base} at the rate in force on {as_of}"),
                    &[
                        "Currency",
                        "Offered",
                        "Delivered",
                        &base_head_offered,
                        &base_head_delivered,
                    ],
                    &[false, true, true, true, true],
                    money_rows,
                ),
            ],
        });
    }

    // 6. The stabilisation fund.
    {
        let mut blocks = Vec::new();
        let mut partial = false;
        let mut tlps = Vec::new();
        for f in &funds {
            sources.push(("fund".into(), f.id.clone(), f.version));
            tlps.push(Some(f.marking.tlp));
            let s = store.fund_status(p, &f.id).await?;
            partial |= s.partial;
            let c = &s.base_currency;
            let show = |v: i64| show_amount("money", c, v);
            let b = &s.base;
            blocks.push(table(
                &format!(
                    "{} (administrative agent: {}), in {c}",
                    f.body.name, f.body.agent
                ),
                &["Line", "Amount"],
                &[false, true],
                vec![
                    vec![
                        "Pledged, not yet committed".into(),
                        show(b.get(Line::Pledged)),
                    ],
                    vec!["Donor commitments".into(), show(b.get(Line::Committed))],
                    vec!["Deposits".into(), show(b.get(Line::Deposits))],
                    vec![
                        "Transfers to organisations".into(),
                        show(b.get(Line::Transfers)),
                    ],
                    vec!["Expenditure".into(), show(b.get(Line::Expenditure))],
                    vec![
                        "Held by the administrative agent".into(),
                        show(b.with_agent()),
                    ],
                    vec!["Committed, not yet deposited".into(), show(b.receivable())],
                ],
            ));
        }
        let transfers_partial = partial;
        let (h, marking) = marking_of(tlps);
        highest = highest.max(h);
        sections.push(Section {
            id: "fund".into(),
            title: "The stabilisation fund".into(),
            marking,
            partial: transfers_partial,
            paragraphs: vec![if funds.is_empty() {
                "No fund you may read.".into()
            } else {
                "Each fund's status in its base currency, each transfer converted at the rate of its value date.".into()
            }],
            blocks,
        });
    }

    // 7. Meetings and decisions since the last report.
    {
        let recent: Vec<_> = meetings
            .iter()
            .filter(|m| {
                since
                    .as_deref()
                    .is_none_or(|s| m.body.starts.get(..10).unwrap_or_default() >= s)
            })
            .collect();
        let mut rows = Vec::new();
        let mut decisions = Vec::new();
        let mut blocks = Vec::new();
        let mut tlps = Vec::new();
        for m in recent.iter().rev() {
            sources.push(("meeting".into(), m.id.clone(), m.version));
            tlps.push(Some(m.marking.tlp));
            rows.push(vec![
                local_time(&m.body.starts, &m.body.time_zone),
                m.body.title.clone(),
                m.body.place.clone(),
                m.body.attendance.len().to_string(),
            ]);
            for i in &m.body.agenda {
                for o in i
                    .outcomes
                    .iter()
                    .filter(|o| o.outcome_type == OutcomeType::Decision)
                {
                    decisions.push(vec![
                        m.body.title.clone(),
                        i.title.clone(),
                        o.text.clone(),
                        o.adopted_by.len().to_string(),
                    ]);
                }
            }
        }
        blocks.push(table(
            "Meetings",
            &["When (local)", "Meeting", "Where", "Attending"],
            &[false, false, false, true],
            rows,
        ));
        blocks.push(table(
            "Decisions",
            &["Meeting", "Agenda item", "Decision", "Adopted by (members)"],
            &[false, false, false, true],
            decisions,
        ));
        for m in &recent {
            let statements = all_pages(|cursor| {
                let id = m.id.clone();
                async move {
                    store
                        .list_records::<StatementKind>(
                            p,
                            &RecordFilter {
                                origin: None,
                                refers_to: Some((RefTarget::Meeting, id)),
                            },
                            cursor.as_deref(),
                            100,
                        )
                        .await
                }
            })
            .await?;
            for s in statements {
                sources.push(("statement".into(), s.id.clone(), s.version));
                tlps.push(Some(s.marking.tlp));
                blocks.push(table(
                    &format!("Joint statement of {}", m.body.title),
                    &["Adopted", "Paragraphs", "Languages"],
                    &[false, true, false],
                    vec![vec![
                        s.body.adopted_on.clone(),
                        s.body
                            .texts
                            .first()
                            .map_or(0, |t| t.paragraphs.len())
                            .to_string(),
                        s.body
                            .texts
                            .iter()
                            .map(|t| t.language.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]],
                ));
                // Its title in each language, each in its own direction.
                for t in &s.body.texts {
                    blocks.push(Block::Quote {
                        language: t.language.clone(),
                        rtl: t.rtl(),
                        text: t.title.clone(),
                    });
                }
            }
        }
        let cov = store.kind_coverage(p, "meeting").await?;
        let (h, marking) = marking_of(tlps.into_iter().chain([cov.highest]));
        highest = highest.max(h);
        sections.push(Section {
            id: "meetings".into(),
            title: match &since {
                Some(d) => format!("Meetings and decisions since {d}"),
                None => "Meetings and decisions".into(),
            },
            marking,
            partial: cov.partial(),
            paragraphs: vec![],
            blocks,
        });
    }

    // 8. Commitments: done, on track, overdue — by member.
    {
        let board = store
            .commitment_board(p, &BoardFilter::default(), judged_at)
            .await?;
        let row = |v: &CommitmentView| {
            vec![
                format!(
                    "{} ({})",
                    name_of(&v.record.body.owner),
                    v.record.body.owner
                ),
                v.record.body.what.clone(),
                v.record.body.due.clone(),
                v.progress.share.map_or("—".into(), |s| {
                    format!(
                        "{:.0} %{}",
                        s * 100.0,
                        if v.progress.partial { " (partial)" } else { "" }
                    )
                }),
            ]
        };
        let mut sorted: Vec<&CommitmentView> = board.iter().collect();
        sorted.sort_by(|a, b| a.record.body.owner.cmp(&b.record.body.owner));
        for v in &sorted {
            sources.push(("commitment".into(), v.record.id.clone(), v.record.version));
        }
        let pick = |f: &dyn Fn(&CommitmentView) -> bool| -> Vec<Vec<String>> {
            sorted.iter().filter(|v| f(v)).map(|v| row(v)).collect()
        };
        let overdue = pick(&|v| v.overdue);
        let done = pick(&|v| v.record.body.state == CommitmentState::Done);
        let on_track = pick(&|v| !v.overdue && v.record.body.state.is_open());
        let head = ["Member", "Commitment", "Due", "Progress"];
        let numeric = [false, false, false, true];
        let (h, marking) = marking_of(board.iter().map(|v| Some(v.record.marking.tlp)));
        highest = highest.max(h);
        let cov = store.kind_coverage(p, "commitment").await?;
        sections.push(Section {
            id: "commitments".into(),
            title: "Commitments".into(),
            marking,
            partial: cov.partial() || board.iter().any(|v| v.progress.partial),
            paragraphs: vec![format!(
                "{} overdue, {} on track or open, {} done, as of {as_of}. Overdue is computed from each due date in its meeting's time zone and the progress of what fulfils it.",
                overdue.len(),
                on_track.len(),
                done.len()
            )],
            blocks: vec![
                table("Overdue", &head, &numeric, overdue),
                table("On track or open", &head, &numeric, on_track),
                table("Done", &head, &numeric, done),
            ],
        });
    }

    // 9. Annex: every contribution the reader may read.
    {
        let all = all_pages(|cursor| async move {
            store
                .list_contributions(p, &ContributionFilter::default(), cursor.as_deref(), 500)
                .await
        })
        .await?;
        let rows = all
            .iter()
            .map(|c| {
                sources.push(("contribution".into(), c.id.clone(), c.version));
                vec![
                    c.contributors.join(", "),
                    c.title.clone(),
                    c.status.as_str().into(),
                    show_amount(c.measure.kind(), c.measure.unit(), c.measure.amount()),
                    show_amount(c.measure.kind(), c.measure.unit(), c.delivered),
                ]
            })
            .collect();
        let (h, marking) = marking_of(all.iter().map(|c| Some(c.marking.tlp)));
        highest = highest.max(h);
        sections.push(Section {
            id: "annex".into(),
            title: "Annex: contributions".into(),
            marking,
            partial: contributions_cov.partial(),
            paragraphs: vec![],
            blocks: vec![table(
                "Every contribution you may read",
                &["Members", "Contribution", "Status", "Amount", "Delivered"],
                &[false, false, false, true, true],
                rows,
            )],
        });
    }

    sources.sort();
    sources.dedup();
    let banner = format!(
        "TLP:{} REL TO {}",
        highest.unwrap_or(Tlp::Clear).as_str(),
        p.member
    );
    Ok(Plenary {
        title: "Progress report to the plenary".into(),
        subtitle,
        reader: p.member.as_str().to_string(),
        reader_name: name_of(p.member.as_str()),
        as_of,
        banner,
        sections,
        sources,
    })
}

/// Gathers the report and keeps it as a dated snapshot (audited as a
/// read by `actor`, or the node when `None`).
pub async fn generate(
    store: &Store,
    actor: Option<&Principal>,
    reader: &Principal,
    req: &Request,
) -> Result<(String, Plenary), ApiError> {
    let report = gather(store, reader, req).await?;
    let data = serde_json::to_string(&report)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "report", e.to_string()))?;
    let snap = store
        .keep_report(
            actor,
            reader.member.as_str(),
            &report.as_of,
            req.meeting.as_deref(),
            &data,
            report.sources.len(),
        )
        .await?;
    Ok((snap.id, report))
}

/// The report typeset as PDF. Typesetting is CPU work (a second or more
/// for a long report): it runs off the async workers, so that other
/// requests go on meanwhile.
pub async fn typeset(report: &Plenary) -> Result<Vec<u8>, ApiError> {
    let report = report.clone();
    tokio::task::spawn_blocking(move || coalesce_report::plenary::pdf(&report))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "typesetting",
                e.to_string(),
            )
        })
}

/// A kept report, as it was.
pub fn from_snapshot(data: &str) -> Result<Plenary, ApiError> {
    serde_json::from_str(data).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "corrupt_snapshot",
            e.to_string(),
        )
    })
}
