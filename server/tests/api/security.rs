//! Cross-site requests and security headers.

use app::auth::model::Role;

use crate::{
    db_test,
    helpers::{TestApp, new_client},
};

db_test! {
    async fn a_cross_site_post_to_a_server_function_or_a_form_route_is_refused(app: TestApp) {
        let (email, password) = app.account(Role::Employer).await;
        let res = app
            .client
            .post(format!("{}/api/auth/login", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(crate::helpers::encode(&[("email", &email), ("password", &password)]))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 403);
        assert_eq!(app.count("sessions").await, 0);
        let res = app
            .client
            .post(format!("{}/lang", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "https://evil.example")
            .body("lang=en&next=/")
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 403);
        let res = app
            .client
            .post(format!("{}/api/accessibility/feedback", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body("email=a%40b.se&page=&message=hej")
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 200, "the same site is welcome");
    }
}

db_test! {
    async fn a_form_posted_without_javascript_by_a_logged_in_browser_needs_its_token(app: TestApp) {
        let (email, password) = app.account(Role::Admin).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let page = app.get("/admin/konton").await.text().await.expect("body");
        let token = page
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a csrf field in the page")
            .to_owned();
        assert_eq!(token.len(), 64);
        let form = [("name", "Ny Person"), ("email", "ny@ekdala.test"), ("role", "coordinator")];
        let without = app.post_plain_form("/api/admin/accounts/create", "/admin/konton", &form).await;
        assert_eq!(without.status(), 403);
        let mut with_wrong: Vec<(&str, &str)> = form.to_vec();
        with_wrong.push(("csrf", "00"));
        assert_eq!(app.post_plain_form("/api/admin/accounts/create", "/admin/konton", &with_wrong).await.status(), 403);
        assert_eq!(app.count("users").await, 1, "nothing was created");
        let mut with: Vec<(&str, &str)> = form.to_vec();
        with.push(("csrf", &token));
        let res = app.post_plain_form("/api/admin/accounts/create", "/admin/konton", &with).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(res.headers()["location"], "/admin/konton?skapat=1");
        assert_eq!(app.count("users").await, 2);
    }
}

db_test! {
    async fn the_browser_bundle_has_hashed_names_kept_a_year_and_is_sent_compressed(app: TestApp) {
        // The page links the bundle by the names build-site gave it (a content hash each).
        let page = app.get("/").await.text().await.expect("page");
        let linked = |ext: &str| {
            let end = page.find(&format!(".{ext}\"")).unwrap_or_else(|| panic!("no .{ext} linked in {page}"));
            let start = page[..end].rfind("/pkg/broar.").expect("a /pkg/ link");
            format!("{}.{ext}", &page[start..end])
        };
        let (wasm, js, css) = (linked("wasm"), linked("js"), linked("css"));
        for path in [&wasm, &js, &css] {
            assert!(app::assets::is_hashed_path(path), "{path} is hashed (scripts/build-site.sh ran)");
        }
        assert!(page.contains(&format!("import(\"{js}\")")), "the loader imports {js}");
        // reqwest is built without gzip decoding here: the body is what went over the wire.
        let client = reqwest::Client::new();
        let url = format!("{}{wasm}", app.address);
        let raw = client.get(&url).send().await.expect("wasm");
        assert_eq!(raw.status(), 200);
        assert_eq!(raw.headers()["cache-control"], "public, max-age=31536000, immutable");
        let raw_len = raw.bytes().await.expect("body").len();
        let zipped = client.get(&url).header("accept-encoding", "gzip").send().await.expect("wasm");
        assert_eq!(zipped.headers().get("content-encoding").map(|v| v.to_str().expect("ascii")), Some("gzip"));
        assert_eq!(zipped.headers()["cache-control"], "public, max-age=31536000, immutable");
        let zipped_len = zipped.bytes().await.expect("body").len();
        assert!(zipped_len * 2 < raw_len, "gzip {zipped_len} of {raw_len} bytes");
        // A browser that accepts brotli (every current one) gets the smaller copy.
        let brotli = client.get(&url).header("accept-encoding", "gzip, deflate, br").send().await.expect("wasm");
        assert_eq!(brotli.headers().get("content-encoding").map(|v| v.to_str().expect("ascii")), Some("br"), "scripts/install.sh --for-tests installs brotli");
        let brotli_len = brotli.bytes().await.expect("body").len();
        assert!(brotli_len < zipped_len, "brotli {brotli_len}, gzip {zipped_len} bytes");
        let style = client.get(format!("{}{css}", app.address)).send().await.expect("css");
        assert_eq!(style.status(), 200);
        assert!(style.headers()["content-type"].to_str().expect("ascii").starts_with("text/css"));
        // A name that is not there is not kept: a 404 is asked for again.
        let missing = client.get(format!("{}/pkg/broar.0000000000000000.wasm", app.address)).send().await.expect("404");
        assert_eq!(missing.status(), 404);
        assert_eq!(missing.headers()["cache-control"], "no-cache");
        // A file without a hash (the icon) keeps its name from build to build: checked each time.
        let icon = client.get(format!("{}/favicon.svg", app.address)).send().await.expect("icon");
        assert_eq!(icon.status(), 200);
        assert_eq!(icon.headers()["cache-control"], "no-cache");
    }
}

db_test! {
    async fn security_headers_are_on_pages_errors_static_files_and_server_functions(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        let login = app.login(&email, &password).await;
        let mut responses = vec![("server fn", login)];
        responses.push(("page", app.get("/").await));
        responses.push(("404", app.get("/finns-inte").await));
        responses.push(("static", app.get("/favicon.svg").await));
        responses.push(("health", app.get("/healthz").await));
        responses.push(("server fn error", app.post_form("/api/admin/accounts", &[]).await));
        for (what, res) in &responses {
            let h = res.headers();
            let csp = h.get("content-security-policy").map(|v| v.to_str().expect("ascii")).unwrap_or_default();
            assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP {csp}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
            assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{what}");
            assert!(h.get("strict-transport-security").is_none(), "{what}: no HSTS on plain http");
        }
        let page = &responses[1].1;
        assert_eq!(page.headers()["cache-control"], "no-store", "a logged-in page is not cached");
        let csp = page.headers()["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("'nonce-"), "the page's CSP allows its own inline script only: {csp}");
        assert_eq!(responses[3].1.status(), 200, "the static file exists (scripts/build-site.sh ran)");
    }
}

/// Sends only the head of a POST whose `Content-Length` is `length`, and returns the
/// head of the answer. The server must answer from the head alone: a client that is
/// still writing a body the server will not read cannot then lose the answer.
async fn head_for_announced_body(app: &TestApp, path: &str, accept: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: {accept}\r\nReferer: {}/tillganglighet\r\nCookie: broar_lang=en\r\nContent-Length: {length}\r\n\r\n",
        app.address
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf))
        .await
        .expect("an answer before the body")
        .expect("read");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

db_test! {
    async fn a_request_body_over_the_limit_is_refused_in_the_persons_language_not_a_500(app: TestApp) {
        let over = 2 * 1024 * 1024;
        let answer = head_for_announced_body(&app, "/api/accessibility/feedback", "application/json", over).await;
        assert!(answer.starts_with("HTTP/1.1 413 Payload Too Large"), "{answer}");
        assert!(answer.contains("TooLarge"), "the error as the client reads it: {answer}");
        // A form posted without JavaScript goes back to its page with the error.
        let answer = head_for_announced_body(&app, "/api/accessibility/feedback", "text/html", over).await;
        assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
        let location = answer.lines().find_map(|l| l.strip_prefix("location: ")).unwrap_or_default().to_owned();
        assert!(location.contains("/tillganglighet?") && location.contains("__err="), "{answer}");
        let page = new_client().get(&location).header("cookie", "broar_lang=en").send().await.expect("page");
        let text = page.text().await.expect("body");
        assert!(text.contains("too large to be accepted"), "the page says why, in English");
        // A page in the person's language (English here, by their cookie).
        let answer = head_for_announced_body(&app, "/logga-in", "text/html", over).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("too large to be accepted"), "{answer}");
        let small = app.post_form("/api/accessibility/feedback", &[("email", "a@b.se"), ("page", ""), ("message", "kort")]).await;
        assert_eq!(small.status(), 200, "under the limit is fine");
        assert_eq!(app.count("accessibility_reports").await, 1);
    }
}

db_test! {
    async fn a_nul_in_a_field_names_the_field_and_a_plain_form_keeps_the_text(app: TestApp) {
        // With JavaScript: a field error like any other.
        let res = app.post_form("/api/accessibility/feedback", &[("email", "a@b.se"), ("page", ""), ("message", "hej\0där")]).await;
        assert_eq!(res.status(), 422);
        let error: app::error::AppError = res.json().await.expect("json");
        assert_eq!(error, app::error::AppError::field("message", "field-nul"));
        // Without JavaScript: back to the page, the error at the field, the text kept.
        let browser = new_client();
        let res = browser
            .post(format!("{}/api/accessibility/feedback", app.address))
            .header("accept", "text/html")
            .header("referer", format!("{}/tillganglighet", app.address))
            .form(&[("email", "a@b.se"), ("page", ""), ("message", "Knappen saknar text\0 på sidan")])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 303, "back to the page");
        let location = res.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.starts_with(&format!("{}/tillganglighet?", app.address)), "{location}");
        let page = browser.get(&location).send().await.expect("page").text().await.expect("page");
        assert!(page.contains("Knappen saknar text på sidan"), "what was typed is there again");
        assert!(page.contains("osynligt nolltecken"), "the field's error, in Swedish");
        assert_eq!(app.count("accessibility_reports").await, 0);
    }
}

