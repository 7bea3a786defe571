use settings_core::Settings;

fn eight() -> u16 {
    8
}

#[derive(Settings)]
struct App {
    #[settings(default = 1, default_with = eight)]
    port: u16,
}

fn main() {}
