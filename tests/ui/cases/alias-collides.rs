use settings_core::Settings;

#[derive(Settings)]
#[settings(env_prefix = "APP_")]
struct App {
    #[settings(alias = "port")]
    workers: u32,
    port: u16,
    #[settings(alias = "HOST")]
    host: String,
    #[settings(renamed_from = "threads", alias = "threads")]
    jobs: u32,
    #[settings(env = "APP_LEGACY")]
    url: String,
    #[settings(alias = "legacy")]
    name: String,
    #[settings(renamed_from = "db..url")]
    db_url: String,
}

fn main() {}
