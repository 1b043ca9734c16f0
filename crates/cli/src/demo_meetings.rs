//! The demo's meetings (issue 17): the six meetings the seed documents
//! date, with their attendance, the Wales joint statement (its lines of
//! effort as numbered paragraphs, in English with Arabic and French
//! translations), the London decision creating the expert working groups,
//! and commitments linked to the demo's contributions, fund pledges and
//! indicators — some done, some overdue at the demo's date (the day after
//! the London defence ministerial), so the board is alive. Recorded by the
//! secretariat (USA), which follows them up.

use crate::demo_sources::{cites_adding, keep};
use anyhow::{Context, Result};
use coalesce_domain::meetings::{
    AgendaItem, Attendee, Commitment, CommitmentKind, CommitmentState, Level, Link, LinkTarget,
    Meeting, MeetingKind, MeetingType, Outcome, OutcomeType, Paragraph, Statement, StatementKind,
    StatementText,
};
use coalesce_domain::needs::ContributionRecordKind;
use coalesce_domain::source::Subject;
use coalesce_domain::Marking;
use coalesce_store::records::{all_pages, RecordFilter};
use coalesce_store::{Principal, Store};
use std::collections::BTreeMap;

/// The day the demo's follow-up is judged at: after the London defence
/// ministerial of 15 December 2016, the last meeting the documents date.
pub const DEMO_AS_OF: &str = "2016-12-16T12:00:00Z";

const SOURCE: &str = "The seed documents, quoted in the record's source; what the demo adds (venues, times, delegations, attendance beyond the members the documents name) is labelled illustrative there.";

fn marking(tlp: &str, rel: &[&str]) -> Result<Marking> {
    Ok(Marking::parse(
        tlp,
        &rel.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    )?)
}

fn attendees(codes: &[&str], level: Level, delegation: u32) -> Vec<Attendee> {
    codes
        .iter()
        .map(|c| Attendee {
            member: (*c).to_string(),
            level,
            delegation,
        })
        .collect()
}

fn item(title: &str, outcomes: Vec<Outcome>) -> AgendaItem {
    AgendaItem {
        number: 0,
        title: title.into(),
        outcomes,
        follows_up: None,
    }
}

fn decision(text: &str, by: &[&str]) -> Outcome {
    Outcome {
        outcome_type: OutcomeType::Decision,
        text: text.into(),
        adopted_by: by.iter().map(|s| s.to_string()).collect(),
    }
}

fn information(text: &str) -> Outcome {
    Outcome {
        outcome_type: OutcomeType::Information,
        text: text.into(),
        adopted_by: vec![],
    }
}

#[allow(clippy::too_many_arguments)]
fn meeting(
    meeting_type: MeetingType,
    title: &str,
    place: &str,
    starts: &str,
    ends: &str,
    time_zone: &str,
    host: &str,
    chair: Option<&str>,
    group: Option<&str>,
    attendance: Vec<Attendee>,
    agenda: Vec<AgendaItem>,
) -> Meeting {
    Meeting {
        meeting_type,
        title: title.into(),
        place: place.into(),
        starts: starts.into(),
        ends: ends.into(),
        time_zone: time_zone.into(),
        host: host.into(),
        chair: chair.map(str::to_string),
        group: group.map(str::to_string),
        attendance,
        agenda,
        source: SOURCE.into(),
    }
}

