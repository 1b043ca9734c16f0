//! The parties a contribution names (suppliers, carriers, consignees …) and what each does.

use super::*;

/// What a party does in a contribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// Sells or makes what is given.
    Supplier,
    /// Ships, flies or trucks it (a company, or a vessel).
    Carrier,
    /// Receives it on the partner's side.
    Consignee,
    /// Delivers it on the contributor's behalf (an NGO, a UN agency).
    ImplementingPartner,
    /// Moves the money.
    FinancialInstitution,
    Other,
}

impl PartyRole {
    pub const ALL: [PartyRole; 6] = [
        PartyRole::Supplier,
        PartyRole::Carrier,
        PartyRole::Consignee,
        PartyRole::ImplementingPartner,
        PartyRole::FinancialInstitution,
        PartyRole::Other,
    ];
    pub fn parse(s: &str) -> Result<PartyRole, DomainError> {
        PartyRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                invalid(
                    "parties",
                    format!(
                        "role {s:?} is not one of supplier, carrier, consignee, implementing_partner, financial_institution, other"
                    ),
                )
            })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Supplier => "supplier",
            PartyRole::Carrier => "carrier",
            PartyRole::Consignee => "consignee",
            PartyRole::ImplementingPartner => "implementing_partner",
            PartyRole::FinancialInstitution => "financial_institution",
            PartyRole::Other => "other",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PartyRole::Supplier => "Supplier",
            PartyRole::Carrier => "Carrier",
            PartyRole::Consignee => "Consignee",
            PartyRole::ImplementingPartner => "Implementing partner",
            PartyRole::FinancialInstitution => "Financial institution",
            PartyRole::Other => "Other",
        }
    }
}

/// Whether a party is a person, an organisation or a vessel (what the
/// sanctions lists distinguish).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Organisation,
    Vessel,
}

impl PartyKind {
    pub fn parse(s: &str) -> Result<PartyKind, DomainError> {
        match s.trim() {
            "person" => Ok(PartyKind::Person),
            "organisation" | "organization" => Ok(PartyKind::Organisation),
            "vessel" => Ok(PartyKind::Vessel),
            other => Err(invalid(
                "parties",
                format!("kind {other:?} is not person, organisation or vessel"),
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Person => "person",
            PartyKind::Organisation => "organisation",
            PartyKind::Vessel => "vessel",
        }
    }
}

/// A party to a contribution besides the contributing members: who
/// supplies, carries, receives or pays for it. Parties are what gets
/// screened against the sanctions lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub role: PartyRole,
    pub kind: PartyKind,
    pub name: String,
    /// ISO 3166-1 alpha-3 country of registration or nationality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Party {
    /// Checks one party: a one-line name, a country code if any.
    pub fn parse(
        role: &str,
        kind: &str,
        name: &str,
        country: Option<&str>,
    ) -> Result<Party, DomainError> {
        let name = crate::text::required_line("parties", name, MAX_PARTY_NAME)?;
        let country = country
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                let c = c.to_ascii_uppercase();
                if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                    Ok(c)
                } else {
                    Err(invalid(
                        "parties",
                        format!("country {c:?} is not an ISO 3166-1 alpha-3 code"),
                    ))
                }
            })
            .transpose()?;
        Ok(Party {
            role: PartyRole::parse(role)?,
            kind: PartyKind::parse(kind)?,
            name,
            country,
        })
    }

    /// Checks a whole list: at most [`MAX_PARTIES`], no party twice.
    pub fn check_list(parties: &[Party]) -> Result<(), DomainError> {
        if parties.len() > MAX_PARTIES {
            return Err(invalid("parties", format!("more than {MAX_PARTIES}")));
        }
        for (i, a) in parties.iter().enumerate() {
            if parties[..i]
                .iter()
                .any(|b| b.role == a.role && b.name.to_lowercase() == a.name.to_lowercase())
            {
                return Err(invalid(
                    "parties",
                    format!("{} {:?} is named twice", a.role.as_str(), a.name),
                ));
            }
        }
        Ok(())
    }
}
