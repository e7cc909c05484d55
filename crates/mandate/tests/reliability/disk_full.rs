//! Disk full: `mandate serve` runs on a small tmpfs that a filler file then fills. Writes fail with 507 and a
//! message a person can act on, reads keep working, nothing is half-written, and writes resume once the filler
//! is deleted, without a restart.

use crate::server::{Install, Server, text};
use crate::store::{self, Answer, assert_subset};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount_tmpfs(dir: &Path) -> Result<Mount, String> {
    if !crate::pg::is_root() {
        return Err("mounting a tmpfs needs root".into());
    }
    let mount = Command::new("mount").args(["-t", "tmpfs", "-o", "size=12m", "tmpfs"]).arg(dir).output().unwrap();
    if !mount.status.success() {
        return Err(format!("mount -t tmpfs was refused: {}", text(&mount.stderr).trim()));
    }
    Ok(Mount(dir.to_path_buf()))
}

/// Writes a file until the disk refuses more; returns its size.
fn fill(path: &Path) -> u64 {
    let mut file = std::fs::File::create(path).unwrap();
    let mut size = 0;
    for chunk in [1 << 20, 4096, 512] {
        let block = vec![0x5a_u8; chunk];
        while file.write_all(&block).and_then(|()| file.sync_data()).is_ok() {
            size += chunk as u64;
        }
    }
    size
}

/// Sends writes of every kind until each kind has been refused `times` times; every answer must be a 201 or
/// a 507. Returns the refusals.
async fn writes_until_refused(
    server: &Server,
    token: &str,
    objective: i64,
    times: usize,
    seen: &mut Seen,
) -> Vec<Answer> {
    let mut refusals = Vec::new();
    for kind in ["obj", "mea", "evi"] {
        let mut refused = 0;
        for n in 0.. {
            assert!(n < 2000, "{kind}: the full disk never refused a write");
            let tag = format!("{kind}-full-{n}");
            seen.attempted.insert(tag.clone());
            let answer = store::write(server, token, objective, &tag).await.expect("the server answers");
            match answer.status {
                201 => {
                    seen.acknowledged.insert(tag);
                }
                507 => {
                    refusals.push(answer);
                    refused += 1;
                    if refused == times {
                        break;
                    }
                }
                other => panic!("{tag}: a write on a full disk was answered {other}, not 507: {}", answer.body),
            }
        }
    }
    refusals
}

#[derive(Default)]
struct Seen {
    attempted: BTreeSet<String>,
    acknowledged: BTreeSet<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_with_507_and_recovers_without_a_restart() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let _mount = match mount_tmpfs(dir.path()) {
        Ok(mount) => mount,
        Err(why) => {
            println!("SKIPPED: the disk-full test did not run: {why}");
            return;
        }
    };
    let install = Install::new(dir.path(), None);
    let token = install.set_up();
    let server = install.serve().await;
    let mut seen = Seen::default();
    let seed = store::write(&server, &token, 0, "obj-seed").await.unwrap();
    assert_eq!(seed.status, 201, "{}", seed.body);
    seen.attempted.insert("obj-seed".into());
    seen.acknowledged.insert("obj-seed".into());
    let objective: i64 = serde_json::from_str::<serde_json::Value>(&seed.body).unwrap()["id"].as_i64().unwrap();

    // A token first used while the disk is full: recording its use cannot be written, the read must still work.
    let reader = install.cli(&["token", "create", "--org", crate::server::ORG, "--email", "admin@acme.test"]);
    let reader = text(&reader.stdout).lines().last().unwrap().trim().to_string();

    let filler = dir.path().join("filler");
    let filled = fill(&filler);
    let refusals = writes_until_refused(&server, &token, objective, 4, &mut seen).await;
    for answer in &refusals {
        let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(body["error"]["code"], "insufficient_storage", "{}", answer.body);
        assert!(body["error"]["message"].as_str().unwrap().contains("disk is full"), "{}", answer.body);
    }
    // Reads keep working: lists, a record, the ledger, an evidence file.
    for path in
        ["/api/v1/objectives", &format!("/api/v1/objectives/{objective}"), "/api/v1/ledger/events", "/api/v1/evidence"]
    {
        let reply = server.http.get(server.url(path)).bearer_auth(&reader).send().await.unwrap();
        assert_eq!(reply.status(), 200, "GET {path} on a full disk: {}", reply.text().await.unwrap());
    }
    assert_subset(&store::stored(&install).await, &seen.attempted, "stored while the disk was full");

    std::fs::remove_file(&filler).unwrap();
    // More writes than the pool has connections, so every connection a refused write used is reused.
    for n in 0..12 {
        let tag = format!("{}-freed-{n}", store::kind_of(n));
        seen.attempted.insert(tag.clone());
        let answer = store::write(&server, &token, objective, &tag).await.unwrap();
        assert_eq!(answer.status, 201, "{tag} after space returned: {}", answer.body);
        seen.acknowledged.insert(tag);
    }
    assert!(server.alive(), "the server kept running");
    let stored = store::stored(&install).await;
    assert_subset(&seen.acknowledged, &stored, "acknowledged but not stored");
    assert_subset(&stored, &seen.attempted, "stored but never attempted");
    let out = tempfile::tempdir().unwrap();
    install.export_and_verify(out.path());
    drop(server);
    println!(
        "disk full: filler of {} KiB; {} writes attempted, {} acknowledged, {} refused with 507, in {:.1} s",
        filled / 1024,
        seen.attempted.len(),
        seen.acknowledged.len(),
        refusals.len(),
        started.elapsed().as_secs_f64()
    );
}