/// The Wales joint statement, paragraph by paragraph: (num, English,
/// Arabic, French). The translations are the demo's, illustrative.
const WALES_STATEMENT: &[(&str, &str, &str, &str)] = &[
    ("1",
     "We and the ministers agreed here today that there is no time to waste in building a broad international coalition to degrade and, ultimately, to destroy the threat posed by ISIL.",
     "اتفقنا مع الوزراء اليوم على أنه لا وقت نضيعه في بناء تحالف دولي واسع لإضعاف التهديد الذي يشكله تنظيم داعش، وتدميره في نهاية المطاف.",
     "Nous sommes convenus aujourd'hui avec les ministres qu'il n'y a pas de temps à perdre pour bâtir une large coalition internationale afin d'affaiblir et, à terme, de détruire la menace que représente l'EIIL."),
    ("2",
     "To be effective, an international coalition to defeat ISIL must coordinate across multiple lines of effort: military support to Iraqi partners; stopping the flow of foreign fighters; countering ISIL's financing and funding; addressing humanitarian crises; and de-legitimising ISIL's ideology.",
     "لكي يكون التحالف الدولي لهزيمة داعش فعالاً، عليه أن ينسق عبر خطوط عمل متعددة: الدعم العسكري للشركاء العراقيين؛ ووقف تدفق المقاتلين الأجانب؛ ومكافحة تمويل داعش؛ ومعالجة الأزمات الإنسانية؛ ونزع الشرعية عن أيديولوجية داعش.",
     "Pour être efficace, une coalition internationale contre l'EIIL doit coordonner plusieurs axes d'effort : le soutien militaire aux partenaires irakiens ; l'arrêt du flux de combattants étrangers ; la lutte contre le financement de l'EIIL ; la réponse aux crises humanitaires ; et la délégitimation de l'idéologie de l'EIIL."),
    ("3",
     "We discussed each of these lines of effort today, and how to build on the contributions that many NATO allies and partners are already making in Iraq. We agreed to engage in an immediate conversation with a new Iraqi government about accelerating these efforts, including the potential for additional training and equipping of the Iraqi security forces at the federal, regional and provincial level.",
     "ناقشنا اليوم كل خط من خطوط العمل هذه، وكيفية البناء على المساهمات التي يقدمها كثير من حلفاء الناتو وشركائه في العراق. واتفقنا على الدخول فوراً في حوار مع الحكومة العراقية الجديدة بشأن تسريع هذه الجهود، بما في ذلك إمكانية تدريب قوات الأمن العراقية وتجهيزها على المستوى الاتحادي والإقليمي ومستوى المحافظات.",
     "Nous avons examiné aujourd'hui chacun de ces axes d'effort et la manière de prolonger les contributions que de nombreux alliés et partenaires de l'OTAN apportent déjà en Irak. Nous sommes convenus d'engager immédiatement un dialogue avec le nouveau gouvernement irakien pour accélérer ces efforts, y compris la possibilité de former et d'équiper davantage les forces de sécurité irakiennes aux niveaux fédéral, régional et provincial."),
    ("4",
     "We noted the shared effort by the military forces of the United States, France, Australia and the United Kingdom to deliver humanitarian supplies to the citizens of Amerli in northern Iraq. This town had been surrounded for two months by ISIL, but today is receiving humanitarian aid and supplies led by a UN team on the ground.",
     "نوّهنا بالجهد المشترك للقوات العسكرية للولايات المتحدة وفرنسا وأستراليا والمملكة المتحدة لإيصال الإمدادات الإنسانية إلى سكان آمرلي في شمال العراق. لقد حاصر داعش هذه البلدة شهرين، لكنها تتلقى اليوم المساعدات والإمدادات الإنسانية بقيادة فريق أممي على الأرض.",
     "Nous avons salué l'effort commun des forces armées des États-Unis, de la France, de l'Australie et du Royaume-Uni pour acheminer des secours humanitaires aux habitants d'Amerli, dans le nord de l'Irak. Cette ville, encerclée depuis deux mois par l'EIIL, reçoit aujourd'hui une aide humanitaire acheminée par une équipe des Nations unies sur le terrain."),
    ("5",
     "A multinational task force will be formed to share more information about the flow of foreign fighters into Syria and from Syria into Iraq. These foreign fighters represent an acute threat to our NATO allies.",
     "ستُشكَّل فرقة عمل متعددة الجنسيات لتبادل مزيد من المعلومات عن تدفق المقاتلين الأجانب إلى سوريا ومن سوريا إلى العراق. يشكل هؤلاء المقاتلون الأجانب تهديداً حاداً لحلفائنا في الناتو.",
     "Une force opérationnelle multinationale sera constituée pour mieux partager les informations sur le flux de combattants étrangers vers la Syrie et de la Syrie vers l'Irak. Ces combattants étrangers représentent une menace aiguë pour nos alliés de l'OTAN."),
    ("6",
     "We also agreed to work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products, and hold accountable those who violate international prohibitions on such trade.",
     "واتفقنا كذلك على العمل معاً لتجفيف مصادر إيرادات داعش، بما في ذلك أي تجارة في المنتجات النفطية، ومحاسبة من ينتهكون الحظر الدولي على هذه التجارة.",
     "Nous sommes également convenus d'agir de concert pour tarir les sources de revenus de l'EIIL, y compris tout commerce de produits pétroliers, et de demander des comptes à ceux qui enfreignent les interdictions internationales de ce commerce."),
];

