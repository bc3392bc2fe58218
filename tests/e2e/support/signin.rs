//! Helpers for the sign-in flow: a web client and a user made through the
//! library, and a cookie-keeping HTTP client with redirects off that walks
//! authorize → login → consent → callback, asserting every `Location` and the
//! headers every HTML page must carry (SECURITY.md WEB-03, WEB-04).

use std::collections::HashMap;

use idp::domain::client::{AuthMethod, NewClient};
use idp::domain::tenant::Tenant;
use idp::domain::user::{NewUser, Profile};
use serde_json::Value;

use super::TestServer;
use super::oauth::{Auth, Creds};

/// Every test user's password.
pub const PASSWORD: &str = "correct horse battery staple";
/// The registered redirect URI of test web clients.
pub const CALLBACK: &str = "https://app.example.test/cb";
/// A PKCE verifier.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mJ0kzwmaxRkEDD98AWKZ9j7uINYK8Q";
/// S256 of [`VERIFIER`].
pub const CHALLENGE: &str = "X8BIt3_xr8h2gJF786Od1t2JXu07KQ78f1vbnMBBg9o";

/// A tenant with a default API, a confidential web client and a user.
pub struct WebSetup {
    pub tenant: Tenant,
    pub client: Creds,
    pub user_id: String,
    pub username: String,
}

impl TestServer {
    /// A web client of `tenant` authenticating with `method` (`None`: public),
    /// allowed `openid profile email address phone offline_access read write`,
    /// with `tweak` applied.
    pub async fn web_client(
        &self,
        tenant: &Tenant,
        method: AuthMethod,
        tweak: impl FnOnce(&mut NewClient),
    ) -> Creds {
        let mut new = NewClient::web(
            "Test <App>",
            method,
            &[CALLBACK],
            &[
                "profile",
                "email",
                "address",
                "phone",
                "offline_access",
                "read",
                "write",
            ],
        );
        tweak(&mut new);
        self.client(tenant, new).await
    }

    /// A user `username` with [`PASSWORD`] and a full profile; returns its id.
    pub async fn user(&self, tenant: &Tenant, username: &str) -> String {
        let new = NewUser {
            email: Some(format!("{username}@example.test")),
            email_verified: true,
            profile: Profile {
                name: Some(format!("{username} Tester")),
                given_name: Some(username.to_owned()),
                family_name: Some("Tester".to_owned()),
                locale: Some("en".to_owned()),
                phone_number: Some("+15555550100".to_owned()),
                address: Some("1 Test Street, Testville".to_owned()),
            },
            ..NewUser::with_password(username, PASSWORD)
        };
        idp::users::create(self.platform(), tenant.id, new)
            .await
            .expect("user created")
            .id
            .as_str()
            .to_owned()
    }

    /// A fresh tenant with the default API, a confidential (Basic) web
    /// client and the user `alice`.
    pub async fn web_setup(&self) -> WebSetup {
        let tenant = self.tenant().await;
        self.api(&tenant).await;
        let client = self
            .web_client(&tenant, AuthMethod::ClientSecretBasic, |_| {})
            .await;
        let user_id = self.user(&tenant, "alice").await;
        WebSetup {
            tenant,
            client,
            user_id,
            username: "alice".to_owned(),
        }
    }

    /// Redeems `code` at the token endpoint.
    pub async fn redeem(
        &self,
        tenant: &Tenant,
        auth: Auth<'_>,
        code: &str,
        verifier: Option<&str>,
    ) -> (u16, Value) {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v));
        }
        let (status, headers, body) = self
            .post_form(&format!("/t/{}/token", tenant.slug), auth, &form)
            .await;
        assert_eq!(
            headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "TOK-03"
        );
        (status, body)
    }

    /// Refreshes with `refresh_token` (and extra params).
    pub async fn refresh(
        &self,
        tenant: &Tenant,
        auth: Auth<'_>,
        refresh_token: &str,
        extra: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        form.extend_from_slice(extra);
        let (status, _, body) = self
            .post_form(&format!("/t/{}/token", tenant.slug), auth, &form)
            .await;
        (status, body)
    }

    /// A browser-like client of this server.
    pub fn browser(&self) -> Browserless {
        Browserless::new(&self.url)
    }
}

