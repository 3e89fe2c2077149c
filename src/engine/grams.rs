//! Keyword search: every occurrence of every keyword in an input.
//!
//! A byte table answers, for each position, whether a keyword may be there:
//! each keyword of four bytes or more is keyed on one of its first four
//! four-byte grams (the one least common in source code, from
//! `common-grams.txt`, so that ordinary text rarely needs a closer look),
//! ASCII-case folded and hashed into the table; keywords shorter than four
//! bytes hash every three-byte gram they begin. Every position probes its
//! four- and three-byte gram. Folding sets bit 5 of every byte: it maps `A`
//! to `a` and merges some punctuation pairs (`_` and DEL), which can only add
//! candidates, never lose one. The probes of neighbouring positions are
//! independent (unlike the steps of an automaton), so eight are computed
//! per step and branched on once. At a candidate, an exact index of the key
//! grams names the keywords to compare.

const TABLE_BITS: u32 = 17;
const FOLD: u32 = 0x2020_2020;
const FOLD64: u64 = 0x2020_2020_2020_2020;
const LOW3: u32 = 0x00FF_FFFF;

pub struct Grams {
    /// 1 where a keyword may start (fixed size: probes need no bounds check).
    table: Box<[u8; 1 << TABLE_BITS]>,
    /// The keywords (lowercase), by id.
    keywords: Vec<Box<[u8]>>,
    /// Open-addressed: folded key gram and the range of `long_ids` holding
    /// the keywords keyed on it. 0 marks an empty slot: no folded gram is 0
    /// (folding sets bit 5 of every byte).
    index: Vec<(u32, u32, u32)>,
    index_bits: u32,
    /// Keyword id and the offset of its key gram.
    long_ids: Vec<(u32, u32)>,
    /// Keywords shorter than four bytes, by lowercased first byte.
    short_ids: Vec<Vec<u32>>,
}

/// A slot of a `bits`-bit table from a gram's product with `MUL`
/// (multiplicative hashing: the product's high bits mix all four bytes).
#[inline(always)]
fn slot(product: u32, bits: u32) -> usize {
    (product >> (32 - bits)) as usize
}

#[inline(always)]
fn hash(gram: u32, bits: u32) -> usize {
    slot(gram.wrapping_mul(MUL), bits)
}

const MUL: u32 = 0x9E37_79B1;

/// `FOURTH[b]` is what a fourth byte `b` adds to a gram's product: the
/// three-byte gram's product is the four-byte one's minus this (one
/// multiply per position instead of two).
const FOURTH: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = ((b as u32) << 24).wrapping_mul(MUL);
        b += 1;
    }
    t
};

/// Folded grams common in source code, sorted, with their frequency rank
/// (0 = most common); built from `common-grams.txt` by `build.rs`.
static COMMON_GRAMS: &[(u32, u32)] = include!(concat!(env!("OUT_DIR"), "/common_grams.rs"));

/// The offset (0 to 3) of the keyword's four-byte gram least common in
/// source code: not in the list at all, else the lowest ranked; the first
/// such on ties.
fn key_offset(keyword: &[u8]) -> usize {
    let commonness = |offset: usize| {
        let gram = prefix(&keyword[offset..]);
        match COMMON_GRAMS.binary_search_by_key(&gram, |&(g, _)| g) {
            Ok(i) => COMMON_GRAMS.len() - COMMON_GRAMS[i].1 as usize,
            Err(_) => 0,
        }
    };
    (0..=(keyword.len() - 4).min(3))
        .min_by_key(|&offset| commonness(offset))
        .expect("a keyword of four bytes has offset 0")
}

/// The folded values a byte can take (bit 5 set).
fn folded_bytes() -> impl Iterator<Item = u8> {
    (0..=255u8).filter(|b| b & 0x20 != 0)
}

/// The folded four-byte gram at the start of `k`.
fn prefix(k: &[u8]) -> u32 {
    u32::from_le_bytes([k[0], k[1], k[2], k[3]]) | FOLD
}

