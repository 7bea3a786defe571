use settings_core::Settings;

#[derive(Settings)]
struct App<T> {
    value: T,
}

fn main() {}