/// Where each of the six meetings comes from, in the order they are
/// written: the documents' words and what the demo adds.
#[allow(clippy::type_complexity)]
const MEETING_SOURCES: [(&[(&str, &str)], &str); 6] = [
    (&[("000", "Secretary of State John F. Kerry and Defense Secretary Chuck Hagel met with allies and partners today to discuss the threat posed to Iraq, the region and the international community by the Islamic State of Iraq and the Levant."),
       ("004", "In a private meeting with the foreign and defence ministers from the UK, France, Germany, Canada, Australia, Turkey, Italy, Poland and Denmark")],
     "The venue, times of day, chair and delegation sizes are the demo's."),
    (&[("000", "The effort will be a focus of the U.N. General Assembly, whose 69th session will convene Sept. 16 at U.N. Headquarters in New York"),
       ("002", "because we must be able to have a plan together by the time we come to UNGA, we need to have this coalesce.")],
     "A coalition meeting on the day the session convened: the day, attendance (every member that had joined by then), times and delegation sizes are the demo's."),
    (&[("001", "in Brussels there were representatives from 60 different countries representing a very broad, worldwide range of views and of priorities."),
       ("001", "As agreed in Brussels, we will establish an expert-level series of working groups to pool resources and expertise from coalition capitals in order to defeat Daesh as an organization.")],
     "The date (3 December 2014) and the venue are history outside the documents, which do not date Brussels; attendance, times and delegation sizes are the demo's."),
    (&[("001", "21 key members of the global coalition met in London today (Jan.22) to review and discuss efforts to degrade and defeat ISIL")],
     "Which 21 members, the venue, times and delegation sizes are the demo's."),
    (&[("001", "President Obama has invited countries to come and join in a consultation about violent extremism in Washington in the month of February")],
     "The day (19 February 2015) is history outside the documents, which say 'in the month of February'; the venue, attendance and times are the demo's."),
    (&[("003", "Defense Secretary Ash Carter said today in opening remarks at a meeting in London of defense ministers participating in the campaign to defeat ISIL."),
       ("003", "Defense Secretary Ash Carter talks with French Defense Minister Jean-Yves Le Drian and German Defense Minister Ursula von der Leyen in London")],
     "Attendance beyond the United States, the United Kingdom, France and Germany, the venue, times and delegation sizes are the demo's."),
];

/// The ids of the demo's contributions by title, as USA reads them.
async fn contributions(store: &Store, usa: &Principal) -> Result<BTreeMap<String, String>> {
    let all = all_pages(|cursor| async move {
        store
            .list_records::<ContributionRecordKind>(
                usa,
                &RecordFilter::default(),
                cursor.as_deref(),
                500,
            )
            .await
    })
    .await?;
    Ok(all.into_iter().map(|c| (c.body.title, c.id)).collect())
}

