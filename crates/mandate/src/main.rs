//! The `mandate` binary: parse the command line and hand over to the library.

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MANDATE_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    // Only ring is linked; TLS clients (S3 evidence storage) need it installed as the process default.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = mandate::cli::Cli::parse();
    match mandate::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
