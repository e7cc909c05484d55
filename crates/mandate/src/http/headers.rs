//! Layers every response passes through: a request id, security headers, and the opaque 500 body.

use super::AppState;
use super::error::{InternalDetail, html_error, json_error};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The id of one request, in logs, in ledger events and in the `x-request-id` response header.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<RequestId>().cloned().unwrap_or_else(|| RequestId("none".into())))
    }
}

const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Adds the security headers; everything but the stylesheet is `no-store`, since pages and API answers are
/// personal.
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

/// Gives each request an id, logs internal errors once with it, and writes the opaque 500 body. Panics in
/// handlers become the same opaque 500.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = crate::secret::new_token("")[..16].to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    let next = std::panic::AssertUnwindSafe(next.run(request));
    let mut response = match futures_util::FutureExt::catch_unwind(next).await {
        Ok(response) => response,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            let mut response = axum::response::IntoResponse::into_response(StatusCode::INTERNAL_SERVER_ERROR);
            response.extensions_mut().insert(InternalDetail(format!("panic: {detail}")));
            response
        }
    };
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR {
        let detail = response.extensions().get::<InternalDetail>().map(|d| d.0.clone());
        tracing::error!(request_id = %id, %method, path, detail = detail.as_deref().unwrap_or("-"), "internal error");
        let message = format!(
            "Something went wrong on our side and nothing was changed. The error was logged with request id {id}; quote it when you report the problem."
        );
        response = if path.starts_with("/api/") {
            json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &message)
        } else {
            html_error(StatusCode::INTERNAL_SERVER_ERROR, &message)
        };
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    response
}
