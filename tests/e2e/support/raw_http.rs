//! Requests sent byte for byte, for paths an HTTP client would normalise
//! (`..` segments, encoded slashes).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Status code and body of `GET {path}` sent exactly as written.
pub fn get(base_url: &str, path: &str) -> (u16, String) {
    let host = base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}
