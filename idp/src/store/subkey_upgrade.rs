//! The one-time move of data protected by the master key itself to the
//! master key's subkeys (`crypto::subkeys`): private keys sealed under the
//! master key are sealed again under the at-rest subkey, and client-secret
//! digests of earlier releases are wrapped under the pepper subkey. It runs
//! at start, after the schema migrations and under their lock, in one
//! transaction, and records `subkeys` in `platform_state` when done, so two
//! processes starting together do it once and agree.
//!
//! Until the marker is recorded the upgrade opens both forms; once it is,
//! processes accept only the new ones. A process of an earlier release that
//! is still running would go on writing the old forms: stop every process of
//! an earlier release before starting one of this release.

use super::queries::{clients, platform_state, signing_keys};
use super::{DbConnection, StoreError};
use crate::crypto::at_rest::Sealer;
use crate::crypto::client_secret::SecretHasher;
use crate::secret::Secret;

/// The `platform_state` entry that says the upgrade is done.
pub const MARKER: &str = "subkeys";
/// Its value: the version of the key layout.
const DONE: &str = "1";

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Upgraded {
    /// Private keys sealed again under the at-rest subkey.
    pub resealed: usize,
    /// Private keys that did not open under this master key (left as they are).
    pub foreign: usize,
    /// Clients whose secret digests were wrapped.
    pub wrapped: usize,
}

/// Upgrades unless the marker says it was done; call within the migration
/// lock and a transaction.
pub fn run(conn: &mut DbConnection, master: &Secret<[u8; 32]>) -> Result<Upgraded, StoreError> {
    if platform_state::find(conn, MARKER)?.is_some() {
        return Ok(Upgraded::default());
    }
    let (resealed, foreign) = signing_keys::reseal_legacy(conn, &Sealer::upgrading(master))?;
    let wrapped = clients::wrap_legacy_digests(conn, &SecretHasher::new(master))?;
    platform_state::insert(conn, MARKER, DONE)?;
    if foreign > 0 {
        tracing::warn!(
            foreign,
            "signing keys sealed under another master key were left as they are: \
             every process of one database needs the same master key"
        );
    }
    if resealed + wrapped > 0 {
        tracing::info!(resealed, wrapped, "moved to subkeys of the master key");
    }
    Ok(Upgraded {
        resealed,
        foreign,
        wrapped,
    })
}
