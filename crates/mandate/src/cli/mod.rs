//! The `mandate` command line: one file per subcommand, each with its options and `run`.

pub mod init;
pub mod serve;
pub mod token;
pub mod user;

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
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(opts) => serve::run(opts).await,
        Command::Init(opts) => init::run(opts).await,
        Command::User(opts) => user::run(opts).await,
        Command::Token(opts) => token::run(opts).await,
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
