use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(url(schemes = "https"))]
    endpoint: String,
    #[settings(url(schemes = ["https", 443]))]
    callback: String,
}

fn main() {}
