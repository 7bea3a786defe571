//! The settings endpoint in an axum service: `/hello` answers with the configured greeting, and
//! `/config/` shows operators what the service runs with (secrets masked), as a page, JSON, the
//! JSON Schema and Prometheus metrics. Edit `examples/endpoint/greeter.toml` while it runs: the
//! settings reload, `/hello` answers with the new greeting, and the page says what changed.
//!
//! ```sh
//! CONFIG_RELOAD_TOKEN=let-me-in cargo run --example endpoint
//! curl http://127.0.0.1:8080/hello
//! open http://127.0.0.1:8080/config/            # the page
//! curl http://127.0.0.1:8080/config/metrics
//! curl -X POST -H 'Authorization: Bearer let-me-in' http://127.0.0.1:8080/config/reload
//! ```
//!
//! The page tells anyone who reaches it how the service is configured: in production, serve it
//! on an internal port (a second listener, as here with `GREETER_ADMIN_LISTEN`) or behind the
//! service's own authentication, never on the public one.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use settings_core::{Live, Secret, Settings};
use std::net::SocketAddr;

/// Settings of the greeter service.
#[derive(Settings, Debug)]
#[settings(env_prefix = "GREETER_")]
pub struct Greeter {
    /// Address of the public listener.
    #[settings(default = "127.0.0.1:8080", restart)]
    pub listen: SocketAddr,
    /// Address of the operators' listener (the settings endpoint); unset: the endpoint is
    /// served under `/config/` on the public listener, for trying the example out.
    #[settings(restart)]
    pub admin_listen: Option<SocketAddr>,
    /// The word of welcome.
    #[settings(default = "Hello", len(min = 1, max = 40))]
    pub greeting: String,
    /// How much the service logs.
    #[settings(default = "info", one_of = ["error", "warn", "info", "debug", "trace"])]
    pub log_level: String,
    /// Most requests served at once; read when the listener starts.
    #[settings(default = 64, range(min = 1, max = 10000), restart)]
    pub max_connections: u32,
    /// Token of the upstream API (from the secrets directory).
    pub upstream_token: Secret<String>,
}

/// The service's routes: `/hello`, and the settings endpoint under `/config`. A reload token
/// enables `POST /config/reload`.
pub fn app(live: &Live<Greeter>, reload_token: Option<String>) -> Router {
    Router::new()
        .route("/hello", get(hello))
        .with_state(live.clone())
        .nest_service("/config", endpoint(live, reload_token))
}

/// The settings endpoint alone, for a listener of its own.
pub fn endpoint(
    live: &Live<Greeter>,
    reload_token: Option<String>,
) -> settings_core::http::Endpoint {
    let endpoint = settings_core::http::service(live.clone());
    match reload_token {
        Some(token) => endpoint.reload_token(token),
        None => endpoint,
    }
}

async fn hello(State(live): State<Live<Greeter>>) -> String {
    format!("{}, world!\n", live.get().greeting)
}

/// Loads the settings from `dir` (`greeter.toml` and `secrets/`), plus the process environment.
pub fn loader(dir: &std::path::Path) -> settings_core::Loader<Greeter> {
    Greeter::loader()
        .file(dir.join("greeter.toml"))
        .secrets_dir(dir.join("secrets"))
}

#[allow(dead_code)] // The tests (tests/it/endpoint.rs) use the functions above, not `main`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/endpoint");
    let live = loader(&dir).watch()?;
    live.on_change_paths(|_, _, paths| println!("settings changed: {}", paths.join(", ")));
    live.on_error(|err| eprintln!("settings reload failed, keeping the previous ones:\n{err}"));
    let token = std::env::var("CONFIG_RELOAD_TOKEN").ok();
    let (listen, admin) = {
        let settings = live.get();
        (settings.listen, settings.admin_listen)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let public = tokio::net::TcpListener::bind(listen).await?;
        match admin {
            None => {
                println!("serving http://{listen}/hello, settings at http://{listen}/config/");
                axum::serve(public, app(&live, token)).await?;
            }
            Some(admin) => {
                let admin_listener = tokio::net::TcpListener::bind(admin).await?;
                println!("serving http://{listen}/hello, settings at http://{admin}/config/");
                let public_app = Router::new()
                    .route("/hello", get(hello))
                    .with_state(live.clone());
                let admin_app = Router::new().nest_service("/config", endpoint(&live, token));
                let (a, b) = tokio::join!(
                    axum::serve(public, public_app),
                    axum::serve(admin_listener, admin_app)
                );
                a?;
                b?;
            }
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}
