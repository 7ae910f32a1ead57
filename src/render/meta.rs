//! The `<head>` tags every page must carry: canonical URL, Open Graph, feed links, and the
//! government page tags (SiteName, SiteDomain, SiteIDCode; ColumnName … on lists; ArticleTitle,
//! PubDate, ContentSource on articles). Built here so that no theme can forget them; templates
//! print `{{ meta_tags }}`.

use tera::Value;

use crate::config::Config;
use crate::markdown::escape;

/// The tags of one output, in order.
pub struct Meta {
    html: String,
}

/// What a list page is about, for the `Column*` tags.
pub struct ListInfo<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub keywords: &'a str,
    pub column_type: &'a str,
}

/// What an article is, for the `Article*` tags.
pub struct ArticleInfo<'a> {
    pub title: &'a str,
    /// `YYYY-MM-DD HH:MM` in the site's zone.
    pub pub_date: &'a str,
    /// RFC 3339, for Open Graph.
    pub published: &'a str,
    pub source: &'a str,
    pub keywords: &'a str,
    pub author: &'a str,
}

impl Meta {
    /// The tags every page has. `title` and `description` are this page's; `image` an
    /// absolute URL, or empty for the site's share image (made from its logo). Icons: the
    /// favicon and the touch icon made from the logo.
    pub fn new(
        config: &Config,
        path: &str,
        title: &str,
        description: &str,
        image: &str,
        article: bool,
    ) -> Meta {
        let mut m = Meta {
            html: String::new(),
        };
        let url = config.absolute(path);
        m.html.push_str(&format!(
            "<link rel=\"canonical\" href=\"{}\">\n",
            escape(&url)
        ));
        m.name("SiteName", &config.title);
        m.name("SiteDomain", config.domain());
        m.name("SiteIDCode", &config.identity.site_id);
        m.name("description", description);
        m.property("og:site_name", &config.title);
        m.property("og:locale", &config.language.replace('-', "_"));
        m.property("og:type", if article { "article" } else { "website" });
        m.property("og:url", &url);
        m.property("og:title", title);
        m.property("og:description", description);
        let share = config.absolute(crate::images::icons::SHARE_PATH);
        m.property("og:image", if image.is_empty() { &share } else { image });
        m.html.push_str(
            "<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"32x32\">\n<link rel=\"apple-touch-icon\" href=\"/apple-touch-icon.png\">\n",
        );
        m.feed(&config.title, "/atom.xml", config);
        m
    }

    /// Adds the list tags.
    pub fn list<'a>(mut self, l: &ListInfo<'a>) -> Meta {
        self.name("ColumnName", l.name);
        // The tags are required; a list without its own words falls back to its name.
        let or_name = |s: &'a str| if s.is_empty() { l.name } else { s };
        self.name("ColumnDescription", or_name(l.description));
        self.name("ColumnKeywords", or_name(l.keywords));
        self.name("ColumnType", l.column_type);
        self
    }

    /// Adds the article tags.
    pub fn article(mut self, a: &ArticleInfo<'_>) -> Meta {
        self.name("ArticleTitle", a.title);
        self.name("PubDate", a.pub_date);
        self.name("ContentSource", a.source);
        self.name("Keywords", a.keywords);
        self.name("Author", a.author);
        self.property("article:published_time", a.published);
        self
    }

    /// Adds a link to the Atom feed of the list this page belongs to.
    pub fn with_feed(mut self, title: &str, path: &str, config: &Config) -> Meta {
        self.feed(title, path, config);
        self
    }

    fn feed(&mut self, title: &str, path: &str, config: &Config) {
        self.html.push_str(&format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{}\" href=\"{}\">\n",
            escape(title),
            escape(&config.absolute(path))
        ));
    }

    fn name(&mut self, name: &str, content: &str) {
        if !content.is_empty() {
            self.html.push_str(&format!(
                "<meta name=\"{name}\" content=\"{}\">\n",
                escape(content)
            ));
        }
    }

    fn property(&mut self, property: &str, content: &str) {
        if !content.is_empty() {
            self.html.push_str(&format!(
                "<meta property=\"{property}\" content=\"{}\">\n",
                escape(content)
            ));
        }
    }

    /// The tags as HTML, safe to print.
    pub fn into_value(self) -> Value {
        Value::safe_string(&self.html)
    }
}
