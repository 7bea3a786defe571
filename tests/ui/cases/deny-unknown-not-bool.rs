use settings_core::Settings;

#[derive(Settings)]
#[settings(deny_unknown = "no")]
struct App {
    port: u16,
}

fn main() {}
