//! Keyword search: every occurrence of every keyword in an input.
//!
//! A bit table answers, for every second position, whether a keyword may
//! start near it. Only even positions are probed (half the work of probing
//! all), so each keyword enters the table through grams that cover it from
//! either parity: a keyword of five bytes or more, two consecutive four-byte
//! grams starting in its first five bytes (the pair least common in source
//! code, from `common-grams.txt`, so that ordinary text rarely needs a
//! closer look); a shorter one, the four-byte grams that start at it or one
//! byte before it, the bytes beside it taking any value (128 grams each;
//! a keyword of one byte sets every bit). Every probed position looks up
//! one four-byte gram. Grams are ASCII-case folded and hashed. Folding sets
//! bit 5 of every byte: it maps `A` to `a` and merges some other pairs (`_`
//! and DEL, control bytes and punctuation), which can only add candidates,
//! never lose one. The probes of different positions are independent
//! (unlike the steps of an automaton), so eight are computed per step and
//! branched on once. At a candidate, an exact index of the key grams names
//! the long keywords to compare; for the shorter ones, a small bit table of
//! their exact grams tells whether one may start there, and lists by first
//! byte name them.

/// Bits of the table index: one bit per slot, 512 KiB. One core on the
/// 300 MB tree: 2^21 bits 1.06 s, 2^22 1.00 s, 2^23 1.04 s.
const TABLE_BITS: u32 = 22;
const FOLD: u32 = 0x2020_2020;
const FOLD64: u64 = 0x2020_2020_2020_2020;
const LOW3: u32 = 0x00FF_FFFF;

pub struct Grams {
    /// One bit per gram hash, set where a key gram hashes (fixed size:
    /// probes need no bounds check).
    table: BitTable,
    /// The keywords (lowercase), by id.
    keywords: Vec<Box<[u8]>>,
    /// By keyword id: its first eight bytes folded, and the mask of those
    /// it has (a cheap first comparison at a candidate).
    heads: Vec<(u64, u64)>,
    /// Folded grams of the four- and three-byte keywords, hashed to one bit
    /// each (a four-byte gram is never equal to a three-byte one, whose top
    /// byte is 0): most candidates have no such keyword near.
    near: Box<[u64; 1 << (NEAR_BITS - 6)]>,
    /// By lowercased byte: whether a keyword of one or two bytes starts
    /// with it.
    tiny: [bool; 256],
    /// Open-addressed: folded key gram and the range of `long_ids` holding
    /// the keywords keyed on it. 0 marks an empty slot: no folded gram is 0
    /// (folding sets bit 5 of every byte).
    index: Vec<(u32, u32, u32)>,
    index_bits: u32,
    /// Keyword id and the offset of its key gram.
    long_ids: Vec<(u32, u32)>,
    /// Four-byte keywords by lowercased first byte: found at odd starts
    /// through the grams of their last three bytes and any fourth, one
    /// position on.
    four_ids: Vec<Vec<u32>>,
    /// Keywords shorter than four bytes, by lowercased first byte.
    short_ids: Vec<Vec<u32>>,
    /// Whether `candidates` may use AVX2 (the CPU has it).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    avx2: bool,
}

/// The filter's bits, `1 << TABLE_BITS` of them, in memory mapped with its
/// pages populated at once: faulting them in one by one as bits are set
/// cost a one-line scan 0.2 ms (120 page faults).
struct BitTable(memmap2::MmapMut);

impl BitTable {
    const BYTES: usize = 1 << (TABLE_BITS - 3);

    fn new() -> BitTable {
        let map = memmap2::MmapOptions::new()
            .len(Self::BYTES)
            .populate()
            .map_anon()
            // As a heap allocation of this size would, on failure.
            .expect("keyword table: out of memory");
        BitTable(map)
    }

