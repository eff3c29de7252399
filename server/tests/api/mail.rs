//! The outbox: delivery through a real SMTP server, retries, leases, two workers.

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
};

use app::mail::{OutgoingEmail, service::enqueue};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};
use server::{
    mailer::{Envelope, Mailer},
    outbox,
};

use crate::{
    db_test,
    helpers::TestApp,
    smtp::{SmtpServer, free_port, message_id},
};

const FROM: &str = "Broar <broar@ekdala.test>";

fn mail(n: usize) -> OutgoingEmail {
    OutgoingEmail {
        to: format!("mottagare{n}@ekdala.test"),
        subject: format!("Meddelande {n} – åäö"),
        text: format!("Text {n}"),
        html: format!("<p>Text {n}</p>"),
        kind: "test",
    }
}

async fn queue(app: &TestApp, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        ids.push(
            enqueue(&app.db, &mail(n), "ekdala.test")
                .await
                .expect("enqueued"),
        );
    }
    ids
}

async fn status_counts(app: &TestApp) -> (i64, i64, i64) {
    let backend = app.db.get_database_backend();
    let count = |status: &'static str| {
        let db = app.db.clone();
        async move {
            db.query_one_raw(Statement::from_sql_and_values(
                backend,
                app::ssr::sql(backend, "SELECT COUNT(*) AS n FROM outbox WHERE status = ?"),
                [status.into()],
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n")
        }
    };
    (
        count("pending").await,
        count("sent").await,
        count("failed").await,
    )
}

async fn make_all_due(app: &TestApp) {
    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            app::ssr::sql(
                backend,
                "UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'",
            ),
            [(Utc::now() - Duration::seconds(1)).into()],
        ))
        .await
        .expect("update");
}

db_test! {
    async fn mail_is_delivered_through_a_real_smtp_server_with_its_stable_message_id(app: TestApp) {
        let smtp = SmtpServer::start();
        let ids = queue(&app, 2).await;
        let mailer = Mailer::from_settings(Some(&smtp.url()), "unused".into(), 4).expect("mailer");
        let sent = outbox::drain(&app.db, &mailer, FROM, "w1", &app.digests).await.expect("drain");
        assert_eq!(sent, 2);
        let received = smtp.messages();
        assert_eq!(received.len(), 2);
        let got: BTreeSet<String> = received.iter().filter_map(|m| message_id(m)).collect();
        assert_eq!(got, ids.into_iter().collect::<BTreeSet<_>>());
        assert!(received.iter().any(|m| m.contains("multipart/alternative")));
        assert_eq!(status_counts(&app).await, (0, 2, 0));
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w1", &app.digests).await.expect("drain"), 0, "nothing twice");
    }
}

db_test! {
    async fn while_the_smtp_server_is_down_mail_waits_and_is_delivered_once_when_it_is_back(app: TestApp) {
        let mut smtp = SmtpServer::start();
        smtp.stop();
        let ids = queue(&app, 3).await;
        let mailer = Mailer::from_settings(Some(&smtp.url()), "unused".into(), 4).expect("mailer");
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w1", &app.digests).await.expect("drain"), 0);
        assert_eq!(status_counts(&app).await, (3, 0, 0), "kept, not dropped");
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w1", &app.digests).await.expect("drain"), 0, "backing off");
        make_all_due(&app).await;
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w1", &app.digests).await.expect("drain"), 0, "still down");
        smtp.resume();
        make_all_due(&app).await;
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w1", &app.digests).await.expect("drain"), 3);
        let got: Vec<String> = smtp.messages().iter().filter_map(|m| message_id(m)).collect();
        assert_eq!(got.len(), 3, "each exactly once");
        assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), ids.into_iter().collect::<BTreeSet<_>>());
        assert_eq!(status_counts(&app).await, (0, 3, 0));
    }
}

