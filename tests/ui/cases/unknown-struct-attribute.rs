use settings_core::Settings;

#[derive(Settings)]
#[settings(env_prefx = "APP_")]
struct App {
    port: u16,
}

fn main() {}
