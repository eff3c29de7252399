//! E-mail templates. Every value from a user is escaped in the HTML body; no candidate
//! data is ever put in an e-mail.

use super::OutgoingEmail;
use crate::i18n::Locale;

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The frame around every HTML e-mail: readable on a phone, plain colours.
fn html_frame(
    locale: Locale,
    title: &str,
    paragraphs: &[String],
    button: Option<(&str, &str)>,
) -> String {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(&format!(
            "<p style=\"margin:0 0 16px\">{}</p>",
            escape_html(p)
        ));
    }
    if let Some((label, href)) = button {
        body.push_str(&format!(
            "<p style=\"margin:24px 0\"><a href=\"{}\" style=\"background:#0b5a6b;color:#ffffff;\
             padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold\">{}</a></p>\
             <p style=\"margin:0 0 16px;font-size:14px;color:#4a555c\">{}</p>",
            escape_html(href),
            escape_html(label),
            escape_html(href)
        ));
    }
    let footer = format!(
        "<p style=\"margin:32px 0 0;font-size:14px;color:#4a555c\">{}</p>",
        escape_html(&locale.t("mail-footer"))
    );
    html_document(locale, title, &body, &footer)
}

/// An HTML e-mail around `body` and `footer` (both already HTML): one column that reads
/// on a phone, plain colours, the portal's name and `title` as the heading.
pub(crate) fn html_document(locale: Locale, title: &str, body: &str, footer: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head>\
         <body style=\"margin:0;padding:0;background:#f3f6f7\">\
         <div style=\"max-width:560px;margin:0 auto;padding:24px 16px;font-family:Arial,sans-serif;\
         font-size:16px;line-height:1.5;color:#1d2327\">\
         <p style=\"font-size:20px;font-weight:bold;color:#0b5a6b;margin:0 0 16px\">Broar</p>\
         <h1 style=\"font-size:20px;margin:0 0 16px\">{title}</h1>{body}{footer}</div></body></html>",
        lang = locale.code(),
        title = escape_html(title),
    )
}

fn text_frame(locale: Locale, title: &str, paragraphs: &[String], link: Option<&str>) -> String {
    let mut text = format!("{title}\n\n");
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some(link) = link {
        text.push_str(link);
        text.push_str("\n\n");
    }
    text.push_str("-- \n");
    text.push_str(&locale.t("mail-footer"));
    text.push('\n');
    text
}

/// The e-mail with a link to choose a new password.
pub fn password_reset(
    locale: Locale,
    to: &str,
    name: &str,
    link: &str,
    hours: i64,
) -> OutgoingEmail {
    let title = locale.t("mail-reset-subject");
    let paragraphs = vec![
        locale.t_args("mail-greeting", &[("name", name.to_owned())]),
        locale.t_args("mail-reset-body", &[("hours", hours.to_string())]),
        locale.t("mail-reset-ignore"),
    ];
    OutgoingEmail {
        to: to.to_owned(),
        subject: title.clone(),
        text: text_frame(locale, &title, &paragraphs, Some(link)),
        html: html_frame(
            locale,
            &title,
            &paragraphs,
            Some((&locale.t("mail-reset-button"), link)),
        ),
        kind: "password_reset",
    }
}

/// The e-mail to a new account holder, with a link to choose a first password.
pub fn account_created(
    locale: Locale,
    to: &str,
    name: &str,
    role_key: &str,
    link: &str,
    hours: i64,
) -> OutgoingEmail {
    let title = locale.t("mail-welcome-subject");
    let paragraphs = vec![
        locale.t_args("mail-greeting", &[("name", name.to_owned())]),
        locale.t_args("mail-welcome-body", &[("role", locale.t(role_key))]),
        locale.t_args("mail-welcome-link", &[("hours", hours.to_string())]),
    ];
    OutgoingEmail {
        to: to.to_owned(),
        subject: title.clone(),
        text: text_frame(locale, &title, &paragraphs, Some(link)),
        html: html_frame(
            locale,
            &title,
            &paragraphs,
            Some((&locale.t("mail-welcome-button"), link)),
        ),
        kind: "account_created",
    }
}

