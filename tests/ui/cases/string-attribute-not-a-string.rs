use settings_core::Settings;

#[derive(Settings)]
#[settings(env_prefix = APP_)]
struct App {
    #[settings(env = 8080)]
    port: u16,
}

fn main() {}
