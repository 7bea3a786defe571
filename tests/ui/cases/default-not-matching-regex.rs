use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = "EU-West-1", regex = r"^[a-z]{2}-[a-z]+-\d$")]
    region: String,
    #[settings(default = ["api.example.com", "localhost:8080"], regex = "^[a-z.]+$")]
    hosts: Vec<String>,
}

fn main() {}
