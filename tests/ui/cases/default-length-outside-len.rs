use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = "ab", len(min = 3))]
    name: String,
    #[settings(default = ["a", "b", "c"], len(max = 2))]
    hosts: Vec<String>,
}

fn main() {}