    fn words(&self) -> &[u64; 1 << (TABLE_BITS - 6)] {
        // SAFETY: the map is page-aligned and `BYTES` long, and any bytes
        // are a valid u64.
        unsafe { &*self.0.as_ptr().cast() }
    }

    fn words_mut(&mut self) -> &mut [u64; 1 << (TABLE_BITS - 6)] {
        // SAFETY: as in `words`.
        unsafe { &mut *self.0.as_mut_ptr().cast() }
    }
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

/// Folded grams common in source code, sorted, with their frequency rank
/// (0 = most common); built from `common-grams.txt` by `build.rs`.
static COMMON_GRAMS: &[(u32, u32)] = include!(concat!(env!("OUT_DIR"), "/common_grams.rs"));

/// For a keyword of five bytes or more, the offset (0 to 3) of its key
/// grams, at that offset and the next: the pair whose more common gram is
/// least common in source code (grams not in the list are the rarest), then
/// the pair less common in sum, then the first.
fn key_offset(keyword: &[u8]) -> usize {
    let commonness = |offset: usize| {
        let gram = prefix(&keyword[offset..]);
        match COMMON_GRAMS.binary_search_by_key(&gram, |&(g, _)| g) {
            Ok(i) => COMMON_GRAMS.len() - COMMON_GRAMS[i].1 as usize,
            Err(_) => 0,
        }
    };
    (0..=(keyword.len() - 5).min(3))
        .min_by_key(|&offset| {
            let (a, b) = (commonness(offset), commonness(offset + 1));
            (a.max(b), a + b)
        })
        .expect("a keyword of five bytes has offset 0")
}

fn set_bit(words: &mut [u64], slot: usize) {
    words[slot >> 6] |= 1 << (slot & 63);
}

/// Bit `slot` of `words`, as 0 or 1.
#[inline(always)]
fn bit(words: &[u64], slot: usize) -> u64 {
    words[slot >> 6] >> (slot & 63) & 1
}

/// Bits of the `near` table: 2 KiB.
const NEAR_BITS: u32 = 14;

/// The first eight bytes of `k` folded (zeros past its end), and a mask of
/// the bytes it has.
fn head(k: &[u8]) -> (u64, u64) {
    let mut bytes = [0u8; 8];
    let n = k.len().min(8);
    bytes[..n].copy_from_slice(&k[..n]);
    let mask = match n {
        8 => u64::MAX,
        n => (1u64 << (8 * n)) - 1,
    };
    ((u64::from_le_bytes(bytes) | FOLD64) & mask, mask)
}

fn avx2_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// The folded values a byte can take (bit 5 set).
fn folded_bytes() -> impl Iterator<Item = u8> {
    (0..=255u8).filter(|b| b & 0x20 != 0)
}

/// The folded three-byte gram at the start of `k` (top byte 0).
fn three(k: &[u8]) -> u32 {
    (u32::from_le_bytes([k[0], k[1], k[2], 0]) | FOLD) & LOW3
}

fn gram4(a: u8, b: u8, c: u8, d: u8) -> u32 {
    u32::from_le_bytes([a, b, c, d]) | FOLD
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
            table: BitTable::new(),
            keywords: keywords.iter().map(|k| Box::from(*k)).collect(),
            heads: keywords.iter().map(|k| head(k)).collect(),
            near: vec![0; 1 << (NEAR_BITS - 6)]
                .into_boxed_slice()
                .try_into()
                .expect("near table size"),
            tiny: [false; 256],
            index: Vec::new(),
            index_bits: 0,
            long_ids: Vec::new(),
            four_ids: vec![Vec::new(); 256],
            short_ids: vec![Vec::new(); 256],
            avx2: avx2_available(),
        };
        let mut long: Vec<(u32, u32, u32)> = Vec::new();
        // Which grams cover a keyword at an even start (probed at the start)
        // and at an odd one (probed one before or one after it).
        for (id, k) in keywords.iter().enumerate() {
            let id32 = id as u32;
            match **k {
                [] => {}
                [_, _, _, _, _, ..] => {
                    let offset = key_offset(k);
                    for o in [offset, offset + 1] {
                        let gram = prefix(&k[o..]);
                        grams.set(gram);
                        long.push((gram, id32, o as u32));
                    }
                }
                [a, b, c, d] => {
                    let gram = prefix(k);
                    grams.set(gram);
                    long.push((gram, id32, 0));
                    folded_bytes().for_each(|x| grams.set(gram4(b, c, d, x)));
                    grams.four_ids[a as usize].push(id32);
                    grams.set_near(gram);
                }
                [a, b, c] => {
                    grams.set_near(three(&[a, b, c]));
                    for x in folded_bytes() {
                        grams.set(gram4(a, b, c, x));
                        grams.set(gram4(x, a, b, c));
                    }
                }
                [a, b] => {
                    for x in folded_bytes() {
                        for y in folded_bytes() {
                            grams.set(gram4(a, b, x, y));
                            grams.set(gram4(x, a, b, y));
                        }
                    }
                }
                // Any even position may be one before or at its start.
                [_] => grams.table.words_mut().fill(u64::MAX),
            }
            if (1..4).contains(&k.len()) {
                grams.short_ids[k[0] as usize].push(id32);
                grams.tiny[k[0] as usize] |= k.len() < 3;
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

    fn set_near(&mut self, gram: u32) {
        set_bit(&mut *self.near, hash(gram, NEAR_BITS));
    }

    #[inline(always)]
    fn is_near(&self, gram: u32) -> bool {
        bit(&*self.near, hash(gram, NEAR_BITS)) != 0
    }

    fn set(&mut self, gram: u32) {
        set_bit(self.table.words_mut(), hash(gram, TABLE_BITS));
    }

    /// 1 if a keyword may be near where folded `gram` starts, else 0.
    #[inline(always)]
    fn probe(&self, gram: u32) -> u32 {
        bit(self.table.words(), hash(gram, TABLE_BITS)) as u32
    }

    /// Calls `visit` with every even position of `data` near which a keyword
    /// may start (see `find`), in order, until it returns `false`. Even
    /// positions too close to the end for a four-byte gram are always
    /// visited.
    #[inline]
    fn candidates(&self, data: &[u8], mut visit: impl FnMut(usize) -> bool) {
        #[cfg(target_arch = "x86_64")]
        let at = match self.avx2 {
            // SAFETY: `avx2` is set only where the CPU has AVX2.
            true => match unsafe { avx2::candidates(self, data, &mut visit) } {
                Some(done) => done,
                None => return,
            },
            false => 0,
        };
        #[cfg(not(target_arch = "x86_64"))]
        let at = 0;
        self.candidates_from(data, at, visit);
    }

    /// `candidates` without SIMD, from even position `at` on.
    fn candidates_from(&self, data: &[u8], mut at: usize, mut visit: impl FnMut(usize) -> bool) {
        // Sixteen bytes per step: four 8-byte loads hold the grams of its
        // eight even positions.
        while at + 20 <= data.len() {
            let word = |from: usize| {
                let bytes: [u8; 8] = data[from..from + 8].try_into().expect("8 bytes");
                u64::from_le_bytes(bytes) | FOLD64
            };
            let mut mask = 0u32;
            for w in 0..4 {
                let x = word(at + 4 * w);
                mask |= self.probe(x as u32) << (4 * w);
                mask |= self.probe((x >> 16) as u32) << (4 * w + 2);
            }
            while mask != 0 {
                if !visit(at + mask.trailing_zeros() as usize) {
                    return;
                }
                mask &= mask - 1;
            }
            at += 16;
        }
        while at < data.len() {
            let hit = data
                .get(at..at + 4)
                .is_none_or(|w| self.probe(prefix(w)) != 0);
            if hit && !visit(at) {
                return;
            }
            at += 2;
        }
    }

    /// Calls `found(start, keyword id, length)` for every keyword occurrence in
    /// `data` (ASCII case-insensitive, overlapping ones too) until it returns
    /// `false`. Each occurrence is checked at exactly one candidate: the even
    /// position holding one of its key grams (long keywords), at or one
    /// after its start (four-byte keywords), at or one before it (shorter
    /// ones). So a start can precede the one reported before it by up to
    /// four bytes.
    pub fn find(&self, data: &[u8], mut found: impl FnMut(usize, u32, usize) -> bool) {
        let mut check = |at: usize, id: u32| {
            // Folded first bytes rule out almost every candidate; the exact
            // comparison confirms the rest.
            let (folded, mask) = self.heads[id as usize];
            let word = match data.get(at..at + 8) {
                Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
                None => {
                    let mut bytes = [0u8; 8];
                    let rest = &data[at.min(data.len())..];
                    bytes[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
                    u64::from_le_bytes(bytes)
                }
            };
            if (word | FOLD64) & mask != folded {
                return true;
            }
            let k = &self.keywords[id as usize];
            let hit = data.len() - at >= k.len() && data[at..at + k.len()].eq_ignore_ascii_case(k);
            !hit || found(at, id, k.len())
        };
        let lower = |at: usize| data[at].to_ascii_lowercase() as usize;
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
            if at > 0
                && let Some(w) = data.get(at - 1..at + 3)
                && self.is_near(prefix(w))
            {
                for &id in &self.four_ids[lower(at - 1)] {
                    if !check(at - 1, id) {
                        return false;
                    }
                }
            }
            for start in at..(at + 2).min(data.len()) {
                let three_near = data
                    .get(start..start + 3)
                    .is_some_and(|w| self.is_near(three(w)));
                if !three_near && !self.tiny[lower(start)] {
                    continue;
                }
                for &id in &self.short_ids[lower(start)] {
                    if !check(start, id) {
                        return false;
                    }
                }
            }
            true
        });
    }
}

/// The probes of eight even positions at once: AVX2 computes their grams
/// and hashes and gathers their table words, which the scalar loop does
/// one position at a time (on the 300 MB tree: the whole scan 10% faster).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{FOLD, Grams, MUL, TABLE_BITS};
    use std::arch::x86_64::*;

