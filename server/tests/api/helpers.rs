//! `spawn_app()`: the real server on a random port against a fresh database, SQLite
//! always and PostgreSQL when `TEST_DATABASE_URL` is set (an admin URL such as
//! `postgres://postgres@127.0.0.1:5432/postgres`; each test gets its own database).

use app::db::Db;
use clap::Parser;
use sea_orm::{ConnectionTrait, Statement};
use server::{db, settings::Settings, startup};
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// A client that keeps cookies and does not follow redirects.
    pub client: reqwest::Client,
    /// The server's database, for arranging and checking.
    pub db: Db,
    /// Which database this is.
    pub backend: Backend,
    /// The database's URL (for processes started by a test).
    pub database_url: String,
    /// What the worker builds and checks digests with (this server's address and secret).
    pub digests: app::digests::service::DigestConfig,
    /// How many statements the server and the test have run on the database so far.
    pub statements: Arc<AtomicUsize>,
    _guard: DbGuard,
}

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    settings: Settings,
}

impl TestApp {
    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    /// POST a urlencoded form as the leptos client does (JavaScript on).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_as(&self.client, path, form).await
    }

    /// POST a urlencoded form as a browser without JavaScript does, from `referer`.
    pub async fn post_as(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(encode(form))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_plain_form(
        &self,
        path: &str,
        referer: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}{referer}", self.address))
            .body(encode(form))
            .send()
            .await
            .expect("request sent")
    }

    /// Runs one SQL statement (`?` placeholders) on the test's database.
    pub async fn exec(&self, text: &str, values: Vec<sea_orm::Value>) {
        let backend = self.db.get_database_backend();
        self.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                app::ssr::sql(backend, text),
                values,
            ))
            .await
            .unwrap_or_else(|e| panic!("{text}: {e}"));
    }

    /// Counts the rows of `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("a count")
    }
}

impl TestApp {
    /// An account with `role` and a known password; returns (e-mail, password).
    pub async fn account(&self, role: app::auth::model::Role) -> (String, String) {
        let email = format!("{}-{}@ekdala.test", role.as_str(), random_hex(4));
        let password = "bro över Stångån 1972".to_owned();
        app::auth::accounts::ensure_account(
            &self.db,
            "Testperson",
            &app::auth::model::Email::parse(&email).expect("valid"),
            role,
            &app::auth::model::NewPassword::parse(&password).expect("valid"),
        )
        .await
        .expect("account");
        (email, password)
    }

    /// Logs this client in (as the leptos client does).
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/api/auth/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A new client with its own cookies, logged in as a new account with `role`.
    pub async fn client_as(&self, role: app::auth::model::Role) -> reqwest::Client {
        let (email, password) = self.account(role).await;
        let client = new_client();
        let res = client
            .post(format!("{}/api/auth/login", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(encode(&[("email", &email), ("password", &password)]))
            .send()
            .await
            .expect("login sent");
        assert_eq!(res.status(), 200, "login as {role:?}");
        client
    }

    /// The logged-in user according to the server, for `client`.
    pub async fn me(&self, client: &reqwest::Client) -> Option<app::auth::SessionUser> {
        client
            .post(format!("{}/api/auth/me", self.address))
            .header("accept", "application/json")
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json")
    }

    /// The session cookie value set by `res`, if any.
    pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("broar_session=") && !v.contains("Max-Age=0"))
            .map(str::to_owned)
    }
}

/// The "field:message-key" pairs of a 422 answer (it fails the test if it is not one).
pub async fn field_errors(res: reqwest::Response) -> Vec<String> {
    assert_eq!(res.status(), 422, "a validation error");
    let err: app::error::AppError = res.json().await.expect("an error body");
    err.field_errors()
        .expect("field errors")
        .0
        .iter()
        .map(|(f, k)| format!("{f}:{k}"))
        .collect()
}

/// A form with some fields changed (or added).
pub fn with_changes(
    mut form: Vec<(&'static str, String)>,
    changes: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    for (k, v) in changes {
        match form.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = (*v).to_owned(),
            None => form.push((k, (*v).to_owned())),
        }
    }
    form
}

