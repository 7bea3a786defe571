use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(min = 10, max = 1))]
    workers: u32,
}

fn main() {}
