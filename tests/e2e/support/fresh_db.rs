//! A database no other test touches, for tests that need an empty one
//! (migrations, bootstrap of the admin service).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use idp::store::DbConnection;

use super::{Backend, DataDir, test_config};

/// A database no other test uses: a new PostgreSQL database (dropped on
/// drop), or a SQLite file in a new folder.
pub struct FreshDatabase {
    pub url: String,
    admin_url: Option<String>,
    name: String,
    _dir: DataDir,
}

impl FreshDatabase {
    pub fn new() -> Self {
        let dir = DataDir::new();
        let name = format!("idp_test_{}", uuid::Uuid::new_v4().simple());
        match Backend::from_env() {
            Backend::Embedded => Self {
                url: dir.path.join("fresh.sqlite").display().to_string(),
                admin_url: None,
                name,
                _dir: dir,
            },
            Backend::Services { database, .. } => {
                let mut admin = PgConnection::establish(&database).expect("postgres");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create database");
                let mut url = url::Url::parse(&database).expect("url");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    admin_url: Some(database),
                    name,
                    _dir: dir,
                }
            }
        }
    }

    /// Its URL on PostgreSQL + Redis; `None` on the embedded default, where
    /// a process's own data folder is already a database of its own.
    pub fn url_on_services(&self) -> Option<&str> {
        self.admin_url.as_ref().map(|_| self.url.as_str())
    }

    pub fn connect(&self) -> DbConnection {
        let mut config = test_config(&DataDir::new());
        config.database.url = Some(self.url.clone());
        config.validate().expect("config");
        idp::store::conn::Connector::new(&config)
            .connect()
            .expect("connect")
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Some(admin) = &self.admin_url
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
