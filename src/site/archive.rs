//! Archives by year and month: only months that have posts exist.

use crate::content::Page;

/// One month of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub year: i16,
    pub month: i8,
    /// `/archive/2024/01/`.
    pub path: String,
    /// Newest first.
    pub posts: Vec<usize>,
}

/// One year of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: i16,
    /// `/archive/2024/`.
    pub path: String,
    /// Newest first.
    pub posts: Vec<usize>,
    /// Newest first; months without posts are absent.
    pub months: Vec<Month>,
}

/// The site path of the archive index.
pub const ARCHIVE_PATH: &str = "/archive/";

/// Groups `posts` (newest first, all dated) by year and month, newest first.
pub fn build(posts: &[usize], pages: &[std::sync::Arc<Page>]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for &i in posts {
        let Some(date) = &pages[i].meta.date else {
            continue;
        };
        let (y, m) = (date.year(), date.month());
        if years.last().is_none_or(|last| last.year != y) {
            years.push(Year {
                year: y,
                path: format!("{ARCHIVE_PATH}{y}/"),
                posts: vec![],
                months: vec![],
            });
        }
        let year = years.last_mut().expect("pushed above");
        year.posts.push(i);
        if year.months.last().is_none_or(|last| last.month != m) {
            year.months.push(Month {
                year: y,
                month: m,
                path: format!("{ARCHIVE_PATH}{y}/{m:02}/"),
                posts: vec![],
            });
        }
        year.months.last_mut().expect("pushed above").posts.push(i);
    }
    years
}
