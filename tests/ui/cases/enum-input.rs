use settings_core::Settings;

#[derive(Settings)]
enum Mode {
    Fast,
    Slow,
}

fn main() {
    let _ = Mode::load();
}
