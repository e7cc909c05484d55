//! `ledger-verify BUNDLE [--trusted-checkpoint FILE] [--key VKEY]…`: checks a Mandate export bundle offline.
//!
//! Exit status: 0 when the bundle verifies, 1 when it does not (the first problem is printed), 2 for a usage
//! error or an unreadable file.

use ledger::{VerifierKey, verify_bundle};
use std::io::BufReader;
use std::process::ExitCode;

const USAGE: &str = "usage: ledger-verify BUNDLE [--trusted-checkpoint FILE] [--key VKEY]...

Verifies a Mandate ledger export bundle without network or database.
  --trusted-checkpoint FILE  a signed checkpoint you kept earlier; the bundle must extend it
  --key VKEY                 a verifier key you trust (name+keyid+base64); repeat for several";

struct Args {
    bundle: String,
    trusted: Option<String>,
    keys: Vec<VerifierKey>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut bundle, mut trusted, mut keys) = (None, None, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--trusted-checkpoint" => {
                let path = args.next().ok_or("--trusted-checkpoint needs a file")?;
                let note = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
                trusted = Some(note);
            }
            "--key" => {
                let text = args.next().ok_or("--key needs a verifier key")?;
                keys.push(VerifierKey::parse(&text).map_err(|e| format!("--key {text}: {e}"))?);
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path if bundle.is_none() => bundle = Some(path.to_string()),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    Ok(Args { bundle: bundle.ok_or("no bundle given")?, trusted, keys })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("ledger-verify: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let file = match std::fs::File::open(&args.bundle) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("ledger-verify: cannot open {}: {e}", args.bundle);
            return ExitCode::from(2);
        }
    };
    let keys = (!args.keys.is_empty()).then_some(args.keys.as_slice());
    match verify_bundle(BufReader::new(file), args.trusted.as_deref(), keys) {
        Ok(report) => {
            println!("{report}");
            println!("VERIFIED: {}", args.bundle);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("FAILED: {}: {e}", args.bundle);
            ExitCode::from(1)
        }
    }
}
