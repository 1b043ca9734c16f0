//! Federation's pure half (issue 15): who a node is and how what it
//! writes is signed, with no IO — the key's bytes come in, text goes out.
//!
//! - A node's identity is an Ed25519 key pair ([`NodeKey`]); its public
//!   half travels as `ed25519:<base64url>` ([`PublicKey`]) and is shown as a
//!   fingerprint (`SHA256:<base64>` of the key, as OpenSSH shows keys).
//! - What is signed is the RFC 8785 (JCS) canonical form of a JSON value
//!   ([`canonical`]): the same value gives the same bytes on every node,
//!   whatever order or spacing it arrived in.
//! - A signature is `ed25519:<base64url>` of the 64 signature bytes.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signer, Verifier};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FederationError {
    #[error("not a node key file: {0}")]
    KeyFile(&'static str),
    #[error("invalid public key {0:?}: expected ed25519:<base64url of 32 bytes>")]
    PublicKey(String),
    #[error("invalid signature text: expected ed25519:<base64url of 64 bytes>")]
    SignatureText,
    #[error("the signature does not verify with this key")]
    BadSignature,
    #[error("cannot canonicalise: {0}")]
    Canonical(String),
}

const KEY_FILE_HEADER: &str = "coalesce node key v1";

/// A node's signing key. Its private half never leaves the node: it is
/// written only by [`NodeKey::to_file_text`], into a file of mode 0600.
pub struct NodeKey {
    signing: ed25519_dalek::SigningKey,
}

impl NodeKey {
    /// The key from 32 random bytes (the caller draws them: no IO here).
    pub fn from_seed(seed: [u8; 32]) -> NodeKey {
        NodeKey {
            signing: ed25519_dalek::SigningKey::from_bytes(&seed),
        }
    }

    /// The key file's text: a header line and the seed in base64.
    pub fn to_file_text(&self) -> String {
        format!(
            "{KEY_FILE_HEADER}\n{}\n",
            URL_SAFE_NO_PAD.encode(self.signing.to_bytes())
        )
    }

    /// Reads a key file's text.
    pub fn from_file_text(text: &str) -> Result<NodeKey, FederationError> {
        let mut lines = text.lines();
        if lines.next().map(str::trim) != Some(KEY_FILE_HEADER) {
            return Err(FederationError::KeyFile("its first line is not the header"));
        }
        let seed = lines
            .next()
            .map(str::trim)
            .and_then(|l| URL_SAFE_NO_PAD.decode(l).ok())
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or(FederationError::KeyFile(
                "no 32-byte key on its second line",
            ))?;
        Ok(NodeKey::from_seed(seed))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        format!(
            "ed25519:{}",
            URL_SAFE_NO_PAD.encode(self.signing.sign(message).to_bytes())
        )
    }

    /// Signs the canonical form of `value`.
    pub fn sign_json(&self, value: &serde_json::Value) -> Result<String, FederationError> {
        Ok(self.sign(&canonical(value)?))
    }
}

/// A node's public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    pub fn parse(text: &str) -> Result<PublicKey, FederationError> {
        let bad = || FederationError::PublicKey(text.chars().take(80).collect());
        let b64 = text.trim().strip_prefix("ed25519:").ok_or_else(bad)?;
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(b64)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| bad())
    }

    /// `ed25519:<base64url>`: how the key travels and is stored.
    pub fn to_text(&self) -> String {
        format!("ed25519:{}", URL_SAFE_NO_PAD.encode(self.0.to_bytes()))
    }

    /// `SHA256:<base64>` of the key's bytes: what an operator reads aloud
    /// to a peer's operator to check the key.
    pub fn fingerprint(&self) -> String {
        format!(
            "SHA256:{}",
            STANDARD_NO_PAD.encode(Sha256::digest(self.0.to_bytes()))
        )
    }

    /// Checks `signature` over `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> Result<(), FederationError> {
        self.0
            .verify(message, &Self::signature_of(signature)?)
            .map_err(|_| FederationError::BadSignature)
    }

    /// The signature in its text form (`ed25519:<base64url>`), parsed.
    fn signature_of(signature: &str) -> Result<ed25519_dalek::Signature, FederationError> {
        let bytes: [u8; 64] = signature
            .strip_prefix("ed25519:")
            .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
            .and_then(|b| b.try_into().ok())
            .ok_or(FederationError::SignatureText)?;
        Ok(ed25519_dalek::Signature::from_bytes(&bytes))
    }

    /// Checks `signature` over the canonical form of `value`.
    pub fn verify_json(
        &self,
        value: &serde_json::Value,
        signature: &str,
    ) -> Result<(), FederationError> {
        self.verify(&canonical(value)?, signature)
    }
}

