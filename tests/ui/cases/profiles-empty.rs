use settings_core::Settings;

#[derive(Settings)]
#[settings(env_prefix = "APP_", profiles = [])]
struct App {
    port: u16,
}

fn main() {}
