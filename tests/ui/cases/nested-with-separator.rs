use settings_core::Settings;

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested, separator = ":")]
    db: Db,
}

fn main() {}
