//! Secret checks that run after a regex match: entropy, placeholders and
//! template references, and per-format validators (checksums, structure).

use std::sync::OnceLock;

use base64::Engine as _;
use regex_automata::meta::Regex;

use crate::rules::Validator;

/// Shannon entropy in bits per byte.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let len = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// What a check concluded about a candidate secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not a secret: drop it.
    Drop(String),
    /// Possibly a secret, but the evidence is weak: report as a warning.
    Warn(String),
    /// Still a secret, with lowered confidence.
    Doubt(String),
}

/// Substrings that mark a value as a placeholder, template or mask.
const PLACEHOLDER_MARKS: &[&str] = &[
    "xxxx",
    "****",
    "…",
    "...",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpass",
    "yourapi",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replaceme",
    "replace-me",
    "redacted",
    "insert_",
    "insert-",
    "enter_your",
    "enter-your",
    "_here",
    "-here",
    "dummy",
    "notreal",
    "not_real",
    "not-a-real",
    "example",
    "sample",
    "fakefake",
];

/// Whole values that only name what belongs there (`password: password`,
/// `user:secret@host`, `Pwd=myPassword`).
const PLACEHOLDER_VALUES: &[&str] = &[
    "password",
    "passwd",
    "mypassword",
    "mypass",
    "secret",
    "mysecret",
    "token",
    "mytoken",
    "apikey",
    "api_key",
    "myapikey",
    "username",
    "changeit",
];

/// Secrets longer than this are key blocks and the like, where runs and
/// sequences occur naturally (`AAAAB3Nza...`): only placeholder words apply.
const LONG_SECRET: usize = 200;

