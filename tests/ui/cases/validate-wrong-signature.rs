use settings_core::Settings;

fn even(v: u32) -> bool {
    v % 2 == 0
}

#[derive(Settings)]
struct App {
    #[settings(validate = even)]
    workers: u32,
}

fn main() {}
