use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(range(mn = 1))]
    workers: u32,
    #[settings(len(minimum = 1))]
    name: String,
    #[settings(url(scheme = ["https"]))]
    endpoint: String,
    #[settings(one_of(value = ["a", "b"]))]
    mode: String,
}

fn main() {}