/// Global false-positive checks on a secret value.
pub fn placeholder(secret: &str) -> Option<Verdict> {
    if documented_example(secret) {
        return Some(Verdict::Drop("documented example key".into()));
    }
    let lower = secret.to_ascii_lowercase();
    let long = secret.len() > LONG_SECRET;
    let marks = PLACEHOLDER_MARKS
        .iter()
        .filter(|m| !long || m.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_'));
    if PLACEHOLDER_VALUES.contains(&lower.as_str()) {
        return Some(Verdict::Drop(format!("placeholder value ('{lower}')")));
    }
    if let Some(mark) = marks.into_iter().find(|m| lower.contains(**m)) {
        return Some(Verdict::Drop(format!("placeholder ('{mark}')")));
    }
    if long {
        return None;
    }
    if let Some(kind) = template_expression(secret.as_bytes()) {
        return Some(Verdict::Drop(format!("template reference ('{kind}')")));
    }
    let bytes = secret.as_bytes();
    if bytes.first() == Some(&b'{') && bytes.last() == Some(&b'}') {
        return Some(Verdict::Drop("template reference".into()));
    }
    if bytes.first() == Some(&b'$')
        && bytes[1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'{' || *b == b'}')
    {
        return Some(Verdict::Drop("variable reference".into()));
    }
    if let Some(run) = longest_run(bytes)
        && run * 2 >= bytes.len().max(8)
    {
        return Some(Verdict::Drop("repeated characters".into()));
    }
    if longest_sequence(bytes) >= 6 || interleaved_sequence(bytes) {
        return Some(Verdict::Drop("sequential characters".into()));
    }
    if periodic(bytes) {
        return Some(Verdict::Drop("repeated pattern".into()));
    }
    for word in ["fake", "mock"] {
        if is_word_segment(&lower, word) {
            return Some(Verdict::Warn(format!("contains the word '{word}'")));
        }
    }
    None
}

/// The kind of a well-formed template or variable expression inside a value
/// (`${VAR}`, `${VAR:-x}`, `{{ .x }}`, `%(x)s`, `$(cmd)`, `#{x}`, `<%= x %>`,
/// `[[x]]`, `<TOKEN>`). Only well-formed ones count: a random password may
/// well contain `{{`, `${` or `>` without being a template.
fn template_expression(s: &[u8]) -> Option<&'static str> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let find = |from: usize, pat: &[u8]| {
        s.get(from..)?
            .windows(pat.len())
            .position(|w| w == pat)
            .map(|p| from + p)
    };
    // Inner text of a bracketed expression: short and without nested brackets.
    let plain = |inner: &[u8], open: u8, close: u8| {
        !inner.is_empty() && inner.len() <= 80 && !inner.contains(&open) && !inner.contains(&close)
    };
    for i in 0..s.len() {
        let rest = &s[i..];
        if rest.starts_with(b"${") {
            // `${VAR}`, `${VAR:-x}`, `${env:VAR}`, `${{ secrets.X }}`
            let inner = &rest[2..];
            let inner = inner.strip_prefix(b"{").unwrap_or(inner);
            let inner = inner.trim_ascii_start();
            let n = inner.iter().take_while(|&&b| ident(b) || b == b'.').count();
            if n > 0
                && matches!(
                    inner.get(n),
                    Some(b'}' | b':' | b'-' | b'?' | b'=' | b'+' | b'|' | b' ')
                )
            {
                return Some("${…}");
            }
        } else if rest.starts_with(b"{{") {
            if let Some(end) = find(i + 2, b"}}")
                && plain(&s[i + 2..end], b'{', b'}')
            {
                return Some("{{…}}");
            }
        } else if rest.starts_with(b"%(") {
            let n = rest[2..].iter().take_while(|&&b| ident(b)).count();
            if n > 0 && rest.get(2 + n) == Some(&b')') {
                return Some("%(…)");
            }
        } else if rest.starts_with(b"$(") || rest.starts_with(b"#{") || rest.starts_with(b"{%") {
            let (open, close) = if rest[1] == b'(' {
                (b'(', b')')
            } else {
                (b'{', b'}')
            };
            if let Some(end) = s[i + 2..].iter().position(|&b| b == close)
                && plain(&s[i + 2..i + 2 + end], open, close)
            {
                return Some(match rest[0] {
                    b'$' => "$(…)",
                    b'#' => "#{…}",
                    _ => "{%…%}",
                });
            }
        } else if rest.starts_with(b"<%") {
            if let Some(end) = find(i + 2, b"%>")
                && plain(&s[i + 2..end], b'<', b'>')
            {
                return Some("<%…%>");
            }
        } else if rest.starts_with(b"[[") {
            if let Some(end) = find(i + 2, b"]]")
                && plain(&s[i + 2..end], b'[', b']')
            {
                return Some("[[…]]");
            }
        } else if rest[0] == b'{' && (i == 0 || s[i - 1] != b'{') {
            // `{}`, `{name}`, `{0}`, `{name:>8}`: format-string placeholders
            // (`{{` is an escaped brace, not a placeholder).
            let n = rest[1..]
                .iter()
                .take_while(|&&b| ident(b) || b == b'.')
                .count();
            let digits = rest[1..1 + n].iter().all(u8::is_ascii_digit);
            if matches!(rest.get(1 + n), Some(b'}' | b':')) && (n >= 2 || digits) {
                return Some("{…}");
            }
        } else if rest[0] == b'<' {
            // `<TOKEN>`, `<your api key>`: a bracketed word, not `a<b>c` code.
            if let Some(end) = s[i + 1..].iter().position(|&b| b == b'>') {
                let inner = &s[i + 1..i + 1 + end];
                if inner.len() >= 2
                    && plain(inner, b'<', b'>')
                    && inner
                        .iter()
                        .all(|&b| ident(b) || matches!(b, b' ' | b'-' | b'.' | b':'))
                {
                    return Some("<…>");
                }
            }
        }
    }
    None
}

/// Whether `word` appears delimited by non-alphanumerics (e.g. `my-fake-key`).
fn is_word_segment(lower: &str, word: &str) -> bool {
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|seg| seg == word)
}

/// Length of the longest run of one repeated byte, if at least 4.
fn longest_run(bytes: &[u8]) -> Option<usize> {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in bytes {
        run = if Some(b) == prev { run + 1 } else { 1 };
        prev = Some(b);
        best = best.max(run);
    }
    (best >= 4).then_some(best)
}

