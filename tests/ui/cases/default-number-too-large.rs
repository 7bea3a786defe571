use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = 1000000000000000000000000000000000000000)]
    limit: u128,
}

fn main() {}
