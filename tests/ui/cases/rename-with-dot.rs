use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(rename = "db.url")]
    database_url: String,
}

fn main() {}
