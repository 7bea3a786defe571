use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(secret = true)]
    token: String,
}

fn main() {}
