//! ASCII URL slugs from titles and file names: Chinese becomes toneless pinyin, one syllable
//! per character (ü written `v`, as Chinese URLs do), with a site table for place names whose
//! reading differs; long slugs are cut between syllables and marked with a short hash.

use std::collections::BTreeMap;

use pinyin::ToPinyin;

/// Makes `text` an ASCII slug: `春季赏花节` -> `chun-ji-shang-hua-jie`, `Peach Blossom` ->
/// `peach-blossom`. Words in `overrides` (e.g. `长乐` = `chang-le`) are used as given,
/// longest first. At most [`MAX_SLUG`] bytes plus a hash of the whole when cut. Returns an
/// empty string when nothing sluggable is left.
pub fn slugify(text: &str, overrides: &BTreeMap<String, String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut rest = text;
    let flush = |word: &mut String, parts: &mut Vec<String>| {
        if !word.is_empty() {
            parts.push(std::mem::take(word));
        }
    };
    'outer: while let Some(c) = rest.chars().next() {
        for (from, to) in overrides.iter().rev() {
            if !from.is_empty() && rest.starts_with(from.as_str()) {
                flush(&mut word, &mut parts);
                parts.push(slug::slugify(to));
                rest = &rest[from.len()..];
                continue 'outer;
            }
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            flush(&mut word, &mut parts);
            // Toneless pinyin still writes ü (旅 lü); URLs write it v, as in lvyou.
            parts.push(p.plain().replace('ü', "v"));
        } else if c.is_alphanumeric() {
            // Latin letters with accents and the like.
            word.push_str(&slug::slugify(c.to_string()));
        } else {
            flush(&mut word, &mut parts);
        }
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut word, &mut parts);
    parts.retain(|p| !p.is_empty());
    shorten(parts.join("-"))
}

/// The longest slug kept whole, in bytes.
pub const MAX_SLUG: usize = 80;

/// Cuts a slug longer than [`MAX_SLUG`] at the last `-` before the limit and appends six hex
/// digits of a hash of the whole, so that two long slugs with the same beginning stay apart.
fn shorten(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let limit = slug.floor_char_boundary(MAX_SLUG);
    let cut = slug[..limit].rfind('-').filter(|&i| i > 0).unwrap_or(limit);
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes());
    format!("{}-{:06x}", &slug[..cut], hash & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        slugify(text, &BTreeMap::new())
    }

    #[test]
    fn chinese_becomes_pinyin() {
        assert_eq!(s("春季赏花节"), "chun-ji-shang-hua-jie");
        assert_eq!(s("好婆媳评选"), "hao-po-xi-ping-xuan");
        assert_eq!(s("乡村旅游绿道"), "xiang-cun-lv-you-lv-dao");
    }

    #[test]
    fn mixed_text_keeps_latin_words_and_numbers() {
        assert_eq!(s("2024年桃花节 Opening!"), "2024-nian-tao-hua-jie-opening");
        assert_eq!(s("peach-blossom_festival"), "peach-blossom-festival");
        assert_eq!(s("Café"), "cafe");
        assert_eq!(s("——！"), "");
    }

    #[test]
    fn u_umlaut_is_written_v_and_slugs_stay_ascii() {
        assert_eq!(s("乡村旅游"), "xiang-cun-lv-you");
        assert_eq!(s("绿色女子"), "lv-se-nv-zi");
        assert!(s("Ærø 旅").is_ascii());
    }

    #[test]
    fn long_slugs_are_cut_between_syllables_with_a_hash() {
        let title = "青溪镇新时代文明实践所组织志愿者开展送温暖送服务送文化送安全活动为二百三十位独居老人送去米油和春联";
        let a = s(title);
        let b = s(&format!("{title}续"));
        assert!(a.len() <= MAX_SLUG + 7, "{a}");
        assert!(a.starts_with("qing-xi-zhen-xin-shi-dai"), "{a}");
        assert_ne!(a, b, "same beginning, different slugs");
        assert!(!a.contains("--"), "{a}");
        assert_eq!(
            s("peach-blossom"),
            "peach-blossom",
            "short slugs are not touched"
        );
    }

    #[test]
    fn overrides_win_longest_first() {
        let mut o = BTreeMap::new();
        o.insert("长乐".to_string(), "chang-le".to_string());
        o.insert("长乐镇".to_string(), "changle-town".to_string());
        assert_eq!(slugify("长乐村", &o), "chang-le-cun");
        assert_eq!(slugify("长乐镇新闻", &o), "changle-town-xin-wen");
    }
}
