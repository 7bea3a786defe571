use settings_core::Settings;

fn name() -> String {
    "x".to_string()
}

#[derive(Settings)]
struct App {
    #[settings(default_with = name)]
    port: u16,
}

fn main() {}
