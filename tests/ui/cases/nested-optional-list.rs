use settings_core::Settings;

#[derive(Settings)]
struct Server {
    host: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested)]
    servers: Option<Vec<Server>>,
}

fn main() {}
