//! The Markdown renderer on arbitrary text: whatever a policy author writes, the HTML holds no `<script`, no
//! event-handler attribute and no link or source with a script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let html = mandate::domain::markdown::render(markdown);
    assert!(!html.to_ascii_lowercase().contains("<script"), "script element in {html:?}");
    for (tag, attributes) in tags(&html) {
        for (name, value) in attributes {
            assert!(!name.starts_with("on"), "event handler {name} on <{tag}> in {html:?}");
            // Browsers drop leading and trailing spaces and control characters, and tabs and newlines anywhere,
            // before reading a URL's scheme; a space inside the scheme makes it a relative URL.
            let url: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:text/html"] {
                assert!(!url.starts_with(scheme), "{scheme} URL in {name} of <{tag}> in {html:?}");
            }
        }
    }
});

/// Every start tag of serialised HTML with its attributes (names lower-cased, values as written between the
/// double quotes the serialiser always uses).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let tag = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
            let name = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix("=\"") {
                let close = after.find('"').unwrap_or(after.len());
                value = after[..close].replace("&amp;", "&");
                rest = &after[(close + 1).min(after.len())..];
            }
            attributes.push((name, value));
        }
        found.push((tag, attributes));
    }
    found
}
