use settings_core::Settings;

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested, len(min = 1))]
    db: Db,
}

fn main() {}
