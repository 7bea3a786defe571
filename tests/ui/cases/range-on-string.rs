use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(min = 1, max = 5))]
    name: String,
}

fn main() {}
