use settings_core::Settings;

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested, default = "x")]
    db: Db,
}

fn main() {}
