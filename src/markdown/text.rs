//! Plain-text measures of a page: word count (each CJK character counts once), reading time and
//! the excerpt cut on a character boundary.

/// Whether `c` is written without spaces between words (Chinese, Japanese kana, Korean).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
        | 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// Counts words: every CJK character is one, and every run of other letters or digits is one.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            count += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

/// Minutes to read `words` at `per_minute`, at least one.
pub fn reading_time(words: usize, per_minute: usize) -> usize {
    words.div_ceil(per_minute.max(1)).max(1)
}

/// The first `max_chars` characters of `text` with runs of white space folded, ending in "…"
/// when cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max_chars {
        return folded;
    }
    let cut: String = folded.chars().take(max_chars).collect();
    format!(
        "{}…",
        cut.trim_end_matches([' ', '，', '、', '；', '：', ','])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_count_once_each() {
        assert_eq!(word_count("青溪镇开展志愿服务"), 9);
        assert_eq!(word_count("学习强国 APP 积分 2024 年"), 4 + 1 + 2 + 1 + 1);
        assert_eq!(word_count("，。！"), 0);
        assert_eq!(word_count("hello, world"), 2);
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_time(0, 300), 1);
        assert_eq!(reading_time(300, 300), 1);
        assert_eq!(reading_time(301, 300), 2);
        assert_eq!(reading_time(1234, 300), 5);
    }

    #[test]
    fn excerpts_cut_on_characters() {
        let text = "乡村旅游".repeat(50);
        let e = excerpt(&text, 120);
        assert_eq!(e.chars().count(), 121);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("短  文\n本", 120), "短 文 本");
    }
}
