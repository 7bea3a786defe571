use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range())]
    workers: u32,
}

fn main() {}
