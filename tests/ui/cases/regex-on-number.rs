use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(regex = "^[0-9]+$")]
    port: u16,
}

fn main() {}
