use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(len(min = 1))]
    port: u16,
}

fn main() {}
