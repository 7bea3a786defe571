use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(min = 1, gt = 0))]
    workers: u32,
}

fn main() {}
