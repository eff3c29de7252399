//! Ring discussions through the HTTP API: sanitising, the personal-data guard,
//! unread markers, editing and deleting, and the coordinators' moderation.

use app::{
    auth::model::Role,
    forum::{PostState, ThreadList, ThreadView, render::markup},
};

use crate::{db_test, helpers::TestApp};

/// The payload list, one per record (records are separated by a `----` line).
pub const PAYLOADS: &str = include_str!("xss-payloads.txt");

fn payloads() -> Vec<&'static str> {
    PAYLOADS
        .split("\n----\n")
        .map(|p| p.trim_end_matches('\n'))
        .filter(|p| !p.is_empty())
        .collect()
}

/// What must never be in a post's markup: script, embedding, styling, event handlers
/// and dangerous URL schemes.
fn dangerous(html: &str) -> Option<String> {
    let m = markup(html);
    for banned in [
        "<script",
        "<img",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<style",
        "<link",
        "<meta",
        "<base",
        "<form",
        "<input",
        "<button",
        "<textarea",
        "<select",
        "<video",
        "<audio",
        "<math",
        "<template",
        "style=",
        "javascript:",
        "vbscript:",
        "data:",
        "srcdoc",
        "id=",
        "class=",
        "target=",
    ] {
        if m.contains(banned) {
            return Some(banned.to_owned());
        }
    }
    // An event handler attribute: " on" + letters + "=".
    let bytes = m.as_bytes();
    for i in 0..bytes.len().saturating_sub(3) {
        if bytes[i] == b' ' && bytes[i + 1] == b'o' && bytes[i + 2] == b'n' {
            let rest = &m[i + 3..];
            let name: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
            if !name.is_empty() && rest[name.len()..].starts_with('=') {
                return Some(format!("on{name}="));
            }
        }
    }
    None
}

async fn thread(client: &reqwest::Client, app: &TestApp, id: i32, page: u64) -> ThreadView {
    app.post_as(
        client,
        "/api/forum/thread",
        &[("thread_id", &id.to_string()), ("page", &page.to_string())],
    )
    .await
    .json()
    .await
    .expect("a thread")
}

#[test]
fn the_payload_list_has_at_least_a_hundred_entries_and_the_check_catches_them_raw() {
    let list = payloads();
    assert!(list.len() >= 100, "{} payloads", list.len());
    // The check itself: unsanitised, most payloads are caught.
    let caught = list.iter().filter(|p| dangerous(p).is_some()).count();
    assert!(caught >= 80, "the check catches {caught} raw payloads");
}

db_test! {
    async fn no_xss_payload_survives_posting_editing_or_preview(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let thread_id = fixture.thread.to_string();
        let list = payloads();
        let mut ids = Vec::new();
        for p in &list {
            let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", p), ("confirm_personal", "on")]).await;
            assert_eq!(res.status(), 200, "reply with {p:?}");
            ids.push(res.json::<app::forum::Replied>().await.expect("id").id);
            let preview: (String, Option<String>) = app.post_as(&member, "/api/forum/preview", &[("body", p)])
                .await.json().await.expect("preview");
            assert_eq!(dangerous(&preview.0), None, "preview of {p:?} gave {}", preview.0);
        }
        // Edit each post into the next payload: the edit path renders the same way.
        for (i, id) in ids.iter().enumerate() {
            let next = list[(i + 1) % list.len()];
            let res = app.post_as(&member, "/api/forum/edit", &[("post_id", &id.to_string()), ("body", next), ("confirm_personal", "on")]).await;
            assert_eq!(res.status(), 200, "edit to {next:?}");
        }
        let first = thread(&member, &app, fixture.thread, 1).await;
        let mut seen = 0;
        for page in 1..=first.pages {
            for p in thread(&member, &app, fixture.thread, page).await.posts {
                let html = p.html.expect("visible");
                assert_eq!(dangerous(&html), None, "post {} rendered as {html}", p.id);
                seen += 1;
            }
        }
        assert_eq!(seen, list.len() + 1, "every post was checked");
        // Text that looks like markup is shown as text, not dropped.
        let shown = thread(&member, &app, fixture.thread, 1).await.posts[1].html.clone().expect("html");
        assert!(shown.contains("&lt;") || shown.contains("alert"), "{shown}");
    }
}

