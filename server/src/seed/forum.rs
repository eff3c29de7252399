//! Demo discussions: threads and replies in each ring, one pinned.

use app::db::Db;

/// Demo threads: (ring, pinned, title, [(author index into `people`, days ago, text)]).
type ThreadSeed = (
    usize,
    bool,
    &'static str,
    &'static [(usize, i64, &'static str)],
);

const THREADS: &[ThreadSeed] = &[
    (
        1,
        false,
        "Språkstöd på arbetsplatsen",
        &[
            (
                1,
                20,
                "Vi har två nya undersköterskor som läser sfi på kvällarna. Hur gör ni med **språkstöd** under arbetsdagen? Vi har provat bildstöd i dokumentationen.",
            ),
            (
                3,
                18,
                "Vi har ett *språkombud* på varje avdelning: en kollega som har fått en kort utbildning och tar de svåra samtalen. Det har hjälpt mycket.\n\nKommunen har material: [Språkombud i vård och omsorg](https://www.socialstyrelsen.se).",
            ),
            (
                5,
                17,
                "Språkombud kan ingå i den korta utbildningen vi erbjuder ringen. Jag tar med det till nästa träff.",
            ),
            (
                3,
                2,
                "Nu har två hos oss gått utbildningen till språkombud. Hör av er om ni vill komma och se hur vi gör.",
            ),
        ],
    ),
    (
        0,
        false,
        "Första veckorna på praktiken",
        &[
            (
                0,
                30,
                "Vår lärling började i måndags. Tips till er andra: gå igenom skyddsutrustningen **första dagen** och låt handledaren ha tid avsatt i schemat.",
            ),
            (
                4,
                29,
                "Bra! Glöm inte att stämma av med mig efter två veckor, så följer vi upp handlingsplanen tillsammans.",
            ),
        ],
    ),
    (
        2,
        false,
        "Mentorskap – hur gör ni?",
        &[
            (
                2,
                4,
                "Vi är bara sex anställda. Har någon fått mentorskap att fungera i ett litet företag?\n\n- Vem blir mentor?\n- Hur mycket tid?",
            ),
            // Written today: a daily digest of the demo has news to show.
            (
                4,
                0,
                "Flera små företag i ringen delar på en mentor från ett större. Vi tar upp det på nästa ringträff.",
            ),
        ],
    ),
    (
        2,
        true,
        "Praktiska tips: scheman, arbetskläder och körkort",
        &[(
            4,
            40,
            "Samlade tips från ringträffarna:\n\n1. Skicka schemat en vecka i förväg.\n2. Arbetskläder första dagen.\n3. Körkort: kommunen kan hjälpa med teori på lätt svenska.",
        )],
    ),
];

/// Believable discussions in each ring.
pub(super) async fn demo(db: &Db, ring_ids: &[i32], people: &[i32]) -> anyhow::Result<()> {
    use app::forum::entity::{post, thread};
    use chrono::{Duration, Utc};
    use sea_orm::{ActiveModelTrait, Set};

    let now = Utc::now();
    for (ring, pinned, title, posts) in THREADS {
        let started = now - Duration::days(posts.first().map_or(0, |p| p.1));
        let last = now - Duration::days(posts.last().map_or(0, |p| p.1));
        let t = thread::ActiveModel {
            ring_id: Set(ring_ids[*ring]),
            need_id: Set(None),
            title: Set((*title).to_owned()),
            author_id: Set(people[posts.first().map_or(4, |p| p.0)]),
            pinned: Set(*pinned),
            locked_at: Set(None),
            created_at: Set(started),
            last_activity_at: Set(last),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (author, days, text) in posts.iter() {
            post::ActiveModel {
                thread_id: Set(t.id),
                author_id: Set(people[*author]),
                body: Set((*text).to_owned()),
                created_at: Set(now - Duration::days(*days)),
                edited_at: Set(None),
                deleted_at: Set(None),
                hidden_at: Set(None),
                hidden_by: Set(None),
                hidden_reason: Set(String::new()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    println!("  discussion threads: {}", THREADS.len());
    Ok(())
}