/// Length of the longest ascending or descending run (`abcdef`, `98765`).
fn longest_sequence(bytes: &[u8]) -> usize {
    let mut best = 1;
    let (mut up, mut down) = (1, 1);
    for w in bytes.windows(2) {
        let alnum = w[0].is_ascii_alphanumeric() && w[1].is_ascii_alphanumeric();
        up = if alnum && w[1] == w[0].wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && w[1].wrapping_add(1) == w[0] {
            down + 1
        } else {
            1
        };
        best = best.max(up).max(down);
    }
    best
}

/// Whether the letters or the digits alone run in sequence: `a1b2c3d4e5f6`,
/// `abc123def456ghi789`, `ABCD1234EFGH5678`, `aaaabbbbccccdddd`.
fn interleaved_sequence(bytes: &[u8]) -> bool {
    // The run must also cover most of the projection: a random token's
    // letters contain `abcdef` by chance now and then, a placeholder's are
    // nothing but the run.
    let run = |keep: fn(&u8) -> bool| {
        let mut out: Vec<u8> = bytes
            .iter()
            .filter(|b| keep(b))
            .map(u8::to_ascii_lowercase)
            .collect();
        out.dedup();
        let run = longest_sequence(&out);
        if run * 10 >= out.len() * 6 { run } else { 0 }
    };
    let letters = run(u8::is_ascii_alphabetic);
    let digits = run(u8::is_ascii_digit);
    if bytes.iter().all(u8::is_ascii_hexdigit) {
        // Hex has only six letters: `abcdef` in order happens by chance.
        (letters >= 6 && digits >= 4) || digits >= 8
    } else {
        letters >= 6 || digits >= 6
    }
}

/// Whether the value mostly repeats a short unit (`abcd1234abcd1234`,
/// `xyzxyzxyz`, `ABCDE12-ABCDE12-ABCDE12`), ignoring case.
fn periodic(bytes: &[u8]) -> bool {
    (2..=8).any(|period| {
        bytes.len() >= period * 3
            && bytes
                .iter()
                .zip(&bytes[period..])
                .filter(|(a, b)| a.eq_ignore_ascii_case(b))
                .count()
                * 10
                >= (bytes.len() - period) * 7
    })
}

/// Runs a rule's validator on its secret.
pub fn validate(validator: Validator, secret: &str) -> Option<Verdict> {
    match validator {
        Validator::GithubChecksum | Validator::NpmChecksum => {
            (!token_checksum_ok(secret)).then(|| Verdict::Doubt("checksum does not match".into()))
        }
        Validator::Jwt => (!jwt_ok(secret))
            .then(|| Verdict::Drop("not a JWT (header is not JSON with alg)".into())),
        Validator::Pem => (!pem_ok(secret)).then(|| Verdict::Drop("key block has no body".into())),
        Validator::SecretValue => {
            code_value(secret).map(|what| Verdict::Drop(format!("value is {what}")))
        }
        Validator::AwsKeyId => (!aws_key_id_ok(secret))
            .then(|| Verdict::Doubt("characters outside the AWS key id alphabet".into())),
    }
}

