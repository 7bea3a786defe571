use settings_core::Settings;

#[derive(Settings)]
#[settings(serde::deny_unknown_fields)]
struct App {
    #[settings(serde::rename = "p")]
    port: u16,
}

fn main() {}
