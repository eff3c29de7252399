//! A digest as an e-mail: HTML that reads well on a phone (one column, large links)
//! and the same in plain text. Everything from users is escaped; links go to the
//! portal; the footer says why the member gets it, with the settings and the
//! one-click unsubscribe.

use chrono::{DateTime, Utc};

use super::model::{DigestContent, MAX_ITEMS, RingSection};
use crate::{i18n::Locale, mail::OutgoingEmail, mail::templates::escape_html};

/// Where a digest's links lead.
#[derive(Debug, Clone)]
pub struct Links {
    /// The portal, without a trailing slash.
    pub base: String,
    /// The member's digest settings (with the signed token: works logged out).
    pub settings: String,
    /// The one-click unsubscribe address (also in `List-Unsubscribe`).
    pub unsubscribe: String,
}

/// How many things a digest reports.
pub fn news_count(content: &DigestContent) -> usize {
    content
        .rings
        .iter()
        .map(|r| {
            r.new_needs.len()
                + r.filled_needs.len()
                + r.threads.len()
                + r.releases.len()
                + r.meetings.iter().filter(|m| m.new).count()
        })
        .sum()
}

/// One line of a section: its text and where it links.
struct Line {
    text: String,
    href: String,
}

struct Block {
    heading: String,
    lines: Vec<Line>,
    more: Option<(String, String)>,
}

fn blocks(locale: Locale, r: &RingSection, base: &str) -> Vec<Block> {
    let l = locale;
    let mut out = Vec::new();
    let mut push = |heading_key: &str, lines: Vec<Line>, more_href: String| {
        if lines.is_empty() {
            return;
        }
        let total = lines.len();
        let shown: Vec<Line> = lines.into_iter().take(MAX_ITEMS).collect();
        let more = (total > shown.len()).then(|| {
            (
                l.t_args(
                    "digest-more",
                    &[("count", (total - shown.len()).to_string())],
                ),
                more_href,
            )
        });
        out.push(Block {
            heading: l.t(heading_key),
            lines: shown,
            more,
        });
    };
    let ring = r.ring_id;
    let need_line = |n: &super::model::NeedItem| Line {
        text: l.t_args(
            "digest-need",
            &[
                ("title", n.title.clone()),
                ("firm", n.firm.clone()),
                ("occupation", n.occupation.clone()),
            ],
        ),
        href: format!("{base}/behov/{}", n.id),
    };
    push(
        "digest-new-needs",
        r.new_needs.iter().map(need_line).collect(),
        format!("{base}/ringar/{ring}/behov"),
    );
    push(
        "digest-filled-needs",
        r.filled_needs.iter().map(need_line).collect(),
        format!("{base}/ringar/{ring}/behov"),
    );
    push(
        "digest-discussion",
        r.threads
            .iter()
            .map(|t| {
                let key = if t.new {
                    "digest-thread-new"
                } else {
                    "digest-thread-replies"
                };
                Line {
                    text: l.t_args(
                        key,
                        &[
                            ("title", t.title.clone()),
                            ("count", t.replies.to_string()),
                            ("author", t.author.clone()),
                            ("excerpt", t.excerpt.clone()),
                        ],
                    ),
                    href: format!("{base}/diskussion/{}", t.id),
                }
            })
            .collect(),
        format!("{base}/ringar/{ring}/diskussion"),
    );
    push(
        "digest-releases",
        r.releases
            .iter()
            .map(|p| Line {
                text: l.t_args(
                    "digest-release",
                    &[
                        ("code", p.code.clone()),
                        ("headline", p.headline.clone()),
                        ("need", p.fits.clone()),
                    ],
                ),
                href: format!("{base}/profiler/{}", p.code),
            })
            .collect(),
        format!("{base}/ringar/{ring}/profiler"),
    );
    push(
        "digest-meetings",
        r.meetings
            .iter()
            .map(|m| {
                let key = if m.new {
                    "digest-meeting-new"
                } else {
                    "digest-meeting"
                };
                Line {
                    text: l.t_args(
                        key,
                        &[
                            ("when", l.datetime(m.starts_at)),
                            ("place", m.place.clone()),
                        ],
                    ),
                    href: format!("{base}/moten/{}", m.id),
                }
            })
            .collect(),
        format!("{base}/ringar/{ring}"),
    );
    out
}

