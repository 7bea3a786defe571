use settings_core::Settings;

#[derive(Settings)]
struct Db {
    url: String,
}

#[derive(Settings)]
#[settings(env_prefix = "APP_")]
struct App {
    #[settings(env_prefix = "PORT_")]
    port: u16,
    #[settings(nested, env_prefix = "REPLICA")]
    replica: Db,
}

fn main() {}
