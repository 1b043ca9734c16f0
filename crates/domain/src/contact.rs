//! Points of contact: whom to call at a member about what. A marked record
//! like any other (a desk officer's name and e-mail are personal data a
//! member releases to whom it chooses); the smallest kind of the record
//! layer, and the one that shows what a kind is: these fields, their
//! checks and their STIX form.

use crate::record::{stix_str, Kind, StixProperties, StixRefs};
use crate::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub struct ContactKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub name: String,
    /// What they answer for ("Counter-financing desk officer").
    pub role: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

fn email(value: &str) -> Result<String, DomainError> {
    let v = crate::text::required_line("email", value, 254)?;
    let bad = |reason: &str| DomainError::InvalidField {
        field: "email",
        reason: format!("{v:?} {reason}"),
    };
    let (local, domain) = v.split_once('@').ok_or_else(|| bad("has no @"))?;
    if local.is_empty() || domain.contains('@') || v.contains(char::is_whitespace) {
        return Err(bad("is not an address of the form name@domain"));
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad("has no domain of the form example.org"));
    }
    Ok(v)
}

fn phone(value: &str) -> Result<String, DomainError> {
    let v = crate::text::required_line("phone", value, 40)?;
    if !v
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        || !v.chars().any(|c| c.is_ascii_digit())
    {
        return Err(DomainError::InvalidField {
            field: "phone",
            reason: format!("{v:?}: digits, spaces and + - ( ) . only"),
        });
    }
    Ok(v)
}

impl Kind for ContactKind {
    const NAME: &'static str = "contact";
    const LABEL: &'static str = "point of contact";
    const STIX_TYPE: &'static str = "x-coalesce-contact";
    type Body = Contact;

    fn validate(c: Contact) -> Result<Contact, DomainError> {
        Ok(Contact {
            name: crate::text::required_line("name", &c.name, 200)?,
            role: crate::text::required_line("role", &c.role, 200)?,
            email: email(&c.email)?,
            phone: c
                .phone
                .filter(|p| !p.trim().is_empty())
                .map(|p| phone(&p))
                .transpose()?,
        })
    }

    fn stix_properties(c: &Contact, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut m = Map::new();
        m.insert("name".into(), json!(c.name));
        m.insert("contact_role".into(), json!(c.role));
        m.insert("email".into(), json!(c.email));
        if let Some(p) = &c.phone {
            m.insert("phone".into(), json!(p));
        }
        Some(StixProperties {
            object: m,
            extension: Map::new(),
        })
    }

    fn from_stix(o: &Map<String, Value>, _: &Map<String, Value>) -> Result<Contact, DomainError> {
        Self::validate(Contact {
            name: stix_str(o, "name")?.to_string(),
            role: stix_str(o, "contact_role")?.to_string(),
            email: stix_str(o, "email")?.to_string(),
            phone: o.get("phone").and_then(Value::as_str).map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(email: &str, phone: Option<&str>) -> Contact {
        Contact {
            name: "  Jane Doe ".into(),
            role: "Desk officer".into(),
            email: email.into(),
            phone: phone.map(str::to_string),
        }
    }

    #[test]
    fn validation_trims_and_checks_addresses() {
        let ok = ContactKind::validate(c("jane@fco.example.org", Some("+44 20 7946 0000")))
            .expect("valid");
        assert_eq!(ok.name, "Jane Doe");
        for bad in [
            "jane",
            "jane@",
            "@x.org",
            "jane@localhost",
            "ja ne@x.org",
            "a@b@c.org",
        ] {
            assert!(ContactKind::validate(c(bad, None)).is_err(), "{bad}");
        }
        assert!(ContactKind::validate(c("j@x.org", Some("call me"))).is_err());
        assert_eq!(
            ContactKind::validate(c("j@x.org", Some("  ")))
                .expect("blank phone")
                .phone,
            None
        );
    }

    #[test]
    fn stix_properties_round_trip() {
        let ok = ContactKind::validate(c("jane@fco.example.org", Some("+44 1"))).expect("valid");
        let resolved = std::collections::BTreeMap::new();
        let refs = crate::record::StixRefs {
            origin_identity: "identity--x",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let props = ContactKind::stix_properties(&ok, &refs).expect("a form");
        assert!(props.extension.is_empty());
        assert_eq!(
            ContactKind::from_stix(&props.object, &props.extension).expect("back"),
            ok
        );
    }
}
