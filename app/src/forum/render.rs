//! Posts as HTML, and the guard against candidate personal data in a post.
//!
//! Markdown is parsed by pulldown-cmark with raw HTML turned into plain text, and the
//! result goes through ammonia's allow-list: a few text tags, links (http, https,
//! mailto) with `rel="nofollow noopener noreferrer"`, no images, no attributes beyond
//! `href`. Two layers, so a mistake in one is caught by the other.

use std::{collections::HashSet, sync::LazyLock};

use pulldown_cmark::{Event, Options, Parser, TagEnd, html};

/// The tags a post may contain after rendering.
const TAGS: [&str; 17] = [
    "p",
    "br",
    "em",
    "strong",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(
        TAGS.iter()
            .copied()
            .chain(["tbody", "tr", "th", "td"])
            .collect(),
    )
    .tag_attributes(
        [("a", ["href"].into_iter().collect::<HashSet<_>>())]
            .into_iter()
            .collect(),
    )
    .url_schemes(["http", "https", "mailto"].into_iter().collect())
    .url_relative(ammonia::UrlRelative::Deny)
    .link_rel(Some("nofollow noopener noreferrer"))
    .strip_comments(true);
    b
});

/// A post's Markdown as safe HTML.
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    // Raw HTML in the text is shown as text, never passed on as markup.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        // Headings would compete with the page's own; they become level 3 and 4.
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, events);
    let raw = raw
        .replace("<h1>", "<h3>")
        .replace("</h1>", "</h3>")
        .replace("<h2>", "<h3>")
        .replace("</h2>", "</h3>")
        .replace("<h5>", "<h4>")
        .replace("</h5>", "</h4>")
        .replace("<h6>", "<h4>")
        .replace("</h6>", "</h4>");
    SANITIZER.clean(&raw).to_string()
}

/// A post's Markdown as plain text (for excerpts in e-mails): the words, without
/// markup; raw HTML in the text stays text.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    ) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            // Breaks and the ends of blocks separate words; inline markup does not.
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::TableRow,
            ) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// What in a text looks like personal data of a candidate: the i18n keys of the
/// kinds found (personnummer, telephone number, e-mail address), in that order. The
/// scanner is the releases' (`crate::pii`); a date is not warned about here.
pub fn personal_data(text: &str) -> Vec<&'static str> {
    let found = crate::pii::scan(text, "");
    [
        (crate::pii::Finding::Personnummer, "personal-personnummer"),
        (crate::pii::Finding::Phone, "personal-phone"),
        (crate::pii::Finding::Email, "personal-email"),
    ]
    .into_iter()
    .filter(|(kind, _)| found.contains(kind))
    .map(|(_, key)| key)
    .collect()
}

/// The markup of `html`: every tag with its attributes, lower-cased (text between
/// tags, where `&lt;` stands for a typed `<`, is left out). For tests of what survives.
pub fn markup(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push('<');
            }
            '>' if in_tag => {
                in_tag = false;
                out.push_str("> ");
            }
            c if in_tag => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_simple_html_and_links_get_rel() {
        let html =
            to_html("**Tips:** läs [AF:s sida](https://arbetsformedlingen.se)\n\n- ett\n- två");
        assert!(html.contains("<strong>Tips:</strong>"));
        assert!(html.contains(
            r#"<a href="https://arbetsformedlingen.se" rel="nofollow noopener noreferrer">AF:s sida</a>"#
        ));
        assert!(html.contains("<ul>\n<li>ett</li>"));
    }

    #[test]
    fn raw_html_scripts_images_and_bad_links_do_not_survive() {
        for (input, banned) in [
            ("<script>alert(1)</script>", "<script"),
            ("<img src=x onerror=alert(1)>", "<img"),
            ("![bild](https://evil.example/x.png)", "<img"),
            ("[klicka](javascript:alert(1))", "javascript:"),
            (
                "<a href=\"https://x\" onclick=\"alert(1)\">x</a>",
                "onclick",
            ),
            ("[x](https://x \"t\" onclick=alert(1))", "onclick"),
            ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
            ("<iframe src=https://evil.example>", "<iframe"),
        ] {
            let html = to_html(input);
            assert!(!markup(&html).contains(banned), "{input} -> {html}");
        }
        assert!(
            to_html("<b>fet</b>").contains("&lt;b&gt;fet&lt;/b&gt;"),
            "shown as typed"
        );
    }

    #[test]
    fn headings_are_kept_below_the_page_headings() {
        assert!(to_html("# Rubrik").contains("<h3>Rubrik</h3>"));
    }

    #[test]
    fn personal_data_is_pointed_out() {
        assert_eq!(
            personal_data("Han heter 19900101-1234"),
            ["personal-personnummer"]
        );
        assert_eq!(personal_data("ring 070-123 45 67"), ["personal-phone"]);
        assert_eq!(personal_data("ring +46 70 123 45 67"), ["personal-phone"]);
        assert_eq!(
            personal_data("skriv till amir@example.se"),
            ["personal-email"]
        );
        assert!(personal_data("Vi hade 3 praktikanter i 12 veckor år 2025.").is_empty());
        // The releases' stricter patterns, now shared: an address written "(at)".
        assert_eq!(
            personal_data("mejla amir (at) example.se"),
            ["personal-email"]
        );
        assert!(
            personal_data("Nästa träff är 2026-12-10 kl. 9 hos Ekholms.").is_empty(),
            "a meeting's date"
        );
        assert!(personal_data("Kontrollera 9001011234 och mejla a@b.se").len() == 2);
    }
}
