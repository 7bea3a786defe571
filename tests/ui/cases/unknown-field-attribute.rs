use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(defualt = 8000)]
    port: u16,
}

fn main() {}
