//! Cookie names and attributes. With a secure (https) public address the names carry the `__Host-` prefix,
//! which browsers only accept with `Secure`, `Path=/` and no `Domain`.

use crate::config::Config;
use axum::http::{HeaderMap, HeaderValue, header};

/// The browser session cookie.
pub const SESSION: &str = "mandate_session";
/// The pre-session CSRF cookie that protects the sign-in and setup forms (double submit).
pub const FORM_CSRF: &str = "mandate_csrf";

/// The cookie's name as sent to browsers under this configuration.
pub fn name(config: &Config, base: &str) -> String {
    if config.secure { format!("__Host-{base}") } else { base.to_string() }
}

/// The value of a cookie from the request headers.
pub fn read(headers: &HeaderMap, config: &Config, base: &str) -> Option<String> {
    let wanted = name(config, base);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| cookie::Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == wanted)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when served over TLS; a session cookie
/// (no Max-Age) unless `max_age` is given.
pub fn set(config: &Config, base: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut cookie = cookie::Cookie::build((name(config, base), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(config.secure);
    if let Some(seconds) = max_age {
        cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
    }
    HeaderValue::from_str(&cookie.build().to_string()).expect("cookie values are URL-safe base64")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(config: &Config, base: &str) -> HeaderValue {
    set(config, base, "", Some(0))
}
