//! Evidence uploaded through the form's real file input is listed with its SHA-256.

use crate::journey::Journey;
use mandate::domain::role::Role;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn uploaded_evidence_is_listed_with_its_sha256() {
    let Some(mut j) = Journey::start("evidence").await else { return };
    let content = b"date,room,result\n2026-11-20,server room,door locked\n";
    let file = j.data_dir().join("door-check.csv");
    std::fs::write(&file, content).unwrap();
    let sha = hex::encode(Sha256::digest(content));

    j.sign_in(Role::IsmsManager).await;
    j.follow("Evidence").await;
    j.expect_text("0 files").await;
    j.attach("File", &file).await;
    j.fill(&[("Title", "Server room door check")]).await;
    j.press("Upload").await;
    j.expect_notice("The evidence was stored and recorded in the ledger.").await;
    j.expect_text(&sha).await;

    j.follow("Evidence").await;
    j.expect_text("1 file").await;
    j.expect_text("Server room door check").await;
    j.expect_text("door-check.csv").await;
    j.expect_text(&format!("{}…", &sha[..12])).await;
    j.finish().await;
}