/// Shapes of assigned values that are code or configuration, not secrets:
/// identifiers, paths, URLs, numbers, lookups, hashes of passwords.
const CODE_VALUE_PATTERNS: &[&str] = &[
    r#"^[a-z_-]+$"#,
    r#"^[A-Z_-]+$"#,
    r#"^[a-z]+(?:[A-Z][a-z]+)+[0-9]*$"#,
    r#"^(?:[A-Z][a-z]+)+[0-9]*$"#,
    r#"^_*[a-z][a-z0-9]*(?:_+[a-z0-9]+)+_*$"#,
    r#"^_*[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+_*$"#,
    r#"^_+[A-Za-z0-9_]*$"#,
    r#"::|->"#,
    r#"^[:&*.#|!-]+[A-Za-z_][A-Za-z0-9_:.]*!?$"#,
    r#"^[a-z_][a-z0-9_]*!$"#,
    r#"^[A-Za-z]+(?:-[A-Za-z]+)+$"#,
    r#"^[a-z_.-]+(?:/[a-z_.-]+)+$"#,
    r#"^.{160,}$"#,
    r#"^pk\.eyJ"#,
    r#"^\$(?:2[aby]?|argon2(?:id|i|d)?|pbkdf2[\w-]*|scrypt|[156])\$"#,
    r#"(?i)^(?:pbkdf2_sha\d+|bcrypt|argon2|scrypt|sha\d+_crypt|md5_crypt)\$"#,
    r#"^\$?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$"#,
    r#"^[A-Za-z_][A-Za-z0-9_]*(?:::|->)[A-Za-z_]"#,
    r#"^[0-9.]+$"#,
    // a call or an index: `f(x)`, `tokens[i+1]`
    r#"^[A-Za-z_$][\w.$]*[(\[][^\s]*[)\]]$"#,
    // a label: `Password:`
    r#"^[A-Za-z ]+:$"#,
    // a regular expression: `^(?=.*[A-Z]).{8,}$`, `[a-z]+\d{4}`
    r#"\(\?[=!:<]|\[[A-Za-z0-9]-[A-Za-z0-9]\]|\{\d+,\d*\}|\\[dwsDWS]"#,
    // a masked or described value: `[FILTERED]`, `(hidden)`, `<none>`
    r#"^[\[(<{][^\s]*[\])>}]$"#,
    // a list of names: `password,publickey`, `AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY`
    r#"^[A-Za-z_][\w-]*(?:[,;][A-Za-z_][\w-]*)+$"#,
    // a translated label: `密码`, `Пароль`
    r#"^[\x80-\xff]+$"#,
    r#"(?i)^(?:true|false|null|none|nil|undefined|required|optional|string|bool|boolean|integer|number)$"#,
    r#"^(?:\.{0,2}/|~/)"#,
    r#"(?i)^[a-z][a-z0-9+.-]*://"#,
    r#"(?i)^(?:env|process\.env|os\.environ|getenv|secrets|vault|ssm|aws_secretsmanager|keyring|settings|config)[.:]"#,
    r#"(?i)^(?:sha(?:1|224|256|384|512)|md5|blake2b?|argon2(?:id)?)[:-]"#,
];

/// Why an assigned value is not a secret, if it is not.
fn code_value(value: &str) -> Option<&'static str> {
    static PATTERNS: OnceLock<Regex> = OnceLock::new();
    let set = PATTERNS.get_or_init(|| {
        Regex::builder()
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .unicode(false)
                    .utf8(false),
            )
            .build_many(CODE_VALUE_PATTERNS)
            .expect("code value patterns")
    });
    set.is_match(value.as_bytes())
        .then_some("an identifier, path, URL, number, lookup or hash")
}

/// Keys that vendors publish in their documentation; never real.
const DOCUMENTED_EXAMPLES: &[&str] = &[
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    // the example UUID of RFC 4122 tutorials and Wikipedia
    "123e4567-e89b-12d3-a456-",
    "123e4567e89b12d3a456",
];

/// Whether the secret is (or contains) a key published as a documentation example.
pub fn documented_example(secret: &str) -> bool {
    DOCUMENTED_EXAMPLES.iter().any(|e| secret.contains(e))
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62(mut n: u32, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// GitHub and npm tokens end with a base62 CRC32 of the 30 random characters before it.
pub fn token_checksum_ok(token: &str) -> bool {
    let body = token.rsplit_once('_').map_or(token, |(_, b)| b);
    if body.len() != 36 || !body.is_ascii() {
        return false;
    }
    let (random, check) = body.split_at(30);
    base62(crc32fast::hash(random.as_bytes()), 6) == check
}

fn jwt_ok(token: &str) -> bool {
    let header = token.split('.').next().unwrap_or("");
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let Ok(decoded) = engine.decode(header.trim_end_matches('=')) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&decoded)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.contains_key("alg")))
        .unwrap_or(false)
}