pub async fn load(store: &Store, principals: &BTreeMap<&str, Principal>) -> Result<()> {
    use crate::demo::{day_ms, CORE_TEN, LONDON_SMALL_GROUP, MEMBERS};
    let usa = principals.get("USA").context("no demo user for USA")?;
    let coalition = marking("GREEN", &["COALITION"])?;
    // The states that had joined by a date ("representatives from 60
    // different countries" in Brussels).
    let joined_by = |date: &str| -> Vec<&str> {
        MEMBERS
            .iter()
            .filter(|m| m.2 == "state" && m.4 <= date)
            .map(|m| m.0)
            .collect()
    };
    let everyone = joined_by("2014-12-03");
    let meetings = [
        (
            meeting(
                MeetingType::Summit,
                "Core coalition meeting at the NATO summit, Wales",
                "Celtic Manor, Newport, Wales",
                "2014-09-05T08:00:00+01:00",
                "2014-09-05T10:30:00+01:00",
                "Europe/London",
                "GBR",
                Some("USA"),
                Some("core-ten"),
                attendees(CORE_TEN, Level::Minister, 4),
                vec![
                    item("A broad international coalition against ISIL", vec![
                        decision("Build a broad international coalition to degrade and, ultimately, destroy the threat posed by ISIL, coordinated across five lines of effort (joint statement, paragraphs 1 to 3).", CORE_TEN),
                    ]),
                    item("Foreign fighters", vec![
                        decision("Form a multinational task force to share more information about the flow of foreign fighters into Syria and from Syria into Iraq (paragraph 5).", CORE_TEN),
                    ]),
                    item("ISIL's sources of revenue", vec![
                        decision("Work in concert to stifle ISIL's sources of revenue, including any trade in petroleum products (paragraph 6).", CORE_TEN),
                    ]),
                    item("Humanitarian crisis in Iraq", vec![
                        information("The shared effort of the United States, France, Australia and the United Kingdom to deliver supplies to Amerli, led on the ground by a UN team."),
                    ]),
                    item("Support to a new Iraqi government", vec![
                        decision("Engage in an immediate conversation with a new Iraqi government about accelerating these efforts, including the potential for additional training and equipping of the Iraqi security forces at the federal, regional and provincial level (paragraph 3).", CORE_TEN),
                    ]),
                ],
            ),
            coalition.clone(),
        ),
        (
            meeting(
                MeetingType::Ministerial,
                "Coalition meeting at the UN General Assembly",
                "UN Headquarters, New York",
                "2014-09-16T10:00:00-04:00",
                "2014-09-16T17:00:00-04:00",
                "America/New_York",
                "USA",
                None,
                None,
                attendees(&joined_by("2014-09-16"), Level::Minister, 3),
                vec![item("A plan together by UNGA", vec![
                    information("Members say what they are willing to commit: \"we must be able to have a plan together by the time we come to UNGA\"."),
                ])],
            ),
            coalition.clone(),
        ),
        (
            meeting(
                MeetingType::Plenary,
                "Plenary of the coalition, Brussels",
                "NATO Headquarters, Brussels",
                "2014-12-03T09:00:00+01:00",
                "2014-12-03T13:00:00+01:00",
                "Europe/Brussels",
                "BEL",
                Some("USA"),
                None,
                attendees(&everyone, Level::Minister, 3),
                vec![
                    item("Progress along the lines of effort", vec![
                        information("Representatives of 60 countries, a very broad range of views and priorities."),
                    ]),
                    item("Expert working groups", vec![
                        decision("Establish an expert-level series of working groups to pool resources and expertise from coalition capitals.", &everyone),
                    ]),
                    item("Stabilisation of liberated areas", vec![]),
                ],
            ),
            coalition.clone(),
        ),
        (
            meeting(
                MeetingType::SmallGroup,
                "Small group, London",
                "Lancaster House, London",
                "2015-01-22T09:00:00Z",
                "2015-01-22T16:00:00Z",
                "Europe/London",
                "GBR",
                Some("GBR"),
                Some("small-group"),
                attendees(LONDON_SMALL_GROUP, Level::Minister, 3),
                vec![
                    item("Progress since Brussels", vec![
                        information("Nearly 2,000 coalition airstrikes; more than 700 km² reclaimed."),
                    ]),
                    item("Expert working groups", vec![
                        decision("As agreed in Brussels, establish an expert-level series of working groups (foreign fighters, counter-finance, stabilisation, communications) to pool resources and expertise from coalition capitals in order to defeat Daesh as an organisation.", LONDON_SMALL_GROUP),
                    ]),
                    item("Training and equipping the Iraqi security forces", vec![
                        information("An update from General Allen on the work to rebuild, re-equip, and retrain the Iraqi Security Forces; the goal of ultimately raising 12 new Iraqi brigades."),
                    ]),
                    item("The small group and the full coalition", vec![
                        decision("The small group will continue to meet on a regular basis and continue to consult with the full 60 members of the coalition, who will meet again as a full membership; the full plenary will convene again later this year.", LONDON_SMALL_GROUP),
                        information("We all confirmed our commitment to the struggle, however long it takes and wherever it leads us."),
                    ]),
                ],
            ),
            // The meeting and what it decided were announced at a press
            // conference: public.
            coalition.clone(),
        ),
        (
            meeting(
                MeetingType::Summit,
                "White House summit on countering violent extremism",
                "Department of State, Washington",
                "2015-02-19T09:00:00-05:00",
                "2015-02-19T17:00:00-05:00",
                "America/New_York",
                "USA",
                None,
                Some("communications"),
                attendees(&joined_by("2015-02-19"), Level::Minister, 2),
                vec![item("Countering violent extremism", vec![
                    information("Consultation with civil society, religious leaders, students, NGOs and government ministers, then a ministerial meeting at the State Department."),
                ])],
            ),
            coalition.clone(),
        ),
        (
            meeting(
                MeetingType::Ministerial,
                "Defence ministerial, London",
                "Lancaster House, London",
                "2016-12-15T09:00:00Z",
                "2016-12-15T16:00:00Z",
                "Europe/London",
                "GBR",
                Some("GBR"),
                None,
                attendees(
                    &["USA", "GBR", "FRA", "DEU", "ITA", "AUS", "CAN", "DNK", "NLD", "NOR", "ESP", "BEL", "TUR", "IRQ"],
                    Level::Minister,
                    5,
                ),
                vec![item("The campaign plan into 2017", vec![
                    information("Less than 10 % of Iraqi territory is held by ISIL; 11 former strongholds have fallen; a million Iraqis have returned home."),
                    decision("Stay focused on the execution of the campaign plan into 2017 while ISIL's control over Mosul and Raqqa collapses.", &["USA", "GBR", "FRA", "DEU"]),
                ])],
            ),
            coalition.clone(),
        ),
    ];
    let mut ids = Vec::new();
    let mut dates: BTreeMap<String, i64> = BTreeMap::new();
    for ((m, mark), (quotes, added)) in meetings.into_iter().zip(MEETING_SOURCES) {
        let at = day_ms(&m.starts[..10])?;
        let r = store
            .create_record_at::<MeetingKind>(usa, m, mark, at)
            .await
            .context("demo meeting")?;
        keep(
            store,
            Some(usa),
            Subject::Record(r.id.clone()),
            &cites_adding(quotes, added)?,
        )
        .await?;
        dates.insert(r.id.clone(), at);
        ids.push(r.id);
    }
    let (wales, _unga, brussels, london, _washington, ministerial) =
        (&ids[0], &ids[1], &ids[2], &ids[3], &ids[4], &ids[5]);
    type Pick = fn(&(&'static str, &'static str, &'static str, &'static str)) -> &'static str;
    let text = |lang: &str, title: &str, pick: Pick| StatementText {
        language: lang.into(),
        title: title.into(),
        paragraphs: WALES_STATEMENT
            .iter()
            .map(|p| Paragraph {
                num: p.0.into(),
                text: pick(p).into(),
            })
            .collect(),
    };
    let statement = store
        .create_record_at::<StatementKind>(
            usa,
            Statement {
                meeting: wales.clone(),
                adopted_on: "2014-09-05".into(),
                signatories: vec!["USA".into()],
                texts: vec![
                    text("en", "Joint statement by Secretary Kerry and Secretary Hagel after the core coalition meeting in Wales", |p| p.1),
                    text("ar", "بيان مشترك للوزير كيري والوزير هيغل بعد اجتماع التحالف الأساسي في ويلز", |p| p.2),
                    text("fr", "Déclaration commune du secrétaire Kerry et du secrétaire Hagel après la réunion de la coalition au pays de Galles", |p| p.3),
                ],
                source: "English: the statement as the seed documents quote it. Arabic and French: the demo's translations, illustrative.".into(),
            },
            coalition.clone(),
            day_ms("2014-09-05")?,
        )
        .await
        .context("demo statement")?;
    keep(
        store,
        Some(usa),
        Subject::Record(statement.id),
        &cites_adding(
            &[
                ("000", "We and the ministers agreed here today that there is no time to waste in building a broad international coalition to degrade and, ultimately, to destroy the threat posed by ISIL"),
                ("000", "To be effective, an international coalition to defeat ISIL must coordinate across multiple lines of effort, the statement said."),
            ],
            "The Arabic and French translations are the demo's; the paragraphs' numbering follows the order in which the documents quote the statement.",
        )?,
    )
    .await?;
    let c = contributions(store, usa).await?;
    let contribution = |title: &str, weight: u32| -> Result<Link> {
        Ok(Link {
            target: LinkTarget::Contribution,
            id: c
                .get(title)
                .with_context(|| format!("no demo contribution {title:?}"))?
                .clone(),
            weight,
            target_value: None,
        })
    };
    let pledge = |id: &str| Link {
        target: LinkTarget::FundPledge,
        id: id.into(),
        weight: 1,
        target_value: None,
    };
    let indicator = |slug: &str, weight: u32, target: Option<f64>| Link {
        target: LinkTarget::Indicator,
        id: slug.into(),
        weight,
        target_value: target,
    };
    #[allow(clippy::type_complexity)]
    let commitments: Vec<(&String, u32, &str, &str, &str, &str, Vec<Link>, CommitmentState, &Marking)> = vec![
        (wales, 1, "DEU", "Deliver the first shipment of military equipment to the forces fighting ISIL in the north: vests, night-vision devices, communications equipment, mine search and disposal devices", "2014-10-31", "military-support",
         vec![contribution("Protective vests (first German shipment)", 1)?, contribution("Night-vision telescopes (first German shipment)", 1)?,
              contribution("Communications equipment (first German shipment)", 1)?, contribution("Mine search and disposal devices (first German shipment)", 1)?],
         CommitmentState::OnTrack, &coalition),
        (wales, 4, "USA", "Deliver humanitarian supplies to the citizens of Amerli with France, Australia and the United Kingdom, received on the ground by the UN team", "2014-09-15", "humanitarian",
         vec![contribution("Amerli airdrop of humanitarian supplies", 1)?], CommitmentState::Done, &coalition),
        (wales, 2, "USA", "Form the multinational task force on the flow of foreign fighters", "2014-10-31", "foreign-fighters",
         vec![], CommitmentState::Done, &coalition),
        (wales, 1, "CAN", "Deploy military advisers to advise the Iraqi government forces", "2014-10-31", "military-support",
         vec![contribution("Canadian military advisers", 1)?], CommitmentState::OnTrack, &coalition),
        (brussels, 3, "DEU", "Pay in Germany's pledge to the stabilisation fund", "2015-12-31", "stabilisation",
         vec![pledge("deu-2015")], CommitmentState::OnTrack, &coalition),
        (brussels, 3, "GBR", "Pay in the United Kingdom's pledge to the stabilisation fund", "2015-12-31", "stabilisation",
         vec![pledge("gbr-2015")], CommitmentState::AtRisk, &coalition),
        (london, 3, "USA", "Raise 12 new Iraqi brigades, trained and equipped by the coalition", "2015-12-31", "military-support",
         vec![indicator("new-brigades", 2, Some(12.0)), contribution("Training and advising of new Iraqi brigades", 1)?],
         CommitmentState::AtRisk, &coalition),
        (london, 3, "ITA", "Train Iraqi police for the retaken towns", "2016-06-30", "stabilisation",
         vec![contribution("Police training by the Carabinieri", 1)?], CommitmentState::OnTrack, &coalition),
        (ministerial, 1, "USA", "Collapse ISIL's control over Mosul and Raqqa: keep executing the campaign plan into 2017", "2017-06-30", "military-support",
         vec![indicator("territory-held", 1, Some(0.0)), indicator("strongholds-retaken", 1, Some(15.0))],
         CommitmentState::OnTrack, &coalition),
    ];
    let quote_of = |meeting: &String| -> (&'static str, &'static str) {
        let i = ids.iter().position(|id| id == meeting).unwrap_or(0);
        MEETING_SOURCES[i].0[0]
    };
    for (meeting, item, owner, what, due, line, links, state, mark) in commitments {
        let quote = quote_of(meeting);
        let mark = mark.clone();
        let written = store
            .create_record_at::<CommitmentKind>(
                usa,
                Commitment {
                    meeting: meeting.clone(),
                    agenda_item: Some(item),
                    owner: owner.into(),
                    what: what.into(),
                    due: due.into(),
                    line_of_effort: Some(line.into()),
                    links,
                    state,
                    dropped_reason: String::new(),
                    discussed: vec![],
                    source: "What was committed: seed documents. Owners, due dates and links: the demo's reading of them.".into(),
                },
                mark,
                dates.get(meeting).copied().unwrap_or_default(),
            )
            .await
            .with_context(|| format!("demo commitment {what:?}"))?;
        keep(
            store,
            Some(usa),
            Subject::Record(written.id),
            &cites_adding(&[quote], "What was committed rests on the meeting's record; the owner, due date, links and state are the demo's reading of it.")?,
        )
        .await?;
    }
    // The ministerial follows up what Brussels left open.
    store
        .carry_over(usa, ministerial, Some(brussels))
        .await
        .context("demo carry-over")?;
    let as_of = coalesce_domain::meetings::utc_instant("as_of", DEMO_AS_OF)?.as_millisecond();
    store
        .set_setting("follow_up_as_of", &as_of.to_string())
        .await?;
    store.send_commitment_notices(as_of).await?;
    Ok(())
}
