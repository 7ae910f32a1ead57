//! How text is cut into search terms, the same way here and in the theme's search.js: runs of
//! Chinese characters give their characters (less stop characters) and their overlapping
//! pairs (bigrams, as Lucene's CJK analyzer does); runs of Latin letters and digits give words.

/// Characters that carry no meaning alone: never a term by themselves, and a pair of two of
/// them is no term either. search.js reads this list from the index, so the two never differ.
pub const STOP: &str =
    "的了不是在和与及等也就都而或之其这那有为以于对把被从并还又但着个们吗呢吧啊呀将已所即则各";

/// Longest Latin word kept whole (longer ones are cut).
const MAX_WORD: usize = 32;

/// A term of a text.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
pub enum Term<'a> {
    /// One Chinese character or two adjacent ones, packed by [`han_key`].
    Han(u64),
    /// A lower-case run of ASCII letters and digits.
    Word(&'a str),
}

/// Whether `c` is a Chinese (CJK unified) character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Whether `c` is one of [`STOP`] (a binary search: this runs for every character indexed).
pub fn is_stop(c: char) -> bool {
    static SORTED: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
        let mut chars: Vec<char> = STOP.chars().collect();
        chars.sort_unstable();
        chars
    });
    SORTED.binary_search(&c).is_ok()
}

/// Full-width Latin letters and digits as ASCII, upper case as lower case.
fn normalize(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// The key of one character (`b` None) or of a pair.
pub fn han_key(a: char, b: Option<char>) -> u64 {
    match b {
        None => a as u64,
        Some(b) => 1 << 42 | (a as u64) << 21 | b as u64,
    }
}

/// The text form of a key: the character or the pair.
#[cfg(test)]
pub fn han_text(key: u64) -> String {
    let char_at = |shift: u32| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32).unwrap_or(' ');
    if key >> 42 == 0 {
        char_at(0).to_string()
    } else {
        [char_at(21), char_at(0)].iter().collect()
    }
}

/// Calls `f` with every term of `text` in order; returns the number of characters and words.
pub fn terms(text: &str, mut f: impl FnMut(Term)) -> usize {
    let mut count = 0;
    let mut prev: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().map(normalize).chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() {
            prev = None;
            if word.len() < MAX_WORD {
                word.push(c);
            }
            continue;
        }
        if !word.is_empty() {
            f(Term::Word(&word));
            count += 1;
            word.clear();
        }
        if !is_han(c) {
            prev = None;
            continue;
        }
        count += 1;
        if !is_stop(c) {
            f(Term::Han(han_key(c, None)));
        }
        if let Some(p) = prev
            && !(is_stop(p) && is_stop(c))
        {
            f(Term::Han(han_key(p, Some(c))));
        }
        prev = Some(c);
    }
    count
}

/// FNV-1a over the code points of a term's text: picks its shard (search.js does the same).
pub fn shard_hash(term: &str) -> u32 {
    term.chars().fold(FNV_START, fnv)
}

const FNV_START: u32 = 0x811C_9DC5;

fn fnv(h: u32, c: char) -> u32 {
    (h ^ c as u32).wrapping_mul(0x0100_0193)
}

/// [`shard_hash`] of the text of a [`han_key`], without making the text.
pub fn han_hash(key: u64) -> u32 {
    let char_at = |shift: u32| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32).unwrap_or(' ');
    if key >> 42 == 0 {
        fnv(FNV_START, char_at(0))
    } else {
        fnv(fnv(FNV_START, char_at(21)), char_at(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t| {
            out.push(match t {
                Term::Han(k) => han_text(k),
                Term::Word(w) => w.to_string(),
            })
        });
        out
    }

    #[test]
    fn chinese_runs_give_characters_and_pairs_less_stop_characters() {
        assert_eq!(all("古桥的"), ["古", "桥", "古桥", "桥的"]);
        assert_eq!(all("的是"), Vec::<String>::new());
        assert_eq!(all("5Ａ级 2024年"), ["5a", "级", "2024", "年"]);
        assert_eq!(all("乡村，旅游"), ["乡", "村", "乡村", "旅", "游", "旅游"]);
    }

    #[test]
    fn the_shard_hash_is_fnv1a_over_code_points() {
        assert_eq!(shard_hash(""), 0x811C_9DC5);
        assert_eq!(shard_hash("a"), 0xE40C_292C);
        for key in [han_key('桥', None), han_key('古', Some('桥'))] {
            assert_eq!(han_hash(key), shard_hash(&han_text(key)));
        }
    }

    #[test]
    fn stop_characters_are_found_by_the_sorted_list() {
        assert!(STOP.chars().all(is_stop));
        assert!(!is_stop('桥'));
    }
}
