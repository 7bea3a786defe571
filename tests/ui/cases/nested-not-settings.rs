use settings_core::Settings;

struct Plain {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested)]
    db: Plain,
}

fn main() {}
