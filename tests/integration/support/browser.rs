//! Clients of the in-process app: [`Browser`] keeps cookies and the CSRF token like a browser,
//! [`Api`] sends JSON with a bearer token.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::Value;

/// An in-process client that keeps cookies like a browser and reads CSRF tokens from pages.
pub struct Browser {
    pub app: axum::Router,
    cookies: std::collections::BTreeMap<String, String>,
    pub csrf: Option<String>,
}

/// What the app answered, with the body read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The `field` of each error in a 422 answer, in order.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors in {}", self.body))
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect()
    }
}

impl Browser {
    pub fn new(app: axum::Router) -> Self {
        Self {
            app,
            cookies: Default::default(),
            csrf: None,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&String> {
        self.cookies.get(name)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.into(), value.into());
    }

    pub async fn send(&mut self, request: Request<Body>) -> Reply {
        use tower::ServiceExt as _;
        let mut request = request;
        if !self.cookies.is_empty() {
            let header = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert("cookie", header.parse().unwrap());
        }
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (name, cookie_value) = pair.split_once('=').unwrap();
            if value.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies
                    .insert(name.to_owned(), cookie_value.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = body
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            self.csrf = Some(token.to_owned());
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A GET as htmx sends it (`HX-Request: true`).
    pub async fn get_htmx(&mut self, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header("hx-request", "true")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Posts a form with this browser's CSRF token (fetch a page first).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf.clone().expect("load a page with a form first");
        let mut pairs: Vec<(&str, &str)> = fields.to_vec();
        pairs.push(("_csrf", &token));
        self.post_raw(path, &encode_form(&pairs)).await
    }

    /// Loads `page` (for its CSRF token), then posts the form to `path`.
    pub async fn submit(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.get(page).await;
        self.post_form(path, fields).await
    }

    pub async fn post_raw(&mut self, path: &str, body: &str) -> Reply {
        let request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(request).await
    }
}

pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                k,
                gachi_web::pages::encode_query(v).replace('/', "%2F")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An API request with a bearer token and an optional JSON body.
pub fn api_request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    match body {
        Some(json) => builder
            .header("content-type", "application/json")
            .body(Body::from(json.to_string()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

/// A JSON API client holding one bearer token (or none, for public endpoints).
pub struct Api {
    client: Browser,
    token: Option<String>,
}

impl Api {
    pub fn new(app: axum::Router, token: Option<String>) -> Self {
        Self {
            client: Browser::new(app),
            token,
        }
    }

    /// The bearer token (for requests built by hand, e.g. a photo upload).
    pub fn token(&self) -> &str {
        self.token.as_deref().expect("an API client with a token")
    }

    /// A request with this client's token, to change before sending.
    pub fn request(&self, method: &str, path: &str, body: Option<Value>) -> Request<Body> {
        api_request(method, path, self.token.as_deref(), body)
    }

    pub async fn send(&mut self, request: Request<Body>) -> Reply {
        self.client.send(request).await
    }

    pub async fn call(&mut self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let request = self.request(method, path, body);
        self.send(request).await
    }

    /// A call asking for answers in `language` (`Accept-Language`).
    pub async fn call_in(
        &mut self,
        language: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.request(method, path, body);
        request
            .headers_mut()
            .insert("accept-language", language.parse().unwrap());
        self.send(request).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.call("GET", path, None).await
    }

    pub async fn post(&mut self, path: &str, body: Value) -> Reply {
        self.call("POST", path, Some(body)).await
    }

    /// A POST without a body (the validate and submit actions).
    pub async fn post_empty(&mut self, path: &str) -> Reply {
        self.call("POST", path, None).await
    }

    pub async fn put(&mut self, path: &str, body: Value) -> Reply {
        self.call("PUT", path, Some(body)).await
    }

    pub async fn patch(&mut self, path: &str, body: Value) -> Reply {
        self.call("PATCH", path, Some(body)).await
    }

    pub async fn delete(&mut self, path: &str) -> Reply {
        self.call("DELETE", path, None).await
    }

    /// Uploads `bytes` as a photo to `path` (as sent from gachi.test:8080).
    pub async fn upload(&mut self, path: &str, bytes: Vec<u8>, content_type: &str) -> Reply {
        let request = super::media::upload(path, self.token(), bytes, content_type);
        self.send(request).await
    }
}
