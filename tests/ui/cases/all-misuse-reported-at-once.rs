use settings_core::Settings;

#[derive(Settings)]
#[settings(env_prefix = "APP_", unknown_thing)]
struct App {
    #[settings(range(min = 9, max = 1))]
    workers: u32,
    #[settings(len(min = 1))]
    port: u16,
    #[settings(regex = "(")]
    region: String,
    #[settings(colour = "blue")]
    name: String,
}

fn main() {
    // The fallback impl keeps this call from adding errors of its own.
    let _ = App::load();
}
