use settings_core::Settings;

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested, env = "DB", secret)]
    db: Db,
}

fn main() {}
