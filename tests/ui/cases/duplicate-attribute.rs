use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(rename = "a")]
    #[settings(rename = "b")]
    port: u16,
}

fn main() {}