impl Grams {
    /// `keywords` must be lowercase (empty ones are never found); ids are
    /// their positions.
    pub fn new(keywords: &[&[u8]]) -> Grams {
        debug_assert!(
            keywords
                .iter()
                .all(|k| !k.iter().any(u8::is_ascii_uppercase)),
            "keywords must be lowercase"
        );
        let mut grams = Grams {
            table: vec![0; 1 << TABLE_BITS]
                .into_boxed_slice()
                .try_into()
                .expect("table size"),
            keywords: keywords.iter().map(|k| Box::from(*k)).collect(),
            index: Vec::new(),
            index_bits: 0,
            long_ids: Vec::new(),
            short_ids: vec![Vec::new(); 256],
        };
        let mut long: Vec<(u32, u32, u32)> = Vec::new();
        for (id, k) in keywords.iter().enumerate() {
            match **k {
                [] => {}
                [_, _, _, _, ..] => {
                    let offset = key_offset(k);
                    let gram = prefix(&k[offset..]);
                    grams.table[hash(gram, TABLE_BITS)] = 1;
                    long.push((gram, id as u32, offset as u32));
                }
                [a, b, c] => grams.insert_short(a, b, c),
                // A shorter keyword starts every three-byte gram it begins.
                [a, b] => folded_bytes().for_each(|c| grams.insert_short(a, b, c)),
                [a] => {
                    for b in folded_bytes() {
                        folded_bytes().for_each(|c| grams.insert_short(a, b, c));
                    }
                }
            }
            if (1..4).contains(&k.len()) {
                grams.short_ids[k[0] as usize].push(id as u32);
            }
        }
        long.sort_unstable();
        let bits = (long.len() * 2).next_power_of_two().max(2).trailing_zeros();
        grams.index = vec![(0, 0, 0); 1 << bits];
        grams.index_bits = bits;
        for run in long.chunk_by(|a, b| a.0 == b.0) {
            let from = grams.long_ids.len() as u32;
            grams
                .long_ids
                .extend(run.iter().map(|&(_, id, offset)| (id, offset)));
            let mut slot = hash(run[0].0, bits);
            while grams.index[slot].0 != 0 {
                slot = (slot + 1) & (grams.index.len() - 1);
            }
            grams.index[slot] = (run[0].0, from, grams.long_ids.len() as u32);
        }
        grams
    }

    fn insert_short(&mut self, a: u8, b: u8, c: u8) {
        let gram = (u32::from_le_bytes([a, b, c, 0]) | FOLD) & LOW3;
        self.table[hash(gram, TABLE_BITS)] = 1;
    }

    /// 1 if a keyword may start where folded `gram` starts, else 0.
    #[inline(always)]
    fn probe(&self, gram: u32) -> u32 {
        let product = gram.wrapping_mul(MUL);
        let short = product.wrapping_sub(FOURTH[(gram >> 24) as usize]);
        (self.table[slot(product, TABLE_BITS)] | self.table[slot(short, TABLE_BITS)]) as u32
    }

    /// Calls `visit` with every position of `data` where a keyword may start,
    /// in order, until it returns `false`. The last three positions are
    /// always visited (too short for a four-byte gram).
    #[inline]
    fn candidates(&self, data: &[u8], mut visit: impl FnMut(usize) -> bool) {
        let mut at = 0;
        // Eight positions per step: two overlapping 8-byte loads hold their grams.
        while at + 12 <= data.len() {
            let word = |from: usize| {
                let bytes: [u8; 8] = data[from..from + 8].try_into().expect("8 bytes");
                u64::from_le_bytes(bytes) | FOLD64
            };
            let (lo, hi) = (word(at), word(at + 4));
            let mut mask = 0u32;
            for k in 0..4 {
                mask |= self.probe((lo >> (8 * k)) as u32) << k;
                mask |= self.probe((hi >> (8 * k)) as u32) << (k + 4);
            }
            while mask != 0 {
                if !visit(at + mask.trailing_zeros() as usize) {
                    return;
                }
                mask &= mask - 1;
            }
            at += 8;
        }
        for w in data[at..].windows(4) {
            let gram = prefix(w);
            if self.probe(gram) != 0 && !visit(at) {
                return;
            }
            at += 1;
        }
        for at in at..data.len() {
            if !visit(at) {
                return;
            }
        }
    }

