//! Markdown to sanitised HTML: the only HTML the app ever inserts (decisions.md).

use pulldown_cmark::{html, Options, Parser};
use std::collections::HashSet;

/// Renders Markdown and keeps only an allow-list of tags and attributes. Raw HTML in the
/// source loses its tags (scripts and styles their content too), links keep only http(s)
/// and mailto URLs and get `rel="noopener noreferrer nofollow"`.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    let tags: HashSet<&str> = [
        "p",
        "br",
        "strong",
        "em",
        "del",
        "blockquote",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

/// The words of a Markdown text without its markup (for search and snippets).
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_formatting_and_removes_scripts() {
        let html = render("**建议** 增加停车位\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1)) <img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>建议</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
        assert!(!html.contains("<img"));
    }

    #[test]
    fn links_are_marked_nofollow() {
        let html = render("[政协](https://example.org)");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }
}
