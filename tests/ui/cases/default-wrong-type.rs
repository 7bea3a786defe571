use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = "eighty")]
    port: u16,
    #[settings(default = 1)]
    debug: bool,
}

fn main() {}
