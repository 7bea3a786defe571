use settings_core::Settings;

const PORT: u16 = 80;

#[derive(Settings)]
struct App {
    #[settings(default = PORT)]
    port: u16,
}

fn main() {}
