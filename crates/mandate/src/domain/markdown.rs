//! Policy text is written in Markdown and shown as HTML. The HTML is sanitised (ammonia's allow-list of tags,
//! attributes and URL schemes), so a policy can never carry script into the pages of the people who read it.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown (tables, strikethrough, task lists) to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_html() {
        let html = render("# Access control\n\nStaff **must** lock screens.\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<h1>Access control</h1>"), "{html}");
        assert!(html.contains("<strong>must</strong>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn script_and_dangerous_urls_are_removed() {
        let html = render("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }
}
