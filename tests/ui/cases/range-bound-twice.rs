use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(min = 1, min = 2))]
    workers: u32,
}

fn main() {}
