use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(env = "PORT=8080")]
    port: u16,
}

fn main() {}
