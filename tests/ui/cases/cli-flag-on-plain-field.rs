use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(cli_flag)]
    port: u16,
}

fn main() {}
