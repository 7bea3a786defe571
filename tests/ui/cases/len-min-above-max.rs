use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(len(min = 5, max = 2))]
    name: String,
}

fn main() {}
