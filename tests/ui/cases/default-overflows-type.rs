use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = 70000)]
    port: u16,
}

fn main() {}
