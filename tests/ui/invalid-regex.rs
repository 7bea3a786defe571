use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(regex = "^[a-z+$")]
    region: String,
}

fn main() {}
