//! The `mandate` command line: one file per subcommand, each with its options and `run`.

pub mod demo;
pub mod export;
pub mod init;
pub mod rotate_key;
pub mod scrub;
pub mod serve;
pub mod token;
pub mod user;
pub mod verify;

use clap::{Parser, Subcommand};

/// Mandate: an ISMS platform that shows top management's real involvement, with a tamper-evident record.
#[derive(Debug, Parser)]
#[command(name = "mandate", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (pages, JSON API).
    Serve(serve::Opts),
    /// Create an organisation and its first administrator.
    Init(init::Opts),
    /// Manage people in an organisation.
    User(user::Opts),
    /// Manage API bearer tokens.
    Token(token::Opts),
    /// Write an organisation's auditor bundle: its ledger events, signed checkpoints and key history.
    Export(export::Opts),
    /// Verify an auditor bundle offline; exits non-zero naming the first problem.
    Verify(verify::Opts),
    /// Re-hash every stored evidence file; exits non-zero if any is damaged or missing.
    Scrub(scrub::Opts),
    /// Replace the ledger signing key (an event in every log); stop the servers first.
    RotateKey(rotate_key::Opts),
    /// Demo and benchmark data.
    Demo(demo::Opts),
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(opts) => serve::run(opts).await,
        Command::Init(opts) => init::run(opts).await,
        Command::User(opts) => user::run(opts).await,
        Command::Token(opts) => token::run(opts).await,
        Command::Export(opts) => export::run(opts).await,
        Command::Verify(opts) => verify::run(opts).await,
        Command::Scrub(opts) => scrub::run(opts).await,
        Command::RotateKey(opts) => rotate_key::run(opts).await,
        Command::Demo(opts) => demo::run(opts).await,
    }
}

/// Reads a secret from an environment variable, or asks for it on the terminal.
pub fn secret_from_env_or_prompt(var: &str, prompt: &str) -> anyhow::Result<Option<String>> {
    if let Ok(value) = std::env::var(var) {
        return Ok(Some(value));
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let value = rpassword::prompt_password(prompt)?;
        return Ok(Some(value).filter(|v| !v.is_empty()));
    }
    Ok(None)
}

/// Opens an installation for a command: its database and its ledger writer (creating the signing key on first
/// use).
pub async fn open(store: &crate::config::StoreArgs) -> anyhow::Result<(crate::db::Db, crate::journal::Journal)> {
    let db = crate::db::Db::open(&store.data_dir, store.database_url.as_deref()).await?;
    let journal = crate::journal::Journal::new(
        crate::signing_key::load_or_create(&store.data_dir)?,
        store.checkpoint_every_events,
    );
    journal.register_key(&db, crate::clock::Clock::now(&crate::clock::SystemClock)).await.map_err(fail)?;
    Ok((db, journal))
}

/// A command-line context for changes.
pub fn cli_ctx<'a>(db: &'a crate::db::Db, journal: &'a crate::journal::Journal) -> crate::context::Ctx<'a> {
    crate::context::Ctx {
        db,
        journal,
        actor: crate::journal::Actor::cli(),
        now: crate::clock::Clock::now(&crate::clock::SystemClock),
    }
}

/// Turns an operation error into a message for the terminal.
pub fn fail(error: crate::error::AppError) -> anyhow::Error {
    match error {
        crate::error::AppError::Internal(e) => e,
        other => anyhow::anyhow!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
