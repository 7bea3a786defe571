use settings_core::Settings;

#[derive(Settings)]
#[settings(case_sensitive = false)]
struct App {
    port: u16,
}

fn main() {}
