use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(one_of = "info")]
    level: String,
    #[settings(one_of = ["on", true])]
    mode: String,
}

fn main() {}
