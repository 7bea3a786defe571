use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(len(min = -1))]
    name: String,
    #[settings(len(max = "3"))]
    hosts: Vec<String>,
}

fn main() {}