db_test! {
    async fn a_name_that_closes_the_title_element_stays_text_in_the_page_title(app: TestApp) {
        let coordinator = app.client_as(Role::Coordinator).await;
        let name = "Firma </title><script>alert('xss')</script> & Co";
        let orgnr = crate::fixtures::org_number();
        let res = app
            .post_as(&coordinator, "/api/firms/create", &[
                ("name", name), ("org_number", &orgnr), ("employees", "12"), ("sni_section", "F"),
                ("address", ""), ("municipality_id", ""), ("contact_name", ""), ("contact_email", ""), ("contact_phone", ""),
            ])
            .await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("the firm's id");
        let page = coordinator
            .get(format!("{}/foretag/{id}", app.address))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("body");
        let title = page
            .split("<title>")
            .nth(1)
            .and_then(|rest| rest.split("</title>").next())
            .expect("a title element");
        assert_eq!(title, "Firma &lt;/title&gt;&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; &amp; Co – Broar");
        assert!(!page.contains("<script>alert"), "no script from the name anywhere in the page");
    }
}

db_test! {
    async fn a_form_refused_twice_without_javascript_keeps_one_error_in_the_address(app: TestApp) {
        // The second post comes from the page the first refusal led to, whose address
        // already carries `__err` and `__path`; the form's own page is the way back.
        let browser = new_client();
        let mut referer = format!("{}/tillganglighet", app.address);
        for round in 0..3 {
            let res = browser
                .post(format!("{}/api/accessibility/feedback", app.address))
                .header("accept", "text/html")
                .header("referer", &referer)
                .form(&[("email", "inte en adress"), ("page", ""), ("message", "Fokus syns inte."), ("__back", "/tillganglighet")])
                .send()
                .await
                .expect("post");
            assert!(res.status().is_redirection(), "{}", res.status());
            let location = res.headers()["location"].to_str().expect("ascii").to_owned();
            assert_eq!(location.matches("__err=").count(), 1, "round {round}: {location}");
            assert_eq!(location.matches("__path=").count(), 1, "round {round}: {location}");
            referer = location;
        }
    }
}

