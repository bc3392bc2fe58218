//! Whether this process has the master key the database was written with.
//! A process with another key could not open the tenants' private keys nor
//! verify client secrets, so it must not start (and must not write anything
//! under its key). The database records a check value, derived from the
//! master key (`Purpose::KeyCheck`), with the first process of a release that
//! has it; a database written before that is checked against its sealed keys.

use super::queries::{platform_state, signing_keys};
use super::{DbConnection, StoreError};
use crate::crypto::at_rest::Sealer;
use crate::crypto::b64url;
use crate::crypto::subkeys::{self, Purpose};
use crate::secret::{Secret, constant_time_eq};

/// The `platform_state` entry holding the check value.
pub const NAME: &str = "master_key_check";

/// How many sealed keys a database without a check value is tried against.
const SAMPLE: i64 = 20;

/// What the check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    /// The recorded value matches, or the key opens the sealed keys and its
    /// value is now recorded.
    Matches,
    /// The database was written with another master key.
    Differs,
}

/// Checks `master` against the database; call within the migration lock
/// and before anything is written under the key.
pub fn run(conn: &mut DbConnection, master: &Secret<[u8; 32]>) -> Result<KeyCheck, StoreError> {
    let value = b64url(subkeys::derive(master, Purpose::KeyCheck).expose());
    if let Some(recorded) = platform_state::find(conn, NAME)? {
        return Ok(if constant_time_eq(recorded.as_bytes(), value.as_bytes()) {
            KeyCheck::Matches
        } else {
            KeyCheck::Differs
        });
    }
    let sample = signing_keys::sealed(conn, Some(SAMPLE))?;
    let sealer = Sealer::upgrading(master);
    let opens = sample.iter().any(|(tenant, kid, sealed)| {
        sealer
            .open(sealed, format!("{tenant}/{kid}").as_bytes())
            .is_ok()
    });
    if !sample.is_empty() && !opens {
        return Ok(KeyCheck::Differs);
    }
    platform_state::insert(conn, NAME, &value)?;
    Ok(KeyCheck::Matches)
}
