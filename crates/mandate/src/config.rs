//! Settings shared by the server and the commands, read from flags or `MANDATE_*` environment variables.

use clap::Args;
use std::path::PathBuf;

/// Where an installation keeps its data. Every command that touches stored data takes these.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Directory for the SQLite database, the signing key and evidence files.
    #[arg(long, env = "MANDATE_DATA_DIR", default_value = "./mandate-data")]
    pub data_dir: PathBuf,
    /// Database to use instead of the SQLite file in the data directory: `postgres://…` or `sqlite:…`.
    #[arg(long, env = "MANDATE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where evidence bytes are stored: `s3://BUCKET?endpoint=URL&region=R`; the data directory when unset.
    #[arg(long, env = "MANDATE_BLOB_URL")]
    pub blob_url: Option<String>,
    /// Sign a ledger checkpoint after this many events in an organisation's log.
    #[arg(long, env = "MANDATE_CHECKPOINT_EVERY_EVENTS", default_value_t = 1000)]
    pub checkpoint_every_events: i64,
    /// Sign a ledger checkpoint of a log that grew at least this often (minutes).
    #[arg(long, env = "MANDATE_CHECKPOINT_EVERY_MINUTES", default_value_t = 60)]
    pub checkpoint_every_minutes: i64,
}

/// Settings of the web server.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MANDATE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// The address people use to reach Mandate, e.g. `https://isms.example.org`. An `https` address turns on
    /// secure cookies and HSTS (set it when a TLS proxy sits in front). Defaults to `http://` + the listen address.
    #[arg(long, env = "MANDATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Minutes without activity after which a browser session ends.
    #[arg(long, env = "MANDATE_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,
    /// Hours after sign-in after which a browser session ends regardless of activity.
    #[arg(long, env = "MANDATE_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    #[arg(long, env = "MANDATE_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Largest evidence file accepted, in MiB.
    #[arg(long, env = "MANDATE_MAX_UPLOAD_MB", default_value_t = 100)]
    pub max_upload_mb: u64,
}

/// The server's settings after checking, as handlers see them.
#[derive(Debug, Clone)]
pub struct Config {
    /// Scheme, host and port people use, without a trailing slash.
    pub public_origin: String,
    /// Cookies carry `Secure` and the `__Host-` prefix; responses carry HSTS.
    pub secure: bool,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    pub trust_forwarded_for: bool,
    /// Largest evidence file accepted, in bytes.
    pub max_upload_bytes: u64,
}

impl Config {
    pub fn from_args(args: &ServerArgs) -> anyhow::Result<Self> {
        let public = match &args.public_url {
            Some(url) => url.clone(),
            None => format!("http://{}", args.listen),
        };
        let url = url::Url::parse(&public).map_err(|e| anyhow::anyhow!("--public-url '{public}' is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            anyhow::bail!("--public-url '{public}' must be an http:// or https:// address with a host");
        }
        anyhow::ensure!(
            args.session_idle_minutes > 0 && args.session_absolute_hours > 0,
            "session timeouts must be positive"
        );
        Ok(Self {
            public_origin: url.origin().ascii_serialization(),
            secure: url.scheme() == "https",
            session_idle_seconds: args.session_idle_minutes * 60,
            session_absolute_seconds: args.session_absolute_hours * 3600,
            trust_forwarded_for: args.trust_forwarded_for,
            max_upload_bytes: args.max_upload_mb * 1024 * 1024,
        })
    }

    /// Settings for tests: plain http on a fixed origin.
    pub fn for_tests() -> Self {
        Self {
            public_origin: "http://mandate.test".into(),
            secure: false,
            session_idle_seconds: 30 * 60,
            session_absolute_seconds: 12 * 3600,
            trust_forwarded_for: false,
            max_upload_bytes: 100 * 1024 * 1024,
        }
    }
}
