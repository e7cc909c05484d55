//! Cross-site request forgery defences: a same-origin `Origin` (or `Sec-Fetch-Site`) and a token from the
//! form or the `x-csrf-token` header on every unsafe request that a browser's cookies could authenticate.

use crate::config::Config;
use axum::http::{HeaderMap, header};

/// Whether the request comes from a page of this site.
pub fn same_origin(headers: &HeaderMap, config: &Config) -> bool {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => {
            let origin = origin.trim_end_matches('/');
            if origin == config.public_origin {
                return true;
            }
            // The Host header names the server the browser is talking to; a cross-site page cannot set it.
            let scheme = if config.secure { "https" } else { "http" };
            headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|host| origin == format!("{scheme}://{host}"))
        }
        None => headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|site| site == "same-origin"),
    }
}

/// The token sent in the `x-csrf-token` header, if any.
pub fn header_token(headers: &HeaderMap) -> Option<String> {
    headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The `csrf_token` of the query string: multipart upload forms carry it in their action URL, since their
/// body streams to disk and is not read before the upload is accepted.
pub fn query_token(uri: &axum::http::Uri) -> Option<String> {
    form_token(uri.query()?.as_bytes())
}

/// The `csrf_token` field of a URL-encoded form body.
pub fn form_token(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body).find(|(key, _)| key == "csrf_token").map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn origin_must_match_public_origin_or_host() {
        let config = Config::for_tests();
        assert!(same_origin(&headers(&[("origin", "http://mandate.test")]), &config));
        assert!(same_origin(&headers(&[("origin", "http://10.0.0.5:8080"), ("host", "10.0.0.5:8080")]), &config));
        assert!(!same_origin(&headers(&[("origin", "http://evil.example"), ("host", "mandate.test")]), &config));
        assert!(!same_origin(&headers(&[("origin", "null")]), &config));
        assert!(!same_origin(&headers(&[]), &config));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), &config));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), &config));
    }

    #[test]
    fn finds_the_form_token() {
        assert_eq!(form_token(b"email=a%40b.c&csrf_token=abc%2B1"), Some("abc+1".into()));
        assert_eq!(form_token(b"email=x"), None);
    }
}
