use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(gt = 5, lt = 5))]
    workers: u32,
}

fn main() {}
