//! JSON merge of a request's fields into a stored object's JSON form: how
//! partial updates of JSON-shaped settings (a tenant's policy, a client's
//! settings) are read from requests before they reach an operation.

use serde_json::Value;

use crate::errors::AdminError;

/// Merges the top-level fields of `patch` into `current` and decodes the
/// result.
pub fn merge<T>(current: &T, patch: Value) -> Result<T, AdminError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let Value::Object(fields) = patch else {
        return Err(AdminError::Invalid(
            "expected a JSON object of fields to change".into(),
        ));
    };
    let mut merged =
        serde_json::to_value(current).map_err(|e| AdminError::Internal(e.to_string()))?;
    if let Value::Object(target) = &mut merged {
        target.extend(fields);
    }
    serde_json::from_value(merged).map_err(AdminError::invalid)
}

/// Decodes `value` as the field `what`; a mismatch names the field.
pub fn decode<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<T, AdminError> {
    serde_json::from_value(value).map_err(|e| AdminError::Invalid(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Settings {
        a: u32,
        b: String,
    }

    #[test]
    fn named_fields_replace_and_the_rest_stay() {
        let current = Settings {
            a: 1,
            b: "x".into(),
        };
        let merged: Settings = merge(&current, json!({ "a": 2 })).expect("merged");
        assert_eq!(
            merged,
            Settings {
                a: 2,
                b: "x".into()
            }
        );
    }

    #[test]
    fn only_an_object_of_valid_fields_merges() {
        let current = Settings {
            a: 1,
            b: "x".into(),
        };
        let table = [json!([1]), json!("a"), json!({ "a": "two" })];
        for patch in table {
            let what = patch.to_string();
            let error = merge(&current, patch).expect_err(&what);
            assert_eq!(error.code(), "invalid_value", "{what}");
        }
        let error = decode::<u32>(json!("x"), "a").expect_err("not a number");
        assert!(error.to_string().starts_with("a: "), "{error}");
    }
}
