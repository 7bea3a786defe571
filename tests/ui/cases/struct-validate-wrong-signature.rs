use settings_core::Settings;

fn check(_: &u32) -> Result<(), String> {
    Ok(())
}

#[derive(Settings)]
#[settings(validate = check)]
struct App {
    port: u16,
}

fn main() {}