db_test! {
    async fn two_workers_on_one_database_never_send_a_message_twice(app: TestApp) {
        let ids = queue(&app, 40).await;
        let store = Arc::new(Mutex::new(Vec::<Envelope>::new()));
        let a = tokio::spawn({
            let (db, mailer, digests) = (app.db.clone(), Mailer::Memory(store.clone()), app.digests.clone());
            async move { outbox::drain(&db, &mailer, FROM, "worker-a", &digests).await }
        });
        let b = tokio::spawn({
            let (db, mailer, digests) = (app.db.clone(), Mailer::Memory(store.clone()), app.digests.clone());
            async move { outbox::drain(&db, &mailer, FROM, "worker-b", &digests).await }
        });
        let sent = a.await.expect("a").expect("drain a") + b.await.expect("b").expect("drain b");
        assert_eq!(sent, 40);
        let sent_ids: Vec<String> = store.lock().expect("lock").iter().map(|e| e.message_id.clone()).collect();
        let unique: BTreeSet<String> = sent_ids.iter().cloned().collect();
        assert_eq!(sent_ids.len(), unique.len(), "no message twice");
        assert_eq!(unique, ids.into_iter().collect::<BTreeSet<_>>());
    }
}

db_test! {
    async fn a_message_claimed_by_a_worker_that_died_is_sent_once_its_lease_runs_out(app: TestApp) {
        queue(&app, 1).await;
        let claimed = outbox::claim(&app.db, "died").await.expect("claim").expect("a message");
        // The claiming worker is gone: no send, no mark.
        let store = Arc::new(Mutex::new(Vec::<Envelope>::new()));
        let survivor = Mailer::Memory(store.clone());
        assert_eq!(outbox::drain(&app.db, &survivor, FROM, "survivor", &app.digests).await.expect("drain"), 0, "leased");
        let backend = app.db.get_database_backend();
        app.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                app::ssr::sql(backend, "UPDATE outbox SET lease_until = ?"),
                [(Utc::now() - Duration::seconds(1)).into()],
            ))
            .await
            .expect("expire the lease");
        assert_eq!(outbox::drain(&app.db, &survivor, FROM, "survivor", &app.digests).await.expect("drain"), 1);
        assert_eq!(store.lock().expect("lock")[0].message_id, claimed.envelope.message_id);
        // A late mark by the dead worker cannot undo or double the survivor's work.
        outbox::mark_failed(&app.db, &claimed, "died", "late", false).await.expect("mark");
        assert_eq!(status_counts(&app).await, (0, 1, 0));
    }
}

db_test! {
    async fn after_too_many_failures_a_message_is_marked_failed_and_shown_to_admins(app: TestApp) {
        queue(&app, 1).await;
        let nowhere = Mailer::from_settings(Some(&format!("smtp://127.0.0.1:{}", free_port())), "unused".into(), 4)
            .expect("mailer");
        for _ in 0..outbox::MAX_ATTEMPTS {
            make_all_due(&app).await;
            outbox::drain(&app.db, &nowhere, FROM, "w", &app.digests).await.expect("drain");
        }
        assert_eq!(status_counts(&app).await, (0, 0, 1));
        let admin = app.client_as(app::auth::model::Role::Admin).await;
        let failed: Vec<app::admin::FailedMail> = admin
            .post(format!("{}/api/admin/failed-mail", app.address))
            .header("accept", "application/json")
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].attempts, outbox::MAX_ATTEMPTS);
        assert!(!failed[0].last_error.is_empty());
    }
}

#[tokio::test]
async fn the_folder_backend_writes_one_file_per_message_even_when_retried() {
    {
        let dir = tempfile::tempdir().expect("dir");
        let mailer = Mailer::Folder(dir.path().to_path_buf());
        let envelope = Envelope {
            message_id: "<abc@ekdala.test>".into(),
            to: "a@ekdala.test".into(),
            subject: "Hej".into(),
            text: "Text".into(),
            html: "<p>Text</p>".into(),
            list_unsubscribe: None,
        };
        mailer.send(FROM, &envelope).await.expect("send");
        mailer.send(FROM, &envelope).await.expect("send again");
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .collect();
        assert_eq!(files.len(), 1);
        let raw = std::fs::read_to_string(files[0].path()).expect("read");
        assert_eq!(message_id(&raw).as_deref(), Some("<abc@ekdala.test>"));
    }
}
