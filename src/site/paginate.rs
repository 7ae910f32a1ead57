//! Splits a list of items into pages: `/theory/`, `/theory/page/2/`, ...

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based.
    pub index: usize,
    /// Site path of this page.
    pub path: String,
    /// The slice of the list shown on it.
    pub range: std::ops::Range<usize>,
}

/// The pages of a list of `len` items at `per_page` each, the first at `base` (which ends with
/// `/`). An empty list still has one (empty) page.
pub fn paginate(base: &str, len: usize, per_page: usize) -> Vec<Pager> {
    let per_page = per_page.max(1);
    (1..=page_count(len, per_page))
        .map(|index| Pager {
            index,
            path: page_path(base, index),
            range: (index - 1) * per_page..(index * per_page).min(len),
        })
        .collect()
}

/// How many pages a list of `len` items at `per_page` each has (at least one).
pub fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The site path of page `index` of a list at `base`.
pub fn page_path(base: &str, index: usize) -> String {
    if index == 1 {
        base.to_string()
    } else {
        format!("{base}page/{index}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_evenly_with_a_short_last_page() {
        let p = paginate("/theory/", 23, 10);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].path, "/theory/");
        assert_eq!(p[2].path, "/theory/page/3/");
        assert_eq!(p[2].range, 20..23);
        assert_eq!(paginate("/", 0, 10).len(), 1);
    }
}
