use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(min = "ten"))]
    workers: u32,
    #[settings(range(max = true))]
    retries: u32,
}

fn main() {}
