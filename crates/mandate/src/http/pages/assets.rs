//! The health check and the stylesheet.

use axum::http::header;
use axum::response::IntoResponse;

/// `GET /healthz`: the process is up and answering.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /static/style.css`, compiled into the binary (no front-end build step).
pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../static/style.css"),
    )
}
