//! The CSV importers on arbitrary bytes: every file is either parsed into rows and row errors or refused with a
//! message, never a panic. The first byte picks the importer; add an importer with one line in `IMPORTERS`.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// 2026-11-23, the "today" of importers that refuse dates in the future.
const TODAY: i64 = 1_795_392_000;

/// Each importer's parser, called on the file's bytes (the people import reads text).
const IMPORTERS: &[fn(&[u8])] = &[
    |bytes| drop(mandate::domain::people_import::parse(&String::from_utf8_lossy(bytes))),
    |bytes| drop(mandate::domain::phishing::gophish::parse(bytes)),
    |bytes| drop(mandate::domain::training::parse(bytes, TODAY)),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else { return };
    IMPORTERS[usize::from(pick) % IMPORTERS.len()](file);
});
