use settings_core::Settings;

#[derive(Settings)]
#[settings(default = 1)]
struct App {
    port: u16,
}

fn main() {}