/// Who is invited where, and by whom: what an invitation e-mail says.
#[derive(Debug, Clone, Copy)]
pub struct Invitation<'a> {
    /// The invited person's address.
    pub to: &'a str,
    /// Their name.
    pub name: &'a str,
    /// The coordinator who invites.
    pub inviter: &'a str,
    /// The ring.
    pub ring_name: &'a str,
    /// The invited person's firm.
    pub firm_name: &'a str,
}

/// The invitation of a person at a firm into a ring, with the link to accept.
pub fn ring_invitation(
    locale: Locale,
    invitation: Invitation<'_>,
    link: &str,
    days: i64,
) -> OutgoingEmail {
    let Invitation {
        to,
        name,
        inviter,
        ring_name,
        firm_name,
    } = invitation;
    let title = locale.t_args("mail-invitation-subject", &[("ring", ring_name.to_owned())]);
    let paragraphs = vec![
        locale.t_args("mail-greeting", &[("name", name.to_owned())]),
        locale.t_args(
            "mail-invitation-body",
            &[
                ("inviter", inviter.to_owned()),
                ("ring", ring_name.to_owned()),
                ("firm", firm_name.to_owned()),
            ],
        ),
        locale.t("mail-invitation-about"),
        locale.t_args("mail-invitation-link", &[("days", days.to_string())]),
    ];
    OutgoingEmail {
        to: to.to_owned(),
        subject: title.clone(),
        text: text_frame(locale, &title, &paragraphs, Some(link)),
        html: html_frame(
            locale,
            &title,
            &paragraphs,
            Some((&locale.t("mail-invitation-button"), link)),
        ),
        kind: "ring_invitation",
    }
}

fn simple(
    locale: Locale,
    to: &str,
    title: String,
    paragraphs: Vec<String>,
    button: (&str, &str),
    kind: &'static str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: to.to_owned(),
        subject: title.clone(),
        text: text_frame(locale, &title, &paragraphs, Some(button.1)),
        html: html_frame(locale, &title, &paragraphs, Some(button)),
        kind,
    }
}

/// Reminds the coordinator who recorded a consent that it expires soon. Names no
/// candidate: the link leads to the consent page, behind the login.
pub fn consent_expiring(
    to: &str,
    locale: &str,
    expires_on: chrono::NaiveDate,
    link: &str,
) -> OutgoingEmail {
    let locale = Locale::parse(locale).unwrap_or_default();
    simple(
        locale,
        to,
        locale.t("mail-consent-expiring-subject"),
        vec![locale.t_args(
            "mail-consent-expiring-body",
            &[("date", locale.date(expires_on))],
        )],
        (&locale.t("mail-consent-expiring-button"), link),
        "consent_expiring",
    )
}

/// Tells the coordinator who released a profile that a firm is interested. Names the
/// pseudonym and the firm, never the candidate.
pub fn interest_received(
    to: &str,
    locale: &str,
    pseudonym: &str,
    firm: &str,
    link: &str,
) -> OutgoingEmail {
    let locale = Locale::parse(locale).unwrap_or_default();
    simple(
        locale,
        to,
        locale.t_args("mail-interest-subject", &[("code", pseudonym.to_owned())]),
        vec![locale.t_args(
            "mail-interest-body",
            &[("code", pseudonym.to_owned()), ("firm", firm.to_owned())],
        )],
        (&locale.t("mail-interest-button"), link),
        "interest",
    )
}

/// Tells the employer who asked that a meeting about a profile is arranged. Names the
/// pseudonym, time and place, never the candidate.
pub fn meeting_arranged(
    to: &str,
    locale: &str,
    pseudonym: &str,
    at: chrono::DateTime<chrono::Utc>,
    place: &str,
    link: &str,
) -> OutgoingEmail {
    let locale = Locale::parse(locale).unwrap_or_default();
    simple(
        locale,
        to,
        locale.t_args("mail-meeting-subject", &[("code", pseudonym.to_owned())]),
        vec![locale.t_args(
            "mail-meeting-body",
            &[
                ("code", pseudonym.to_owned()),
                ("when", locale.datetime(at)),
                ("place", place.to_owned()),
            ],
        )],
        (&locale.t("mail-meeting-button"), link),
        "meeting",
    )
}