db_test! {
    async fn personal_data_is_pointed_out_until_the_author_confirms(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let thread_id = fixture.thread.to_string();
        for text in ["Ring Amir på 070-123 45 67", "Hennes personnummer är 19900101-1234", "Mejla amir@example.se"] {
            let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", text)]).await;
            assert_eq!(res.status(), 422, "{text}");
            let err: app::error::AppError = res.json().await.expect("error");
            assert_eq!(err.field_errors().and_then(|f| f.get("body")), Some("field-personal-data"));
        }
        let res = app.post_as(&member, "/api/forum/create", &[
            ("ring_id", &fixture.ring_a.to_string()), ("title", "Praktikant 19900101-1234"), ("body", "Hej"), ("need_id", ""),
        ]).await;
        assert_eq!(res.status(), 422, "the title is checked too");
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Ring växeln 013-20 00 00"), ("confirm_personal", "on")]).await;
        assert_eq!(res.status(), 200, "confirmed");
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Vi tog emot 3 praktikanter i 12 veckor.")]).await;
        assert_eq!(res.status(), 200, "ordinary numbers pass");
        // The preview warns before posting, in the reader's words (the island that shows
        // it carries no message bundle); ordinary text gets no warning.
        let preview: (String, Option<String>) = app.post_as(&member, "/api/forum/preview", &[("body", "Ring Amir på 070-123 45 67")])
            .await.json().await.expect("preview");
        let warning = preview.1.expect("a warning");
        assert!(warning.starts_with("Texten ser ut att innehålla: telefonnummer"), "{warning}");
        let preview: (String, Option<String>) = app.post_as(&member, "/api/forum/preview", &[("body", "Vi tog emot 3 praktikanter.")])
            .await.json().await.expect("preview");
        assert_eq!(preview.1, None);
    }
}

