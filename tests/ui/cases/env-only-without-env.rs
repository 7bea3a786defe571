use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(env_only)]
    port: u16,
}

fn main() {}
