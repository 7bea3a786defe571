use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = 0, range(min = 1, max = 65535))]
    port: u16,
}

fn main() {}
