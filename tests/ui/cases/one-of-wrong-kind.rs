use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(one_of = ["low", "high"])]
    workers: u32,
    #[settings(one_of = [1, 2])]
    level: String,
    #[settings(one_of = [1, "two"])]
    tags: Vec<String>,
    #[settings(one_of = ["yes"])]
    debug: bool,
}

fn main() {}