db_test! {
    async fn a_refused_plain_form_without_a_referer_goes_back_to_its_page_with_the_text(app: TestApp) {
        // Some browsers and extensions send no Referer; the form names its page itself.
        let browser = new_client();
        let res = browser
            .post(format!("{}/api/accessibility/feedback", app.address))
            .header("accept", "text/html")
            .form(&[("email", "inte en adress"), ("page", ""), ("message", "Menyn går inte att nå med tangentbordet."), ("__back", "/tillganglighet")])
            .send()
            .await
            .expect("post");
        assert!(res.status().is_redirection(), "{}", res.status());
        let location = res.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.starts_with(&format!("{}/tillganglighet?", app.address)), "{location}");
        let page = browser.get(&location).send().await.expect("page").text().await.expect("page");
        assert!(page.contains("Menyn går inte att nå med tangentbordet."), "what was typed is kept");
        assert!(page.contains("Ange en e-postadress"), "the field's error is shown");
        // A way back that leaves the portal is not followed.
        let res = new_client()
            .post(format!("{}/api/accessibility/feedback", app.address))
            .header("accept", "text/html")
            .form(&[("email", "x"), ("page", ""), ("message", "m"), ("__back", "//evil.example/")])
            .send()
            .await
            .expect("post");
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(!location.contains("evil.example"), "{location}");
    }
}
