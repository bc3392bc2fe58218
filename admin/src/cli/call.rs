//! One admin API call as a command plans it: the operation (method and the
//! path template of the OpenAPI document), the values of its path
//! parameters, its query and body, and how to print the answer. The parity
//! test compares the planned templates with the served document, so every
//! API operation has a command.

use reqwest::Method;
use serde_json::Value;

/// A path parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// Used as given.
    Given(String),
    /// A user of `tenant` given by id, username or email address; resolved
    /// to the id before the call.
    User {
        /// The user's tenant slug.
        tenant: String,
        /// What was typed.
        given: String,
    },
}

/// What to print after a call without a body to show (204).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// The API's answer.
    Answer,
    /// This instead.
    Fixed(Value),
}

/// A planned call.
#[derive(Debug, Clone)]
pub struct Call {
    /// HTTP method.
    pub method: Method,
    /// The path as the OpenAPI document names it, e.g.
    /// `/v1/tenants/{tenant}/clients/{client_id}`.
    pub template: &'static str,
    /// Values of the template's parameters, by name.
    pub params: Vec<(&'static str, Param)>,
    /// Query pairs.
    pub query: Vec<(&'static str, String)>,
    /// JSON body.
    pub body: Option<Value>,
    /// Columns of the table.
    pub columns: &'static [&'static str],
    /// What is printed.
    pub shown: Shown,
}

impl Call {
    /// A call of `method template` that prints the answer as `columns`.
    pub fn new(method: Method, template: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            method,
            template,
            params: Vec::new(),
            query: Vec::new(),
            body: None,
            columns,
            shown: Shown::Answer,
        }
    }

    /// With the path parameter `name` set to `value`.
    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.push((name, Param::Given(value.into())));
        self
    }

    /// With the path parameter `name` set to a user of `tenant`.
    pub fn user(mut self, name: &'static str, tenant: &str, given: impl Into<String>) -> Self {
        self.params.push((
            name,
            Param::User {
                tenant: tenant.to_owned(),
                given: given.into(),
            },
        ));
        self
    }

    /// With the query pair `name=value` when `value` is set.
    pub fn query(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value));
        }
        self
    }

    /// With a JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Printing `shown` rather than the answer.
    pub fn showing(mut self, shown: Value) -> Self {
        self.shown = Shown::Fixed(shown);
        self
    }

    /// The path with `values` (resolved parameters, by name) put in,
    /// percent-encoded, and the query.
    pub fn path(&self, values: &[(&'static str, String)]) -> Result<String, String> {
        let mut path = String::new();
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            let (before, after) = rest.split_at(open);
            path.push_str(before);
            let close = after
                .find('}')
                .ok_or_else(|| format!("bad template {}", self.template))?;
            let name = after.get(1..close).unwrap_or_default();
            let value = values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("no value for {{{name}}}"))?;
            path.push_str(&encode_segment(value));
            rest = after.get(close + 1..).unwrap_or_default();
        }
        path.push_str(rest);
        if !self.query.is_empty() {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in &self.query {
                query.append_pair(name, value);
            }
            path.push('?');
            path.push_str(&query.finish());
        }
        Ok(path)
    }
}

/// RFC 3986 §3.3: a path segment keeps unreserved characters, `:`, `@`
/// and most sub-delimiters; everything else is percent-encoded.
fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:@*!$'(),;=".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_encoded_into_the_template() {
        let call = Call::new(
            Method::DELETE,
            "/v1/admins/{subject}/{tenant}",
            &["subject"],
        )
        .query("limit", Some("5".into()));
        let path = call
            .path(&[("subject", "client:a b".into()), ("tenant", "*".into())])
            .expect("path");
        assert_eq!(path, "/v1/admins/client:a%20b/*?limit=5");
        assert_eq!(encode_segment("a/b+c?é"), "a%2Fb%2Bc%3F%C3%A9");
        assert!(call.path(&[("subject", "x".into())]).is_err());
    }
}