db_test! {
    async fn a_new_thread_is_unread_for_the_other_members_until_they_read_it(app: TestApp) {
        let fixture = app.rings().await;
        let (first, _) = app.employer_at(fixture.firm_a).await;
        let (second, _) = app.employer_at(fixture.firm_c).await;
        let ring = fixture.ring_a.to_string();
        let res = app.post_as(&first, "/api/forum/create", &[
            ("ring_id", &ring), ("title", "Språkstöd på arbetsplatsen"), ("body", "Hur gör ni?"), ("need_id", &fixture.need.to_string()),
        ]).await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("id");
        let list = |c: reqwest::Client| {
            let ring = ring.clone();
            let address = app.address.clone();
            async move {
                c.post(format!("{address}/api/forum/threads"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(crate::helpers::encode(&[("ring_id", &ring), ("page", "1")]))
                    .send().await.expect("sent").json::<ThreadList>().await.expect("json")
            }
        };
        let unread = |l: &ThreadList| l.threads.iter().find(|t| t.id == id).map(|t| t.unread);
        assert_eq!(unread(&list(first.clone()).await), Some(false), "the author has read it");
        let theirs = list(second.clone()).await;
        assert_eq!(unread(&theirs), Some(true));
        assert_eq!(theirs.threads[0].id, id, "newest activity first");
        assert_eq!(theirs.threads[0].need.as_ref().map(|n| n.0), Some(fixture.need));
        thread(&second, &app, id, 1).await;
        assert_eq!(unread(&list(second.clone()).await), Some(false));
        let res = app.post_as(&second, "/api/forum/reply", &[("thread_id", &id.to_string()), ("body", "Vi har en språkombud!")]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(unread(&list(first.clone()).await), Some(true), "a reply is news for the author");
        let view = thread(&first, &app, id, 1).await;
        assert_eq!(view.posts.len(), 2);
        assert_eq!(view.posts[1].organisation, "Firma C");
        assert_eq!(unread(&list(first).await), Some(false));
    }
}

db_test! {
    async fn authors_edit_and_delete_their_posts_and_coordinators_moderate(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let (other, _) = app.employer_at(fixture.firm_c).await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let thread_id = fixture.thread.to_string();
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Första versionen")]).await;
        let mine = res.json::<app::forum::Replied>().await.expect("id").id;
        let mine_s = mine.to_string();
        assert_eq!(app.post_as(&other, "/api/forum/edit", &[("post_id", &mine_s), ("body", "Kapat")]).await.status(), 403);
        assert_eq!(app.post_as(&member, "/api/forum/edit", &[("post_id", &mine_s), ("body", "Andra versionen")]).await.status(), 200);
        let draft: app::forum::PostDraft = app.post_as(&member, "/api/forum/post", &[("post_id", &mine_s)]).await.json().await.expect("json");
        assert_eq!(draft.body, "Andra versionen");
        assert_eq!(draft.revisions.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), vec!["Första versionen"]);

        // Hide: members see the reason only; the coordinator still sees the text.
        assert_eq!(app.post_as(&member, "/api/forum/hide", &[("post_id", &mine_s), ("reason", "x")]).await.status(), 403);
        let res = app.post_as(&coordinator, "/api/forum/hide", &[("post_id", &mine_s), ("reason", "")]).await;
        assert_eq!(res.status(), 422, "a reason is required");
        assert_eq!(app.post_as(&coordinator, "/api/forum/hide", &[("post_id", &mine_s), ("reason", "Namn på en deltagare")]).await.status(), 200);
        let seen = thread(&other, &app, fixture.thread, 1).await;
        let hidden = seen.posts.iter().find(|p| p.id == mine).expect("listed");
        assert_eq!(hidden.state, PostState::Hidden("Namn på en deltagare".into()));
        assert_eq!(hidden.html, None);
        let staff_view = thread(&coordinator, &app, fixture.thread, 1).await;
        assert!(staff_view.posts.iter().any(|p| p.id == mine && p.html.as_deref().is_some_and(|h| h.contains("Andra versionen"))));
        assert_eq!(app.post_as(&member, "/api/forum/edit", &[("post_id", &mine_s), ("body", "Igen")]).await.status(), 409);

        // Delete: a marker stays, the text and its versions are gone.
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Ångrar mig")]).await;
        let gone = res.json::<app::forum::Replied>().await.expect("id").id;
        assert_eq!(app.post_as(&other, "/api/forum/delete", &[("post_id", &gone.to_string())]).await.status(), 403);
        assert_eq!(app.post_as(&member, "/api/forum/delete", &[("post_id", &gone.to_string())]).await.status(), 200);
        let seen = thread(&other, &app, fixture.thread, 1).await;
        assert_eq!(seen.posts.iter().find(|p| p.id == gone).map(|p| p.state.clone()), Some(PostState::Deleted));

        // Lock and pin: only staff; a locked thread takes no member replies.
        assert_eq!(app.post_as(&member, "/api/forum/lock", &[("thread_id", &thread_id), ("locked", "true")]).await.status(), 403);
        assert_eq!(app.post_as(&coordinator, "/api/forum/lock", &[("thread_id", &thread_id), ("locked", "true")]).await.status(), 200);
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Hallå?")]).await;
        assert_eq!(res.status(), 409);
        assert_eq!(app.post_as(&coordinator, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Tråden är stängd.")]).await.status(), 200);
        let (second, _) = app.thread(fixture.ring_a, 1, "Äldre tråd").await;
        assert_eq!(app.post_as(&member, "/api/forum/pin", &[("thread_id", &second.to_string()), ("pinned", "true")]).await.status(), 403);
        assert_eq!(app.post_as(&coordinator, "/api/forum/pin", &[("thread_id", &second.to_string()), ("pinned", "true")]).await.status(), 200);
        let list: ThreadList = app.post_as(&member, "/api/forum/threads", &[("ring_id", &fixture.ring_a.to_string()), ("page", "1")])
            .await.json().await.expect("json");
        assert_eq!(list.threads[0].id, second, "pinned first");
        assert!(list.threads[0].pinned);
        assert!(list.threads.iter().any(|t| t.id == fixture.thread && t.locked));
    }
}

/// The value of the hidden field `name` in `html` (the first one).
fn hidden(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("a {name} field"))
        .to_owned()
}

db_test! {
    async fn a_reply_sent_twice_is_saved_once_with_or_without_javascript(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let thread_id = fixture.thread.to_string();
        let replies = |body: &'static str| {
            let app = &app;
            async move { app.count(&format!("posts WHERE body = '{body}'")).await }
        };
        // With JavaScript: the leptos client posts the form's fields, token included.
        // Eight presses at once and one more after: one reply, the same answer to all.
        let token = "js0123456789abcdef0123456789";
        let form = [("thread_id", thread_id.as_str()), ("body", "Vi har goda erfarenheter."), ("__once", token)];
        let answers = futures::future::join_all((0..8).map(|_| app.post_as(&member, "/api/forum/reply", &form))).await;
        let mut bodies = Vec::new();
        for res in answers {
            assert_eq!(res.status(), 200);
            bodies.push(res.text().await.expect("body"));
        }
        bodies.push(app.post_as(&member, "/api/forum/reply", &form).await.text().await.expect("body"));
        assert!(bodies.windows(2).all(|w| w[0] == w[1]), "one answer: {bodies:?}");
        assert_eq!(replies("Vi har goda erfarenheter.").await, 1);
        // A refused post frees its token: the corrected text is saved under it.
        let token = "js-refused-0123456789abcdef";
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", " "), ("__once", token)]).await;
        assert_eq!(res.status(), 422);
        let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Rättad text."), ("__once", token)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(replies("Rättad text.").await, 1);
        // Another person's post with the same token is their own.
        let (other, _) = app.employer_at(fixture.firm_c).await;
        let res = app.post_as(&other, "/api/forum/reply", &[("thread_id", &thread_id), ("body", "Vi har goda erfarenheter."), ("__once", "js0123456789abcdef0123456789")]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(replies("Vi har goda erfarenheter.").await, 2);
        // Without JavaScript: the page's form carries a token; the browser posts it twice.
        let page = member.get(format!("{}/diskussion/{thread_id}", app.address)).send().await.expect("page").text().await.expect("html");
        let (csrf, once) = (hidden(&page, "csrf"), hidden(&page, "__once"));
        assert!(once.len() >= 16, "{once}");
        let plain = || async {
            member
                .post(format!("{}/api/forum/reply", app.address))
                .header("accept", "text/html")
                .header("referer", format!("{}/diskussion/{thread_id}", app.address))
                .form(&[("thread_id", thread_id.as_str()), ("body", "Utan skript."), ("csrf", &csrf), ("__once", &once), ("__back", &format!("/diskussion/{thread_id}"))])
                .send()
                .await
                .expect("post")
        };
        let (first, second) = (plain().await, plain().await);
        assert!(first.status().is_redirection() && second.status() == first.status(), "{} {}", first.status(), second.status());
        assert_eq!(first.headers().get("location"), second.headers().get("location"));
        assert_eq!(replies("Utan skript.").await, 1);
        // A fresh page has a fresh token.
        let again = member.get(format!("{}/diskussion/{thread_id}", app.address)).send().await.expect("page").text().await.expect("html");
        assert_ne!(hidden(&again, "__once"), once);
    }
}

db_test! {
    async fn a_reply_says_which_page_it_is_on_so_the_page_can_show_it(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let thread_id = fixture.thread.to_string();
        let mut last = None;
        for n in 0..=app::forum::POSTS_PER_PAGE {
            let res = app.post_as(&member, "/api/forum/reply", &[("thread_id", &thread_id), ("body", &format!("Svar nummer {n}"))]).await;
            assert_eq!(res.status(), 200);
            last = Some(res.json::<app::forum::Replied>().await.expect("replied"));
        }
        // The opening post and 31 replies: the last reply is on page 2.
        let last = last.expect("a reply");
        assert_eq!(last.page, 2);
        let page: ThreadView = app.post_as(&member, "/api/forum/thread", &[("thread_id", &thread_id), ("page", "2")]).await.json().await.expect("thread");
        assert!(page.posts.iter().any(|p| p.id == last.id), "the reply is on the page it named");
        let first: ThreadView = app.post_as(&member, "/api/forum/thread", &[("thread_id", &thread_id), ("page", "1")]).await.json().await.expect("thread");
        assert!(first.posts.iter().all(|p| p.id != last.id));
    }
}
