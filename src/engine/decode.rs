//! Encoded secrets: values of a Kubernetes `Secret`'s `data:` map are base64;
//! decode them and scan `key: decoded` so both provider rules and the
//! secret-named-key rules see the plaintext.

use base64::Engine as _;
use memchr::memmem;

/// A base64 value decoded from the input.
pub struct Decoded {
    /// Span of the encoded value in the input.
    pub start: usize,
    pub end: usize,
    /// `key: plaintext`, ready to scan.
    pub text: String,
}

/// Whether the input looks like a Kubernetes Secret manifest (`kind: Secret`
/// in YAML, quoted or not, or JSON).
pub fn is_k8s_secret(data: &[u8]) -> bool {
    let has_kind = memmem::find_iter(data, b"kind").any(|at| {
        let rest = &data[at + 4..data.len().min(at + 24)];
        let rest: Vec<u8> = rest
            .iter()
            .copied()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'"' | b'\'' | b':'))
            .collect();
        rest.starts_with(b"Secret")
    });
    has_kind && memmem::find(data, b"data").is_some()
}

/// The `key: base64` entries of the manifest, decoded (YAML `data:` blocks
/// and JSON `"key": "base64"` pairs alike; values that do not decode to text
/// are skipped).
pub fn k8s_secret_values(data: &[u8]) -> Vec<Decoded> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in data.split_inclusive(|&b| b == b'\n') {
        let start_of_line = offset;
        offset += line.len();
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        let Some((key, value)) = text.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        // A YAML comment after the value (`token: dG9r... # prod`) is not part of it.
        let value = value.split(" #").next().unwrap_or(value);
        let raw = value.trim().trim_end_matches(',');
        let value = raw.trim_matches('"');
        if key.is_empty()
            || value.len() < 8
            || !value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        {
            continue;
        }
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(value) else {
            continue;
        };
        let Ok(plain) = String::from_utf8(bytes) else {
            continue;
        };
        if plain
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            continue;
        }
        let value_at = start_of_line + text.find(value).unwrap_or(0);
        out.push(Decoded {
            start: value_at,
            end: value_at + value.len(),
            text: format!("{key}: {plain}\n"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_manifests_and_decodes_values() {
        assert!(is_k8s_secret(b"kind: 'Secret'\ndata:\n"));
        assert!(is_k8s_secret(b"{\"kind\":\"Secret\",\"data\":{}}"));
        assert!(!is_k8s_secret(b"kind: ConfigMap\ndata:\n"));
        let values = k8s_secret_values(b"data:\n  password: aHVudGVyMjAyNFghIQ== # prod\n"); // leakshield:allow (test vector)
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].text, "password: hunter2024X!!\n"); // leakshield:allow (test vector)
    }
}