/// Asks an employer to answer, for their firm, whether it commits internship places
/// and jobs to a job track. Names the track and the firm; the track holds no candidate
/// data before the firm confirms, and none is ever in an e-mail.
pub fn track_commitment_asked(
    to: &str,
    locale: &str,
    track: &str,
    firm: &str,
    internships: i32,
    jobs: i32,
    link: &str,
) -> OutgoingEmail {
    let locale = Locale::parse(locale).unwrap_or_default();
    simple(
        locale,
        to,
        locale.t_args("mail-track-subject", &[("track", track.to_owned())]),
        vec![locale.t_args(
            "mail-track-body",
            &[
                ("track", track.to_owned()),
                ("firm", firm.to_owned()),
                ("internships", internships.to_string()),
                ("jobs", jobs.to_string()),
            ],
        )],
        (&locale.t("mail-track-button"), link),
        "track",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_mail_in_swedish_has_both_bodies_and_escapes_the_name() {
        let mail = password_reset(
            Locale::Sv,
            "a@b.se",
            "<script>alert(1)</script> Åsa",
            "http://x/aterstall-losenord?token=abc",
            2,
        );
        assert_eq!(mail.subject, "Välj ett nytt lösenord för Broar");
        assert!(
            mail.html
                .contains("Hej &lt;script&gt;alert(1)&lt;/script&gt; Åsa!")
        );
        assert!(!mail.html.contains("<script>"));
        assert!(
            mail.text.contains("Hej <script>alert(1)</script> Åsa!"),
            "plain text is not escaped"
        );
        assert!(mail.text.contains("http://x/aterstall-losenord?token=abc"));
        assert!(
            mail.html
                .contains(r#"href="http://x/aterstall-losenord?token=abc""#)
        );
        assert!(mail.text.contains("2 timmar"));
    }

    #[test]
    fn an_invitation_names_ring_firm_and_inviter_and_escapes_them() {
        let mail = ring_invitation(
            Locale::Sv,
            Invitation {
                to: "anna@firma.test",
                name: "Anna",
                inviter: "Samir Haddad",
                ring_name: "Bygg & <b>Fastighet</b>",
                firm_name: "Ekholms Bygg",
            },
            "http://x/inbjudan?token=t",
            14,
        );
        assert_eq!(mail.kind, "ring_invitation");
        assert!(mail.subject.contains("Bygg & <b>Fastighet</b>"));
        assert!(
            mail.html
                .contains("Bygg &amp; &lt;b&gt;Fastighet&lt;/b&gt;")
        );
        assert!(!mail.html.contains("<b>Fastighet"));
        assert!(mail.text.contains("Samir Haddad"));
        assert!(mail.text.contains("Ekholms Bygg"));
        assert!(mail.text.contains("14 dagar"));
        assert!(mail.text.contains("http://x/inbjudan?token=t"));
    }

    #[test]
    fn a_welcome_mail_in_english_names_the_role() {
        let mail = account_created(
            Locale::En,
            "a@b.se",
            "Omar",
            "role-coordinator",
            "http://x/l",
            72,
        );
        assert_eq!(mail.subject, "Your Broar account");
        assert!(mail.text.contains("as a coordinator"));
        assert!(mail.html.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    }

    #[test]
    fn a_track_question_names_the_track_and_the_numbers_escaped_in_either_language() {
        let mail = track_commitment_asked(
            "leila@omsorg.test",
            "en",
            "Nurses <i>spring</i>",
            "Storvik & Co",
            3,
            1,
            "http://x/jobbspar/7",
        );
        assert_eq!(mail.kind, "track");
        assert_eq!(
            mail.subject,
            "Job track Nurses <i>spring</i>: will you take part?"
        );
        assert!(
            mail.html.contains("Nurses &lt;i&gt;spring&lt;/i&gt;")
                && !mail.html.contains("<i>spring")
        );
        assert!(mail.html.contains("Storvik &amp; Co"));
        assert!(mail.text.contains("take 3 interns and hire 1"));
        assert!(mail.text.contains("http://x/jobbspar/7"));
        let sv = track_commitment_asked(
            "a@b.test",
            "sv",
            "Spår",
            "Firma",
            2,
            0,
            "http://x/jobbspar/7",
        );
        assert!(sv.text.contains("ta emot 2 praktikanter och anställa 0"));
    }
}