/// Checks many `(message, signature, key)` at once: several times faster
/// than one by one (a page of a peer's versions). `Err` when any fails;
/// the caller then checks them one by one to find which.
pub fn verify_batch(items: &[(&[u8], &str, &PublicKey)]) -> Result<(), FederationError> {
    let mut messages = Vec::with_capacity(items.len());
    let mut signatures = Vec::with_capacity(items.len());
    let mut keys = Vec::with_capacity(items.len());
    for (message, signature, key) in items {
        messages.push(*message);
        signatures.push(PublicKey::signature_of(signature)?);
        keys.push(key.0);
    }
    ed25519_dalek::verify_batch(&messages, &signatures, &keys)
        .map_err(|_| FederationError::BadSignature)
}

/// The fingerprint of a key as stored (`ed25519:…`), or `None` if the text
/// is not a key.
pub fn fingerprint_of(public_key: &str) -> Option<String> {
    PublicKey::parse(public_key).ok().map(|k| k.fingerprint())
}

/// What a node signs for each version of a record it writes: the record's
/// identity, its origin (member and node), the version's number, status,
/// marking, body and time. A receiving node rebuilds this from the version
/// it is given and checks the origin node's signature over its canonical
/// form, so nothing of it can change on the way.
#[allow(clippy::too_many_arguments)]
pub fn signed_version(
    id: &str,
    kind: &str,
    origin: &str,
    origin_node: &str,
    version: i64,
    status: &str,
    tlp: &str,
    rel_to: &[String],
    body: &serde_json::Value,
    at_ms: i64,
) -> serde_json::Value {
    serde_json::json!({
        "type": "coalesce-record-version",
        "id": id,
        "kind": kind,
        "origin": origin,
        "origin_node": origin_node,
        "version": version,
        "status": status,
        "marking": { "tlp": tlp, "rel_to": rel_to },
        "body": body,
        "at": at_ms,
    })
}

/// What a node signs when it tells a peer that a record of its own is no
/// longer released to it (its audience narrowed): the record's identity,
/// origin and the version that narrowed it — no content.
pub fn signed_revocation(
    id: &str,
    kind: &str,
    origin: &str,
    origin_node: &str,
    version: i64,
) -> serde_json::Value {
    serde_json::json!({
        "type": "coalesce-revocation",
        "id": id,
        "kind": kind,
        "origin": origin,
        "origin_node": origin_node,
        "version": version,
    })
}

/// What the secretariat's node signs when it serves the registry: its
/// node id and the registry (members with their home nodes, groups, lines
/// of effort), whole.
pub fn signed_registry(node_id: &str, registry: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "type": "coalesce-registry",
        "node_id": node_id,
        "registry": registry,
    })
}