/// A client that keeps cookies and does not follow redirects.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        // A server that never answers fails the test instead of hanging the run.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Encodes a form body.
pub fn encode(form: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Starts the server on `backend`; `None` for PostgreSQL when it is not configured.
pub async fn try_spawn_app(backend: Backend) -> Option<TestApp> {
    try_spawn_app_with(backend, SpawnOptions::default()).await
}

/// Settings a test may change.
#[derive(Debug, Default, Clone, Copy)]
pub struct SpawnOptions {
    /// A public address with `https://` (the server still listens on plain http;
    /// only its cookies and headers change).
    pub https: bool,
    /// `BROAR_TRUSTED_PROXIES` ("" none).
    pub trusted_proxies: &'static str,
}

/// Like [`try_spawn_app`], with `options`.
pub async fn try_spawn_app_with(backend: Backend, options: SpawnOptions) -> Option<TestApp> {
    let https = options.https;
    let (url, guard) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/broar.sqlite?mode=rwc", dir.path().display());
            (url, DbGuard::Sqlite(dir))
        }
        Backend::Postgres => {
            let admin = std::env::var("TEST_DATABASE_URL").ok()?;
            let name = format!("broar_test_{}", random_hex(8));
            let conn = db::connect(&admin)
                .await
                .expect("connect to TEST_DATABASE_URL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the test database");
            drop(conn);
            let url = replace_db_name(&admin, &name);
            (url, DbGuard::Postgres { admin, name })
        }
    };
    let mut args = vec![
        "broar",
        "--database-url",
        &url,
        "--site-root",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
        "--log",
        "warn",
    ];
    if !options.trusted_proxies.is_empty() {
        args.extend(["--trusted-proxies", options.trusted_proxies]);
    }
    let wrapper = Wrapper::parse_from(args);
    let settings = wrapper.settings;
    let mut conn = db::connect(&settings.database_url).await.expect("connect");
    db::migrate(&conn).await.expect("migrate");
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    conn.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let secret = db::secret(&conn, None).await.expect("secret");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a random port");
    let address = format!("http://{}", listener.local_addr().expect("local addr"));
    let mut settings = settings;
    settings.base_url = Some(if https {
        address.replacen("http://", "https://", 1)
    } else {
        address.clone()
    });
    let digests = app::digests::service::DigestConfig {
        base_url: settings.base_url(),
        secret: app::ssr::Secret::new(secret.clone()),
        hour: settings.digest_hour(),
    };
    let router = startup::router(&settings, conn.clone(), secret, Default::default());
    tokio::spawn(async move {
        let _ = startup::serve(listener, router).await;
    });
    let client = new_client();
    Some(TestApp {
        address,
        client,
        db: conn,
        backend,
        database_url: settings.database_url.clone(),
        digests,
        statements,
        _guard: guard,
    })
}

pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Removes the test's database when the test ends.
enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { admin, name } = self {
            let (admin, name) = (admin.clone(), name.clone());
            // Drop runs inside the test's runtime; use a thread with its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let drop_db = async {
                    if let Ok(conn) = db::connect(&admin).await {
                        let _ = conn
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                    }
                };
                // A leftover test database is harmless; a hung test run is not.
                rt.block_on(async {
                    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), drop_db).await;
                });
            })
            .join();
        }
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident : TestApp) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::helpers::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let app = $crate::helpers::try_spawn_app($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                run(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                match $crate::helpers::try_spawn_app($crate::helpers::Backend::Postgres).await {
                    Some(app) => run(app).await,
                    None => eprintln!("skipped: set TEST_DATABASE_URL to run on PostgreSQL"),
                }
            }
        }
    };
}

/// Recomputes candidate `id`'s derived columns in a transaction of its own, as every
/// change to a candidate does in its own.
pub async fn refresh(db: &app::db::Db, id: i32) {
    use app::ssr::BeginWrite;
    let txn = db.begin_write().await.expect("begin");
    app::candidates::service::refresh(&txn, id)
        .await
        .expect("refresh");
    txn.commit().await.expect("commit");
}

#[cfg(test)]
mod tests {
    use super::replace_db_name;

    #[test]
    fn the_test_database_replaces_the_admin_database_in_the_url() {
        assert_eq!(
            replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_db_name("postgres://h/x?sslmode=disable", "t"),
            "postgres://h/t?sslmode=disable"
        );
    }
}
