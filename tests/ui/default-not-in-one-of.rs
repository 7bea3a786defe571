use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = "verbose", one_of = ["debug", "info", "warn"])]
    level: String,
}

fn main() {}
