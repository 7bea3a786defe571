use settings_core::{Secret, Settings};

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
struct App {
    #[settings(nested)]
    db: Secret<Db>,
}

fn main() {}