    /// Visits the candidates of whole sixteen-byte steps while eight more
    /// bytes follow them; returns where it stopped (even), or `None` when
    /// `visit` asked to stop.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn candidates(
        grams: &Grams,
        data: &[u8],
        visit: &mut impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        // Dword j of each 128-bit lane: the four bytes from 2j.
        let shuffle = _mm256_setr_epi8(
            0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7, 8, 9, //
            0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7, 8, 9,
        );
        let fold = _mm256_set1_epi32(FOLD as i32);
        let mul = _mm256_set1_epi32(MUL as i32);
        let bit = _mm256_set1_epi32(31);
        // The table's 64-bit words, read as 32-bit ones (little-endian:
        // bit `s` is bit `s % 32` of word `s / 32` either way).
        let table = grams.table.words().as_ptr().cast::<i32>();
        let mut at = 0;
        while at + 24 <= data.len() {
            // SAFETY: `at + 24 <= data.len()` covers both 16-byte loads;
            // slots have `TABLE_BITS` bits, so `slot >> 5` is within the
            // table's 2^(TABLE_BITS - 5) words.
            let mut mask = unsafe {
                let p = data.as_ptr().add(at);
                let lo = _mm_loadu_si128(p.cast());
                let hi = _mm_loadu_si128(p.add(8).cast());
                let bytes = _mm256_set_m128i(hi, lo);
                let grams = _mm256_or_si256(_mm256_shuffle_epi8(bytes, shuffle), fold);
                const SHIFT: i32 = 32 - TABLE_BITS as i32;
                let slot = _mm256_srli_epi32::<SHIFT>(_mm256_mullo_epi32(grams, mul));
                let word = _mm256_i32gather_epi32::<4>(table, _mm256_srli_epi32::<5>(slot));
                let hit = _mm256_srlv_epi32(word, _mm256_and_si256(slot, bit));
                _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_slli_epi32::<31>(hit))) as u32
            };
            while mask != 0 {
                if !visit(at + 2 * mask.trailing_zeros() as usize) {
                    return None;
                }
                mask &= mask - 1;
            }
            at += 16;
        }
        Some(at)
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
        assert!(positions(&grams, data).len() < data.len() / 4);
    }

    /// Odd keywords in long inputs, with both loops: one byte, two bytes,
    /// bytes past ASCII, `_` and `@` (whose folds are DEL and a backtick,
    /// both in the text), and a keyword whose two key grams are equal.
    /// Each occurrence exactly once, nothing else.
    #[test]
    fn unusual_keywords_are_found_exactly_once() {
        let keywords: [&[u8]; 7] = [
            b"$",
            b"q~",
            b"\xc3\xa9t\xc3\xa9",
            b"_id_",
            b"a@b",
            b"aaaaaa",
            b"\x7f",
        ];
        let mut data = Vec::new();
        let mut seed = 0x0BAD_5EEDu32;
        let alphabet = b"aA$q~Q_@`\x7f\xc3\xa9\xe3tTbBiId \n";
        for _ in 0..3_000 {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            data.push(alphabet[(seed >> 16) as usize % alphabet.len()]);
        }
        data.extend_from_slice(b"aaaaaaaa _ID_ a@B \xc3\xa9t\xc3\xa9 q~");
        let mut want = Vec::new();
        let lower = data.to_ascii_lowercase();
        for at in 0..data.len() {
            for (id, k) in keywords.iter().enumerate() {
                if lower[at..].starts_with(k) {
                    want.push((at, id as u32));
                }
            }
        }
        assert!(want.len() > 200, "{}", want.len());
        let mut grams = Grams::new(&keywords);
        for avx2 in [false, avx2_available()] {
            grams.avx2 = avx2;
            for from in [0, 1] {
                let mut got = Vec::new();
                grams.find(&data[from..], |at, id, _| {
                    got.push((at + from, id));
                    true
                });
                got.sort_unstable();
                let want: Vec<_> = want.iter().filter(|w| w.0 >= from).copied().collect();
                assert_eq!(got, want, "avx2 {avx2} from {from}");
            }
        }
    }

    /// The AVX2 loop visits exactly the positions the scalar one visits
    /// (where the CPU lacks AVX2 both runs are scalar).
    #[test]
    fn simd_and_scalar_candidates_agree() {
        let mut grams = Grams::new(&[b"password", b"ghp_", b"key", b"q~", b"tokenizer"]);
        let mut data = Vec::new();
        let mut seed = 0x1234_5678u32;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            match seed >> 28 {
                0 => data.extend_from_slice(b"PassWord"),
                1 => data.extend_from_slice(b"ghp_"),
                2 => data.extend_from_slice(b"KEY"),
                3 => data.extend_from_slice(b"q~"),
                4 => data.extend_from_slice(b"Tokenizer"),
                _ => data.push(b' ' + ((seed >> 8) % 95) as u8),
            }
        }
        for from in [0, 1, 3] {
            for len in [0, 1, 19, 20, 23, 24, 25, 40, 1000, data.len() - from] {
                let input = &data[from..from + len];
                grams.avx2 = false;
                let scalar = positions(&grams, input);
                grams.avx2 = avx2_available();
                assert_eq!(positions(&grams, input), scalar, "from {from} len {len}");
                if len > 1000 {
                    assert!(scalar.len() > 1000);
                }
            }
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
        assert_eq!(positions(&grams, b"xyz"), vec![0, 2]);
        assert_eq!(positions(&grams, b"xyzyx"), vec![2, 4]);
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