/// The SHA-256 of `value`'s canonical JSON, hex: what names a registry
/// snapshot (a puller that holds it is answered 304).
pub fn digest(value: &serde_json::Value) -> Result<String, FederationError> {
    let bytes = canonical(value)?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The RFC 8785 (JSON Canonicalization Scheme) bytes of `value`: members
/// sorted by their UTF-16 code units, strings escaped as ECMAScript's
/// `JSON.stringify` does, numbers printed as ECMAScript prints them, no
/// insignificant whitespace. (Written here: `serde_jcs` 0.1 sorts members
/// by their escaped UTF-8 bytes, which puts `"1"` before `"\r"`.)
pub fn canonical(value: &serde_json::Value) -> Result<Vec<u8>, FederationError> {
    let mut out = Vec::new();
    write_canonical(value, &mut out)?;
    Ok(out)
}

fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) -> Result<(), FederationError> {
    use serde_json::Value;
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            let f = n
                .as_f64()
                .filter(|f| f.is_finite())
                .ok_or_else(|| FederationError::Canonical(format!("{n} is not a finite number")))?;
            if f == 0.0 {
                // -0 prints as 0.
                out.push(b'0');
            } else {
                out.extend_from_slice(ryu_js::Buffer::new().format_finite(f).as_bytes());
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push(b'[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out)?;
            }
            out.push(b']');
        }
        Value::Object(o) => {
            let mut members: Vec<(&String, &Value)> = o.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                write_canonical(v, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(n: u8) -> NodeKey {
        NodeKey::from_seed([n; 32])
    }

    #[test]
    fn canonical_json_follows_rfc_8785() {
        // RFC 8785 section 3.2.3: members sorted by UTF-16 code units.
        let v = json!({"\u{20ac}": "Euro Sign", "\r": "Carriage Return", "\u{fb33}": "Hebrew Letter Dalet With Dagesh", "1": "One", "\u{1f600}": "Emoji: Grinning Face", "\u{80}": "Control", "\u{f6}": "Latin Small Letter O With Diaeresis"});
        assert_eq!(
            String::from_utf8(canonical(&v).expect("canonical")).expect("utf-8"),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
        // Strings escaped as JSON.stringify does, and only so.
        let s = json!({"s": "\u{1}\"\\\u{8}\u{2028}é"});
        assert_eq!(
            String::from_utf8(canonical(&s).expect("canonical")).expect("utf-8"),
            "{\"s\":\"\\u0001\\\"\\\\\\b\u{2028}é\"}"
        );
        // Numbers as ECMAScript prints them; no whitespace.
        let n = json!({"b": [1.0, 1e21, 0.000001, -0.0, 333333333.3333333], "a": "x"});
        assert_eq!(
            String::from_utf8(canonical(&n).expect("canonical")).expect("utf-8"),
            r#"{"a":"x","b":[1,1e+21,0.000001,0,333333333.3333333]}"#
        );
    }

    #[test]
    fn the_same_value_signs_alike_whatever_its_order_and_spacing() {
        let k = key(7);
        let a: serde_json::Value =
            serde_json::from_str(r#"{"id":"x","version":2,"body":{"b":1,"a":[1,2]}}"#)
                .expect("json");
        let b: serde_json::Value = serde_json::from_str(
            "{ \"body\": {\"a\": [1, 2], \"b\": 1}, \"version\": 2, \"id\": \"x\" }",
        )
        .expect("json");
        let sig = k.sign_json(&a).expect("sign");
        assert_eq!(sig, k.sign_json(&b).expect("sign"));
        assert_eq!(k.public().verify_json(&b, &sig), Ok(()));
    }

    #[test]
    fn a_batch_verifies_when_every_signature_does_and_fails_on_one_bad() {
        let keys: Vec<NodeKey> = (1..=3u8).map(|i| NodeKey::from_seed([i; 32])).collect();
        let messages: Vec<Vec<u8>> = (0..3)
            .map(|i| format!("version {i}").into_bytes())
            .collect();
        let signatures: Vec<String> = keys.iter().zip(&messages).map(|(k, m)| k.sign(m)).collect();
        let publics: Vec<PublicKey> = keys.iter().map(NodeKey::public).collect();
        let items: Vec<(&[u8], &str, &PublicKey)> = messages
            .iter()
            .zip(&signatures)
            .zip(&publics)
            .map(|((m, s), k)| (m.as_slice(), s.as_str(), k))
            .collect();
        assert_eq!(verify_batch(&items), Ok(()));
        let mut swapped = items.clone();
        swapped[1].2 = &publics[2];
        assert_eq!(verify_batch(&swapped), Err(FederationError::BadSignature));
        let mut garbled = items.clone();
        garbled[0].1 = "ed25519:nope";
        assert_eq!(verify_batch(&garbled), Err(FederationError::SignatureText));
        assert_eq!(verify_batch(&[]), Ok(()));
    }

    #[test]
    fn an_altered_value_a_foreign_key_or_a_mangled_signature_is_refused() {
        let (k, other) = (key(1), key(2));
        let v = json!({"id": "r1", "version": 1, "body": {"title": "Wales"}});
        let sig = k.sign_json(&v).expect("sign");
        let altered = json!({"id": "r1", "version": 1, "body": {"title": "Wales!"}});
        assert_eq!(
            k.public().verify_json(&altered, &sig),
            Err(FederationError::BadSignature)
        );
        assert_eq!(
            other.public().verify_json(&v, &sig),
            Err(FederationError::BadSignature)
        );
        assert_eq!(
            k.public().verify_json(&v, "ed25519:abc"),
            Err(FederationError::SignatureText)
        );
        assert_eq!(
            k.public().verify_json(&v, &sig.replace("ed25519:", "rsa:")),
            Err(FederationError::SignatureText)
        );
    }

    #[test]
    fn keys_travel_as_text_and_files_round_trip() {
        let k = key(9);
        let text = k.public().to_text();
        assert!(text.starts_with("ed25519:"));
        assert_eq!(PublicKey::parse(&text), Ok(k.public()));
        assert!(k.public().fingerprint().starts_with("SHA256:"));
        assert_ne!(k.public().fingerprint(), key(10).public().fingerprint());
        for bad in [
            "",
            "ed25519:",
            "ed25519:AAAA",
            "rsa:xyz",
            &text[..text.len() - 2],
        ] {
            assert!(PublicKey::parse(bad).is_err(), "{bad:?}");
        }
        let back = NodeKey::from_file_text(&k.to_file_text()).expect("file");
        assert_eq!(back.public(), k.public());
        for bad in [
            "",
            "coalesce node key v1\n",
            "something else\nAAAA\n",
            "coalesce node key v1\nnot-base64!\n",
        ] {
            assert!(NodeKey::from_file_text(bad).is_err(), "{bad:?}");
        }
    }
}
