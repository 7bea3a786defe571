use settings_core::Settings;

struct Opaque;

#[derive(Settings)]
struct App {
    thing: Opaque,
}

fn main() {}
