//! Writes a representative STIX 2.1 bundle to stdout (people with Arabic
//! aliases and documents, a vessel, an organisation, a place, reports with
//! and without entities, every TLP level, REL TO lists with groups), for
//! `stix2-validator --strict` in scripts/test.

use coalesce_domain::reports::{
    Commodity, Entity, EntityKind, EntityLink, LegRole, Payment, Quantity, Report, ReportDetails,
    ReportKind, RouteLeg,
};
use coalesce_domain::{Marking, Tlp};
use std::collections::BTreeMap;

/// A travel route and the documents used; a financing report's commodity,
/// quantity and payment.
fn sample_details(i: usize) -> ReportDetails {
    let leg = |country: &str, role, date: Option<&str>| RouteLeg {
        country: country.into(),
        role,
        date: date.map(str::to_string),
    };
    match i {
        0 => ReportDetails {
            route: vec![
                leg("TUN", LegRole::Origin, Some("2014-09-28")),
                leg("TUR", LegRole::Transit, None),
                leg("SYR", LegRole::Destination, Some("2014-10-02")),
            ],
            documents: vec!["Z1234567".into()],
            ..Default::default()
        },
        1 => ReportDetails {
            commodity: Some(Commodity::CrudeOil),
            quantity: Some(Quantity {
                amount: 12_000,
                unit: "barrel".into(),
            }),
            payments: vec![Payment {
                amount: 30_000_000,
                currency: "USD".into(),
                date: Some("2014-10-01".into()),
            }],
            route: vec![
                leg("SYR", LegRole::Origin, None),
                leg("TUR", LegRole::Destination, None),
            ],
            ..Default::default()
        },
        _ => ReportDetails::default(),
    }
}

