//! The master key that seals private keys at rest. It comes from configuration,
//! or from `{data_dir}/master.key`, created on first start with mode 0600.
//! Two processes starting at once agree on one key: the file is written whole
//! under a temporary name and then hard-linked into place, which fails if the
//! other process won; both then read the file that is in place.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::config::SecretsConfig;
use crate::secret::{Secret, random_bytes};

/// Decodes the base64 text form of a 32-byte key.
pub fn decode(text: &str) -> Option<[u8; 32]> {
    let bytes = STANDARD.decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

/// Why the master key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    /// The data folder or key file could not be read or written.
    #[error("master key file {path}: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The key file exists but does not hold a key.
    #[error("master key file {0} does not hold the base64 of 32 bytes")]
    Malformed(String),
}

/// The configured key, or the one in `data_dir` (created if absent).
pub fn load_or_create(
    config: &SecretsConfig,
    data_dir: &Path,
) -> Result<Secret<[u8; 32]>, MasterKeyError> {
    if let Some(text) = &config.master_key {
        // Validated with the configuration.
        return decode(text.expose())
            .map(Secret::new)
            .ok_or_else(|| MasterKeyError::Malformed("secrets.master_key".to_owned()));
    }
    let path = data_dir.join("master.key");
    let io = |source| MasterKeyError::Io {
        path: path.display().to_string(),
        source,
    };
    fs::create_dir_all(data_dir).map_err(io)?;
    if !path.exists() {
        write_exclusively(data_dir, &path).map_err(io)?;
    }
    let text = fs::read_to_string(&path).map_err(io)?;
    decode(&text)
        .map(Secret::new)
        .ok_or_else(|| MasterKeyError::Malformed(path.display().to_string()))
}

fn write_exclusively(dir: &Path, path: &Path) -> std::io::Result<()> {
    let tmp = dir.join(format!(
        ".master.key.{}",
        crate::crypto::b64url(&random_bytes::<8>())
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(STANDARD.encode(random_bytes::<32>()).as_bytes())?;
    file.sync_all()?;
    drop(file);
    let linked = fs::hard_link(&tmp, path);
    fs::remove_file(&tmp)?;
    match linked {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_private_and_stable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = SecretsConfig::default();
        let a = load_or_create(&config, dir.path()).expect("create");
        let b = load_or_create(&config, dir.path()).expect("re-read");
        assert_eq!(a.expose(), b.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("master.key"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn racing_creators_agree() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().to_path_buf();
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    load_or_create(&SecretsConfig::default(), &path).map(|k| *k.expose())
                })
            })
            .collect();
        let keys: Vec<[u8; 32]> = handles
            .into_iter()
            .map(|h| h.join().expect("join").expect("key"))
            .collect();
        assert!(keys.windows(2).all(|w| w.first() == w.get(1)));
    }
}
