//! The admin service's OpenAPI document: served, and covering every route
//! the handlers declare (a handler whose route is missing fails this test).

use std::path::Path;

use crate::support::admin::AdminService;

fn declared_routes(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("handlers dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            declared_routes(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        for line in text.lines().map(str::trim) {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(rest) = line.strip_prefix(&format!("#[{method}(\"")) {
                    let route = rest.split('"').next().expect("route").to_owned();
                    out.push((method.to_owned(), route));
                }
            }
        }
    }
}

#[actix_rt::test]
async fn every_declared_route_is_in_the_served_document() {
    let admin = AdminService::start().await;
    let reply = admin
        .call(None, reqwest::Method::GET, "/openapi.json", None, None)
        .await;
    assert_eq!(reply.status, 200);
    let paths = reply.body["paths"].as_object().expect("paths");
    let mut declared = Vec::new();
    declared_routes(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../admin/src/handlers"),
        &mut declared,
    );
    assert!(declared.len() >= 20, "{declared:?}");
    for (method, route) in &declared {
        let full = if route == "/health" {
            route.clone()
        } else {
            format!("/v1{route}")
        };
        assert!(
            paths.get(&full).and_then(|p| p.get(method)).is_some(),
            "{method} {full} is served but missing from the OpenAPI document"
        );
    }
    assert!(reply.body["components"]["securitySchemes"]["bearer"].is_object());
    let unknown = admin
        .call(None, reqwest::Method::GET, "/v1/no-such-route", None, None)
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["error"], "not_found");
    admin.server.stop().await;
}