fn main() {
    let when = 1_412_208_000_000i64;
    let mut entities = Vec::new();
    let mut reports = Vec::new();
    let kinds = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Vessel,
        EntityKind::Place,
    ];
    for (i, tlp) in Tlp::ALL.into_iter().enumerate() {
        let rel: Vec<String> = match i % 3 {
            0 => vec!["GBR".into(), "FRA".into()],
            1 => vec!["GROUP:ff-task-force".into()],
            _ => vec!["COALITION".into()],
        };
        let Ok(marking) = Marking::parse(tlp.as_str(), &rel) else {
            return;
        };
        let kind = kinds[i % kinds.len()];
        let id = format!("019abc00-0000-7000-8000-00000000000{i}");
        entities.push(Entity {
            id: id.clone(),
            origin: ["USA", "TUR", "GBR"][i % 3].into(),
            kind,
            name: [
                "Abu Muhammad al-Tunisi",
                "Sample Oil Trading",
                "Sea Star",
                "Raqqa",
                "Abou Mohamed Tounsi",
            ][i]
                .into(),
            aliases: if kind == EntityKind::Person {
                vec!["ابو محمد التونسي".into()]
            } else {
                vec![]
            },
            birth_date: (kind == EntityKind::Person).then(|| "1991-04".into()),
            nationality: match kind {
                EntityKind::Person => Some("TUN".into()),
                EntityKind::Place => Some("SYR".into()),
                EntityKind::Organisation => Some("TUR".into()),
                EntityKind::Vessel => None,
            },
            documents: if kind == EntityKind::Person {
                vec!["Z1234567".into()]
            } else {
                vec![]
            },
            imo: (kind == EntityKind::Vessel).then(|| "9074729".into()),
            mmsi: (kind == EntityKind::Vessel).then(|| "211331640".into()),
            flag: (kind == EntityKind::Vessel).then(|| "PAN".into()),
            marking: marking.clone(),
            retain_until: None,
            purged_on: None,
            version: 1,
            created_at_ms: when,
            created_by: "sample".into(),
            updated_at_ms: when + 1_000,
            updated_by: "sample".into(),
        });
        reports.push(Report {
            id: format!("019abc00-0000-7000-8000-00000000010{i}"),
            origin: "USA".into(),
            kind: ReportKind::ALL[i % ReportKind::ALL.len()],
            title: format!("Report {i}: \"quoted\" & <angled> — عربي"),
            body: if i == 0 {
                String::new()
            } else {
                "Line one\nLine two".into()
            },
            line_of_effort: None,
            occurred_on: Some("2014-10-02".into()),
            marking,
            entities: if i == 4 {
                vec![]
            } else {
                vec![EntityLink {
                    entity_id: id,
                    role: "subject".into(),
                }]
            },
            details: sample_details(i),
            retain_until: None,
            purged_on: None,
            version: 1,
            withdrawn: false,
            created_at_ms: when,
            created_by: "sample".into(),
            updated_at_ms: when,
            updated_by: "sample".into(),
        });
    }
    let members = BTreeMap::from([
        ("USA".to_string(), "United States".to_string()),
        ("GBR".to_string(), "United Kingdom".to_string()),
    ]);
    // A person operating a vessel, marked like the person.
    let (Some(person), Some(vessel)) = (entities.first(), entities.get(2)) else {
        return;
    };
    let relationships = [coalesce_domain::record::Record {
        id: "019abc00-0000-7000-8000-000000000200".into(),
        kind: "relationship",
        origin: "USA".into(),
        origin_node: "sample-node".into(),
        version: 1,
        status: coalesce_domain::record::Status::Live,
        marking: person.marking.clone(),
        body: coalesce_domain::relationship::RelationshipBody {
            from: person.id.clone(),
            to: vessel.id.clone(),
            relationship_type: coalesce_domain::relationship::RelationshipType::Operates,
            note: "Seen at the helm in Ceyhan".into(),
        },
        created_at_ms: when,
        created_by: "sample".into(),
        updated_at_ms: when,
        updated_by: "sample".into(),
        seq: 1,
    }];
    // A fixed key: the sample is the same on every run.
    let node = coalesce_exchange::stix::Node {
        members: &members,
        member: "USA",
        marking_key: &[42; 32],
    };
    // The entities as records of the layer, in their one form.
    let entity_records: Vec<_> = entities
        .iter()
        .map(|e| coalesce_domain::record::Record {
            id: e.id.clone(),
            kind: "entity",
            origin: e.origin.clone(),
            origin_node: "sample-node".into(),
            version: e.version,
            status: coalesce_domain::record::Status::Live,
            marking: e.marking.clone(),
            body: e.body(),
            created_at_ms: e.created_at_ms,
            created_by: e.created_by.clone(),
            updated_at_ms: e.updated_at_ms,
            updated_by: e.updated_by.clone(),
            seq: 1,
        })
        .collect();
    let report_records: Vec<_> = reports
        .iter()
        .map(|r| coalesce_domain::record::Record {
            id: r.id.clone(),
            kind: "report",
            origin: r.origin.clone(),
            origin_node: "sample-node".into(),
            version: r.version,
            status: coalesce_domain::record::Status::Live,
            marking: r.marking.clone(),
            body: coalesce_domain::report_record::ReportBody {
                kind: r.kind,
                title: r.title.clone(),
                body: r.body.clone(),
                line_of_effort: r.line_of_effort.clone(),
                occurred_on: r.occurred_on.clone(),
                entities: r.entities.clone(),
                details: r.details.clone(),
                retain_until: None,
                purged_on: None,
            },
            created_at_ms: r.created_at_ms,
            created_by: r.created_by.clone(),
            updated_at_ms: r.updated_at_ms,
            updated_by: r.updated_by.clone(),
            seq: 1,
        })
        .collect();
    let bundle = coalesce_exchange::stix::stix_bundle(
        &report_records,
        &entity_records,
        &relationships,
        &node,
        "sample",
    );
    let mut bundle = bundle;
    // Every kind of the record layer in its one STIX form, live and
    // withdrawn.
    let record = |i: usize, status| coalesce_domain::record::Record {
        id: format!("019abc00-0000-7000-8000-00000000030{i}"),
        kind: "sample",
        origin: "GBR".into(),
        origin_node: "sample-node".into(),
        version: 2,
        status,
        marking: Marking::parse("AMBER", &["USA".into(), "GROUP:ff-task-force".into()])
            .unwrap_or_else(|_| Marking {
                tlp: Tlp::Amber,
                rel_to: Default::default(),
            }),
        body: (),
        created_at_ms: when,
        created_by: "sample".into(),
        updated_at_ms: when + 5_000,
        updated_by: "sample".into(),
        seq: 1,
    };
    use coalesce_domain::record::Status;
    let mut more = Vec::new();
    for (i, status) in [Status::Live, Status::Withdrawn].into_iter().enumerate() {
        let contact = coalesce_domain::contact::Contact {
            name: "Jane Doe".into(),
            role: "Counter-financing desk officer".into(),
            email: "jane.doe@fco.example.org".into(),
            phone: Some("+44 20 7946 0000".into()),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            coalesce_domain::contact::ContactKind,
        >(&record(i, status).with_body(contact), &node));
        let note = coalesce_domain::note::NoteBody {
            title: "Crossing at Tal Abyad — عربي".into(),
            body: "Two vehicles.\nOne trailer.".into(),
            group: Some("ff-task-force".into()),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            coalesce_domain::note::NoteKind,
        >(&record(i + 2, status).with_body(note), &node));
        let value = coalesce_domain::indicators::ValueBody {
            indicator: "returned-home".into(),
            observed_on: "2016-06-30".into(),
            value: 0.1,
            note: "IOM displacement tracking".into(),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            coalesce_domain::indicators::IndicatorValueKind,
        >(&record(i + 4, status).with_body(value), &node));
        use coalesce_domain::needs::{AdminArea, Measure, Place, Window};
        let requirement = coalesce_domain::needs::RequirementBody {
            title: "Night-vision kits — معدات رؤية ليلية".into(),
            description: "For the 5th brigade.".into(),
            requesting_member: "IRQ".into(),
            line_of_effort: "security-assistance".into(),
            category: "night-vision".into(),
            measure: if i == 0 {
                Measure::Quantity {
                    amount: 120,
                    unit: "kit".into(),
                }
            } else {
                Measure::Money {
                    amount: 25_000_000,
                    currency: "USD".into(),
                }
            },
            place: Place {
                country: "IRQ".into(),
                admin1: Some(AdminArea {
                    name: "Ninewa".into(),
                    pcode: "IQG15".into(),
                }),
                town: Some("Mosul".into()),
                point: None,
            },
            window: Window {
                start: "2015-02-01".into(),
                end: "2015-06-30".into(),
            },
            priority: 1,
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            coalesce_domain::needs::RequirementRecordKind,
        >(
            &record(i + 6, status).with_body(requirement), &node
        ));
        let contribution = coalesce_domain::needs::ContributionBody {
            requirement_id: Some("019abc00-0000-7000-8000-000000000306".into()),
            line_of_effort: "security-assistance".into(),
            category: "night-vision".into(),
            title: "Night-vision kits for the 5th brigade".into(),
            description: String::new(),
            measure: Measure::Quantity {
                amount: 40,
                unit: "kit".into(),
            },
            place: None,
            window: None,
            contributors: vec!["DEU".into(), "GBR".into()],
            status: coalesce_domain::needs::Status::Committed,
            deliveries: vec![coalesce_domain::needs::DeliveryBody {
                seq: 1,
                delivered_on: "2015-03-02".into(),
                amount: 10,
                evidence: "Waybill 17".into(),
            }],
            parties: vec![coalesce_domain::needs::Party {
                role: coalesce_domain::needs::PartyRole::Carrier,
                kind: coalesce_domain::needs::PartyKind::Organisation,
                name: "Tigris Haulage".into(),
                country: Some("IRQ".into()),
            }],
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            coalesce_domain::needs::ContributionRecordKind,
        >(
            &record(i + 8, status).with_body(contribution), &node
        ));
        let run = coalesce_domain::allocation_run::AllocationRunBody {
            requirements: 2,
            offers: 1,
            compatible_pairs: Some(1),
            requested: 160,
            proposed: 40,
            gaps: serde_json::json!([{
                "requirement": "019abc00-0000-7000-8000-000000000306",
                "requested": 120, "proposed": 0, "missing": 120, "unit": "kit",
                "why": ["no open offer of night-vision in IRQ"],
                "explanation": "Night-vision kits: 120 kit missing",
            }]),
            surplus: serde_json::json!([]),
            proposals: vec![coalesce_domain::allocation_run::ProposedMatch {
                seq: 1,
                contribution_id: "019abc00-0000-7000-8000-000000000308".into(),
                requirement_id: "019abc00-0000-7000-8000-000000000307".into(),
                amount: 40,
                explanation: "same category and line of effort; windows overlap".into(),
            }],
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            coalesce_domain::allocation_run::AllocationRunKind,
        >(&record(i + 10, status).with_body(run), &node));
        use coalesce_domain::fund as fd;
        let fund = fd::Fund {
            name: "Funding Facility for Immediate Stabilization".into(),
            agent: "UNDP".into(),
            base_currency: "USD".into(),
            fee_bp: 100,
            indirect_bp: 700,
            windows: vec![fd::FundWindow {
                code: "W1".into(),
                name: "Public works and light infrastructure".into(),
            }],
            opened: "2015-06-01".into(),
            source: String::new(),
        };
        more.extend(
            coalesce_exchange::stix_record::project_record::<fd::FundKind>(
                &record(i + 18, status).with_body(fund),
                &node,
            ),
        );
        let project = fd::FundProject {
            fund: "019abc00-0000-7000-8000-000000000318".into(),
            code: "FFS-TKT-001".into(),
            title: "Tikrit water network".into(),
            window: "W1".into(),
            pcode: "IQG18Q02".into(),
            place: "Tikrit".into(),
            organisation: "UNDP".into(),
            line_of_effort: None,
            activity_status: fd::ProjectStatus::Ongoing,
            budget: 120_000_000,
            currency: "USD".into(),
            source: String::new(),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            fd::FundProjectKind,
        >(&record(i + 20, status).with_body(project), &node));
        use coalesce_domain::meetings as mt;
        let meeting = mt::Meeting {
            meeting_type: mt::MeetingType::SmallGroup,
            title: "Small group, London".into(),
            place: "Lancaster House, London".into(),
            starts: "2015-01-22T09:00:00Z".into(),
            ends: "2015-01-22T16:00:00Z".into(),
            time_zone: "Europe/London".into(),
            host: "GBR".into(),
            chair: Some("GBR".into()),
            group: Some("small-group".into()),
            attendance: vec![mt::Attendee {
                member: "USA".into(),
                level: mt::Level::Minister,
                delegation: 3,
            }],
            agenda: vec![mt::AgendaItem {
                number: 1,
                title: "Expert working groups".into(),
                outcomes: vec![mt::Outcome {
                    outcome_type: mt::OutcomeType::Decision,
                    text: "Establish expert-level working groups.".into(),
                    adopted_by: vec!["USA".into(), "GBR".into()],
                }],
                follows_up: None,
            }],
            source: String::new(),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            mt::MeetingKind,
        >(&record(i + 12, status).with_body(meeting), &node));
        let statement = mt::Statement {
            meeting: "019abc00-0000-7000-8000-000000000312".into(),
            adopted_on: "2015-01-22".into(),
            signatories: vec!["USA".into(), "GBR".into()],
            texts: vec![mt::StatementText {
                language: "ar".into(),
                title: "بيان مشترك".into(),
                paragraphs: vec![mt::Paragraph {
                    num: "1".into(),
                    text: "لا وقت نضيعه.".into(),
                }],
            }],
            source: String::new(),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            mt::StatementKind,
        >(
            &record(i + 14, status).with_body(statement), &node
        ));
        let commitment = mt::Commitment {
            meeting: "019abc00-0000-7000-8000-000000000312".into(),
            agenda_item: Some(1),
            owner: "GBR".into(),
            what: "Stand up the working groups".into(),
            due: "2015-03-31".into(),
            line_of_effort: Some("security-assistance".into()),
            links: vec![mt::Link {
                target: mt::LinkTarget::Indicator,
                id: "new-brigades".into(),
                weight: 2,
                target_value: Some(12.0),
            }],
            state: mt::CommitmentState::OnTrack,
            dropped_reason: String::new(),
            discussed: vec![],
            source: String::new(),
        };
        more.extend(coalesce_exchange::stix_record::project_record::<
            mt::CommitmentKind,
        >(
            &record(i + 16, status).with_body(commitment), &node
        ));
    }
    if let Some(objects) = bundle["objects"].as_array_mut() {
        for o in more {
            if !objects.iter().any(|x| x["id"] == o["id"]) {
                objects.push(o);
            }
        }
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&bundle).unwrap_or_default()
    );
}
