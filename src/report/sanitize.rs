//! Scanned text is attacker-controlled: escape control, bidi and zero-width
//! characters before they reach a terminal or a log.

/// Returns `s` with dangerous characters replaced by `\u{XXXX}` escapes.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_dangerous) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_dangerous(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x061C)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_escape_sequences_and_bidi() {
        assert_eq!(sanitize("a\x1b[31mb"), "a\\u{001B}[31mb");
        assert_eq!(sanitize("x\u{202E}y"), "x\\u{202E}y");
        assert_eq!(sanitize("plain/path.rs"), "plain/path.rs");
    }
}