/// One response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The value of the hidden input `name`, entity-decoded as a browser would.
    pub fn hidden(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body.get(start..)?.find('"')? + start;
        Some(unescape(self.body.get(start..end)?))
    }

    /// The query parameters of the `Location`, decoded.
    pub fn location_query(&self) -> HashMap<String, String> {
        let location = self.location.as_deref().expect("a Location header");
        query_of(location)
    }

    /// Asserts the headers every HTML page carries.
    pub fn assert_html_headers(&self) {
        let get = |name: &str| {
            self.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = get("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "WEB-03: {csp}");
        assert!(!csp.contains("form-action"), "no form-action: {csp}");
        assert_eq!(get("x-frame-options"), "DENY", "WEB-03");
        assert_eq!(get("referrer-policy"), "no-referrer", "WEB-04");
        // Resources (`src`, `<link href>`) are same-origin; a plain link
        // (`<a href>`) leads elsewhere and loads nothing.
        let foreign_link = self.body.split("<link").skip(1).any(|tag| {
            tag.split('>')
                .next()
                .unwrap_or_default()
                .contains("href=\"http")
        });
        assert!(
            !self.body.contains("src=\"http") && !foreign_link,
            "WEB-04: no third-party resources"
        );
    }
}

/// HTML attribute text decoded (the entities tera's escaping produces).
fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The decoded query of `url`.
pub fn query_of(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .expect("absolute URL")
        .query_pairs()
        .into_owned()
        .collect()
}

/// A cookie-keeping client with redirects off: every hop is asserted.
pub struct Browserless {
    pub http: reqwest::Client,
    base: String,
}

impl Browserless {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: base.to_owned(),
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.base)
        } else {
            url.to_owned()
        }
    }

    async fn read(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await.expect("body");
        let page = Page {
            status,
            location,
            headers,
            body,
        };
        if page
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
        {
            page.assert_html_headers();
        }
        page
    }

    pub async fn get(&self, url: &str) -> Page {
        Self::read(
            self.http
                .get(self.absolute(url))
                .send()
                .await
                .expect("sent"),
        )
        .await
    }

    pub async fn post(&self, url: &str, form: &[(&str, &str)]) -> Page {
        Self::read(
            self.http
                .post(self.absolute(url))
                .form(form)
                .send()
                .await
                .expect("sent"),
        )
        .await
    }

    /// `GET /t/{slug}/authorize` with `params`.
    pub async fn authorize(&self, tenant: &Tenant, params: &[(&str, &str)]) -> Page {
        let mut url =
            url::Url::parse(&format!("{}/t/{}/authorize", self.base, tenant.slug)).expect("url");
        url.query_pairs_mut().extend_pairs(params);
        self.get(url.as_str()).await
    }

    /// Opens the login page at `location` and posts `login` and `password`.
    pub async fn login(&self, location: &str, login: &str, password: &str) -> Page {
        let page = self.get(location).await;
        assert_eq!(page.status, 200, "login page: {}", page.body);
        self.post(
            &format!("{}/login", tenant_path(location)),
            &[
                (
                    "interaction",
                    &page.hidden("interaction").expect("interaction"),
                ),
                ("csrf", &page.hidden("csrf").expect("csrf")),
                ("login", login),
                ("password", password),
            ],
        )
        .await
    }

    /// Opens the consent page at `location` and posts `decision`.
    pub async fn consent(&self, location: &str, decision: &str) -> Page {
        let page = self.get(location).await;
        assert_eq!(page.status, 200, "consent page: {}", page.body);
        self.post(
            &format!("{}/consent", tenant_path(location)),
            &[
                (
                    "interaction",
                    &page.hidden("interaction").expect("interaction"),
                ),
                ("csrf", &page.hidden("csrf").expect("csrf")),
                ("decision", decision),
            ],
        )
        .await
    }

    /// Runs the whole flow for `params` (client_id, scope, ... without
    /// `response_type` and `redirect_uri`, which are added), signing in as
    /// `login` if asked and approving consent if asked; returns the query of
    /// the final redirect to the client.
    pub async fn code_flow(
        &self,
        tenant: &Tenant,
        params: &[(&str, &str)],
        login: &str,
    ) -> HashMap<String, String> {
        let mut all = vec![("response_type", "code"), ("redirect_uri", CALLBACK)];
        all.extend_from_slice(params);
        let mut page = self.authorize(tenant, &all).await;
        for _ in 0..3 {
            assert!(
                matches!(page.status, 302 | 303),
                "every step redirects: {} {}",
                page.status,
                page.body
            );
            let location = page.location.clone().expect("Location");
            if location.starts_with(CALLBACK) {
                return query_of(&location);
            }
            page = if location.contains("/login?") {
                self.login(&location, login, PASSWORD).await
            } else if location.contains("/consent?") {
                self.consent(&location, "approve").await
            } else {
                panic!("unexpected redirect to {location}");
            };
        }
        panic!("the flow did not reach the client");
    }
}

/// `/t/{slug}` of a page URL.
pub fn tenant_path(url: &str) -> String {
    let path = url::Url::parse(url)
        .map(|u| u.path().to_owned())
        .unwrap_or_else(|_| url.split('?').next().unwrap_or_default().to_owned());
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    let (t, slug) = (parts.next().expect("t"), parts.next().expect("slug"));
    format!("/{t}/{slug}")
}