/// The digest e-mail to `to` for the period `[start, end)`.
pub fn digest_email(
    locale: Locale,
    to: &str,
    name: &str,
    content: &DigestContent,
    period: (DateTime<Utc>, DateTime<Utc>),
    links: &Links,
) -> OutgoingEmail {
    let l = locale;
    let subject = l.t_args(
        "digest-subject",
        &[("count", news_count(content).to_string())],
    );
    let title = l.t("digest-title");
    let intro = l.t_args(
        "digest-intro",
        &[
            ("name", name.to_owned()),
            ("from", l.datetime(period.0)),
            ("to", l.datetime(period.1)),
        ],
    );
    let why = l.t("digest-why");
    let settings_label = l.t("digest-settings");
    let unsubscribe_label = l.t("digest-unsubscribe");

    let mut text = format!("{title}\n\n{intro}\n");
    let mut html = String::new();
    for r in &content.rings {
        let ring_url = format!("{}/ringar/{}", links.base, r.ring_id);
        text.push_str(&format!("\n== {} ==\n{ring_url}\n", r.name));
        html.push_str(&format!(
            "<h2 style=\"font-size:19px;margin:32px 0 8px;padding-top:16px;border-top:2px solid #0b5a6b\">\
             <a href=\"{}\" style=\"color:#0b5a6b\">{}</a></h2>",
            escape_html(&ring_url),
            escape_html(&r.name)
        ));
        for b in blocks(l, r, &links.base) {
            text.push_str(&format!("\n{}\n", b.heading));
            html.push_str(&format!(
                "<h3 style=\"font-size:16px;margin:20px 0 8px\">{}</h3>\
                 <ul style=\"margin:0;padding:0 0 0 20px\">",
                escape_html(&b.heading)
            ));
            for line in &b.lines {
                text.push_str(&format!("- {}\n  {}\n", line.text, line.href));
                html.push_str(&format!(
                    "<li style=\"margin:0 0 12px\"><a href=\"{}\" style=\"color:#0b5a6b\">{}</a></li>",
                    escape_html(&line.href),
                    escape_html(&line.text)
                ));
            }
            html.push_str("</ul>");
            if let Some((label, href)) = &b.more {
                text.push_str(&format!("  {label}: {href}\n"));
                html.push_str(&format!(
                    "<p style=\"margin:0 0 12px\"><a href=\"{}\" style=\"color:#0b5a6b\">{}</a></p>",
                    escape_html(href),
                    escape_html(label)
                ));
            }
        }
    }
    text.push_str(&format!(
        "\n-- \n{why}\n{settings_label}: {}\n{unsubscribe_label}: {}\n{}\n",
        links.settings,
        links.unsubscribe,
        l.t("mail-footer")
    ));
    let body = format!(
        "<p style=\"margin:0 0 16px\">{}</p>{html}",
        escape_html(&intro)
    );
    let footer = format!(
        "<p style=\"margin:32px 0 8px;font-size:14px;color:#4a555c\">{why}</p>\
         <p style=\"margin:0 0 8px;font-size:14px\"><a href=\"{settings}\" style=\"color:#0b5a6b\">{settings_label}</a>\
          · <a href=\"{unsubscribe}\" style=\"color:#0b5a6b\">{unsubscribe_label}</a></p>\
         <p style=\"margin:0;font-size:14px;color:#4a555c\">{mail_footer}</p>",
        why = escape_html(&why),
        settings = escape_html(&links.settings),
        settings_label = escape_html(&settings_label),
        unsubscribe = escape_html(&links.unsubscribe),
        unsubscribe_label = escape_html(&unsubscribe_label),
        mail_footer = escape_html(&l.t("mail-footer")),
    );
    let html = crate::mail::templates::html_document(l, &title, &body, &footer);
    OutgoingEmail {
        to: to.to_owned(),
        subject,
        text,
        html,
        kind: "digest",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digests::model::{MeetingItem, NeedItem, ReleaseItem, RingSection, ThreadItem};
    use chrono::TimeZone;

    fn content() -> DigestContent {
        let at = |d, h| {
            Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0)
                .single()
                .unwrap_or_default()
        };
        let need = |id, title: &str| NeedItem {
            id,
            title: title.into(),
            firm: "Beta Vård & Omsorg AB".into(),
            occupation: "Undersköterskor, vård- och specialavdelning".into(),
        };
        DigestContent {
            rings: vec![
                RingSection {
                    ring_id: 3,
                    name: "Vård och omsorg <Storvik>".into(),
                    new_needs: vec![need(12, "Undersköterska natt")],
                    filled_needs: vec![need(9, "Vårdbiträde helg")],
                    threads: vec![
                        ThreadItem {
                            id: 4,
                            title: "<script>alert('x')</script> & \"citat\"".into(),
                            new: true,
                            replies: 0,
                            excerpt: "Hur gör ni med introduktionen <b>första veckan</b>?".into(),
                            author: "Leila Haddad".into(),
                            posts: vec![40],
                        },
                        ThreadItem {
                            id: 2,
                            title: "Språkstöd på arbetsplatsen".into(),
                            new: false,
                            replies: 3,
                            excerpt: "Vi har bra erfarenhet av språkombud.".into(),
                            author: "Anders Björk".into(),
                            posts: vec![41, 42, 43],
                        },
                    ],
                    releases: vec![ReleaseItem {
                        code: "K-7QXM".into(),
                        headline: "Undersköterska med erfarenhet från äldreomsorg".into(),
                        fits: "Undersköterska natt".into(),
                    }],
                    meetings: vec![MeetingItem {
                        id: 8,
                        starts_at: at(3, 14),
                        place: "Kommunhuset, rum 3".into(),
                        new: true,
                    }],
                },
                RingSection {
                    ring_id: 5,
                    name: "Service och restaurang".into(),
                    new_needs: (1..=12)
                        .map(|i| need(100 + i, &format!("Kock {i}")))
                        .collect(),
                    ..Default::default()
                },
            ],
        }
    }

    fn links() -> Links {
        Links {
            base: "https://broar.ekdala.se".into(),
            settings: "https://broar.ekdala.se/installningar?t=7.abc".into(),
            unsubscribe: "https://broar.ekdala.se/avregistrera?t=7.abc".into(),
        }
    }

    /// Compares `actual` with the stored snapshot `name` (`BROAR_UPDATE_SNAPSHOTS=1`
    /// writes it instead, for review in the diff).
    fn snapshot(name: &str, actual: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/digests/snapshots")
            .join(name);
        if std::env::var_os("BROAR_UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap_or(&path)).unwrap_or_default();
            std::fs::write(&path, actual).unwrap_or_default();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("snapshot {name} missing: run with BROAR_UPDATE_SNAPSHOTS=1")
        });
        assert_eq!(actual, expected, "snapshot {name} differs");
    }

    fn period() -> (DateTime<Utc>, DateTime<Utc>) {
        (
            Utc.with_ymd_and_hms(2026, 11, 23, 6, 0, 0)
                .single()
                .unwrap_or_default(),
            Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    #[test]
    fn the_swedish_digest_matches_its_snapshots() {
        let mail = digest_email(
            Locale::Sv,
            "leila@storvik-omsorg.test",
            "Leila",
            &content(),
            period(),
            &links(),
        );
        assert_eq!(mail.subject, "Nytt i dina ringar (18)");
        assert_eq!(mail.kind, "digest");
        snapshot("digest.sv.txt", &mail.text);
        snapshot("digest.sv.html", &mail.html);
    }

    #[test]
    fn the_english_digest_matches_its_snapshot() {
        let mail = digest_email(
            Locale::En,
            "leila@storvik-omsorg.test",
            "Leila",
            &content(),
            period(),
            &links(),
        );
        assert_eq!(mail.subject, "New in your rings (18)");
        snapshot("digest.en.txt", &mail.text);
    }

    #[test]
    fn titles_and_text_from_users_are_escaped_in_the_html() {
        let html = digest_email(
            Locale::Sv,
            "a@b.test",
            "<i>Leila</i>",
            &content(),
            period(),
            &links(),
        )
        .html;
        assert!(!html.contains("<script>"), "no markup from a title");
        assert!(
            html.contains(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;citat&quot;"
            )
        );
        assert!(html.contains("&lt;b&gt;första veckan&lt;/b&gt;"));
        assert!(html.contains("Vård och omsorg &lt;Storvik&gt;"));
        assert!(html.contains("Hej &lt;i&gt;Leila&lt;/i&gt;!"));
        assert!(!html.contains("<b>") && !html.contains("<i>"));
        // Twelve new needs: ten shown, the rest counted with a link to the ring's needs.
        assert_eq!(html.matches(">Kock ").count(), 10);
        assert!(html.contains("… och 2 till"));
    }
}
