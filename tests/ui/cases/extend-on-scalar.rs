use settings_core::Settings;

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(extend)]
    port: u16,
    #[settings(nested, extend)]
    db: Db,
}

fn main() {}
