//! The write load and what the database holds afterwards. Every write carries a unique tag (an objective's
//! statement, a measurement's note, an evidence file's title), so what was attempted, acknowledged and stored
//! can be compared as sets.

use crate::server::{BOUNDARY, Install, Server, evidence_upload, measurement, objective};
use mandate::db::Db;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Tags of the writes of one kind, by the tag's first letters.
pub fn kind_of(n: u64) -> &'static str {
    ["obj", "mea", "evi"][(n % 3) as usize]
}

/// The answer to one write: its status and body, or `None` when no answer came (connection refused or cut).
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// Sends one write tagged `tag` (its kind read from the tag's prefix); `objective` is where measurements go.
pub async fn write(server: &Server, token: &str, objective_id: i64, tag: &str) -> Option<Answer> {
    let http = &server.http;
    let request = match &tag[..3] {
        "obj" => http
            .post(server.url("/api/v1/objectives"))
            .header("content-type", "application/json")
            .body(objective(tag).to_string()),
        "mea" => http
            .post(server.url(&format!("/api/v1/objectives/{objective_id}/measurements")))
            .header("content-type", "application/json")
            .body(measurement(tag).to_string()),
        _ => http
            .post(server.url("/api/v1/evidence"))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(evidence_upload(tag)),
    };
    let reply = request.bearer_auth(token).send().await.ok()?;
    let status = reply.status().as_u16();
    let body = reply.text().await.ok()?;
    Some(Answer { status, body })
}

/// A read through the API: the status and body of listing objectives.
pub async fn read(server: &Server, token: &str) -> Option<(u16, String)> {
    let reply = server.http.get(server.url("/api/v1/objectives")).bearer_auth(token).send().await.ok()?;
    let status = reply.status().as_u16();
    Some((status, reply.text().await.ok()?))
}

const RECORDS: &str = "select 'objective', cast(id as text), statement, '' from objective \
     union all select 'measurement', cast(id as text), note, '' from measurement \
     union all select 'evidence', cast(id as text), title, sha256 from evidence";
const EVENTS: &str = "select object_type, object_id, '' from ledger_event where action = 'create'";

/// Runs `RECORDS` and `EVENTS` in one read transaction (one snapshot), every column cast to text.
macro_rules! snapshot {
    ($pool:expr, $isolation:expr) => {{
        let mut tx = $pool.begin().await.unwrap();
        if let Some(isolation) = $isolation {
            sqlx::query(isolation).execute(&mut *tx).await.unwrap();
        }
        let mut both = Vec::new();
        for sql in [RECORDS, EVENTS] {
            let rows = sqlx::query(sql).fetch_all(&mut *tx).await.unwrap();
            both.push(rows.iter().map(|r| (0..r.len()).map(|i| r.get::<String, _>(i)).collect()).collect());
        }
        tx.rollback().await.unwrap();
        both
    }};
}

async fn records_and_events(db: &Db) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let mut both: Vec<Vec<Vec<String>>> = match db {
        Db::Sqlite(pool, _) => snapshot!(pool, None::<&'static str>),
        Db::Postgres(pool) => snapshot!(pool, Some("set transaction isolation level repeatable read")),
    };
    let events = both.pop().unwrap();
    (both.pop().unwrap(), events)
}

/// The tags of every write the database holds. Panics when anything is half there: a record without its
/// ledger event, an event naming a missing record, or an evidence row whose file is missing or altered.
pub async fn stored(install: &Install) -> BTreeSet<String> {
    let db = Db::open(&install.dir, install.database_url.as_deref()).await.unwrap();
    let (records, events) = records_and_events(&db).await;
    let events: BTreeSet<(String, String)> = events.into_iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    db.close().await;

    let mut by_key = BTreeMap::new();
    let mut tags = BTreeSet::new();
    for r in &records {
        let key = (r[0].clone(), r[1].clone());
        assert!(events.contains(&key), "{} {} ('{}') is stored without its ledger event", r[0], r[1], r[2]);
        if r[0] == "evidence" {
            let path = install.dir.join("blobs").join(&r[3][..2]).join(&r[3][2..]);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("evidence {} ('{}') has no file at {}: {e}", r[1], r[2], path.display()));
            assert_eq!(hex::encode(Sha256::digest(&bytes)), r[3], "evidence {} file does not match its hash", r[1]);
        }
        by_key.insert(key, r[2].clone());
        tags.insert(r[2].clone());
    }
    for (object_type, id) in &events {
        if ["objective", "measurement", "evidence"].contains(&object_type.as_str()) {
            assert!(
                by_key.contains_key(&(object_type.clone(), id.clone())),
                "ledger event for missing {object_type} {id}"
            );
        }
    }
    tags
}

/// Panics naming the first tag of `small` missing from `large`.
pub fn assert_subset(small: &BTreeSet<String>, large: &BTreeSet<String>, what: &str) {
    if let Some(missing) = small.difference(large).next() {
        panic!("{what}: '{missing}' is missing ({} of {} missing)", small.difference(large).count(), small.len());
    }
}
