use settings_core::Settings;

#[derive(Settings)]
struct Http {
    port: u16,
}

#[derive(Settings)]
struct App {
    http: Http,
}

fn main() {}
