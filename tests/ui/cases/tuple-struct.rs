use settings_core::Settings;

#[derive(Settings)]
struct App(u16);

fn main() {}
