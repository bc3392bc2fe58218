//! Human-readable tables, or the raw JSON with `--json`.

use serde_json::Value;

/// Prints `value` as JSON, or as a table of `columns` (a list page's
/// `items`, or one object as a one-row table).
pub fn print(value: &Value, columns: &[&str], json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
        return;
    }
    let rows: Vec<&Value> = match value.get("items").and_then(Value::as_array) {
        Some(items) => items.iter().collect(),
        None if value.is_null() => Vec::new(),
        None => vec![value],
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| match row.get(*c) {
                    Some(Value::Number(n)) if is_time(c) => {
                        n.as_i64().map_or_else(|| n.to_string(), utc)
                    }
                    other => cell(other),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.chars().count())
                .chain([c.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: Vec<String>| {
        values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    println!(
        "{}",
        line(columns.iter().map(|c| c.to_uppercase()).collect())
    );
    for row in cells {
        println!("{}", line(row));
    }
    if let Some(next) = value.get("next_cursor").and_then(Value::as_str) {
        println!("(more: --cursor {next})");
    }
}

/// Columns that hold Unix seconds.
fn is_time(column: &str) -> bool {
    column == "at" || column.ends_with("_at") || matches!(column, "locked_until" | "not_before")
}

/// Unix seconds as a UTC time people read, e.g. `2026-12-06 07:20:00Z`.
fn utc(secs: i64) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| secs.to_string())
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| cell(Some(v.get("name").unwrap_or(v))))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_utc() {
        assert_eq!(utc(1_796_540_400), "2026-12-06 07:00:00Z");
        assert_eq!(utc(0), "1970-01-01 00:00:00Z");
        assert!(is_time("created_at") && is_time("at") && is_time("locked_until"));
        assert!(!is_time("attempts") && !is_time("name"));
    }
}