    /// Calls `found(start, keyword id, length)` for every keyword occurrence in
    /// `data` (ASCII case-insensitive, overlapping ones too) until it returns
    /// `false`. Occurrences come in the order of their key grams: a start
    /// can precede the one reported before it by up to three bytes.
    pub fn find(&self, data: &[u8], mut found: impl FnMut(usize, u32, usize) -> bool) {
        let mut check = |at: usize, id: u32| {
            let k = &self.keywords[id as usize];
            let hit = data.len() - at >= k.len() && data[at..at + k.len()].eq_ignore_ascii_case(k);
            !hit || found(at, id, k.len())
        };
        self.candidates(data, |at| {
            if let Some(w) = data.get(at..at + 4) {
                let gram = prefix(w);
                let mut slot = hash(gram, self.index_bits);
                loop {
                    let (key, from, to) = self.index[slot];
                    if key == gram {
                        for &(id, offset) in &self.long_ids[from as usize..to as usize] {
                            if let Some(start) = at.checked_sub(offset as usize)
                                && !check(start, id)
                            {
                                return false;
                            }
                        }
                        break;
                    }
                    if key == 0 {
                        break;
                    }
                    slot = (slot + 1) & (self.index.len() - 1);
                }
            }
            for &id in &self.short_ids[data[at].to_ascii_lowercase() as usize] {
                if !check(at, id) {
                    return false;
                }
            }
            true
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(grams: &Grams, data: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        grams.candidates(data, |at| {
            out.push(at);
            true
        });
        out
    }

    fn found(keywords: &[&[u8]], data: &[u8]) -> Vec<(usize, String)> {
        let grams = Grams::new(keywords);
        let mut out = Vec::new();
        grams.find(data, |at, id, _| {
            out.push((
                at,
                String::from_utf8_lossy(keywords[id as usize]).into_owned(),
            ));
            true
        });
        out
    }

    /// Every occurrence, in any letter case, overlapping ones too, and
    /// nothing else; the filter skips most positions.
    #[test]
    fn finds_exactly_the_keyword_occurrences() {
        let keywords: [&[u8]; 6] = [b"password", b"pass", b"word", b"ghp_", b"key", b"q~"];
        let data = b"xx PassWord=1 GHP_abc KEY q~ a$b ____ pass keyx passwor";
        let lower = data.to_ascii_lowercase();
        let mut want = Vec::new();
        for at in 0..data.len() {
            for k in keywords {
                if lower[at..].starts_with(k) {
                    want.push((at, String::from_utf8_lossy(k).into_owned()));
                }
            }
        }
        let mut got = found(&keywords, data);
        got.sort();
        want.sort();
        assert_eq!(got, want);
        let grams = Grams::new(&keywords);
        assert!(positions(&grams, data).len() < data.len() / 2);
    }

    #[test]
    fn three_byte_product_is_derived_from_the_four_byte_one() {
        for gram in [0x6162_6364u32, 0xFFFF_FFFF, 0x2020_2020, 0x7F61_2D24] {
            assert_eq!(
                gram.wrapping_mul(MUL)
                    .wrapping_sub(FOURTH[(gram >> 24) as usize]),
                (gram & LOW3).wrapping_mul(MUL)
            );
        }
    }

    /// Keywords keyed past their start are found where they start, also
    /// at the very beginning and end of the input.
    #[test]
    fn keys_past_the_start_find_the_start() {
        // The most common gram of the list, then rare letters: keyed past it.
        let (gram, _) = COMMON_GRAMS.iter().find(|g| g.1 == 0).unwrap();
        let mut keyword: Vec<u8> = gram
            .to_le_bytes()
            .map(|b| if b == 0x7F { b'_' } else { b })
            .to_vec();
        keyword.extend_from_slice(b"qzxq");
        assert!(
            key_offset(&keyword) > 0,
            "{}",
            String::from_utf8_lossy(&keyword)
        );
        let mut data = keyword.to_ascii_uppercase();
        data.extend_from_slice(b" x");
        data.extend_from_slice(&keyword);
        let got = found(&[&keyword], &data);
        let starts: Vec<usize> = got.iter().map(|g| g.0).collect();
        assert_eq!(starts, vec![0, keyword.len() + 2]);

        let got = found(
            &[b"statuspage", b"constant"],
            b"statuspage CONSTANT xconstantstatuspage",
        );
        let starts: Vec<(usize, &str)> = got.iter().map(|(at, k)| (*at, k.as_str())).collect();
        assert_eq!(
            starts,
            vec![
                (0, "statuspage"),
                (11, "constant"),
                (21, "constant"),
                (29, "statuspage")
            ]
        );
    }

    #[test]
    fn one_byte_keywords_are_found() {
        let got = found(&[b"$", b"abcd"], b"a$b cd $$ x$");
        let starts: Vec<usize> = got.iter().map(|g| g.0).collect();
        assert_eq!(starts, vec![1, 7, 8, 11]);
    }

    #[test]
    fn short_input_positions_are_all_visited() {
        let grams = Grams::new(&[b"abcd"]);
        assert_eq!(positions(&grams, b"ab"), vec![0, 1]);
        assert_eq!(positions(&grams, b""), Vec::<usize>::new());
    }

    #[test]
    fn finding_stops_when_asked() {
        let grams = Grams::new(&[b"ab"]);
        let mut seen = 0;
        grams.find(b"ab ab ab ab", |_, _, _| {
            seen += 1;
            false
        });
        assert_eq!(seen, 1);
    }
}
