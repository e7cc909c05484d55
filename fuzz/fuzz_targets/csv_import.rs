//! The CSV importers on arbitrary bytes: every file is either parsed into rows and row errors or refused with a
//! message, never a panic. The first byte picks the importer; add an importer with one line in `IMPORTERS`.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Each importer's parser, called on the file's text.
const IMPORTERS: &[fn(&str)] = &[|text| drop(mandate::domain::people_import::parse(text))];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(file);
    IMPORTERS[usize::from(pick) % IMPORTERS.len()](&text);
});
