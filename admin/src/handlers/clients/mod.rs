//! Clients: create (the secret is returned once), list, read (never the
//! secret), update, rotate the secret with an optional overlap, delete.

pub mod create;
pub mod delete;
pub mod list;
pub mod read;
pub mod rotate_secret;
pub mod update;

use idp::domain::client::{Client, ClientSettings};
use serde::Serialize;
use utoipa::ToSchema;

/// A client as the API shows it: never a secret or its digest.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    /// `client_id`.
    pub client_id: String,
    /// Display name.
    pub name: String,
    /// Whether it holds a secret.
    pub confidential: bool,
    /// `client_secret_basic`, `client_secret_post` or `none`.
    pub token_endpoint_auth_method: String,
    /// A disabled client cannot authenticate.
    pub enabled: bool,
    /// When the previous secret stops working, during a rotation.
    pub previous_secret_expires_at: Option<i64>,
    /// Redirect URIs, grants, scopes, APIs, token settings, logout URIs, web origins.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub settings: ClientSettings,
}

impl From<&Client> for ClientView {
    fn from(client: &Client) -> Self {
        Self {
            client_id: client.id.to_string(),
            name: client.name.clone(),
            confidential: client.confidential,
            token_endpoint_auth_method: client.auth_method.as_str().to_owned(),
            enabled: client.enabled,
            previous_secret_expires_at: client.secrets.previous.as_ref().map(|(_, at)| *at),
            settings: client.settings.clone(),
        }
    }
}