fn pem_ok(block: &str) -> bool {
    let text = block.replace("\\n", "\n").replace("\\r", "");
    // Drop the BEGIN/END armour (the key may be flattened onto one line),
    // then count base64 characters in what is left, skipping `Header: value` lines.
    let mut body = 0usize;
    for line in text.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("-----") {
            let after = &rest[start + 5..];
            let Some(end) = after.find("-----") else {
                break;
            };
            body += count_base64(&rest[..start]);
            rest = &after[end + 5..];
        }
        if !rest.contains(": ") {
            body += count_base64(rest);
        }
    }
    body >= 40
}

fn count_base64(s: &str) -> usize {
    s.split_whitespace()
        .map(|t| t.trim_matches(|c| c == '"' || c == '\'' || c == ','))
        .filter(|t| {
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        })
        .map(str::len)
        .sum()
}

fn aws_key_id_ok(id: &str) -> bool {
    id.len() == 20
        && id[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_random() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"ab") - 1.0).abs() < 1e-9);
        assert!(entropy(b"q8Zr4Kp1VwX7nTb2") > 3.5);
    }

    #[test]
    fn placeholders_are_dropped() {
        for p in [
            "xxxxxxxxxxxxxxxx",
            "your_api_key_here",
            "${API_KEY}",
            "{{ token }}",
            "<TOKEN>",
            "changeme",
            "********",
            "abcdefgh1",
            "REDACTED",
            "$SECRET",
            "${DB_PASSWORD:-dev}",
            "${{ secrets.NPM_TOKEN }}",
            "pre-{{ .Values.token }}",
            "%(password)s",
            "$(cat /run/secrets/db)",
            "#{ENV['TOKEN']}",
            "<%= ENV['KEY'] %>",
            "[[ .Token ]]",
            "<api-key>",
            "gh{}_{body}",
            "a1b2c3d4e5f6g7h8i9j0",
            "ABCD1234EFGH5678IJKL9012",
            "abcd1234abcd1234abcd1234",
            "XYZabcdXYZabcdXYZabcd",
            "123e4567-e89b-12d3-a456-426614174000",
            "{second}\\n",
        ] {
            assert!(matches!(placeholder(p), Some(Verdict::Drop(_))), "{p}");
        }
        assert_eq!(placeholder("q8Zr4Kp1VwX7nTb2"), None);
        // Template-like punctuation in a random password is not a template.
        assert_eq!(placeholder("m{{h}o)p${e]nob(ody[f>-_$#zq1}}"), None);
        assert_eq!(placeholder("Tq>9v<{Zr4$(Kp"), None);
        // Prefixed hex: `abcdef` among its letters is chance, not a placeholder.
        assert_eq!(placeholder("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"), None); // leakshield:allow (test vector)
        assert_eq!(placeholder("Tq9x{a}Wz3Lr8p"), None);
        assert_eq!(placeholder("Tq9x<k>Wz3Lr8p"), None);
        assert!(matches!(
            placeholder("my-fake-key-Zr4Kp1"),
            Some(Verdict::Warn(_))
        ));
    }

    #[test]
    fn github_checksum() {
        let random = "Zr4Kp1VwX7nTb2q8Zr4Kp1VwX7nTb2";
        let token = format!(
            "ghp_{random}{}",
            base62(crc32fast::hash(random.as_bytes()), 6)
        );
        assert!(token_checksum_ok(&token));
        assert!(!token_checksum_ok(
            "ghp_Zr4Kp1VwX7nTb2q8Zr4Kp1VwX7nTb2AAAAAA" // leakshield:allow (test vector)
        ));
    }

    #[test]
    fn jwt_and_pem_structure() {
        assert!(jwt_ok("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"));
        assert!(!jwt_ok("eyJub3RoaW5nIjoxfQ.eyJzdWIiOiIxIn0.sig"));
        assert!(!pem_ok(
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"
        ));
        assert!(aws_key_id_ok("AKIAZ2Q7RTV4WXLM3N5K")); // leakshield:allow (test vector)
        assert!(!aws_key_id_ok("AKIA0189RTV4WXLM3N5K"));
    }
}
