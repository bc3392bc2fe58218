//! A TCP proxy that a test can cut or hang between the server and PostgreSQL
//! or Redis, so faults never touch the shared services other tests use. It
//! runs on a runtime of its own, so it behaves the same whatever the test does.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forward both ways.
    Pass,
    /// Close every connection and refuse new ones (a stopped service).
    Cut,
    /// Keep connections open but forward nothing (a hung service).
    Hang,
}

pub struct Proxy {
    pub port: u16,
    mode: watch::Sender<Mode>,
    _runtime: std::thread::JoinHandle<()>,
}

impl Proxy {
    /// A proxy on a free loopback port to `upstream` (`host:port`).
    pub fn start(upstream: String) -> Self {
        let (mode, mode_rx) = watch::channel(Mode::Pass);
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let port = std_listener.local_addr().expect("addr").port();
        let runtime = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("proxy runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        continue;
                    };
                    if *mode_rx.borrow() == Mode::Cut {
                        drop(client);
                        continue;
                    }
                    let upstream = upstream.clone();
                    let connection_mode = mode_rx.clone();
                    tokio::spawn(async move {
                        if let Ok(server) = TcpStream::connect(&upstream).await {
                            pipe(client, server, connection_mode).await;
                        }
                    });
                }
            });
        });
        Self {
            port,
            mode,
            _runtime: runtime,
        }
    }

    /// `url` with its host and port replaced by this proxy's.
    pub fn rewrite(&self, url: &str) -> String {
        let mut parsed = url::Url::parse(url).expect("service URL");
        parsed.set_host(Some("127.0.0.1")).expect("host");
        parsed.set_port(Some(self.port)).expect("port");
        parsed.to_string()
    }

    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

/// `host:port` of a service URL, defaulting the port by scheme.
pub fn upstream_of(url: &str) -> String {
    let parsed = url::Url::parse(url).expect("service URL");
    let port = parsed.port().unwrap_or(match parsed.scheme() {
        "redis" | "rediss" => 6379,
        _ => 5432,
    });
    let host = parsed.host_str().unwrap_or("127.0.0.1");
    let host = if host.is_empty() { "127.0.0.1" } else { host };
    SocketAddr::new(host.parse().unwrap_or([127, 0, 0, 1].into()), port).to_string()
}

async fn pipe(client: TcpStream, server: TcpStream, mode: watch::Receiver<Mode>) {
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::select! {
        _ = forward(client_read, server_write, mode.clone()) => {}
        _ = forward(server_read, client_write, mode) => {}
    }
}

async fn forward(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut mode: watch::Receiver<Mode>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let current = *mode.borrow_and_update();
        match current {
            Mode::Cut => return,
            Mode::Hang => {
                if mode.changed().await.is_err() {
                    return;
                }
            }
            Mode::Pass => {
                tokio::select! {
                    read = from.read(&mut buf) => match read {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            if to.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    },
                    changed = mode.changed() => if changed.is_err() { return },
                }
            }
        }
    }
}
