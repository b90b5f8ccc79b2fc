//! JSON request bodies. Any JSON of the wrong shape is a 422 naming the field path that is wrong
//! (`notice.fields.geneticallyModified`, `options[0].values`), translated like every field error;
//! a body that is not JSON at all is a 400 with a translated message — never serde's own text.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use gachi_domain::{FieldError, ValidationErrors};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiErrorKind};
use crate::i18n::Tr;

/// Why a JSON body was refused, before it is translated for the caller.
#[derive(Debug)]
pub enum JsonBodyError {
    /// Not JSON at all (or not readable as a body).
    Syntax,
    /// JSON, but a value has the wrong type or a required member is missing, at this path.
    Shape { path: String },
}

impl JsonBodyError {
    /// The API error in the caller's language.
    pub fn into_api(self, t: Tr) -> ApiError {
        match self {
            JsonBodyError::Syntax => {
                ApiError::new(t, ApiErrorKind::BadRequest(t.get("error-json-syntax")))
            }
            JsonBodyError::Shape { path } => ApiError::new(
                t,
                ApiErrorKind::Validation(ValidationErrors(vec![FieldError::new(
                    &path,
                    "error-json-shape",
                )])),
            ),
        }
    }
}

/// Handlers take `Result<AppJson<T>, JsonBodyError>` and translate with the caller's language
/// (`json_body`); this answer, in Korean, serves only a handler that takes `AppJson<T>` bare.
impl axum::response::IntoResponse for JsonBodyError {
    fn into_response(self) -> axum::response::Response {
        self.into_api(Tr(gachi_domain::accounts::Locale::Ko))
            .into_response()
    }
}

/// A body read as `T`, or the field path that does not fit.
pub struct AppJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AppJson<T> {
    type Rejection = JsonBodyError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| JsonBodyError::Syntax)?;
        from_slice(&bytes).map(AppJson)
    }
}

/// Reads `bytes` as JSON of type `T`, naming the path of a value of the wrong shape. Every
/// body the API reads is a JSON object: serde would also read a struct from a list of its
/// members in order (`[true, false]`), which no client means, so a body of any other kind is
/// refused as a whole.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonBodyError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| JsonBodyError::Syntax)?;
    if !value.is_object() {
        return Err(JsonBodyError::Shape {
            path: String::new(),
        });
    }
    from_value(value)
}

/// Reads a parsed JSON value as `T`, naming the path of a value of the wrong shape.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, JsonBodyError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = e.path().to_string();
        if path == "." {
            // The whole body: its own type is wrong, or it lacks a member.
            path.clear();
        }
        // serde names a missing member only in its message: ``missing field `sku` ``.
        let message = e.inner().to_string();
        if let Some(member) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(member);
        }
        JsonBodyError::Shape { path }
    })
}

/// The body of a handler that takes `Result<AppJson<T>, JsonBodyError>`, or its API error.
pub fn json_body<T>(t: Tr, body: Result<AppJson<T>, JsonBodyError>) -> Result<T, ApiError> {
    body.map(|AppJson(body)| body).map_err(|e| e.into_api(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Inner,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        values: Vec<String>,
    }

    fn path_of(json: &str) -> String {
        match from_slice::<Outer>(json.as_bytes()) {
            Err(JsonBodyError::Shape { path }) => path,
            other => panic!("expected a shape error, got {other:?}"),
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_by_its_path() {
        assert_eq!(path_of(r#"{"name": 5, "inner": {"values": []}}"#), "name");
        assert_eq!(
            path_of(r#"{"name": "a", "inner": {"values": ["x", 3]}}"#),
            "inner.values[1]"
        );
        assert_eq!(path_of(r#"{"name": "a"}"#), "inner");
        assert_eq!(path_of(r#"{"name": "a", "inner": {}}"#), "inner.values");
        assert_eq!(path_of("5"), "");
    }

    #[test]
    fn text_that_is_not_json_is_a_syntax_error() {
        assert!(matches!(
            from_slice::<Outer>(b"{name"),
            Err(JsonBodyError::Syntax)
        ));
        assert!(from_slice::<Outer>(br#"{"name": "a", "inner": {"values": ["x"]}}"#).is_ok());
    }
}
