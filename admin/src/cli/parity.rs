//! Every operation of the admin API has a command: the calls the commands
//! plan cover the served OpenAPI document, and every command is tried here.

use std::collections::BTreeSet;

use clap::{CommandFactory, Parser};
use serde_json::Value;

use super::commands::Remote;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    remote: Remote,
}

/// One invocation of every command (and of every target of `revoke` and
/// `audit`, which call different operations).
const INVOCATIONS: &[&[&str]] = &[
    &["tenants", "list"],
    &["tenants", "create", "--slug", "s", "--name", "n"],
    &["tenants", "get", "--tenant", "t"],
    &[
        "tenants",
        "update",
        "--tenant",
        "t",
        "--set",
        "code_ttl_secs=30",
    ],
    &["tenants", "deactivate", "--tenant", "t"],
    &["apis", "list", "--tenant", "t"],
    &[
        "apis",
        "create",
        "--tenant",
        "t",
        "--identifier",
        "i",
        "--name",
        "n",
    ],
    &["apis", "get", "--tenant", "t", "a"],
    &["apis", "update", "--tenant", "t", "a", "--name", "n"],
    &["apis", "delete", "--tenant", "t", "a"],
    &["scopes", "list", "--tenant", "t"],
    &["clients", "list", "--tenant", "t"],
    &["clients", "create", "--tenant", "t", "--name", "n"],
    &["clients", "get", "--tenant", "t", "c"],
    &[
        "clients",
        "update",
        "--tenant",
        "t",
        "c",
        "--enabled",
        "false",
    ],
    &["clients", "rotate-secret", "--tenant", "t", "c"],
    &["clients", "delete", "--tenant", "t", "c"],
    &["users", "list", "--tenant", "t"],
    &["users", "create", "--tenant", "t", "--username", "u"],
    &["users", "get", "--tenant", "t", "u"],
    &["users", "update", "--tenant", "t", "u", "--claim", "name=N"],
    &[
        "users",
        "set-password",
        "--tenant",
        "t",
        "u",
        "--password",
        "p",
    ],
    &["users", "disable", "--tenant", "t", "u"],
    &["users", "unlock", "--tenant", "t", "u"],
    &["users", "delete", "--tenant", "t", "u"],
    &["consents", "list", "--tenant", "t", "--user", "u"],
    &[
        "consents", "revoke", "--tenant", "t", "--user", "u", "--client", "c",
    ],
    &["revoke", "--tenant", "t", "--user", "u"],
    &["revoke", "--tenant", "t", "--client", "c"],
    &["revoke", "--tenant", "t", "--token-value", "x"],
    &["revoke", "--tenant", "t", "--all"],
    &["keys", "list", "--tenant", "t"],
    &["keys", "rotate", "--tenant", "t"],
    &["admins", "list"],
    &["admins", "grant", "--client", "c", "--tenant", "*"],
    &["admins", "revoke", "--user", "u", "--tenant", "t"],
    &["audit"],
    &["audit", "--tenant", "t"],
];

fn leaves(command: &clap::Command, prefix: Vec<String>, out: &mut BTreeSet<Vec<String>>) {
    let children: Vec<&clap::Command> = command.get_subcommands().collect();
    if children.is_empty() {
        out.insert(prefix);
        return;
    }
    for child in children {
        let mut path = prefix.clone();
        path.push(child.get_name().to_owned());
        leaves(child, path, out);
    }
}

#[test]
fn every_command_is_invoked_here() {
    let mut commands = BTreeSet::new();
    leaves(&Cli::command(), Vec::new(), &mut commands);
    commands.remove(&vec!["login".to_owned()]);
    commands.remove(&vec!["help".to_owned()]);
    let invoked: BTreeSet<Vec<String>> = INVOCATIONS
        .iter()
        .map(|argv| {
            commands
                .iter()
                .filter(|c| c.iter().zip(argv.iter()).all(|(a, b)| a == b))
                .max_by_key(|c| c.len())
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let missing: Vec<_> = commands.difference(&invoked).collect();
    assert!(missing.is_empty(), "commands not tried: {missing:?}");
}

#[test]
fn every_api_operation_has_a_command() {
    let document = serde_json::to_value(crate::openapi::document()).expect("document");
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() && path.starts_with("/v1/") {
                operations.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let mut planned = BTreeSet::new();
    for argv in INVOCATIONS {
        let cli = Cli::try_parse_from(std::iter::once(&"idp-admin").chain(argv.iter()))
            .unwrap_or_else(|e| panic!("{argv:?}: {e}"));
        let plan = cli.remote.plan().expect("plans").expect("a call");
        planned.insert(format!("{} {}", plan.call.method, plan.call.template));
    }
    let without_command: Vec<_> = operations.difference(&planned).collect();
    assert!(
        without_command.is_empty(),
        "API operations without a CLI command: {without_command:?}"
    );
    let unknown: Vec<_> = planned.difference(&operations).collect();
    assert!(
        unknown.is_empty(),
        "commands calling no API operation: {unknown:?}"
    );
    assert!(!operations.is_empty() && document["paths"] != Value::Null);
}
