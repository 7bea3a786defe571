use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(regex = "^[a-z+$")]
    region: String,
    #[settings(regex = "^a{5,2}$")]
    code: String,
    #[settings(regex = "(?i")]
    name: String,
}

fn main() {}
